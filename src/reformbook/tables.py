"""The reader table: what every page shows instead of a pandas dump.

Province names (never codes), metric labels in English with the Vietnamese term, whole numbers for
ranks and counts with thousands separators, percentages and scores at the published precision, "—"
for a missing figure, and a symbol (explained in a legend under the table) for a disputed, derived
or approximate figure. No index column and no truncation.

:func:`reader` returns a :class:`Table` that renders as a plain HTML table (``<caption>``,
``<th scope>``), with a CSV download link beside it. Long tables get sort and filter controls from
``_static/reader-tables.js`` (plain JavaScript, no library: a few dozen lines do what a table
library would, without adding its weight to every page). :func:`fingerprint` prints the same data
as plain text for nbval, in a cell the HTML leaves out.

Everything here is a pure function of its arguments.
"""

from __future__ import annotations

import base64
import html
import math
import re
from dataclasses import dataclass, field
from typing import Callable, Iterable

import pandas as pd

from .registry import bilingual

#: kinds of column: how a value is written
NUMERIC_KINDS = {"int", "count", "rank", "change", "pct", "score", "ratio", "number", "year"}
KINDS = NUMERIC_KINDS | {"text", "link", "date"}
MISSING = "—"
#: tables with more rows than this get the filter box
FILTER_MIN_ROWS = 10


class TableError(ValueError):
    pass


@dataclass(frozen=True)
class Col:
    """One column as readers see it: ``key`` in the frame, header ``label``, and how to write it.

    ``decimals`` is the most decimals a ``pct``/``score``/``ratio``/``number`` shows (trailing
    zeros dropped, so a figure keeps the precision it was published with). For ``link``, the URL
    is read from ``url_key``."""

    key: str
    label: str
    kind: str = "text"
    decimals: int = 2
    url_key: str | None = None

    def __post_init__(self):
        if self.kind not in KINDS:
            raise TableError(f"column {self.key!r}: kind {self.kind!r} is not one of {sorted(KINDS)}")


@dataclass(frozen=True)
class Mark:
    """A symbol put after the values of column ``column`` where ``flag`` is true, explained once
    under the table. ``flag`` is a boolean column of the frame or a function of the frame."""

    column: str
    flag: str | Callable[[pd.DataFrame], pd.Series]
    symbol: str
    meaning: str


@dataclass
class Table:
    """A rendered reader table. ``html`` for the page, ``csv`` for the download, ``text`` for nbval."""

    html: str
    csv: str
    text: str
    n_rows: int
    legend: list[str] = field(default_factory=list)

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:  # the text/plain fallback of the HTML output
        return self.text


# --------------------------------------------------------------------------- values
def _missing(v) -> bool:
    if v is None or v is pd.NA or v is pd.NaT:
        return True
    if isinstance(v, float) and math.isnan(v):
        return True
    return isinstance(v, str) and v.strip() == ""


def _trim(text: str) -> str:
    return text.rstrip("0").rstrip(".") if "." in text else text


def fmt(value, kind: str = "text", decimals: int = 2) -> str:
    """One value as a reader sees it.

    >>> fmt(9.0, "rank"), fmt(1400000.0, "count"), fmt(99.840, "pct"), fmt(float("nan"), "pct")
    ('9', '1,400,000', '99.84', '—')
    >>> fmt(3.0, "change"), fmt(-2.0, "change"), fmt(0.0, "change"), fmt(0.61234, "ratio", 4), fmt(2024, "year")
    ('+3', '−2', '0', '0.6123', '2024')
    """
    if kind not in KINDS:
        raise TableError(f"kind {kind!r} is not one of {sorted(KINDS)}")
    if _missing(value):
        return MISSING
    if kind in ("text", "link", "date"):
        return str(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    v = float(value)
    if kind == "year":
        return f"{int(v)}"
    if kind in ("int", "count", "rank"):
        if not v.is_integer():
            raise TableError(f"{kind} value {value!r} is not a whole number")
        return f"{int(v):,}"
    if kind == "change":
        if v == 0:
            return "0"
        return f"{'+' if v > 0 else '−'}{abs(v):,.0f}"
    return _trim(f"{v:,.{decimals}f}")


def metric_label(metric: str, metrics: pd.DataFrame) -> str:
    """'English label (Vietnamese term)' for a metric id, from the metrics table.

    >>> m = pd.DataFrame({"metric": ["dti_rank"], "label_en": ["DTI rank"], "label_vi": ["Xếp hạng DTI"]})
    >>> metric_label("dti_rank", m)
    'DTI rank (Xếp hạng DTI)'
    """
    row = metrics.loc[metrics.metric == metric]
    if row.empty:
        raise TableError(f"unknown metric {metric!r}; add it to data/metrics.csv")
    return bilingual(row.label_en.iloc[0], row.label_vi.iloc[0] if "label_vi" in row else "")


def metric_labels(metrics: pd.DataFrame) -> dict[str, str]:
    return {m: metric_label(m, metrics) for m in metrics.metric}


def short_source(publisher: str, date: str) -> str:
    """'Publisher, date' for a table cell (a source id is never shown to readers)."""
    return f"{publisher}, {date}" if date else publisher


# --------------------------------------------------------------------------- the table
def _flags(df: pd.DataFrame, mark: Mark) -> pd.Series:
    s = mark.flag(df) if callable(mark.flag) else df[mark.flag]
    return pd.Series(s, index=df.index).fillna(False).astype(bool)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "table"


def to_csv(df: pd.DataFrame, cols: list[Col], marks: Iterable[Mark] = ()) -> str:
    """The table as CSV: the headers readers see, values unformatted (full precision), a column per
    mark (1 = marked), URLs beside link texts."""
    out = pd.DataFrame(index=df.index)
    for c in cols:
        out[c.label] = df[c.key]
        if c.kind == "link" and c.url_key:
            out[f"{c.label} (URL)"] = df[c.url_key]
    for m in marks:
        out[f"{m.symbol} {m.meaning}"] = _flags(df, m).astype(int)
    return out.to_csv(index=False, lineterminator="\n")


def to_text(df: pd.DataFrame, cols: list[Col], marks: Iterable[Mark] = ()) -> str:
    """Plain-text rendering (every row, every column) for nbval to compare."""
    marks = list(marks)
    rows = {c.label: [fmt(v, c.kind, c.decimals) for v in df[c.key]] for c in cols}
    for m in marks:
        rows[m.symbol] = ["1" if f else "" for f in _flags(df, m)]
    with pd.option_context("display.max_rows", None, "display.max_columns", None, "display.width", 10_000,
                           "display.max_colwidth", None):
        return pd.DataFrame(rows).to_string(index=False)


def reader(df: pd.DataFrame, cols: list[Col], caption: str, marks: Iterable[Mark] = (), name: str | None = None,
           empty: str | None = None, row_header: bool = True, notes: Iterable[str] = ()) -> Table:
    """Render ``df`` for readers: the columns ``cols`` in that order, under ``caption``.

    ``marks`` add a symbol to flagged cells and a line to the legend (only marks that occur are
    explained). ``empty`` is the sentence shown when the frame has no rows. The first column is the
    row header unless ``row_header`` is false. ``notes`` are extra legend lines."""
    marks = list(marks)
    name = name or _slug(caption)
    if df.empty:  # an honest sentence, whatever columns an empty frame happens to have
        sentence = empty or "No figures are held for this table."
        body = f'<div class="reader-table reader-table-empty"><p>{html.escape(sentence)}</p></div>'
        return Table(body, "", sentence, 0)
    missing = [c.key for c in cols if c.key not in df.columns] + [
        m.flag for m in marks if isinstance(m.flag, str) and m.flag not in df.columns]
    if missing:
        raise TableError(f"columns {missing} not in the frame; it has {list(df.columns)}")
    unknown = [m.column for m in marks if m.column not in {c.key for c in cols}]
    if unknown:
        raise TableError(f"marks on columns {unknown} that the table does not show")
    df = df.reset_index(drop=True)
    flags = {id(m): _flags(df, m) for m in marks}
    used = [m for m in marks if flags[id(m)].any()]

    num = ' class="rt-num"'
    head = "".join(
        f'<th scope="col"{num if c.kind in NUMERIC_KINDS else ""} data-kind="{c.kind}">'
        f"{html.escape(c.label)}</th>" for c in cols)
    body_rows = []
    for i, row in df.iterrows():
        cells = []
        for j, c in enumerate(cols):
            v = row[c.key]
            text = html.escape(fmt(v, c.kind, c.decimals))
            if c.kind == "link" and c.url_key and not _missing(row[c.url_key]) and not _missing(v):
                text = f'<a href="{html.escape(str(row[c.url_key]), quote=True)}">{text}</a>'
            for m in marks:
                if m.column == c.key and flags[id(m)][i]:
                    text += f'<span class="rt-mark" title="{html.escape(m.meaning, quote=True)}">{html.escape(m.symbol)}</span>'
            sort = "" if c.kind not in NUMERIC_KINDS or _missing(v) else f' data-sort="{float(v)!r}"'
            cls = ' class="rt-num"' if c.kind in NUMERIC_KINDS else ' class="rt-date"' if c.kind == "date" else ""
            if j == 0 and row_header:
                cells.append(f'<th scope="row"{cls}{sort}>{text}</th>')
            else:
                cells.append(f"<td{cls}{sort}>{text}</td>")
        body_rows.append("<tr>" + "".join(cells) + "</tr>")

    legend = list(dict.fromkeys(f"{m.symbol} {m.meaning}" for m in used)) + list(notes)
    if any(fmt(row[c.key], c.kind) == MISSING for _, row in df.iterrows() for c in cols):
        legend.insert(0, f"{MISSING} not held (no source publishes it, or sources disagree)")
    csv = to_csv(df, cols, marks)
    href = "data:text/csv;charset=utf-8;base64," + base64.b64encode(("\ufeff" + csv).encode("utf-8")).decode("ascii")
    sortable = ' data-sortable="1"' if len(df) > 3 else ""
    filterable = ' data-filter="1"' if len(df) > FILTER_MIN_ROWS else ""
    out = (
        f'<div class="reader-table" id="rt-{name}">'
        f'<div class="rt-tools"><a class="rt-csv" download="{name}.csv" href="{href}">'
        f'Download CSV<span class="rt-sr"> of {html.escape(caption)}</span></a></div>'
        f'<p class="rt-title" aria-hidden="true">{html.escape(caption)}</p>'
        f'<div class="rt-scroll" role="region" tabindex="0" aria-label="{html.escape(caption, quote=True)}">'
        f'<table class="rt"{sortable}{filterable}><caption class="rt-sr">{html.escape(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body_rows)}</tbody></table></div>"
        + (f'<p class="rt-legend">{" · ".join(html.escape(x) for x in legend)}</p>' if legend else "")
        + "</div>")
    return Table(out, csv, to_text(df, cols, marks), len(df), legend)


def fingerprint(df: pd.DataFrame, columns=None, decimals: int = 2) -> None:
    """Print the numbers behind a chart or table, sorted and rounded, for nbval to compare."""
    out = df if columns is None else df[list(columns)]
    out = out.sort_values(list(out.columns[: min(3, len(out.columns))])).round(decimals)
    with pd.option_context("display.max_rows", 500, "display.max_columns", 50, "display.width", 200):
        print(out.to_string(index=False, na_rep="—"))


def sources(src: pd.DataFrame, caption: str = "Sources behind this page", name: str = "sources",
            empty: str = "No source documents are behind this page.") -> Table:
    """The Sources table of a page: publisher, title (a link), date; every row in full."""
    cols = [Col("publisher", "Publisher"), Col("title", "Title", "link", url_key="url"),
            Col("date_published", "Published", "date"), Col("kind_label", "Kind")]
    src = src.assign(kind_label=src["kind"].map(SOURCE_KINDS).fillna(src["kind"]) if "kind" in src else "")
    return reader(src.sort_values(["publisher", "date_published", "title"]), cols, caption, name=name, empty=empty,
                  marks=[Mark("title", lambda d: d.url.map(_missing), "°", "no web address found for this article")])


SOURCE_KINDS = {"seed": "seed article", "news": "news", "government": "government", "publisher": "index publisher",
                "dataset": "compiled dataset"}


class Html(str):
    """A piece of HTML a cell shows as such (e.g. the claim cards)."""

    def _repr_html_(self) -> str:
        return str(self)


# --------------------------------------------------------------------------- the book's tables
# One function per table the pages show: which columns, in what words, with which marks. Each takes
# the frame a metrics function returns and, where sources are named, the sources table.
APPROX = "≈"
APPROX_MEANING = "rests on a rounded figure (\"hơn\", \"gần\": more than, nearly)"
DISPUTED = "*"
DISPUTED_MEANING = "sources disagree, so no single figure is shown (see the data notes on the Sources page)"
PREFERRED = "‡"
PREFERRED_MEANING = ("sources disagree; the value shown is the one preferred by the book's written rule "
                     "(the \"Where sources disagree\" page lists every value and why)")
DERIVED = "†"
DERIVED_MEANING = "derived: no source prints this rank; it is read off a listed order or worked out from a stated change"
LEVEL_LABELS = {"province": "province (cấp tỉnh)", "district": "district (cấp huyện)", "commune": "commune (cấp xã)",
                "other": "other agencies (cơ quan khác)", "all": "total (tổng)"}


def _publishers(ids, src: pd.DataFrame) -> list[str]:
    pub = dict(zip(src.source_id, src.publisher))
    date = dict(zip(src.source_id, src.date_published))
    out = []
    for i in ids:
        parts = i if isinstance(i, (list, tuple, set)) else str(i).split()
        out.append("; ".join(short_source(pub.get(p, p), date.get(p, "")) for p in parts))
    return out


def procedures(t: pd.DataFrame, src: pd.DataFrame, empty: str) -> Table:
    t = t.assign(level_label=t.level.map(LEVEL_LABELS), source=_publishers(t.source_id, src)) if len(t) else t
    return reader(t, [Col("province", "Province"), Col("period", "Date", "date"), Col("level_label", "Level"),
                      Col("procedures", "Procedures", "count"), Col("share_pct", "Share of total, %", "pct", 1),
                      Col("total_published", "Published total", "count"),
                      Col("parts_gap", "Total minus the levels", "change"), Col("source", "Source")],
                  "Procedures by level, as published", name="procedures", empty=empty)


DOSSIER_COLUMNS = [
    ("dossiers_received_count", "Received", "count"), ("dossiers_resolved_count", "Resolved", "count"),
    ("dossiers_on_time_count", "On time", "count"), ("dossiers_late_count", "Late", "count"),
    ("dossiers_pending_count", "Pending", "count"), ("online_dossiers_count", "Online", "count"),
    ("on_time_rate_pct", "On time, % (published)", "pct"), ("on_time_rate_computed_pct", "On time, % (computed)", "pct"),
    ("late_rate_pct", "Late, % (published)", "pct"), ("late_rate_computed_pct", "Late, % (computed)", "pct"),
    ("online_rate_pct", "Online, % (published)", "pct"), ("online_rate_computed_pct", "Online, % (computed)", "pct"),
]


def dossiers(flows: pd.DataFrame, src: pd.DataFrame, empty: str) -> Table:
    f = flows.assign(source=_publishers(flows.source_id, src)) if len(flows) else flows
    cols = [Col("province", "Province"), Col("period", "Period", "date")] + [
        Col(k, label, kind) for k, label, kind in DOSSIER_COLUMNS] + [Col("source", "Source")]
    return reader(f, cols, "Dossiers: counts and rates, published and computed", name="dossiers", empty=empty,
                  marks=[Mark("province", "is_approx", APPROX, APPROX_MEANING)],
                  notes=["computed rates: on time and late as % of resolved, online as % of received"])


def _score_kind(score_metric: str) -> tuple[str, int]:
    return ("ratio", 4) if score_metric.endswith("_ratio") else ("pct" if score_metric.endswith("_pct") else "score", 2)


def rankings(chosen: pd.DataFrame, score_metric: str, n_units: int = 63, empty: str = "") -> Table:
    kind, dec = _score_kind(score_metric)
    unit = {"ratio": "0–1", "pct": "%", "score": "points"}[kind]
    # where sources disagree, the preferred value by the book's rule is shown, and marked
    score, rank, change = (("score_preferred", "rank_preferred", "rank_change_preferred")
                           if "score_preferred" in chosen else ("score", "rank", "rank_change"))
    cols = [Col("province", "Province"), Col("year", "Edition", "year"), Col(score, f"Score ({unit})", kind, dec),
            Col(rank, f"Rank (of {n_units})", "rank"), Col(change, "Change (places up)", "change"),
            Col("n_sources", "Sources", "count")]
    marks = [Mark(score, lambda d: d.disputed & d[score].isna(), DISPUTED, DISPUTED_MEANING),
             Mark(rank, lambda d: d.disputed & d[rank].isna(), DISPUTED, DISPUTED_MEANING),
             Mark(rank, "rank_derived", DERIVED, DERIVED_MEANING)]
    if score == "score_preferred":
        marks += [Mark(score, "score_is_preferred", PREFERRED, PREFERRED_MEANING),
                  Mark(rank, "rank_is_preferred", PREFERRED, PREFERRED_MEANING)]
    return reader(chosen, cols, "Score, rank and change for the highlighted provinces", name="rankings",
                  marks=marks, empty=empty or "No score or rank is held for the highlighted provinces.")


def national_mean(mean: pd.DataFrame, label: str) -> Table:
    return reader(mean, [Col("year", "Edition", "year"), Col("value", "National average, %", "pct")],
                  "National average, where published", name="national-mean", row_header=True)


def figures_held(t: pd.DataFrame, src: pd.DataFrame, caption: str, name: str, empty: str) -> Table:
    """Published counts as listed figures: province, date, what (English and Vietnamese), value, source."""
    if len(t):
        label = [f"{en} ({vi})" if isinstance(vi, str) and vi else en for en, vi in zip(t.label_en, t.label_vi)]
        t = t.assign(label=label, source=_publishers(t.source_id, src))
    return reader(t, [Col("province_name", "Province"), Col("period", "Date", "date"), Col("label", "Figure"),
                      Col("value", "Value", "number", 2), Col("source", "Source")], caption, name=name, empty=empty,
                  marks=[Mark("value", "is_approx", APPROX, APPROX_MEANING)])


def ranked_twice(t: pd.DataFrame, score_metric: str, empty: str) -> Table:
    kind, dec = _score_kind(score_metric)
    return reader(t, [Col("new_unit", "New unit (of 34)"), Col("rank_34", "Rank of 34", "rank"),
                      Col("score_34", "Score, among the 34", kind, dec), Col("old_province", "Old province (of 63)"),
                      Col("rank_63", "Rank of 63", "rank"), Col("score_63", "Score, among the 63", kind, dec)],
                  "Each old province beside the new unit it became part of", name="ranked-twice", empty=empty)


def coverage(cov: pd.DataFrame) -> Table:
    return reader(cov, [Col("index", "Index"), Col("year", "Edition", "year"), Col("target", "Target", "count"),
                        Col("with_score", "With a score", "count"), Col("with_rank", "With a rank", "count"),
                        Col("with_rank_stated", "Rank printed as such", "count"),
                        Col("not_published", "Left out by the edition", "count"), Col("missing", "Missing", "count")],
                  "Provinces held per index and edition", name="coverage")


def coverage_gaps(cov: pd.DataFrame) -> Table:
    gaps = cov[(cov.missing > 0) | (cov.not_published > 0)]
    return reader(gaps, [Col("index", "Index"), Col("year", "Edition", "year"), Col("missing", "Missing", "count"),
                         Col("missing_provinces", "Missing provinces"),
                         Col("not_published_provinces", "Left out by the edition")],
                  "Which provinces are missing, per index and edition", name="coverage-gaps",
                  empty="Every index and edition is complete.")


def data_notes(notes: pd.DataFrame, names: dict[str, str], labels: dict[str, str], src: pd.DataFrame) -> Table:
    if len(notes):
        notes = notes.assign(
            provinces=[", ".join(names.get(c, c) for c in str(codes).split()) for codes in notes.province_code],
            figure=notes.metric.map(lambda m: labels.get(m, m)),
            detail=[re.sub(r"\b(\d{2})(?= ranked)", lambda m: names.get(m.group(1), m.group(1)), d) for d in notes.detail],
            sources=[s if s else "" for s in _publishers(notes.source_id, src)])
    return reader(notes, [Col("kind", "Finding"), Col("provinces", "Province(s)"), Col("figure", "Figure"),
                          Col("period", "Period", "date"), Col("detail", "Detail"), Col("sources", "Sources")],
                  "Data notes: findings about the figures", name="data-notes", row_header=False,
                  empty="Validation reports no findings.")


def registry(src: pd.DataFrame) -> Table:
    """The whole source registry: every document, title in full, each a link."""
    s = src.assign(kind_label=src["kind"].map(SOURCE_KINDS).fillna(src["kind"]))
    return reader(s.sort_values(["publisher", "date_published", "title"]),
                  [Col("publisher", "Publisher"), Col("title", "Title", "link", url_key="url"),
                   Col("date_published", "Published", "date"), Col("kind_label", "Kind"),
                   Col("language", "Language"), Col("date_accessed", "Consulted", "date"),
                   Col("source_id", "Id")],
                  "Source registry: every document the figures come from", name="source-registry",
                  marks=[Mark("title", lambda d: d.url.map(_missing), "°", "no web address found for this article")],
                  empty="No sources of these kinds.")


# --------------------------------------------------------------------------- province profiles
def profile_standings(st: pd.DataFrame, n_units: int, name: str, empty: str) -> Table:
    """A profile's score and rank in each index and edition held, with how many units the edition's
    field holds (scores at up to four decimals: indices publish 0–1 ratios, % and points)."""
    t = st.assign(short=st.label_en) if len(st) else st
    marks = [Mark("score", "score_is_preferred", PREFERRED, PREFERRED_MEANING),
             Mark("rank", "rank_is_preferred", PREFERRED, PREFERRED_MEANING),
             Mark("rank", lambda d: d.disputed & d["rank"].isna(), DISPUTED, DISPUTED_MEANING),
             Mark("rank", "rank_derived", DERIVED, DERIVED_MEANING)]
    return reader(t, [Col("short", "Index"), Col("year", "Edition", "year"), Col("score", "Score", "score", 4),
                      Col("rank", f"Rank (of {n_units})", "rank"), Col("n_ranked", "Units ranked (held)", "count"),
                      Col("n_scored", "Units with a score (held)", "count")],
                  f"{name}: score and rank in every index and edition held", name="standings", marks=marks,
                  empty=empty)


def papi_dimensions(st: pd.DataFrame, name: str, empty: str) -> Table:
    """PAPI's dimension scores for one province, one row per dimension, one column per edition."""
    d = st[st.parent == "PAPI"] if len(st) else st
    if d.empty:
        return reader(d, [Col("label", "Dimension")], f"{name}: PAPI dimensions", name="papi-dimensions",
                      empty=empty)
    wide = d.pivot_table(index="label", columns="year", values="score", aggfunc="first")
    order = list(dict.fromkeys(d.label))
    wide = wide.loc[order].reset_index()
    wide.columns = [str(c) for c in wide.columns]
    years = [c for c in wide.columns if c != "label"]
    return reader(wide, [Col("label", "Dimension (points, 1–10)")] + [Col(y, y, "score", 2) for y in years],
                  f"{name}: PAPI dimension scores by edition", name="papi-dimensions")


def profile_coverage(cov: pd.DataFrame, name: str) -> Table:
    cov = cov.assign(**{c: cov[c].replace("", "none") for c in ("held", "left_out", "missing")})
    return reader(cov, [Col("label_en", "Index"), Col("held", "Editions held"),
                        Col("left_out", "Left out by the edition"), Col("missing", "Missing (not found)")],
                  f"{name}: what is held and what is missing, {min(_cov_years())}–{max(_cov_years())}",
                  name="profile-coverage")


def _cov_years():
    from .metrics import COVERAGE_YEARS

    return COVERAGE_YEARS


def provinces_index(rows: pd.DataFrame, indices: list[str], labels: dict[str, str], caption: str, name: str) -> Table:
    """The provinces index: each unit (a link to its profile) and its latest rank held in each index."""
    t = rows.assign(url=rows.slug + ".html")
    cols = [Col("province", "Province", "link", url_key="url")]
    for i in indices:
        if f"{i}_rank" in t:
            cols += [Col(f"{i}_rank", f"{labels[i]}: rank", "rank"), Col(f"{i}_year", "edition", "year")]
    return reader(t, cols, caption, name=name)
