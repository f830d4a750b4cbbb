"""The complete tables of batch tables-2026-12-04: coverage they bring, the disagreements kept as rows of
their own, the publisher cited with the repository as route, and no computed rank counted as published."""

import pytest

from reformbook import data, metrics

BATCH_ROUTES = ("github.com/hnks-gh/ml-mcdm", "github.com/letrinhandn/", "github.com/tnguyentranphuoc-commits/",
                "github.com/Tuan04-D/opendx")


def _from_tables():
    src = data.sources()
    ids = set(src[src.route.str.startswith(BATCH_ROUTES)].source_id)
    return data.facts(with_sources=False).query("source_id in @ids")


def test_every_table_source_cites_the_publisher_and_records_the_route():
    src = data.sources()
    rows = src[src.route.str.startswith(BATCH_ROUTES)]
    assert len(rows) == 7 + 5 + 4  # PAPI 2018–2024, PCI 2018–2022, DTI 2022/2023/2024 + 2024 of the 34
    assert set(rows.publisher) == {"UNDP and CECODES (PAPI)", "VCCI (PCI)", "Ministry of Information and Communications (DTI)"}
    assert (rows.date_accessed == "2026-12-04").all() and (rows.licence != "").all()
    assert set(rows[rows.publisher.str.contains("DTI")].url) == {
        "https://dti.gov.vn/xep-hang-2022", "https://dti.gov.vn/xep-hang-2023-all",
        "https://dti.gov.vn/xep-hang-2024-63-tinh", "https://dti.gov.vn/xep-hang-2024"}


def test_computed_ranks_are_derived_and_papi_gets_none():
    f = _from_tables()
    ranks = f[f.metric.str.endswith("_rank")]
    assert len(ranks) and ranks.is_derived.all()
    assert not (f.metric.str.startswith("papi") & f.metric.str.endswith("_rank")).any()


@pytest.mark.parametrize("metric, code, year, values", [
    ("pci_score_points", "22", "2019", {72.4, 73.4}),
    ("pci_score_points", "62", "2020", {60.02, 62.02}),
    ("papi_score_points", "01", "2019", {42.53, 41.533021}),
])
def test_disagreements_with_held_rows_stay_as_rows_of_their_own(metric, code, year, values):
    f = data.facts(metric=metric, period=year, units="63", with_sources=False)
    assert values <= set(f[f.province_code == code].value)


@pytest.mark.parametrize("index, years, units, n", [
    ("PCI", range(2018, 2023), "63", 63), ("DTI", range(2022, 2025), "63", 63), ("DTI", [2024], "34", 34),
])
def test_complete_editions_are_complete(index, years, units, n):
    cov = metrics.coverage(units).set_index(["index", "year"])
    for year in years:
        assert cov.loc[(index, year), "with_score"] == n


def test_papi_and_its_dimensions_account_for_every_province():
    cov = metrics.coverage("63").set_index(["index", "year"])
    for index in [i for i in metrics.INDICES if i.startswith("PAPI")]:
        for year in range(2018, 2025):
            row = cov.loc[(index, year)]
            assert row.with_score >= 60 and row.missing == 0, (index, year)


def test_papi_total_scale_is_the_same_in_held_rows_and_the_table():
    """Both are the unweighted 10–80 total: apart from the known disagreements they agree to 0.05."""
    f = data.facts(metric="papi_score_points", units="63", with_sources=False)
    table_ids = set(_from_tables().source_id)
    table = f[f.source_id.isin(table_ids)].set_index(["province_code", "period"]).value
    held = f[~f.source_id.isin(table_ids)]
    diff = (held.set_index(["province_code", "period"]).value - table.reindex(
        held.set_index(["province_code", "period"]).index)).abs().dropna()
    assert len(diff) > 300 and (diff < 0.05).mean() > 0.98 and f.value.between(10, 80).all()
