"""The one registry of indices and metrics: ``data/indices.csv`` and ``data/metrics.csv``.

Everything that needs to know which indices exist (loading and validation, ingest, computations,
charts, page parameters, the command line, the coverage report) asks this module. Adding an index
is one row of ``data/indices.csv`` (plus its metrics in ``data/metrics.csv`` and its figures).

An index row: ``index`` (the code pages take, e.g. ``DTI_GOV``), ``parent`` (the index it is a
part of, or empty), ``label_en``, ``label_vi``, ``score_metric``, ``rank_metric`` (empty when the
publisher gives no rank), ``scale`` (words for people), ``units`` (the unit sets it is ranked
among: ``63``, ``34`` or ``63 34``), ``editions`` (``FIRST..`` or ``FIRST..LAST``, years assessed),
``national_metric`` (the national average, if one is published), ``note``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from .paths import DATA

INDEX_COLUMNS = ["index", "parent", "label_en", "label_vi", "score_metric", "rank_metric", "scale", "units",
                 "editions", "national_metric", "note"]
UNIT_SETS = ("63", "34")
_EDITIONS = re.compile(r"^(\d{4})\.\.(\d{4})?$")


class RegistryError(ValueError):
    """A bad registry row; the message names file, line and column."""



def bilingual(en: str, vi: str) -> str:
    """How the book names an index or a metric: English, then the Vietnamese term in brackets.

    >>> bilingual("DTI rank", "Xếp hạng DTI"), bilingual("DTI rank", "")
    ('DTI rank (Xếp hạng DTI)', 'DTI rank')
    """
    en, vi = str(en or "").strip(), str(vi or "").strip()
    return f"{en} ({vi})" if en and vi else en or vi

@dataclass(frozen=True)
class Index:
    code: str
    parent: str | None
    label_en: str
    label_vi: str
    score: str
    rank: str | None
    scale: str
    units: tuple[str, ...]
    first: int
    last: int | None
    national: str | None
    note: str = ""

    @property
    def label(self) -> str:
        """The label pages show: English, then Vietnamese in brackets."""
        return bilingual(self.label_en, self.label_vi)

    @property
    def metrics(self) -> tuple[str, ...]:
        return (self.score,) + ((self.rank,) if self.rank else ())

    @property
    def root(self) -> str:
        """The top-level index this one belongs to (itself when it has no parent)."""
        return self.parent or self.code

    def has_edition(self, year: int) -> bool:
        return year >= self.first and (self.last is None or year <= self.last)


@dataclass(frozen=True)
class Registry:
    indices: dict[str, Index]
    metrics: pd.DataFrame  # data/metrics.csv as read (strings)

    def __iter__(self):
        return iter(self.indices.values())

    def __contains__(self, code) -> bool:
        return code in self.indices

    def __getitem__(self, code: str) -> Index:
        try:
            return self.indices[code]
        except KeyError:
            raise KeyError(f"unknown index {code!r}; available: {', '.join(self.indices)}") from None

    def codes(self) -> list[str]:
        return list(self.indices)

    def pairs(self) -> dict[str, tuple[str, str | None]]:
        """index → (score metric, rank metric or None): the shape ``data.INDEX_METRICS`` always had."""
        return {i.code: (i.score, i.rank) for i in self}

    def index_of_metric(self, metric: str) -> Index | None:
        for i in self:
            if metric in i.metrics:
                return i
        return None

    def score_metrics(self) -> set[str]:
        return {i.score for i in self}

    def rank_metrics(self) -> set[str]:
        return {i.rank for i in self if i.rank}

    def rank_to_score(self) -> dict[str, str]:
        return {i.rank: i.score for i in self if i.rank}

    def children(self, code: str) -> list[Index]:
        return [i for i in self if i.parent == code]

    def unit_of(self, metric: str) -> str | None:
        row = self.metrics[self.metrics.metric == metric]
        return None if row.empty else row.unit.iloc[0]


def parse(indices: pd.DataFrame, metrics: pd.DataFrame, path: Path | str = "data/indices.csv") -> Registry:
    """Check the registry rows against each other and against ``metrics``; raise :class:`RegistryError`
    listing every problem as ``file:line: column 'x': reason``."""
    problems: list[str] = []

    def bad(line, column, reason):
        problems.append(f"{path}:{line}: column '{column}': {reason}")

    missing = [c for c in INDEX_COLUMNS if c not in indices.columns]
    if missing:
        raise RegistryError(f"{path}:1: column '{','.join(missing)}': missing column(s)")
    unit_of = dict(zip(metrics.metric, metrics.unit))
    codes = list(indices["index"])
    out: dict[str, Index] = {}
    for line, r in zip(range(2, len(indices) + 2), indices.itertuples(index=False)):
        r = r._asdict()
        code = r["index"]
        if not re.fullmatch(r"[A-Z][A-Z0-9_]*", code):
            bad(line, "index", f"{code!r} must be upper case letters, digits and _")
        if code in out:
            bad(line, "index", f"duplicate index {code!r}")
        if r["parent"] and (r["parent"] not in codes or r["parent"] == code):
            bad(line, "parent", f"{r['parent']!r} is not another index of this file")
        for col in ("label_en", "label_vi", "scale"):
            if not r[col].strip():
                bad(line, col, "empty")
        score, rank = r["score_metric"], r["rank_metric"]
        if unit_of.get(score) is None:
            bad(line, "score_metric", f"unknown metric {score!r} (add it to data/metrics.csv)")
        elif unit_of[score] not in ("pct", "ratio", "points"):
            bad(line, "score_metric", f"{score!r} has unit {unit_of[score]!r}; a score is pct, ratio or points")
        if rank:
            if unit_of.get(rank) is None:
                bad(line, "rank_metric", f"unknown metric {rank!r} (add it to data/metrics.csv)")
            elif unit_of[rank] != "rank":
                bad(line, "rank_metric", f"{rank!r} has unit {unit_of[rank]!r}, not rank")
        nat = r["national_metric"]
        if nat and unit_of.get(nat) is None:
            bad(line, "national_metric", f"unknown metric {nat!r} (add it to data/metrics.csv)")
        units = tuple(r["units"].split())
        if not units or any(u not in UNIT_SETS for u in units):
            bad(line, "units", f"{r['units']!r} must be 63, 34 or '63 34'")
        m = _EDITIONS.match(r["editions"])
        if not m:
            bad(line, "editions", f"{r['editions']!r} must be FIRST.. or FIRST..LAST (years)")
            first, last = 0, None
        else:
            first, last = int(m.group(1)), (int(m.group(2)) if m.group(2) else None)
            if last is not None and last < first:
                bad(line, "editions", f"{r['editions']!r} ends before it starts")
        out[code] = Index(code, r["parent"] or None, r["label_en"], r["label_vi"], score, rank or None,
                          r["scale"], units, first, last, nat or None, r["note"])
    seen: dict[str, str] = {}
    for code, i in out.items():
        for m in i.metrics:
            if m in seen:
                problems.append(f"{path}: metric {m!r} belongs to both {seen[m]} and {code}")
            seen[m] = code
    if problems:
        raise RegistryError(f"{len(problems)} problem(s) in the index registry:\n" + "\n".join(problems))
    return Registry(out, metrics)


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def load(root: Path = DATA) -> Registry:
    """The registry of ``root`` (a data folder). Without an ``indices.csv`` there, the project's own."""
    root = Path(root)
    path = root / "indices.csv"
    if not path.exists():  # a test's partial copy of data/: the registry is configuration, use ours
        path = DATA / "indices.csv"
    return _load(path.resolve(), (root / "metrics.csv").resolve())


@lru_cache(maxsize=8)
def _load(path: Path, metrics_path: Path) -> Registry:
    rel = path.relative_to(DATA.parent) if path.is_relative_to(DATA.parent) else path
    return parse(_read(path), _read(metrics_path), rel)


def default() -> Registry:
    return load(DATA)
