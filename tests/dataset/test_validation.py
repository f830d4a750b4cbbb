"""Each validation rule, with a bad input that shows its message; and the real data passes."""

import pandas as pd
import pytest

from reformbook import data
from reformbook.data import ValidationError, validate

GOOD = {
    "province_code": "79", "units": "63", "province_name_source": "TPHCM", "metric": "procedures_count",
    "level": "all", "period": "2019", "value": "10", "value_max": "", "is_approx": "0", "is_derived": "0",
    "source_id": "seed-000-tapchigiaoduc", "note": "", "locator": "",
}


def write_fact(root, **changes):
    row = {**GOOD, **changes}
    pd.DataFrame([row]).to_csv(root / "facts" / "zz_test.csv", index=False)
    return root


def problems(root):
    with pytest.raises(ValidationError) as exc:
        validate(root)
    return str(exc.value)


def test_real_data_validates():
    tables = validate()
    assert len(tables["facts"]) > 2000


def test_good_row_passes(data_copy):
    validate(write_fact(data_copy))


@pytest.mark.parametrize("changes,message", [
    ({"value": "101", "metric": "on_time_rate_pct"}, "column 'value': percentage 101.0 outside 0–100"),
    ({"value": "-1", "metric": "on_time_rate_pct"}, "percentage -1.0 outside 0–100"),
    ({"value": "64", "metric": "par_index_rank"}, "rank 64.0 outside 1–63 for the 63 units"),
    ({"value": "35", "metric": "dti_rank", "units": "34", "period": "2025-12"}, "rank 35.0 outside 1–34 for the 34 units"),
    ({"value": "2.5", "metric": "par_index_rank"}, "rank 2.5 outside 1–63"),
    ({"value": "-3"}, "count -3.0 is not a non-negative integer"),
    ({"value": "3.5"}, "count 3.5 is not a non-negative integer"),
    ({"value": "abc"}, "column 'value': not a number: 'abc'"),
    ({"value": "1.2", "metric": "dti_score_ratio"}, "ratio 1.2 outside 0–1"),
    ({"value": "21", "value_max": "20", "metric": "d766_score_points"}, "score 21.0 above its maximum 20"),
    ({"period": "2024-13"}, "column 'period': malformed period '2024-13'"),
    ({"period": "FY2024"}, "malformed period 'FY2024'"),
    ({"period": "2024-05..2024-01"}, "range ends before it starts"),
    ({"period": "2025-08", "units": "63"}, "column 'units': period 2025-08 starts after 2025-07-01: use the 34 units"),
    ({"units": "64"}, "column 'units': '64' must be 63 or 34"),
    ({"source_id": "nowhere-123"}, "column 'source_id': unknown source 'nowhere-123'"),
    ({"metric": "happiness_count"}, "column 'metric': unknown metric 'happiness_count'"),
    ({"level": "ward"}, "column 'level': 'ward' is not one of"),
    ({"is_approx": "yes"}, "column 'is_approx': must be 0 or 1"),
    ({"province_code": "03"}, "column 'province_code': unknown province code '03'"),
    ({"province_name_source": "Hà Nội"}, "'Hà Nội' resolves to 01, not 79"),
    ({"province_name_source": "Sài Gònn City"}, "unknown province name 'Sài Gònn City'"),
])
def test_bad_fact_is_reported_with_file_line_column(data_copy, changes, message):
    text = problems(write_fact(data_copy, **changes))
    assert "data/facts/zz_test.csv:2:" in text
    assert message in text


def test_duplicate_key_from_same_source(data_copy):
    pd.DataFrame([GOOD, {**GOOD, "value": "11"}]).to_csv(data_copy / "facts" / "zz_test.csv", index=False)
    text = problems(data_copy)
    assert "zz_test.csv:3: column 'source_id': duplicate key" in text


def test_same_figure_from_two_sources_is_not_a_duplicate(data_copy):
    other = {**GOOD, "source_id": "seed-002-ktsg", "value": "11"}
    pd.DataFrame([GOOD, other]).to_csv(data_copy / "facts" / "zz_test.csv", index=False)
    validate(data_copy)


def test_missing_column(data_copy):
    pd.DataFrame([{k: v for k, v in GOOD.items() if k != "locator"}]).to_csv(data_copy / "facts" / "zz.csv", index=False)
    assert "zz.csv:1: column 'locator': missing column(s)" in problems(data_copy)


def test_source_without_url_must_be_a_seed(data_copy):
    src = pd.read_csv(data_copy / "sources.csv", dtype=str, keep_default_na=False)
    src.loc[len(src) - 1, "url"] = ""
    src.to_csv(data_copy / "sources.csv", index=False)
    assert f"sources.csv:{len(src) + 1}: column 'url': empty (only seed articles may lack a URL)" in problems(data_copy)


def test_duplicate_source_id(data_copy):
    src = pd.read_csv(data_copy / "sources.csv", dtype=str, keep_default_na=False)
    pd.concat([src, src.tail(1)]).to_csv(data_copy / "sources.csv", index=False)
    assert "duplicate id" in problems(data_copy)


def test_metric_name_must_carry_its_unit(data_copy):
    m = pd.read_csv(data_copy / "metrics.csv", dtype=str, keep_default_na=False)
    m.loc[0, "unit"] = "rank"
    m.to_csv(data_copy / "metrics.csv", index=False)
    assert "must end in '_rank'" in problems(data_copy)


def test_metric_needs_an_english_label(data_copy):
    m = pd.read_csv(data_copy / "metrics.csv", dtype=str, keep_default_na=False)
    m.loc[0, "label_en"] = " "
    m.to_csv(data_copy / "metrics.csv", index=False)
    assert "column 'label_en': empty: give the English label" in problems(data_copy)


def test_parts_not_summing_to_total_is_a_note_not_an_error():
    notes = data.data_notes()
    hcmc = notes[(notes.kind == "parts ≠ total") & (notes.period == "2025-12-14")]
    assert "sum to 2,293; published total 2,242" in hcmc.detail.iloc[0]


def test_rank_disagreement_is_reported():
    notes = data.data_notes()
    hanoi_dti = notes[(notes.kind == "sources disagree on rank") & (notes.province_code == "01")
                      & (notes.metric == "dti_rank") & (notes.period == "2022")]
    assert "20" in hanoi_dti.detail.iloc[0] and "24" in hanoi_dti.detail.iloc[0]


def test_facts_api_filters_and_joins_sources():
    f = data.facts(province="TP.HCM", metric="procedures_count", period="2024")
    assert set(f.level) == {"all", "province", "district", "commune"}
    assert (f.publisher == "Tạp chí Giáo dục").all()
    assert f.loc[f.level == "all", "value"].item() == 1992


GAP = {"index": "PAPI", "year": "2022", "province_code": "27", "units": "63", "province_name_source": "Bắc Ninh",
       "source_id": "thitruongbiz-cc6e4c", "reason": "excluded (inaccurate survey data)", "locator": "x"}


@pytest.mark.parametrize("changes, message", [
    ({"index": "PAPY"}, "column 'index': 'PAPY' is not one of"),
    ({"province_name_source": "Bắc Giang"}, "column 'province_name_source': 'Bắc Giang' resolves to 24, not 27"),
    ({"source_id": "nowhere-000000"}, "unknown source 'nowhere-000000'"),
    ({"reason": ""}, "column 'reason': empty"),
    ({"year": "2022-Q1"}, "column 'year': '2022-Q1' is not a year"),
])
def test_bad_not_published_row_is_reported(data_copy, changes, message):
    pd.DataFrame([GAP, {**GAP, **changes}]).to_csv(data_copy / "not_published.csv", index=False)
    text = problems(data_copy)
    assert "not_published.csv:3:" in text and message in text


def test_left_out_provinces_are_not_counted_missing():
    from reformbook import metrics
    cov = metrics.coverage("63").set_index(["index", "year"])
    row = cov.loc[("PAPI", 2022)]
    assert row.not_published == 2 and "Bắc Ninh" in row.not_published_provinces
    assert "Bắc Ninh" not in row.missing_provinces
    assert row.target == row.missing + row.not_published + len(
        set(data.facts(metric=["papi_score_points", "papi_rank"], period="2022", units="63").province_code))
    # left out of PAPI, so of the dimensions PAPI's table leaves blank too; a dimension it does score counts
    assert cov.loc[("PAPI_TRANSPARENCY", 2022)].not_published == 2
    assert cov.loc[("PAPI_EGOV", 2022)].not_published == 1 and cov.loc[("PAPI_EGOV", 2022)].with_score == 62


# --------------------------------------------------------------------------- issue 11: registry and disputes
@pytest.mark.parametrize("changes,message", [
    ({"note": "derived: 69.69-5.85=63.84", "metric": "pci_score_points", "value": "63.84"},
     "column 'is_derived': 0, but the note describes arithmetic"),
    ({"metric": "par_index_rank", "value": "3", "units": "34", "province_name_source": "TP. Hồ Chí Minh",
      "period": "2024"}, "column 'units': PAR is ranked among 63 units (data/indices.csv), not '34'"),
    ({"metric": "dti_rank", "value": "3", "period": "2015"}, "column 'period': DTI has no 2015 edition"),
])
def test_bad_index_fact_is_reported(data_copy, changes, message):
    text = problems(write_fact(data_copy, **changes))
    assert "data/facts/zz_test.csv:2:" in text and message in text


def test_worked_out_note_with_derived_flag_passes(data_copy):
    validate(write_fact(data_copy, note="derived: 69.69-5.85=63.84", metric="pci_score_points", value="63.84",
                        is_derived="1"))


def test_source_tier_must_be_known(data_copy):
    src = pd.read_csv(data_copy / "sources.csv", dtype=str, keep_default_na=False)
    src.loc[0, "tier"] = "rumour"
    src.to_csv(data_copy / "sources.csv", index=False)
    assert "sources.csv:2: column 'tier': 'rumour' is not one of" in problems(data_copy)


def test_bad_registry_row_is_reported_by_validate(data_copy):
    reg = pd.read_csv(data_copy / "indices.csv", dtype=str, keep_default_na=False)
    reg.loc[0, "score_metric"] = "par_index_scor_pct"
    reg.to_csv(data_copy / "indices.csv", index=False)
    text = problems(data_copy)
    assert "indices.csv:2: column 'score_metric': unknown metric 'par_index_scor_pct'" in text


def test_no_row_describes_arithmetic_without_the_derived_flag():
    f = validate()["facts"]
    from reformbook import checks
    worked = f[f.note.map(checks.describes_arithmetic)]
    assert len(worked) >= 11 and (worked.is_derived == "1").all()


def test_disputes_on_the_real_data():
    d = data.disputes().set_index(["province_code", "metric", "period"])
    # the same figure in two tables at two tiers is compared
    hp = d.loc[("31", "sipas_score_pct", "2024")]
    assert "90.59" in hp["values"] and "91.1" in hp["values"] and hp.preferred_value == 90.59
    # equal at the coarser precision: no dispute (41.6286 vs 41.629)
    assert ("01", "papi_score_points", "2020") not in d.index
    # every dispute has a preferred value and a reason
    assert d.preferred_value.notna().all() and (d.reason != "").all()
    qn = d.loc[("22", "par_index_score_pct", "2018")]
    assert qn.rule == "source tier" and qn.reason.startswith("score order: 81 contradicts")


def test_score_disagreements_are_data_notes():
    notes = data.data_notes()
    hp = notes[(notes.kind == "sources disagree on score") & (notes.province_code == "31")
               & (notes.metric == "par_index_score_pct") & (notes.period == "2023")]
    assert hp.detail.item() == "scores 91.81, 91.87"
    order = notes[notes.kind == "rank out of score order"]
    assert ((order.metric == "par_index_rank") & (order.period == "2018")).sum() >= 5  # disputed 81 included


def test_adding_an_index_is_one_registry_row_plus_data(data_copy):
    """The steps data/README.md shows under "Adding an index"."""
    from reformbook import catalog, metrics
    with open(data_copy / "indices.csv", "a", encoding="utf-8") as fh:
        fh.write("PCI_TIME,PCI,PCI – time costs,Chi phí thời gian,pci_time_score_points,,points (0–10),63,2005..,,"
                 "PCI sub-index 4\n")
    with open(data_copy / "metrics.csv", "a", encoding="utf-8") as fh:
        fh.write('pci_time_score_points,points,index,PCI – Chi phí thời gian (điểm),"PCI time-cost sub-index",1\n')
    write_fact(data_copy, metric="pci_time_score_points", value="7.1", period="2020", level="province")
    cat = catalog.load(data_copy)
    cov = metrics.coverage(catalog=cat).set_index(["index", "year"])
    assert cov.loc[("PCI_TIME", 2020)].with_score == 1
    assert metrics.rankings("PCI_TIME", catalog=cat).score_preferred.tolist() == [7.1]
