"""Load and validate the sourced tables in ``data/``.

Every load validates. A bad row raises :class:`ValidationError` whose message lists each problem
as ``file:line: column 'x': reason`` (line numbers count the header as line 1). Checks that are
about the figures rather than the rows (parts that do not add up to their total, ranks that
contradict each other) never raise: :func:`data_notes` reports them for the book to show.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from . import checks
from . import provinces as pv
from . import registry as reg
from .paths import DATA
from .periods import PeriodError, period_bounds

FACT_COLUMNS = [
    "province_code", "units", "province_name_source", "metric", "level", "period", "value",
    "value_max", "is_approx", "is_derived", "source_id", "note", "locator",
]
KEY = ["province_code", "units", "metric", "level", "period", "source_id"]
SOURCE_COLUMNS = [
    "source_id", "publisher", "title", "url", "date_published", "date_accessed", "language", "kind", "note",
    "tier",  # how close to the publisher (reconcile.TIERS), computed by ingest
    "route", "licence",
]
METRIC_COLUMNS = ["metric", "unit", "pillar", "label_en", "label_vi", "description", "higher_is_better"]
#: data/not_published.csv: a province an index edition left out, as a source says (a known gap, not a figure)
GAP_COLUMNS = ["index", "year", "province_code", "units", "province_name_source", "source_id", "reason", "locator"]
#: index code (as collectors write it) → (score metric, rank metric or None), from the registry
#: (data/indices.csv, :mod:`reformbook.registry`); kept for callers that want the plain mapping
INDEX_METRICS = reg.default().pairs()
LEVELS = {"all", "province", "district", "commune", "other"}
UNITS = {"count", "pct", "rank", "points", "ratio", "places", "pp"}
#: the kinds of source document (sources.csv ``kind``), in the order pages list them
KINDS = ("seed", "news", "government", "publisher", "dataset")
#: source tiers, best first (the order reconcile.py prefers them in)
TIERS = ["publisher_table", "publisher_announcement", "national", "provincial", "compilation", "translation"]


class ValidationError(ValueError):
    def __init__(self, problems: list[str]):
        self.problems = problems
        shown = problems[:50]
        more = f"\n… and {len(problems) - 50} more" if len(problems) > 50 else ""
        super().__init__(f"{len(problems)} problem(s) in data/:\n" + "\n".join(shown) + more)


@dataclass
class _Problems:
    items: list

    def add(self, path: Path, line: int, column: str, reason: str) -> None:
        rel = path.relative_to(DATA.parent) if path.is_relative_to(DATA.parent) else path
        self.items.append(f"{rel}:{line}: column '{column}': {reason}")


def _read(path: Path, columns: list[str], problems: _Problems) -> pd.DataFrame:
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in columns if c not in df.columns]
    extra = [c for c in df.columns if c not in columns]
    if missing:
        problems.add(path, 1, ",".join(missing), "missing column(s)")
    if extra:
        problems.add(path, 1, ",".join(extra), "unexpected column(s); document them in data/README.md first")
    df["row_file"] = str(path)
    df["row_line"] = df.index + 2
    return df


# --------------------------------------------------------------------------- row checks
def check_sources(df: pd.DataFrame, problems: _Problems) -> None:
    for r in df.itertuples():
        path = Path(r.row_file)
        if not r.source_id:
            problems.add(path, r.row_line, "source_id", "empty")
        if r.kind not in KINDS:
            problems.add(path, r.row_line, "kind", f"{r.kind!r} is not one of {sorted(KINDS)}")
        if r.kind != "seed" and not r.url:
            problems.add(path, r.row_line, "url", "empty (only seed articles may lack a URL)")
        if not r.date_accessed:
            problems.add(path, r.row_line, "date_accessed", "empty")
        if r.tier not in TIERS:
            problems.add(path, r.row_line, "tier", f"{r.tier!r} is not one of {TIERS}")
    for r in df[df.source_id.duplicated(keep="first")].itertuples():
        problems.add(Path(r.row_file), r.row_line, "source_id", f"duplicate id {r.source_id!r}")


def check_metrics(df: pd.DataFrame, problems: _Problems) -> None:
    for r in df.itertuples():
        if r.unit not in UNITS:
            problems.add(Path(r.row_file), r.row_line, "unit", f"{r.unit!r} is not one of {sorted(UNITS)}")
        suffix = {"pct": "_pct", "count": "_count", "rank": "_rank", "points": "_points",
                  "ratio": "_ratio", "places": "_places", "pp": "_pp"}.get(r.unit, "")
        if suffix and not r.metric.endswith(suffix):
            problems.add(Path(r.row_file), r.row_line, "metric", f"{r.metric!r} must end in {suffix!r} (unit {r.unit})")
        if not r.label_en.strip():
            problems.add(Path(r.row_file), r.row_line, "label_en",
                         "empty: give the English label readers see in tables and charts")


def _check_name(r, problems: _Problems) -> None:
    """The name as the source wrote it must resolve, among the row's units, to the row's code."""
    path, line = Path(r.row_file), r.row_line
    try:
        got = pv.resolve(r.province_name_source, units=r.units).code
        if got != r.province_code:
            problems.add(path, line, "province_name_source",
                         f"{r.province_name_source!r} resolves to {got}, not {r.province_code}")
    except pv.ProvinceError as exc:
        problems.add(path, line, "province_name_source", str(exc))


def check_gaps(df: pd.DataFrame, sources: pd.DataFrame, problems: _Problems, registry=None) -> None:
    known_sources = set(sources.source_id)
    codes = (registry or reg.default()).codes()
    for r in df.itertuples():
        path, line = Path(r.row_file), r.row_line
        if r.index not in codes:
            problems.add(path, line, "index", f"{r.index!r} is not one of {sorted(codes)}")
        if not re.fullmatch(r"\d{4}", r.year):
            problems.add(path, line, "year", f"{r.year!r} is not a year")
        _check_name(r, problems)
        if r.source_id not in known_sources:
            problems.add(path, line, "source_id", f"unknown source {r.source_id!r} (not in data/sources.csv)")
        if not r.reason:
            problems.add(path, line, "reason", "empty: say why the edition left the province out")


def check_facts(df: pd.DataFrame, metrics: pd.DataFrame, sources: pd.DataFrame, problems: _Problems,
                registry=None) -> None:
    unit_of = dict(zip(metrics.metric, metrics.unit))
    known_sources = set(sources.source_id)
    registry = registry or reg.default()
    index_of = {m: i for i in registry for m in i.metrics}
    for r in df.itertuples():
        path, line = Path(r.row_file), r.row_line
        if r.is_derived == "0" and checks.describes_arithmetic(r.note):
            problems.add(path, line, "is_derived",
                         f"0, but the note describes arithmetic ({r.note[:60]!r}): a worked-out value is derived, set 1")
        idx = index_of.get(r.metric)
        if idx is not None and r.province_code != pv.NATIONAL_CODE:
            if r.units not in idx.units:
                problems.add(path, line, "units", f"{idx.code} is ranked among {' and '.join(idx.units)} units "
                                                  f"(data/indices.csv), not {r.units!r}")
            if re.fullmatch(r"\d{4}", r.period) and not idx.has_edition(int(r.period)):
                problems.add(path, line, "period", f"{idx.code} has no {r.period} edition (data/indices.csv "
                                                   f"gives {idx.first}..{idx.last or ''})")
        if r.units not in pv.UNIT_SETS:
            problems.add(path, line, "units", f"{r.units!r} must be 63 or 34")
            continue
        if r.province_code == pv.NATIONAL_CODE:
            pass
        else:
            try:
                pv.name_of(r.province_code, r.units)
            except pv.ProvinceError as exc:
                problems.add(path, line, "province_code", str(exc))
            if r.province_name_source:
                _check_name(r, problems)
        try:
            start, _ = period_bounds(r.period)
            # A figure for a period wholly after 1 July 2025 describes one of the 34 units. The
            # reverse is allowed: some editions were recomputed for the new units (DTI 2024).
            if r.units == "63" and start >= pv.REORGANISATION_DATE:
                problems.add(path, line, "units",
                             f"period {r.period} starts after {pv.REORGANISATION_DATE}: use the 34 units")
        except PeriodError as exc:
            problems.add(path, line, "period", str(exc))
        if r.level not in LEVELS:
            problems.add(path, line, "level", f"{r.level!r} is not one of {sorted(LEVELS)}")
        if r.source_id not in known_sources:
            problems.add(path, line, "source_id", f"unknown source {r.source_id!r} (not in data/sources.csv)")
        for flag in ("is_approx", "is_derived"):
            if getattr(r, flag) not in ("0", "1"):
                problems.add(path, line, flag, f"must be 0 or 1, got {getattr(r, flag)!r}")
        unit = unit_of.get(r.metric)
        if unit is None:
            problems.add(path, line, "metric", f"unknown metric {r.metric!r} (add it to data/metrics.csv)")
            continue
        try:
            value = float(r.value)
        except ValueError:
            problems.add(path, line, "value", f"not a number: {r.value!r}")
            continue
        _check_value(path, line, unit, value, r, problems)
    dup = df[df.duplicated(KEY, keep="first")]
    for r in dup.itertuples():
        problems.add(Path(r.row_file), r.row_line, "source_id",
                     f"duplicate key {tuple(getattr(r, k) for k in KEY)} from the same source")


def _check_value(path, line, unit, value, r, problems) -> None:
    if unit == "pct" and not 0 <= value <= 100:
        problems.add(path, line, "value", f"percentage {value} outside 0–100")
    elif unit == "rank":
        n = pv.n_units(r.units) if r.province_code != pv.NATIONAL_CODE else 10**6
        if not (value.is_integer() and 1 <= value <= n):
            problems.add(path, line, "value", f"rank {value} outside 1–{n} for the {r.units} units")
    elif unit == "count" and not (value.is_integer() and value >= 0):
        problems.add(path, line, "value", f"count {value} is not a non-negative integer")
    elif unit == "ratio" and not 0 <= value <= 1:
        problems.add(path, line, "value", f"ratio {value} outside 0–1")
    elif unit == "places" and not value.is_integer():
        problems.add(path, line, "value", f"rank change {value} is not a whole number of places")
    elif unit == "points":
        if value < 0:
            problems.add(path, line, "value", f"score {value} is negative")
        if r.value_max:
            if value > float(r.value_max):
                problems.add(path, line, "value", f"score {value} above its maximum {r.value_max}")


# --------------------------------------------------------------------------- loading
def fact_files(root: Path = DATA) -> list[Path]:
    return sorted((root / "facts").glob("*.csv"))


def validate(root: Path = DATA) -> dict[str, pd.DataFrame]:
    """Read and check every table; raise :class:`ValidationError` listing every problem."""
    problems = _Problems([])
    sources = _read(root / "sources.csv", SOURCE_COLUMNS, problems)
    metrics = _read(root / "metrics.csv", METRIC_COLUMNS, problems)
    facts = pd.concat([_read(p, FACT_COLUMNS, problems) for p in fact_files(root)], ignore_index=True)
    gaps_path = root / "not_published.csv"
    gaps = (_read(gaps_path, GAP_COLUMNS, problems) if gaps_path.exists()
            else pd.DataFrame(columns=GAP_COLUMNS + ["row_file", "row_line"]))
    registry = None
    if not problems.items:
        check_sources(sources, problems)
        check_metrics(metrics, problems)
        try:
            registry = reg.load(root)
        except reg.RegistryError as exc:
            problems.items.extend(str(exc).splitlines()[1:])
    if not problems.items:
        check_facts(facts, metrics, sources, problems, registry)
        check_gaps(gaps, sources, problems, registry)
    if problems.items:
        raise ValidationError(problems.items)
    return {"sources": sources, "metrics": metrics, "facts": facts, "gaps": gaps}


def _catalog(catalog=None):
    from . import catalog as cat

    return catalog if catalog is not None else cat.load()


def sources(catalog=None) -> pd.DataFrame:
    return _catalog(catalog).sources()


def metrics(catalog=None) -> pd.DataFrame:
    return _catalog(catalog).metrics()


def not_published(catalog=None) -> pd.DataFrame:
    """Provinces an index edition left out, with the reason a source gives (``data/not_published.csv``)."""
    return _catalog(catalog).not_published()


def facts(province=None, metric=None, period=None, level=None, units=None, with_sources: bool = True,
          catalog=None) -> pd.DataFrame:
    """Validated facts as a DataFrame, optionally filtered; source and metric columns joined.

    ``province`` takes names or codes (resolved with :func:`reformbook.provinces.resolve`),
    ``metric``, ``period`` and ``level`` take one value or a list. ``value`` is a float; missing
    figures are simply absent (never filled). ``is_disputed`` is true where another source gives a
    value that does not agree at the published precision (:func:`reformbook.checks.agree`);
    ``step`` is the unit of the value's last published digit. ``catalog`` defaults to the
    repository's data (:func:`reformbook.catalog.load`).
    """
    return _catalog(catalog).facts(province=province, metric=metric, period=period, level=level, units=units,
                                   with_sources=with_sources)


def disputes(catalog=None) -> pd.DataFrame:
    """Every disputed figure with all its values, the preferred one and why (:mod:`reformbook.reconcile`)."""
    return _catalog(catalog).disputes


# --------------------------------------------------------------------------- data notes
NOTE_COLUMNS = ["kind", "province_code", "metric", "period", "source_id", "detail"]


def data_notes(df: pd.DataFrame | None = None, catalog=None) -> pd.DataFrame:
    """Findings about the figures, not the rows: parts ≠ published total; sources that disagree (on a
    rank, a score or another value); shared ranks; ranks out of score order (every pair)."""
    registry = reg.default() if catalog is None else catalog.registry
    df = _catalog(catalog).all_facts if df is None else df
    if "step" not in df:
        df = df.assign(step=1.0)
    notes = []
    for r in checks.parts_vs_total(df).dropna(subset=["gap"]).itertuples():
        if r.gap != 0:
            notes.append({"kind": "parts ≠ total", "province_code": r.province_code, "metric": "procedures_count",
                          "period": r.period, "source_id": r.source_id,
                          "detail": f"published levels ({r.parts}) sum to {r.parts_sum:,.0f}; published total "
                                    f"{r.total:,.0f} (difference {r.gap:+,.0f})"})
    scores, ranks = registry.score_metrics(), registry.rank_metrics()
    for r in checks.disagreements(df, scores | ranks).itertuples():
        what = "rank" if r.metric in ranks else "score" if r.metric in scores else "value"
        fmt = (lambda v: f"{v:.0f}") if what == "rank" else (lambda v: f"{v:,.10g}")
        notes.append({"kind": f"sources disagree on {what}", "province_code": r.province_code, "metric": r.metric,
                      "period": r.period, "source_id": " ".join(r.source_ids),
                      "detail": f"{what}s " + ", ".join(fmt(v) for v in r.values)
                                + ("" if r.figure_level == "all" else f" (level {r.figure_level})")})
    for r in checks.shared_ranks(df, ranks).itertuples():
        notes.append({"kind": "shared rank", "province_code": " ".join(r.codes), "metric": r.metric,
                      "period": r.period, "source_id": "", "detail": f"{len(r.codes)} provinces at rank {r.rank:.0f}"})
    for r in checks.order_breaks(df, registry.rank_to_score()).itertuples():
        notes.append({"kind": "rank out of score order", "province_code": f"{r.code_a} {r.code_b}",
                      "metric": r.rank_metric, "period": r.period,
                      "source_id": " ".join(sorted(set((r.sources_a + " " + r.sources_b).replace("|", " ").split()))),
                      "detail": f"{r.code_a} ranked {r.rank_a:.0f} with {r.score_a:,.10g}, "
                                f"{r.code_b} ranked {r.rank_b:.0f} with {r.score_b:,.10g}"
                                + ("" if r.units == "63" else f" (among the {r.units})")})
    return pd.DataFrame(notes, columns=NOTE_COLUMNS)
