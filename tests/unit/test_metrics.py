"""Computations and the claims ledger as pure functions, on small frames written here."""

import numpy as np
import pandas as pd
import pytest

from reformbook import catalog, claims, metrics, reconcile

SOURCES = pd.DataFrame([
    {"source_id": s, "publisher": s, "title": s, "url": f"https://x/{s}", "date_published": "2024",
     "date_accessed": "2026-11-23", "language": "vi", "kind": k, "note": "", "tier": t}
    for s, k, t in (("pub", "publisher", "publisher_table"), ("np", "news", "national"),
                    ("prov", "news", "provincial"), ("tr", "news", "translation"))])


def fact(code, metric, period, value, source, **kw):
    return {"province_code": code, "units": "63", "province_name_source": "", "metric": metric,
            "level": kw.pop("level", "province"), "period": period, "value": str(value), "value_max": "",
            "is_approx": kw.pop("is_approx", "0"), "is_derived": kw.pop("is_derived", "0"), "source_id": source,
            "note": "", "locator": "", **kw}


def cat(*rows):
    return catalog.from_frames(pd.DataFrame(list(rows)), SOURCES)


def test_rankings_prefer_the_publishers_table_and_say_why():
    c = cat(fact("01", "pci_score_points", "2019", "72.4", "tr"), fact("01", "pci_score_points", "2019", "73.40", "pub"),
            fact("01", "pci_rank", "2019", 5, "pub"), fact("01", "pci_rank", "2020", 3, "np"),
            fact("79", "pci_score_points", "2019", "70.1", "np"), fact("79", "pci_rank", "2019", 7, "np"))
    r = metrics.rankings("PCI", catalog=c).set_index(["province_code", "year"])
    hn = r.loc[("01", 2019)]
    assert hn.disputed and np.isnan(hn.score) and hn.score_preferred == 73.4 and hn.score_is_preferred
    assert "source tier" in hn.preferred_reason and "publisher's full table" in hn.preferred_reason
    assert r.loc[("01", 2020)].rank_change == 2 and r.loc[("79", 2019)].score_preferred == 70.1
    assert not r.loc[("79", 2019)].disputed and not r.loc[("79", 2019)].score_is_preferred


def test_a_value_that_breaks_score_order_loses_before_tiers():
    c = cat(fact("22", "par_index_score_pct", "2018", "81", "pub"), fact("22", "par_index_score_pct", "2018", "89.06", "np"),
            fact("22", "par_index_rank", "2018", 1, "np"),
            fact("31", "par_index_score_pct", "2018", "83.6", "np"), fact("31", "par_index_rank", "2018", 5, "np"))
    d = c.disputes.set_index("province_code").loc["22"]
    assert d.preferred_value == 89.06 and d.rule == "score order" and "31" in d.reason
    assert d["values"] == "81 (pub); 89.06 (np)"


@pytest.mark.parametrize("rows,preferred,rule", [
    ([("5", "np", "1"), ("6", "np2", "0")], 6.0, "stated"),
    ([("5", "np", "0"), ("6", "np2", "0"), ("6", "np3", "0")], 6.0, "agreement"),
    ([("5", "np", "0"), ("6", "np2", "0")], 5.0, "first source"),
])
def test_later_rules(rows, preferred, rule):
    src = pd.concat([SOURCES, SOURCES.assign(source_id=["np2", "np3", "x", "y"], tier="national")])
    f = pd.DataFrame([fact("01", "dti_rank", "2022", v, s, is_derived=d) for v, s, d in rows])
    d = reconcile.reconcile(catalog.from_frames(f, src).all_facts, catalog.from_frames(f, src).registry)
    assert d.preferred_value.item() == preferred and d.rule.item() == rule


def test_coverage_counts_editions_of_the_registry_and_keeps_left_out_apart():
    gaps = pd.DataFrame([{"index": "PAPI", "year": "2022", "province_code": "27", "units": "63",
                          "province_name_source": "Bắc Ninh", "source_id": "np", "reason": "left out", "locator": ""}])
    c = catalog.from_frames(pd.DataFrame([fact("01", "papi_egov_score_points", "2022", "3.1", "np")]), SOURCES,
                            gaps=gaps)
    cov = metrics.coverage(catalog=c).set_index(["index", "year"])
    row = cov.loc[("PAPI_EGOV", 2022)]
    assert (row.with_score, row.with_rank, row.not_published, row.missing) == (1, 0, 1, 61)
    assert ("DTI", 2019) not in cov.index and ("DTI", 2020) in cov.index  # DTI's first edition is 2020
    assert ("PAPI_PROCEDURES", 2022) in cov.index


def test_procedures_by_level_uses_the_published_total():
    c = cat(*[fact("79", "procedures_count", "2024", v, "np", level=lvl)
              for lvl, v in (("all", 100), ("province", 50), ("district", 30), ("commune", 15))])
    t = metrics.procedures_by_level(["79"], catalog=c)
    assert list(t.level) == ["province", "district", "commune"]
    assert list(t.share_pct) == [50.0, 30.0, 15.0] and set(t.parts_gap) == {5.0}


def test_national_mean_comes_from_the_registry():
    c = cat(fact("VN", "par_index_mean_pct", "2023", "87.3", "np", level="all"))
    assert metrics.national_mean("PAR", catalog=c).value.tolist() == [87.3]
    assert metrics.national_mean("PCI", catalog=c).empty


def test_a_claim_on_a_few_rows():
    rows = [fact("79", "procedures_count", "2024", v, claims.S0, level=lvl)
            for lvl, v in (("all", 1992), ("province", 1000), ("district", 600), ("commune", 392))]
    f = catalog.from_frames(pd.DataFrame(rows), SOURCES).facts(with_sources=False)
    led = claims.ledger_from(f, [claims.CLAIMS[0]])
    assert led.verdict.item() == claims.CONSISTENT and "= 1,992; published total 1,992" in led.computation.item()
    f.loc[f.level == "commune", "value"] = 300
    led = claims.ledger_from(f, [claims.CLAIMS[0]])
    assert led.verdict.item() == claims.INCONSISTENT and "off by +92" in led.computation.item()
    assert claims.ledger_from(f.iloc[:0], [claims.CLAIMS[0]]).verdict.item() == claims.UNCHECKABLE
