"""The catalog: every table of a data folder, validated once, with the registry and the province resolver.

``load(root)`` reads and validates ``root`` (default: the repository's ``data/``) and returns a
:class:`Catalog`. Computations (:mod:`metrics`, :mod:`claims`, :mod:`reconcile`) take a catalog or
plain frames, so a test can build a small one; the convenience functions in :mod:`data` use
``load()`` of the default folder, loaded once per process.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from types import ModuleType

import pandas as pd

from . import checks
from . import provinces as pv
from .paths import DATA
from .registry import Registry


@dataclass(frozen=True, eq=False)
class Catalog:
    root: Path
    tables: dict[str, pd.DataFrame]  # as validated: strings, with row_file and row_line
    registry: Registry
    resolver: ModuleType = field(default=pv)

    # ------------------------------------------------------------------ tables
    def sources(self) -> pd.DataFrame:
        return self.tables["sources"].drop(columns=["row_file", "row_line"])

    def metrics(self) -> pd.DataFrame:
        return self.tables["metrics"].drop(columns=["row_file", "row_line"])

    def not_published(self) -> pd.DataFrame:
        df = self.tables["gaps"].drop(columns=["row_file", "row_line"]).copy()
        df["year"] = df["year"].astype(int)
        return df.reset_index(drop=True)

    @cached_property
    def all_facts(self) -> pd.DataFrame:
        """Every fact, typed, with metric and source columns joined and ``is_disputed`` set."""
        return prepare(self.tables["facts"], self.metrics(), self.sources(), self.registry)

    def facts(self, province=None, metric=None, period=None, level=None, units=None,
              with_sources: bool = True) -> pd.DataFrame:
        """The facts, optionally filtered (see :func:`reformbook.data.facts`)."""
        df = self.all_facts
        mask = pd.Series(True, index=df.index)
        if units is not None:
            mask &= df.units == units
        if province is not None:
            wanted = [province] if isinstance(province, str) else list(province)
            codes = {pv.NATIONAL_CODE if w == pv.NATIONAL_CODE else pv.resolve(w, units=units or "63").code
                     for w in wanted}
            mask &= df.province_code.isin(codes)
        for col, want in (("metric", metric), ("period", period), ("level", level)):
            if want is not None:
                mask &= df[col].isin([want] if isinstance(want, str) else list(want))
        out = df[mask]
        if not with_sources:
            out = out.drop(columns=["publisher", "title", "url", "date_published", "kind", "tier"])
        return out.reset_index(drop=True)

    # ------------------------------------------------------------------ findings
    @cached_property
    def disputes(self) -> pd.DataFrame:
        """Every disputed figure with its preferred value and the reason (:mod:`reconcile`)."""
        from . import reconcile

        return reconcile.reconcile(self.all_facts, self.registry)


FACT_SOURCE_COLUMNS = ["source_id", "publisher", "title", "url", "date_published", "kind", "tier"]


def prepare(raw: pd.DataFrame, metrics: pd.DataFrame, sources: pd.DataFrame, registry: Registry) -> pd.DataFrame:
    """Validated fact rows (strings) → the typed frame the computations use."""
    df = raw.copy()
    df["is_approx"] = df["is_approx"] == "1"
    df["is_derived"] = df["is_derived"] == "1"
    df["step"] = [checks.precision_step(v, a) for v, a in zip(df["value"], df["is_approx"])]
    df["value"] = df["value"].astype(float)
    df["value_max"] = pd.to_numeric(df["value_max"], errors="coerce")
    df["file"] = df["row_file"].map(lambda p: Path(p).name)
    df = df.drop(columns=["row_file", "row_line"])
    df = df.merge(metrics[["metric", "unit", "pillar", "label_en", "label_vi"]], on="metric", how="left")
    names = {u: pv.names(u) for u in pv.UNIT_SETS}
    df["province_name"] = [pv.name_of(c) if c == pv.NATIONAL_CODE else names[u].get(c, c)
                           for c, u in zip(df.province_code, df.units)]
    index_metrics = registry.score_metrics() | registry.rank_metrics()
    df["is_disputed"] = checks.disputed(df, index_metrics).to_numpy()
    src = sources.copy()
    if "tier" not in src:
        src["tier"] = ""
    df = df.merge(src[FACT_SOURCE_COLUMNS], on="source_id", how="left")
    return df


def load(root: Path | str | None = None) -> Catalog:
    """Validate the tables of ``root`` once and return the catalog (cached per folder)."""
    return _load(Path(root or DATA).resolve())


@lru_cache(maxsize=4)
def _load(root: Path) -> Catalog:
    from . import data, registry

    tables = data.validate(root)
    return Catalog(root, tables, registry.load(root))


def from_frames(facts: pd.DataFrame, sources: pd.DataFrame | None = None, metrics: pd.DataFrame | None = None,
                gaps: pd.DataFrame | None = None, reg: Registry | None = None) -> Catalog:
    """A catalog of small frames written in a test (strings, as in the CSV files; not validated)."""
    from . import data, registry

    reg = reg or registry.default()
    metrics = reg.metrics if metrics is None else metrics
    if sources is None:
        sources = pd.DataFrame({c: [] for c in data.SOURCE_COLUMNS})
    if gaps is None:
        gaps = pd.DataFrame({c: [] for c in data.GAP_COLUMNS})

    def rows(df):
        df = df.copy()
        df["row_file"], df["row_line"] = "test.csv", range(2, len(df) + 2)
        return df

    facts = facts.copy()
    for col in data.FACT_COLUMNS:
        if col not in facts:
            facts[col] = {"is_approx": "0", "is_derived": "0", "units": "63", "level": "province"}.get(col, "")
    facts = facts.astype({"value": str})
    tables = {"facts": rows(facts), "sources": rows(sources), "metrics": rows(metrics), "gaps": rows(gaps)}
    return Catalog(Path("."), tables, reg)
