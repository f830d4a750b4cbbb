"""The reader table on five-row frames: formats, marks and legend, empty frames, bad input."""

import base64
import re

import numpy as np
import pandas as pd
import pytest

from reformbook import tables
from reformbook.tables import Col, Mark, TableError, fmt, reader

FIVE = pd.DataFrame({
    "province": ["Hà Nội", "TP. Hồ Chí Minh", "Đà Nẵng", "Huế", "Bắc Kạn"],
    "year": [2022, 2022, 2023, 2023, 2024],
    "rank": [9.0, np.nan, 1.0, 63.0, 12.0],
    "count": [1400000.0, 32.0, np.nan, 0.0, 1234.0],
    "pct": [99.84, 95.5, 100.0, np.nan, 0.16],
    "disputed": [False, True, False, False, False],
    "derived": [False, False, False, True, False],
})
COLS = [Col("province", "Province"), Col("year", "Edition", "year"), Col("rank", "Rank (of 63)", "rank"),
        Col("count", "Dossiers", "count"), Col("pct", "On time, %", "pct")]
MARKS = [Mark("rank", lambda d: d.disputed & d["rank"].isna(), "*", "sources disagree"),
         Mark("rank", "derived", "†", "derived rank")]


@pytest.mark.parametrize("value,kind,decimals,expected", [
    (9.0, "rank", 2, "9"), (1400000.0, "count", 2, "1,400,000"), (99.840, "pct", 2, "99.84"),
    (100.0, "pct", 2, "100"), (0.16, "pct", 2, "0.16"), (82.7, "pct", 2, "82.7"), (np.nan, "count", 2, "—"),
    (None, "text", 2, "—"), ("", "text", 2, "—"), (-3.0, "change", 2, "−3"), (7.0, "change", 2, "+7"),
    (0.61234, "ratio", 4, "0.6123"), (2024, "year", 2, "2024"), (True, "int", 2, "yes"),
])
def test_fmt(value, kind, decimals, expected):
    assert fmt(value, kind, decimals) == expected


def test_fmt_refuses_a_fractional_rank_and_an_unknown_kind():
    with pytest.raises(TableError, match="rank value 2.5 is not a whole number"):
        fmt(2.5, "rank")
    with pytest.raises(TableError, match="kind 'money' is not one of"):
        fmt(1, "money")
    with pytest.raises(TableError, match="kind 'money'"):
        Col("x", "X", "money")


def test_reader_html_is_an_accessible_table_with_every_row():
    t = reader(FIVE, COLS, "Five provinces", marks=MARKS)
    h = t.html
    assert "<caption class=\"rt-sr\">Five provinces</caption>" in h  # for screen readers; shown above the box
    assert h.count('<th scope="col"') == 5 and h.count('<th scope="row"') == 5
    assert "Bắc Kạn" in h and "TP. Hồ Chí Minh" in h  # names with diacritics, every row
    assert "1,400,000" in h and ">9<" in h and "9.0" not in re.sub(r'data-sort="[^"]*"', "", h)
    assert ">2022<" in h and "2,022" not in h
    assert "<th></th>" not in h and ">0</th>" not in h  # no index column
    assert t.n_rows == 5


def test_marks_and_legend_explain_only_what_occurs():
    t = reader(FIVE, COLS, "Five provinces", marks=MARKS + [Mark("pct", lambda d: d.pct > 200, "‡", "never")])
    assert "—<span class=\"rt-mark\" title=\"sources disagree\">*</span>" in t.html
    assert "63<span class=\"rt-mark\" title=\"derived rank\">†</span>" in t.html
    assert t.legend == ["— not held (no source publishes it, or sources disagree)", "* sources disagree", "† derived rank"]
    assert "‡" not in t.html


def test_csv_download_carries_full_precision_and_marks():
    t = reader(FIVE, COLS, "Five provinces", marks=MARKS, name="five")
    href = re.search(r'href="data:text/csv;charset=utf-8;base64,([^"]+)"', t.html).group(1)
    csv = base64.b64decode(href).decode("utf-8").lstrip("\ufeff")
    assert csv.splitlines()[0] == "Province,Edition,Rank (of 63),Dossiers,\"On time, %\",* sources disagree,† derived rank"
    assert "Hà Nội,2022,9.0,1400000.0,99.84,0,0" in csv
    assert 'download="five.csv"' in t.html


def test_plain_text_fingerprint_has_every_row_and_column():
    text = reader(FIVE, COLS, "Five provinces", marks=MARKS).text
    assert len(text.splitlines()) == 6
    assert "1,400,000" in text and "Bắc Kạn" in text


def test_long_tables_get_filter_and_sort_short_ones_do_not_filter():
    assert 'data-filter="1"' not in reader(FIVE, COLS, "x").html
    assert 'data-sortable="1"' in reader(FIVE, COLS, "x").html
    long = pd.concat([FIVE] * 3, ignore_index=True)
    assert 'data-filter="1"' in reader(long, COLS, "x").html


def test_empty_frame_gives_a_sentence():
    t = reader(FIVE.iloc[0:0], COLS, "x", empty="No figures are held for Lai Châu.")
    assert "No figures are held for Lai Châu." in t.html and "<table" not in t.html
    assert reader(pd.DataFrame(), COLS, "x", empty="none").text == "none"


def test_bad_columns_and_marks_are_named():
    with pytest.raises(TableError, match=r"columns \['nope'\] not in the frame"):
        reader(FIVE, [Col("nope", "Nope")], "x")
    with pytest.raises(TableError, match=r"marks on columns \['count'\] that the table does not show"):
        reader(FIVE, COLS[:2], "x", marks=[Mark("count", "derived", "†", "d")])


def test_html_is_escaped_and_links_are_links():
    df = pd.DataFrame({"title": ["<b>A & B</b>", "No URL"], "url": ["https://example.org/?a=1&b=2", ""]})
    h = reader(df, [Col("title", "Title", "link", url_key="url")], "Links", row_header=False).html
    assert '<a href="https://example.org/?a=1&amp;b=2">&lt;b&gt;A &amp; B&lt;/b&gt;</a>' in h
    assert "<td>No URL</td>" in h


def test_metric_label_joins_english_and_vietnamese():
    m = pd.DataFrame({"metric": ["a_count", "b_count"], "label_en": ["Dossiers", "Tasks"], "label_vi": ["Hồ sơ", ""]})
    assert tables.metric_labels(m) == {"a_count": "Dossiers (Hồ sơ)", "b_count": "Tasks"}
    with pytest.raises(TableError, match="unknown metric 'c_count'"):
        tables.metric_label("c_count", m)


def test_rankings_table_marks_disputed_and_derived():
    chosen = pd.DataFrame({"province": ["Hà Nội"] * 2, "year": [2022, 2023], "score": [np.nan, 0.61],
                           "rank": [np.nan, 4.0], "rank_change": [np.nan, 3.0], "disputed": [True, False],
                           "rank_derived": [False, True], "n_sources": [5, 1]})
    t = tables.rankings(chosen, "dti_score_ratio")
    assert "Score (0–1)" in t.html and "+3" in t.html
    assert [x[0] for x in t.legend] == ["—", "*", "†"]


def test_every_source_kind_has_a_reader_label():
    from reformbook import data, tables
    assert set(tables.SOURCE_KINDS) == set(data.KINDS)
