"""Ingest: raw collected rows → facts. Units of a ranking, unknown names, and reproducibility."""

import shutil
import subprocess
import sys

import pandas as pd
import pytest

from reformbook import ingest
from reformbook.paths import ROOT

RAW_HEADER = "index,year,province,score,rank,units,source_url,source_title,published,excerpt,is_derived,note"


def _rows(*lines: str) -> pd.DataFrame:
    from io import StringIO
    return pd.read_csv(StringIO("\n".join([RAW_HEADER, *lines])), dtype=str, keep_default_na=False)


@pytest.mark.parametrize("raw, year, stated, expected", [
    ("Hà Nội", 2023, "", ("63", "Hà Nội")),
    ("Hà Nội", 2024, "34", ("34", "Hà Nội")),
    ("Huế (nhóm 34 tỉnh)", 2024, "", ("34", "Huế")),
    ("Huế (nhóm 34 tỉnh)", 2024, "34", ("34", "Huế")),
    ("Huế", 2026, "", ("34", "Huế")),
])
def test_units_come_from_mark_or_column(raw, year, stated, expected):
    assert ingest._units_and_name(raw, year, stated) == expected


def test_units_mark_and_column_must_agree():
    with pytest.raises(ValueError, match="nhóm 63 but the units column says 34"):
        ingest._units_and_name("Huế (nhóm 63 tỉnh)", 2024, "34")
    with pytest.raises(ValueError, match="units must be 63 or 34"):
        ingest._units_and_name("Huế", 2024, "35")


def test_a_34_unit_ranking_is_filed_under_34():
    df = _rows('DTI,2024,TP. Hồ Chí Minh,,4,34,https://example.org/a,T,2025-10-21,"xếp thứ tư trong nhóm 34",0,',
               'DTI,2024,TP. Hồ Chí Minh,,1,63,https://example.org/a,T,2025-10-21,"dẫn đầu nhóm 63",0,')
    facts = ingest.index_facts(df).set_index("units")
    assert facts.loc["34", "value"] == 4 and facts.loc["63", "value"] == 1


def test_unknown_province_names_the_row():
    df = _rows("PAR,2023,Hà Nội,90,3,63,https://example.org/a,T,,x,0,",
               "PAR,2023,Sài Gon Xanh,88,9,63,https://example.org/a,T,,x,0,")
    with pytest.raises(ValueError, match=r"row 3: .*Sài Gon Xanh"):
        ingest.index_facts(df)


def test_rank_from_listed_order_is_derived_but_score_is_not():
    df = _rows('PCI,2022,Quảng Ninh,72.95,1,63,https://example.org/a,T,,"dẫn đầu là Quảng Ninh",1,rank from listed order')
    facts = ingest.index_facts(df).set_index("metric")
    assert facts.loc["pci_rank", "is_derived"] and not facts.loc["pci_score_points", "is_derived"]


@pytest.mark.slow
def test_committed_tables_are_what_ingest_makes(tmp_path):
    """data/facts and data/sources.csv are generated: re-running ingest on data/raw changes nothing."""
    shutil.copytree(ROOT / "data", tmp_path / "data")
    env = {"REFORMBOOK_ROOT": str(tmp_path), "PATH": "/usr/bin:/bin"}
    proc = subprocess.run([sys.executable, "-m", "reformbook", "ingest"], capture_output=True, text=True,
                          env=env)
    assert proc.returncode == 0, proc.stderr[-3000:]
    for rel in ("sources.csv", "facts/indices.csv", "facts/operations.csv", "facts/national.csv", "not_published.csv"):
        assert (tmp_path / "data" / rel).read_bytes() == (ROOT / "data" / rel).read_bytes(), (
            f"data/{rel} is stale: run `python -m reformbook ingest` and commit the result")


@pytest.mark.parametrize("excerpt, note", [
    ("order in list: 'PCI 2020 là: Quảng Ninh, Đồng Tháp'", ""),
    ("Sau Quảng Ninh là Hà Nội. [rank 2 from listed order]", ""),
    ("Hà Nội xếp thứ 2", "\"derived: 5th, up 3\""),
])
def test_collector_marks_of_a_derived_rank_are_honoured(excerpt, note):
    df = _rows(f'PCI,2020,Hà Nội,,2,63,https://example.org/a,T,,"{excerpt}",0,{note}')
    assert ingest.index_facts(df).is_derived.all()


def test_chart_source_line_drops_scripts_the_font_lacks():
    from reformbook import figures
    assert figures._drawable("VIETJO ベトナムニュース, citing ICTnews") == "VIETJO, citing ICTnews"
    assert figures._drawable("Báo Đầu tư") == "Báo Đầu tư"


def test_not_published_rows_become_gaps_and_bad_ones_name_the_row():
    df = _rows('PAPI,2022,Bắc Ninh,,,63,https://example.org/a,T,,"không đưa vào đánh giá",0,'
               '"NOT PUBLISHED: excluded (inaccurate survey data); explains gap"',
               'PAPI,2022,Bắc Ninh,,,63,https://example.org/a,T,,x,0,no figure and no reason')
    gaps = ingest.index_gaps(df)
    assert gaps.to_dict("records")[0] | {"source_id": "-"} == {
        "index": "PAPI", "year": "2022", "province_code": "27", "units": "63", "province_name_source": "Bắc Ninh",
        "source_id": "-", "reason": "excluded (inaccurate survey data)", "locator": "không đưa vào đánh giá"}
    assert len(gaps) == 1  # an empty row without "NOT PUBLISHED:" carries nothing
    bad = _rows('PAPI,2022,Bắc Ninh (nhóm 63 tỉnh),,,34,https://example.org/a,T,,x,0,"NOT PUBLISHED: x"')
    with pytest.raises(ValueError, match="row 2: .*nhóm 63 but the units column says 34"):
        ingest.index_gaps(bad)
