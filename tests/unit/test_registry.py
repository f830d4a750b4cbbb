"""The index registry (data/indices.csv): what it gives, and each bad row with its message."""

import pandas as pd
import pytest

from reformbook import registry
from reformbook.registry import RegistryError

METRICS = pd.DataFrame({"metric": ["x_score_pct", "x_rank", "y_score_points", "x_count"],
                        "unit": ["pct", "rank", "points", "count"]})
ROW = {"index": "X", "parent": "", "label_en": "X Index", "label_vi": "Chỉ số X", "score_metric": "x_score_pct",
       "rank_metric": "x_rank", "scale": "%", "units": "63", "editions": "2018..", "national_metric": "", "note": ""}


def parse(*rows):
    return registry.parse(pd.DataFrame(list(rows)), METRICS, "indices.csv")


def test_a_row_becomes_an_index():
    reg = parse(ROW, {**ROW, "index": "X_PART", "parent": "X", "score_metric": "y_score_points", "rank_metric": "",
                      "editions": "2019..2020", "units": "63 34"})
    x, part = reg["X"], reg["X_PART"]
    assert x.metrics == ("x_score_pct", "x_rank") and x.label == "X Index (Chỉ số X)"
    assert part.rank is None and part.root == "X" and part.units == ("63", "34")
    assert part.has_edition(2020) and not part.has_edition(2021) and not part.has_edition(2018)
    assert reg.pairs() == {"X": ("x_score_pct", "x_rank"), "X_PART": ("y_score_points", None)}
    assert reg.rank_to_score() == {"x_rank": "x_score_pct"}
    assert reg.index_of_metric("y_score_points").code == "X_PART"


@pytest.mark.parametrize("changes,message", [
    ({"score_metric": "nope_pct"}, "column 'score_metric': unknown metric 'nope_pct'"),
    ({"score_metric": "x_count"}, "'x_count' has unit 'count'; a score is pct, ratio or points"),
    ({"rank_metric": "y_score_points"}, "column 'rank_metric': 'y_score_points' has unit 'points', not rank"),
    ({"rank_metric": "nope_rank"}, "unknown metric 'nope_rank'"),
    ({"parent": "Z"}, "column 'parent': 'Z' is not another index"),
    ({"units": "64"}, "column 'units': '64' must be 63, 34"),
    ({"editions": "2018"}, "column 'editions': '2018' must be FIRST.. or FIRST..LAST"),
    ({"editions": "2020..2018"}, "'2020..2018' ends before it starts"),
    ({"label_vi": " "}, "column 'label_vi': empty"),
    ({"index": "x idx"}, "column 'index': 'x idx' must be upper case"),
    ({"national_metric": "x_mean_pct"}, "column 'national_metric': unknown metric 'x_mean_pct'"),
])
def test_bad_registry_row(changes, message):
    with pytest.raises(RegistryError) as exc:
        parse({**ROW, **changes})
    assert "indices.csv:2:" in str(exc.value) and message in str(exc.value)


def test_duplicate_index_and_shared_metric():
    with pytest.raises(RegistryError, match="indices.csv:3: column 'index': duplicate index 'X'"):
        parse(ROW, ROW)
    with pytest.raises(RegistryError, match="metric 'x_score_pct' belongs to both X and W"):
        parse(ROW, {**ROW, "index": "W", "rank_metric": ""})


def test_the_project_registry_holds_the_papi_dimensions_and_dti_pillars():
    reg = registry.default()
    dims = [i.code for i in reg.children("PAPI")]
    assert dims == ["PAPI_PARTICIPATION", "PAPI_TRANSPARENCY", "PAPI_ACCOUNTABILITY", "PAPI_CORRUPTION",
                    "PAPI_PROCEDURES", "PAPI_SERVICES", "PAPI_ENVIRONMENT", "PAPI_EGOV"]
    assert [i.rank for i in reg.children("PAPI")].count(None) == 7
    assert reg["PAPI_EGOV"].rank == "papi_egov_rank"
    assert [i.code for i in reg.children("DTI")] == ["DTI_GOV", "DTI_ECON", "DTI_SOC"]
    assert reg["PAR"].national == "par_index_mean_pct"


def test_one_list_of_indices_everywhere():
    from reformbook import data, metrics
    reg = registry.default()
    assert list(metrics.INDICES) == reg.codes() == list(data.INDEX_METRICS)
