"""The computations behind the templates give a well-formed frame (possibly empty, same columns) for
every one of the 63 provinces and, where a template takes them, every one of the 34 units."""

import pandas as pd
import pytest

from reformbook import metrics, params
from reformbook import provinces as pv

CODES_63 = sorted(pv.names("63"))
CODES_34 = sorted(pv.names("34"))


def well_formed(frame, columns):
    assert isinstance(frame, pd.DataFrame)
    assert set(columns) <= set(frame.columns), sorted(set(columns) - set(frame.columns))


@pytest.mark.parametrize("code", CODES_63)
def test_procedures(code):
    t = metrics.procedures_by_level([code])
    well_formed(t, metrics.PROCEDURE_COLUMNS)
    assert set(t.province_code) <= {code}
    # what the procedures template computes from it, on an empty frame too
    levels = t[t.level != "all"]
    levels[levels.level == "commune"].share_pct.min()


@pytest.mark.parametrize("code", CODES_63)
def test_dossiers(code):
    f = metrics.dossier_flows([code])
    well_formed(f, metrics.DOSSIER_COLUMNS)
    f.dropna(subset=["on_time_rate_pct", "on_time_rate_computed_pct"])


@pytest.mark.parametrize("code", CODES_63)
def test_rankings_of_every_index(code):
    for index in metrics.INDICES:
        r = metrics.rankings(index, [code])
        well_formed(r, metrics.RANKING_COLUMNS)
        assert set(r.province_code) <= {code}


@pytest.mark.parametrize("code", CODES_63)
def test_project06_figures(code):
    for group in (metrics.P06, metrics.ONLINE, metrics.EID):
        well_formed(metrics.figures_for([code], group), ["province_code", "period", "metric", "value", "source_id"])


@pytest.mark.parametrize("code", CODES_34)
def test_among_the_34(code):
    p = params.validate_twice([code], "DTI", 2024)
    assert p.codes == (code,)
    well_formed(metrics.rankings("DTI", [code], units="34"), metrics.RANKING_COLUMNS)


def test_empty_frames_keep_their_columns():
    assert list(metrics.procedures_by_level([])) == metrics.PROCEDURE_COLUMNS
    assert list(metrics.dossier_flows([])) == metrics.DOSSIER_COLUMNS
    assert list(metrics.rankings("PAR", [], years=[2020])) == metrics.RANKING_COLUMNS


def test_a_total_without_levels_draws_no_chart_and_says_so():
    import matplotlib

    matplotlib.use("Agg")
    from reformbook import figures

    only_total = pd.DataFrame([{"province_code": "48", "province": "Đà Nẵng", "units": "63", "period": "2024",
                                "level": "all", "level_vi": "tổng", "procedures": 1800.0, "share_pct": float("nan"),
                                "total_published": 1800.0, "parts_gap": float("nan"), "source_id": "x"}])
    note, drawn, sources = figures.plot_procedures(only_total)
    assert isinstance(note, figures.Note) and drawn.empty and sources == []
    assert "No breakdown by level is held for Đà Nẵng" in note._repr_markdown_()
