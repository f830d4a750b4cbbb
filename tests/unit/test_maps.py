"""Maps on small inputs: what is shaded, hatched, labelled and said (reformbook.maps)."""

import matplotlib
import numpy as np
import pandas as pd
import pytest
from matplotlib.patches import PathPatch

from reformbook import geo, maps
from reformbook import provinces as pv

HCM, HN = pv.resolve("TP. Hồ Chí Minh").code, pv.resolve("Hà Nội").code


def _texts(fig):
    return [t for t in fig.findobj(matplotlib.text.Text) if t.get_text().strip()]


def _small():
    return pd.DataFrame({"province_code": [HCM, HN, "48"], "value": [70.0, 60.0, 65.0],
                         "source_id": ["src-b", "src-a", "src-a"]})


def test_choropleth_table_sources_and_alt():
    fig, table, sources, alt = maps.choropleth(_small(), "63", label="score")
    assert len(table) == 63 and table.held.sum() == 3
    assert table.set_index("code").loc[HCM, "value"] == 70.0
    assert sources == ["src-a", "src-b"]
    assert "63 provinces" in alt and "3 of 63 have a figure" in alt
    assert "darkest TP. Hồ Chí Minh (70.00)" in alt and "lightest Hà Nội (60.00)" in alt
    assert "Not held (hatched): Hà Giang" in alt and "and 48 more" in alt
    assert "Hoàng Sa with Đà Nẵng" in alt and "Trường Sa with Khánh Hòa" in alt
    matplotlib.pyplot.close(fig)


def test_not_held_hatched_and_in_legend_and_attribution_on_map():
    fig, table, _, _ = maps.choropleth(_small(), "63")
    patches = [p for p in fig.axes[0].get_children() if isinstance(p, PathPatch) and p.get_fill()]
    hatched = [p for p in patches if p.get_hatch()]
    assert len(hatched) == 60  # one per unit without a figure
    texts = [t.get_text() for t in _texts(fig)]
    assert "not held (60)" in texts
    assert any(geo.ATTRIBUTION.split(",")[0] in t for t in texts)
    matplotlib.pyplot.close(fig)


def test_colours_are_sequential_cividis_darker_for_higher():
    fig, *_ = maps.choropleth(_small(), "63")
    faces = {round(float(np.mean(p.get_facecolor()[:3])), 4) for p in fig.axes[0].get_children()
             if isinstance(p, PathPatch) and p.get_fill() and not p.get_hatch()}
    cmap = matplotlib.colormaps["cividis_r"]
    expected = {round(float(np.mean(cmap(x)[:3])), 4) for x in (0.0, 0.5, 1.0)}
    assert expected <= faces
    matplotlib.pyplot.close(fig)


def test_reverse_for_ranks_and_highlight_labels():
    ranks = pd.Series({"TP. Hồ Chí Minh": 1, "Hà Nội": 2, "Cần Thơ": 30})
    fig, table, _, alt = maps.choropleth(ranks, "63", label="rank", fmt="{:.0f}", reverse=True,
                                         highlight=["TP.HCM", "Quảng Nam"])
    assert "darker meaning lower" in alt and "darkest TP. Hồ Chí Minh (1)" in alt
    assert "Outlined: TP. Hồ Chí Minh 1, Quảng Nam not held." in alt
    texts = [t.get_text() for t in _texts(fig)]
    assert "TP. Hồ Chí Minh 1" in texts and "Quảng Nam not held" in texts
    matplotlib.pyplot.close(fig)


def test_the_34_units_with_islands_labelled():
    fig, table, _, alt = maps.choropleth({"Đà Nẵng": 3.0, "Khánh Hòa": 4.0}, "34")
    assert len(table) == 34 and "34 units (from 1 July 2025)" in alt
    texts = " ".join(t.get_text() for t in _texts(fig))
    assert "Hoàng Sa\n(Đà Nẵng)" in texts and "Trường Sa\n(Khánh Hòa)" in texts
    matplotlib.pyplot.close(fig)


@pytest.mark.parametrize("make", [
    lambda: maps.choropleth(_small(), "63", highlight=["Hà Nội", "TP. Hồ Chí Minh", "Cần Thơ"]),
    lambda: maps.merger_map("Đà Nẵng"),
])
def test_legible_at_390_px(make):
    fig = make().figure
    width_px = fig.get_figwidth() * fig.dpi
    for t in _texts(fig):
        px_at_390 = t.get_fontsize() * fig.dpi / 72 * 390 / width_px
        assert px_at_390 >= 9, (t.get_text(), px_at_390)
    matplotlib.pyplot.close(fig)


@pytest.mark.parametrize("values,units,error,match", [
    ({"Atlantis": 1}, "63", pv.ProvinceError, "Atlantis"),
    ({"Quảng Nam": 1}, "34", pv.ProvinceError, "Quảng Nam"),
    ({"Hà Nội": 1, "01": 2}, "63", maps.MapError, "more than one value for Hà Nội"),
    ({"Hà Nội": 1}, "35", maps.MapError, "unknown unit set '35'"),
    (pd.DataFrame({"name": ["Hà Nội"], "value": [1]}), "63", maps.MapError, "needs a 'province_code'"),
    ([1, 2], "63", maps.MapError, "must be a Series, dict or DataFrame"),
    ({"Hà Nội": float("nan")}, "63", maps.MapError, "no unit has a value"),
    ({"Hà Nội": "high"}, "63", ValueError, "high"),
])
def test_bad_input(values, units, error, match):
    with pytest.raises(error, match=match):
        maps.choropleth(values, units)


def test_merger_map():
    fig, table, sources, alt = maps.merger_map("Đà Nẵng")
    assert len(table) == 63 and sources == []
    assert table.merged.sum() == 52 and table[table.merged].new_code.nunique() == 23
    assert "Highlighted: Đà Nẵng, formed from Đà Nẵng, Quảng Nam." in alt
    assert any("Boundaries:" in t.get_text() for t in _texts(fig))
    matplotlib.pyplot.close(fig)
    with pytest.raises(pv.ProvinceError):
        maps.merger_map("Quảng Nam")


def test_to_path_keeps_holes():
    import shapely

    square = shapely.box(0, 0, 4, 4).difference(shapely.box(1, 1, 2, 2))
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = matplotlib.figure.Figure(figsize=(1, 1), dpi=40)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, 4)
    ax.set_ylim(0, 4)
    ax.add_patch(PathPatch(maps.to_path(square), facecolor="black", lw=0))
    fig.canvas.draw()
    pixels = np.asarray(fig.canvas.buffer_rgba())
    assert pixels[5, 35, 0] == 0  # (3.5, 3.5): filled
    assert pixels[25, 15, 0] == 255  # (1.5, 1.5): the hole stays empty
    with pytest.raises(maps.MapError, match="cannot draw a LineString"):
        maps.to_path(shapely.LineString([(0, 0), (1, 1)]))


def test_show_displays_png_with_alt(capsys):
    result = maps.choropleth({"Hà Nội": 1.0}, "63")
    maps.show(result, "A title")  # outside IPython, display prints the object's repr
    assert "Image" in capsys.readouterr().out
