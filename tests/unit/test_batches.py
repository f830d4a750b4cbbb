"""Batches describe themselves (batch.yml): each error path, the per-batch access date, the merge rule for
two batches citing one source, and the complete-table reader (publisher cited, computed rank derived)."""

import textwrap

import pandas as pd
import pytest

from reformbook import ingest
from reformbook.ingest import BatchError

ROWS = "index,year,province,score,rank,source_url,source_title,published,excerpt\n"


def make_batch(raw, name, files, accessed="2026-11-23", extra_yml="", listed=None):
    """A batch folder with the given files (name → text) and a batch.yml listing them (or ``listed``)."""
    folder = raw / name
    folder.mkdir(parents=True)
    for fname, text in files.items():
        (folder / fname).parent.mkdir(parents=True, exist_ok=True)
        (folder / fname).write_text(text, encoding="utf-8")
    listed = listed if listed is not None else {f: "index_rows" for f in files}
    lines = "".join(f"  {f}: {{read_as: {how}, holds: test rows}}\n" for f, how in listed.items())
    (folder / "batch.yml").write_text(
        f"accessed: {accessed}\ncurator: test\nroute: test pages\nlicence: test\n{extra_yml}files:\n{lines}",
        encoding="utf-8")
    return folder


def row(url, title="A page", score="90", province="Hà Nội", index="PAR", published=""):
    return f"{index},2023,{province},{score},,{url},{title},{published},x\n"


def test_a_listed_batch_is_read(tmp_path):
    make_batch(tmp_path, "b1", {"par.csv": ROWS + row("https://example.org/a")})
    got = ingest.collect(tmp_path)
    assert got["indices"].value.tolist() == [90.0]
    assert got["sources"].date_accessed.tolist() == ["2026-11-23"]


def test_unlisted_file_is_an_error_naming_it(tmp_path):
    make_batch(tmp_path, "b1", {"par.csv": ROWS, "stray.csv": ROWS}, listed={"par.csv": "index_rows"})
    with pytest.raises(BatchError, match=r"b1/stray\.csv: file not listed in .*b1/batch\.yml"):
        ingest.collect(tmp_path)


def test_unlisted_file_in_a_subfolder_is_an_error(tmp_path):
    make_batch(tmp_path, "b1", {"par.csv": ROWS, "received/par.csv": ROWS}, listed={"par.csv": "index_rows"})
    with pytest.raises(BatchError, match=r"b1/received/par\.csv: file not listed"):
        ingest.collect(tmp_path)


def test_listed_file_that_is_absent_is_an_error(tmp_path):
    make_batch(tmp_path, "b1", {"par.csv": ROWS}, listed={"par.csv": "index_rows", "gone.csv": "index_rows"})
    with pytest.raises(BatchError, match="lists 'gone.csv', which is not in the folder"):
        ingest.collect(tmp_path)


def test_batch_without_metadata_is_an_error(tmp_path):
    (tmp_path / "b1").mkdir()
    with pytest.raises(BatchError, match="b1: no batch.yml"):
        ingest.collect(tmp_path)


@pytest.mark.parametrize("accessed", ["2026-11", "23/11/2026", "2026-11-23..2026-11-24"])
def test_one_access_date_per_batch(tmp_path, accessed):
    make_batch(tmp_path, "b1", {"par.csv": ROWS}, accessed=f'"{accessed}"')
    with pytest.raises(BatchError, match="accessed must be one date YYYY-MM-DD"):
        ingest.collect(tmp_path)


def test_unknown_read_as_and_unknown_key(tmp_path):
    make_batch(tmp_path, "b1", {"par.csv": ROWS}, listed={"par.csv": "guess"})
    with pytest.raises(BatchError, match="par.csv: read_as 'guess' is not one of"):
        ingest.collect(tmp_path)
    make_batch(tmp_path, "b2", {"par.csv": ROWS}, extra_yml="colour: blue\n")
    with pytest.raises(BatchError, match=r"unknown key\(s\) \['colour'\]"):
        ingest.read_batch(tmp_path / "b2")


def test_unknown_index_names_file_and_line(tmp_path):
    make_batch(tmp_path, "b1", {"par.csv": ROWS + row("https://example.org/a") + row("https://example.org/a", index="PAPY")})
    with pytest.raises(BatchError, match=r"b1/par\.csv: row 3: unknown index 'PAPY'; add it to data/indices\.csv \(known: DTI"):
        ingest.collect(tmp_path)


def test_unknown_index_on_a_not_published_row_names_file_and_line(tmp_path):
    gap = 'PAPY,2022,Bắc Ninh,,,https://example.org/a,T,,x\n'
    header = ROWS.replace("excerpt\n", "excerpt,note\n")
    make_batch(tmp_path, "b1", {"papi.csv": header + gap.replace("x\n", 'x,"NOT PUBLISHED: left out"\n')})
    with pytest.raises(BatchError, match=r"b1/papi\.csv: row 2: unknown index 'PAPY'"):
        ingest.collect(tmp_path)


def test_each_batch_stamps_its_own_access_date(tmp_path):
    make_batch(tmp_path, "b1", {"par.csv": ROWS + row("https://example.org/a")}, accessed="2026-11-23")
    make_batch(tmp_path, "b2", {"par.csv": ROWS + row("https://example.org/b")}, accessed="2026-12-04")
    src = ingest.collect(tmp_path)["sources"].set_index("url")
    assert src.loc["https://example.org/a", "date_accessed"] == "2026-11-23"
    assert src.loc["https://example.org/b", "date_accessed"] == "2026-12-04"


@pytest.mark.parametrize("early, late", [("aaa", "zzz"), ("zzz", "aaa")])
def test_same_source_in_two_batches_earliest_access_wins_whatever_the_folder_names(tmp_path, early, late):
    make_batch(tmp_path, early, {"par.csv": ROWS + row("https://example.org/a", title="Early title")},
               accessed="2026-11-01")
    make_batch(tmp_path, late, {"par.csv": ROWS + row("https://example.org/a", title="Late title", province="Huế")},
               accessed="2026-12-04")
    src = ingest.collect(tmp_path)["sources"]
    assert len(src) == 1
    assert src.iloc[0][["title", "date_accessed"]].tolist() == ["Early title", "2026-11-01"]


@pytest.mark.parametrize("first, second", [("aaa", "zzz"), ("zzz", "aaa")])
def test_same_date_the_more_complete_row_wins_whatever_the_folder_names(tmp_path, first, second):
    make_batch(tmp_path, first, {"par.csv": ROWS + row("https://example.org/a", title="Bare")})
    make_batch(tmp_path, second, {"par.csv": ROWS + row("https://example.org/a", title="Dated", published="2024-05-01",
                                                      province="Huế")})
    src = ingest.collect(tmp_path)["sources"]
    assert src.iloc[0][["title", "date_published"]].tolist() == ["Dated", "2024-05-01"]


TABLE_YML = textwrap.dedent("""\
    accessed: 2026-12-04
    curator: test
    route: a repository
    licence: per file
    files:
      t.csv:
        read_as: index_table
        holds: a complete table
        province: province
        units: "63"
        scores:
          total: {index: PCI, value_max: 100}
        rank: {column: rank_computed, index: PCI, note: computed}
        not_published_when_blank: {column: total, index: PCI, reason: "not scored in {year}", locator: blank}
        source:
          publisher: VCCI
          title: "PCI {year}"
          kind: publisher
          url: "https://example.org/pci/{year}"
          route: "github.com/x/y @ abc, t.csv"
          licence: figures VCCI
    """)


def table_batch(raw, table, yml=TABLE_YML):
    folder = raw / "tables"
    folder.mkdir()
    (folder / "t.csv").write_text(table, encoding="utf-8")
    (folder / "batch.yml").write_text(yml, encoding="utf-8")


def test_complete_table_cites_the_publisher_with_the_route_and_flags_computed_ranks(tmp_path):
    table_batch(tmp_path, "year,province,total,rank_computed\n2020,Hà Nội,64.5,2\n2020,Huế,,\n2021,Hà Nội,65,1\n")
    got = ingest.collect(tmp_path)
    f = got["indices"].set_index(["period", "metric"])
    assert f.loc[("2020", "pci_score_points"), "value"] == 64.5 and not f.loc[("2020", "pci_score_points"), "is_derived"]
    assert f.loc[("2020", "pci_rank"), "is_derived"]  # a rank computed from the table never counts as published
    src = got["sources"].set_index("url")
    assert len(src) == 2  # one source row per edition
    assert src.loc["https://example.org/pci/2020", ["publisher", "route", "date_accessed"]].tolist() == [
        "VCCI", "github.com/x/y @ abc, t.csv", "2026-12-04"]
    gaps = got["gaps"]
    assert gaps[["index", "year", "province_code", "reason"]].values.tolist() == [["PCI", "2020", "46", "not scored in 2020"]]


def test_complete_table_unknown_index_names_file_line_and_column(tmp_path):
    table_batch(tmp_path, "year,province,total,rank_computed\n2020,Hà Nội,64.5,2\n",
                yml=TABLE_YML.replace("total: {index: PCI", "total: {index: PCY"))
    with pytest.raises(BatchError, match=r"tables/t\.csv: row 2: column total: unknown index 'PCY'"):
        ingest.collect(tmp_path)


def test_complete_table_code_must_match_the_name(tmp_path):
    yml = TABLE_YML.replace('    province: province\n', '    province: province\n    code: code\n')
    table_batch(tmp_path, "year,province,code,total,rank_computed\n2020,Hà Nội,79,64.5,2\n", yml=yml)
    with pytest.raises(BatchError, match=r"row 2: 'Hà Nội' resolves to 01, but the table says 79"):
        ingest.collect(tmp_path)


def test_index_without_a_rank_metric_stores_no_rank():
    from reformbook.data import INDEX_METRICS
    assert INDEX_METRICS["PAPI_PROCEDURES"] == ("papi_procedures_score_points", None)
    df = pd.DataFrame([{"index": "PAPI_PROCEDURES", "year": "2020", "province": "Hà Nội", "score": "7.1", "rank": "3",
                        "source_url": "https://example.org/a", "excerpt": "x"}])
    with pytest.raises(ValueError, match="PAPI_PROCEDURES has no rank metric"):  # a rank is never dropped silently
        ingest.index_facts(df)
    assert ingest.index_facts(df.assign(rank="")).metric.tolist() == ["papi_procedures_score_points"]
