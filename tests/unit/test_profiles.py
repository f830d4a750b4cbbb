"""A province's profile on small frames; page families in pages.yml."""

import numpy as np
import pandas as pd
import pytest

from reformbook import catalog, figures, params, profiles, runner, tables

SOURCES = pd.DataFrame([
    {"source_id": s, "publisher": s, "title": s, "url": f"https://x/{s}", "date_published": "2024",
     "date_accessed": "2026-11-23", "language": "vi", "kind": "news", "note": "", "tier": "national"}
    for s in ("a", "b")])


def fact(code, metric, period, value, source="a", units="63", **kw):
    return {"province_code": code, "units": units, "province_name_source": "", "metric": metric,
            "level": kw.pop("level", "province"), "period": period, "value": str(value), "value_max": "",
            "is_approx": "0", "is_derived": "0", "source_id": source, "note": "", "locator": "", **kw}


def frames(*rows, gaps=None, units="63"):
    c = catalog.from_frames(pd.DataFrame(list(rows)), SOURCES, gaps=gaps)
    facts = c.facts(units=units, with_sources=False)
    ranks = {i.code: profiles.metrics.rankings_from(facts[facts.metric.isin(i.metrics)], i.score, i.rank, units,
                                                    c.disputes) for i in c.registry if units in i.units}
    return c, facts, ranks


def build(code, *rows, units="63", gaps=None, ledger=None):
    c, facts, ranks = frames(*rows, gaps=gaps, units=units)
    ledger = ledger if ledger is not None else pd.DataFrame({"claim_id": [], "province_code": [], "source_ids": []})
    return profiles.profile_from(code, units, facts, ranks, c.registry, c.not_published(), ledger)


def test_standings_give_score_rank_and_the_size_of_the_field():
    p = build("79", fact("79", "dti_score_ratio", "2024", "0.8373"), fact("79", "dti_rank", "2024", 1),
              fact("01", "dti_rank", "2024", 4, "b"), fact("01", "dti_rank", "2023", 2),
              fact("79", "pci_score_points", "2024", "67.89"))
    st = p.standings.set_index("index")
    assert st.loc["DTI", "rank"] == 1 and st.loc["DTI", "score"] == 0.8373 and st.loc["DTI", "n_ranked"] == 2
    assert st.loc["PCI", "score"] == 67.89 and np.isnan(st.loc["PCI", "rank"])
    assert p.source_ids == {"a"}
    # the field of DTI 2024 (its latest edition held for 79): rank 1 of 63 at the right end
    f = p.field[p.field["index"] == "DTI"].set_index("province_code")
    assert f.loc["79", "position"] == 1.0 and f.loc["01", "position"] == pytest.approx(59 / 62)
    assert set(f.year) == {2024}


def test_a_province_with_nothing_held_gets_an_empty_profile_and_a_full_list_of_gaps():
    gaps = pd.DataFrame([{"index": "PCI", "year": "2022", "province_code": "12", "units": "63",
                          "province_name_source": "Lai Châu", "source_id": "a", "reason": "left out", "locator": ""}])
    p = build("12", fact("01", "pci_rank", "2022", 3), gaps=gaps)
    assert p.standings.empty and p.field.empty and p.n_figures == 0 and p.source_ids == set()
    cov = p.coverage.set_index("index")
    assert cov.loc["PCI", "held"] == "" and "2022" in cov.loc["PCI", "left_out"]
    assert cov.loc["PCI", "missing"] == "2018–2021, 2023, 2024"
    assert tables.profile_standings(p.standings, 63, "Lai Châu", "None held.").text == "None held."


def test_merger_both_ways():
    qn = profiles.merger_of("49", "63")
    assert qn["unit"] == "Đà Nẵng" and qn["partners"] == ["Đà Nẵng"] and qn["merged"]
    dn = profiles.merger_of("48", "34")
    assert dn["formed_from"] == ["Đà Nẵng", "Quảng Nam"] and dn["predecessors"] == ["48", "49"]
    assert not profiles.merger_of("01", "63")["merged"]
    with pytest.raises(profiles.ProfileError, match="unknown code '02' among the 34"):
        profiles.merger_of("02", "34")  # Hà Giang joined Tuyên Quang


def test_claims_of_a_unit_are_those_about_the_provinces_it_was_formed_from():
    ledger = pd.DataFrame({"claim_id": ["C1", "C2"], "province_code": ["79", "01"], "source_ids": [("a",), ("b",)]})
    p = build("79", fact("79", "dti_rank", "2024", 1, units="34"), units="34", ledger=ledger)
    assert list(p.claims.claim_id) == ["C1"] and p.source_ids == {"a"}
    # the 34 before the merger: an edition that ranks none of them is no gap of this unit
    assert p.coverage.set_index("index").loc["DTI", "missing"] == ""


def test_bad_province_or_unit_set_is_refused_with_what_is_allowed():
    with pytest.raises(params.ParameterError, match="no longer exists among the 34 units"):
        profiles.profile("Quảng Nam", "34")
    with pytest.raises(params.ParameterError, match="names 2 provinces; a profile is of one"):
        profiles.profile("Hà Nội, Đà Nẵng", "63")
    with pytest.raises(params.ParameterError, match='allowed: "63"'):
        profiles.profile("Hà Nội", "62")
    with pytest.raises(profiles.ProfileError, match="unknown code '99'"):
        build("99")


def test_field_positions_by_rank_or_by_score():
    r = pd.DataFrame({"province_code": ["a", "b", "c"], "rank_preferred": [np.nan] * 3,
                      "score_preferred": [1.0, 3.0, 2.0]})
    assert profiles.field_positions(r, "X", 63).position.tolist() == [0.0, 1.0, 0.5]
    r = r.assign(rank_preferred=[1.0, 63.0, np.nan], score_preferred=[np.nan] * 3)
    f = profiles.field_positions(r, "X", 63)
    assert f.position.tolist() == [1.0, 0.0] and set(f.basis) == {"rank"}


def test_years_are_written_as_runs():
    assert profiles._years([2018, 2019, 2020, 2022]) == "2018–2020, 2022"
    assert profiles._years([2020, 2021]) == "2020, 2021" and profiles._years([]) == ""


def test_index_rows_link_each_unit_to_its_profile():
    _, _, ranks = frames(fact("01", "dti_rank", "2023", 2), fact("01", "dti_rank", "2024", 4, "b"))
    rows = profiles.index_rows_from("63", {"DTI": ranks["DTI"]}).set_index("code")
    assert len(rows) == 63 and rows.loc["01", "slug"] == "province_63_01"
    assert rows.loc["01", "DTI_rank"] == 4 and rows.loc["01", "DTI_year"] == 2024 and np.isnan(rows.loc["79", "DTI_rank"])
    assert profiles.index_sources(rows.reset_index()) == {"b"}
    t = tables.provinces_index(rows.reset_index(), ["DTI"], {"DTI": "DTI"}, "caption", "x")
    assert 'href="province_63_01.html"' in t.html


def test_field_chart_places_the_province_and_says_so_in_alt_text(monkeypatch):
    monkeypatch.setattr(figures, "cite", lambda ids, first=(), limit=4: "Sources: test")  # not the repository's sources
    p = build("79", fact("79", "dti_rank", "2024", 1), fact("01", "dti_rank", "2024", 4, "b"))
    chart, rows, ids = figures.plot_field(p.standings, p.field, "79", "TP. Hồ Chí Minh", 63)
    assert "DTI 2024: rank 1 of 63, 2 held" in chart.alt and ids == ["a"]


def test_a_family_expands_into_one_page_per_unit_titled_with_its_name():
    fam = {"template": "province", "over": "34", "param": "province", "slug": "province_34_{code}",
           "parent": "provinces_34", "params": {"units": "34"}}
    pages = runner.expand_family(fam)
    assert len(pages) == 34 and len({p["slug"] for p in pages}) == 34
    hcm = next(p for p in pages if p["slug"] == "province_34_79")
    assert hcm["params"] == {"units": "34", "province": "79"} and hcm["title"] == "TP. Hồ Chí Minh"
    spec = {"root": "book/intro", "parts": [{"caption": "P", "pages": [{"slug": "x", "template": "t"}],
                                             "families": [fam]}]}
    toc = runner.toc_from(spec)
    chapters = toc["parts"][0]["chapters"]
    assert chapters[0] == {"file": "book/pages/x"} and chapters[1]["file"] == "book/provinces_34"
    assert len(chapters[1]["sections"]) == 34 and len(runner.all_pages(spec)) == 35
    with pytest.raises(runner.PageError, match="expected one of 63, 34"):
        runner.expand_family({**fam, "over": "62"})
    with pytest.raises(runner.PageError, match=r"missing \['param'\]"):
        runner.expand_family({k: v for k, v in fam.items() if k != "param"})
