"""The committed boundaries (data/geo/) and the script that makes them (reformbook.geo)."""

import numpy as np
import pytest
import shapely

from reformbook import geo
from reformbook import provinces as pv

#: Summed area of all pairwise intersections allowed, in square degrees (about 0.1 km²; the
#: country is about 28 square degrees). Snapping to the 0.001° grid leaves one overlap of 1.5e-6.
OVERLAP_TOLERANCE = 1e-5


@pytest.mark.parametrize("units,n", [("63", 63), ("34", 34)])
def test_valid_features_one_per_code(units, n):
    shapes = geo.load(units)
    assert len(shapes) == n
    assert set(shapes) == set(pv.names(units))  # every code matched exactly once (dict keys are unique)
    arr = np.array(list(shapes.values()), dtype=object)
    assert shapely.is_valid(arr).all()
    assert not shapely.is_empty(arr).any()
    assert {g.geom_type for g in arr} <= {"Polygon", "MultiPolygon"}


def test_feature_codes_are_not_repeated_in_the_file():
    import json

    for units, name in geo.FILES.items():
        features = json.loads((geo.GEO / name).read_text(encoding="utf-8"))["features"]
        codes = [f["properties"]["code"] for f in features]
        assert len(codes) == len(set(codes)) == pv.n_units(units)


@pytest.mark.parametrize("units", ["63", "34"])
def test_no_overlaps(units):
    arr = np.array(list(geo.load(units).values()), dtype=object)
    left, right = shapely.STRtree(arr).query(arr, predicate="intersects")
    pairs = left < right
    overlap = shapely.area(shapely.intersection(arr[left[pairs]], arr[right[pairs]])).sum()
    assert overlap < OVERLAP_TOLERANCE


def test_the_34_cover_exactly_the_63():
    a63 = shapely.union_all(list(geo.load("63").values()))
    a34 = shapely.union_all(list(geo.load("34").values()))
    assert abs(a63.area - a34.area) < OVERLAP_TOLERANCE
    assert shapely.symmetric_difference(a63, a34).area < OVERLAP_TOLERANCE


def test_units_are_unions_of_their_predecessors():
    g63, g34 = geo.load("63"), geo.load("34")
    for code, shape in g34.items():
        parts = shapely.union_all([g63[c] for c in pv.predecessors(code)])
        assert shapely.symmetric_difference(parts, shape).area < OVERLAP_TOLERANCE, code


def test_islands_stay_with_their_provinces():
    g63 = geo.load("63")
    # Hoàng Sa (about 111–112.7°E, 15.7–17.1°N) in Đà Nẵng; Trường Sa (about 111.5–117°E, 7–11.5°N) in Khánh Hòa
    assert g63[pv.resolve("Đà Nẵng").code].intersects(shapely.box(111, 15.7, 113, 17.2))
    assert g63[pv.resolve("Khánh Hòa").code].intersects(shapely.box(111.5, 7, 117, 11.5))
    g34 = geo.load("34")
    assert g34[pv.resolve("Đà Nẵng", units="34").code].intersects(shapely.box(111, 15.7, 113, 17.2))
    assert g34[pv.resolve("Khánh Hòa", units="34").code].intersects(shapely.box(111.5, 7, 117, 11.5))


@pytest.mark.parametrize("name", geo.FILES.values())
def test_file_size_within_budget(name):
    assert (geo.GEO / name).stat().st_size < geo.MAX_BYTES


def test_readme_records_licence_and_attribution():
    text = (geo.GEO / "README.md").read_text(encoding="utf-8")
    assert "CC BY-SA 4.0" in text and geo.ATTRIBUTION in text


# --------------------------------------------------------------------------- the script
def test_name_fixes_resolve_and_unknown_names_fail():
    names = list(pv.names("63").values())
    swapped = ["Cần Thơn" if n == "Cần Thơ" else "Quản Bình" if n == "Quảng Bình" else n for n in names]
    assert sorted(geo.match_codes(swapped)) == sorted(pv.names("63"))
    with pytest.raises(geo.GeoError, match="'Atlantis' does not resolve"):
        geo.match_codes(names[:-1] + ["Atlantis"])
    with pytest.raises(geo.GeoError, match="two boundaries for province"):
        geo.match_codes(names[:-1] + [names[0]])
    with pytest.raises(geo.GeoError, match=r"no boundary for province\(s\)"):
        geo.match_codes(names[:-1])


def _square_topology():
    # two unit squares side by side sharing arc 1 (quantised, delta-encoded)
    return {"type": "Topology", "transform": {"scale": [1, 1], "translate": [100, 10]},
            "arcs": [[[1, 0], [-1, 0], [0, 1], [1, 0]], [[1, 1], [0, -1]], [[1, 1], [1, 0], [0, -1], [-1, 0]]],
            "objects": {"t": {"type": "GeometryCollection", "geometries": [
                {"type": "Polygon", "arcs": [[0, 1]], "properties": {"ten_tinh": "A"}},
                {"type": "MultiPolygon", "arcs": [[[~1, 2]]], "properties": {"ten_tinh": "B"}}]}}}


def test_decode_small_topology():
    (pa, a), (pb, b) = geo.decode(_square_topology(), "t")
    assert pa["ten_tinh"] == "A" and a.equals(shapely.box(100, 10, 101, 11))
    assert pb["ten_tinh"] == "B" and b.equals(shapely.MultiPolygon([shapely.box(101, 10, 102, 11)]))
    assert a.intersection(b).area == 0 and a.touches(b)


def test_decode_errors():
    with pytest.raises(geo.GeoError, match="no object 'nope'"):
        geo.decode(_square_topology(), "nope")
    bad = _square_topology()
    bad["objects"]["t"]["geometries"][0]["type"] = "LineString"
    with pytest.raises(geo.GeoError, match="unexpected geometry type 'LineString'"):
        geo.decode(bad, "t")


def test_simplify_keeps_shared_borders_shared():
    # two neighbours along a wiggly border: simplified together they still meet without gap or overlap
    xs = np.linspace(0, 1, 50)
    border = [(x, 0.5 + 0.002 * np.sin(40 * x)) for x in xs]
    south = shapely.Polygon([(0, 0), (1, 0)] + border[::-1])
    north = shapely.Polygon(border + [(1, 1), (0, 1)])
    s, n = geo.simplify([south, north], tolerance=0.01, grid=0.001)
    assert len(shapely.get_coordinates(s)) < 20
    assert s.intersection(n).area < 1e-9
    assert abs(s.union(n).area - 1) < 1e-9


def test_missing_source_is_a_clear_error(tmp_path):
    with pytest.raises(geo.GeoError, match="boundary source .* not found"):
        geo.make(tmp_path / "nope.topojson", out=tmp_path)
    with pytest.raises(geo.GeoError, match="unknown unit set '35'"):
        geo.load("35")


def test_make_reproduces_the_committed_files(tmp_path):
    written = geo.make(out=tmp_path)
    for units, path in written.items():
        assert path.read_bytes() == (geo.GEO / geo.FILES[units]).read_bytes(), units
