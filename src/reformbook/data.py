"""Load and validate the sourced tables in ``data/``.

Every load validates. A bad row raises :class:`ValidationError` whose message lists each problem
as ``file:line: column 'x': reason`` (line numbers count the header as line 1). Checks that are
about the figures rather than the rows (parts that do not add up to their total, ranks that
contradict each other) never raise: :func:`data_notes` reports them for the book to show.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from . import provinces as pv
from .paths import DATA
from .periods import PeriodError, period_bounds

FACT_COLUMNS = [
    "province_code", "units", "province_name_source", "metric", "level", "period", "value",
    "value_max", "is_approx", "is_derived", "source_id", "note", "locator",
]
KEY = ["province_code", "units", "metric", "level", "period", "source_id"]
SOURCE_COLUMNS = [
    "source_id", "publisher", "title", "url", "date_published", "date_accessed", "language", "kind", "note",
]
METRIC_COLUMNS = ["metric", "unit", "pillar", "label_en", "label_vi", "description", "higher_is_better"]
#: data/not_published.csv: a province an index edition left out, as a source says (a known gap, not a figure)
GAP_COLUMNS = ["index", "year", "province_code", "units", "province_name_source", "source_id", "reason", "locator"]
#: index code (as collectors write it) → (score metric, rank metric)
INDEX_METRICS = {
    "PAR": ("par_index_score_pct", "par_index_rank"),
    "SIPAS": ("sipas_score_pct", "sipas_rank"),
    "DTI": ("dti_score_ratio", "dti_rank"),
    "DTI_GOV": ("dti_gov_score_ratio", "dti_gov_rank"),
    "DTI_ECON": ("dti_econ_score_ratio", "dti_econ_rank"),
    "DTI_SOC": ("dti_soc_score_ratio", "dti_soc_rank"),
    "PCI": ("pci_score_points", "pci_rank"),
    "PAPI": ("papi_score_points", "papi_rank"),
    "PAPI_EGOV": ("papi_egov_score_points", "papi_egov_rank"),
}
LEVELS = {"all", "province", "district", "commune", "other"}
UNITS = {"count", "pct", "rank", "points", "ratio", "places", "pp"}
KINDS = {"seed", "news", "government", "publisher", "dataset"}


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


def check_gaps(df: pd.DataFrame, sources: pd.DataFrame, problems: _Problems) -> None:
    known_sources = set(sources.source_id)
    for r in df.itertuples():
        path, line = Path(r.row_file), r.row_line
        if r.index not in INDEX_METRICS:
            problems.add(path, line, "index", f"{r.index!r} is not one of {sorted(INDEX_METRICS)}")
        if not re.fullmatch(r"\d{4}", r.year):
            problems.add(path, line, "year", f"{r.year!r} is not a year")
        _check_name(r, problems)
        if r.source_id not in known_sources:
            problems.add(path, line, "source_id", f"unknown source {r.source_id!r} (not in data/sources.csv)")
        if not r.reason:
            problems.add(path, line, "reason", "empty: say why the edition left the province out")


def check_facts(df: pd.DataFrame, metrics: pd.DataFrame, sources: pd.DataFrame, problems: _Problems) -> None:
    unit_of = dict(zip(metrics.metric, metrics.unit))
    known_sources = set(sources.source_id)
    for r in df.itertuples():
        path, line = Path(r.row_file), r.row_line
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
    if not problems.items:
        check_sources(sources, problems)
        check_metrics(metrics, problems)
        check_facts(facts, metrics, sources, problems)
        check_gaps(gaps, sources, problems)
    if problems.items:
        raise ValidationError(problems.items)
    return {"sources": sources, "metrics": metrics, "facts": facts, "gaps": gaps}


@lru_cache(maxsize=None)
def _tables() -> dict[str, pd.DataFrame]:
    return validate()


def sources() -> pd.DataFrame:
    return _tables()["sources"].drop(columns=["row_file", "row_line"])


def metrics() -> pd.DataFrame:
    return _tables()["metrics"].drop(columns=["row_file", "row_line"])


def not_published() -> pd.DataFrame:
    """Provinces an index edition left out, with the reason a source gives (``data/not_published.csv``)."""
    df = _tables()["gaps"].drop(columns=["row_file", "row_line"]).copy()
    df["year"] = df["year"].astype(int)
    return df.reset_index(drop=True)


def facts(province=None, metric=None, period=None, level=None, units=None, with_sources: bool = True) -> pd.DataFrame:
    """Validated facts as a DataFrame, optionally filtered; source and metric columns joined.

    ``province`` takes names or codes (resolved with :func:`reformbook.provinces.resolve`),
    ``metric``, ``period`` and ``level`` take one value or a list. ``value`` is a float; missing
    figures are simply absent (never filled).
    """
    df = _tables()["facts"].copy()
    df["value"] = df["value"].astype(float)
    df["value_max"] = pd.to_numeric(df["value_max"], errors="coerce")
    df["is_approx"] = df["is_approx"] == "1"
    df["is_derived"] = df["is_derived"] == "1"
    df["file"] = df["row_file"].map(lambda p: Path(p).name)
    df = df.drop(columns=["row_file", "row_line"])
    if units is not None:
        df = df[df.units == units]
    if province is not None:
        wanted = [province] if isinstance(province, str) else list(province)
        codes = {pv.NATIONAL_CODE if w == pv.NATIONAL_CODE else pv.resolve(w, units=units or "63").code for w in wanted}
        df = df[df.province_code.isin(codes)]
    for col, want in (("metric", metric), ("period", period), ("level", level)):
        if want is not None:
            df = df[df[col].isin([want] if isinstance(want, str) else list(want))]
    df = df.merge(metrics()[["metric", "unit", "pillar", "label_en", "label_vi"]], on="metric", how="left")
    df["province_name"] = [
        pv.name_of(c, u) for c, u in zip(df.province_code, df.units)
    ]
    df["is_disputed"] = _disputed(df)
    if with_sources:
        df = df.merge(
            sources()[["source_id", "publisher", "title", "url", "date_published", "kind"]],
            on="source_id", how="left",
        )
    return df.reset_index(drop=True)


def _disputed(df: pd.DataFrame) -> pd.Series:
    """True where another source gives a different value for the same figure."""
    if df.empty:
        return pd.Series([], dtype=bool)
    key = ["province_code", "units", "metric", "level", "period"]
    g = df.groupby(key)["value"]
    return g.transform("max") > g.transform("min")


# --------------------------------------------------------------------------- data notes
def data_notes(df: pd.DataFrame | None = None) -> pd.DataFrame:
    """Findings about the figures, not the rows: parts ≠ published total; rank conflicts."""
    df = facts() if df is None else df
    notes = []
    notes += _sum_notes(df, "procedures_count", ["province", "district", "commune", "other"])
    notes += _rank_notes(df)
    return pd.DataFrame(notes, columns=["kind", "province_code", "metric", "period", "source_id", "detail"])


def _sum_notes(df, metric, parts) -> list[dict]:
    out = []
    sub = df[df.metric == metric]
    for (code, period, src), g in sub.groupby(["province_code", "period", "source_id"]):
        total = g.loc[g.level == "all", "value"]
        levels = g[g.level.isin(parts)]
        if total.empty or levels.empty:
            continue
        s = levels.value.sum()
        if s != total.iloc[0]:
            out.append({
                "kind": "parts ≠ total", "province_code": code, "metric": metric, "period": period,
                "source_id": src,
                "detail": f"published levels ({', '.join(levels.level)}) sum to {s:,.0f}; "
                          f"published total {total.iloc[0]:,.0f} "
                          f"(difference {total.iloc[0] - s:+,.0f})",
            })
    return out


def _rank_notes(df) -> list[dict]:
    out = []
    ranks = df[df.unit == "rank"]
    for (metric, period, units), g in ranks.groupby(["metric", "period", "units"]):
        per_prov = g.groupby("province_code")["value"].agg(lambda v: sorted(set(v)))
        for code, values in per_prov.items():
            if len(values) > 1:
                out.append({"kind": "sources disagree on rank", "province_code": code, "metric": metric,
                            "period": period, "source_id": " ".join(sorted(set(g[g.province_code == code].source_id))),
                            "detail": "ranks " + ", ".join(f"{v:.0f}" for v in values)})
        single = g.groupby("province_code")["value"].first()
        for rank, codes in single.groupby(single).groups.items():
            if len(codes) > 1 and all(len(per_prov[c]) == 1 for c in codes):
                out.append({"kind": "shared rank", "province_code": " ".join(sorted(codes)), "metric": metric,
                            "period": period, "source_id": "", "detail": f"{len(codes)} provinces at rank {rank:.0f}"})
        score_metric = metric.replace("_rank", "_score_pct")
        for alt in (score_metric, metric.replace("_rank", "_score_ratio"), metric.replace("_rank", "_score_points")):
            sc = df[(df.metric == alt) & (df.period == period) & (df.units == units)]
            if sc.empty:
                continue
            s = sc.groupby("province_code")["value"].agg(lambda v: v.iloc[0] if v.nunique() == 1 else None).dropna()
            both = pd.concat([single.rename("rank"), s.rename("score")], axis=1, join="inner").sort_values("rank")
            for (c1, a), (c2, b) in zip(both.iterrows(), list(both.iterrows())[1:]):
                if a["rank"] < b["rank"] and a["score"] < b["score"]:
                    out.append({"kind": "rank out of score order", "province_code": f"{c1} {c2}", "metric": metric,
                                "period": period, "source_id": "",
                                "detail": f"{c1} ranked {a['rank']:.0f} with {a['score']}, "
                                          f"{c2} ranked {b['rank']:.0f} with {b['score']}"})
    return out
