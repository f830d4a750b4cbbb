"""One province's profile: everything the book holds for one of the 63 provinces or one of the 34 units.

:func:`profile` gathers, for one unit of one unit set, its score and rank in every index and edition
held (beside the size of the field), the whole field of each index's latest edition (for the
distribution chart), the operations figures held (procedures by level, dossiers, online services,
Project 06, Decision 766), the 2025 merger, the claims that concern it, what is missing for it and
the ids of every source behind the page. :func:`profile_from` does the work on frames, so the unit
tests build a small catalog. Nothing is filled in: a figure not held stays out, and the coverage
table says so.

:func:`index_rows` is the provinces index page: one row per unit with its latest rank in each index.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import pandas as pd

from . import claims as claims_mod
from . import metrics
from . import provinces as pv

#: Operations figures on a profile, by group: (table heading, what a figure is, in a sentence; metrics).
OPERATIONS = {
    "online": ("Online public services (dịch vụ công trực tuyến)", "online public service", metrics.ONLINE),
    "p06": ("Project 06 (Đề án 06) tasks", "Project 06 task", metrics.P06),
    "eid": ("Electronic identification (VNeID) and ID cards", "e-ID or ID card", metrics.EID),
    "d766": ("Decision 766 service index (Bộ chỉ số 766)", "Decision 766 service index",
             ["d766_score_points", "d766_rank", "d766_digitization_score_points", "d766_digitization_rank",
              "d766_online_score_points", "d766_payment_score_points", "d766_progress_score_points",
              "d766_publicity_score_points", "d766_satisfaction_score_points"]),
}
#: Columns of :attr:`Profile.standings`.
STANDING_COLUMNS = ["index", "label", "label_en", "parent", "year", "score", "rank", "score_is_preferred", "rank_is_preferred",
                    "disputed", "rank_derived", "n_ranked", "n_scored", "source_ids"]
#: Columns of :attr:`Profile.coverage`.
COVERAGE_COLUMNS = ["index", "label", "label_en", "held", "left_out", "missing"]


class ProfileError(ValueError):
    pass


@dataclass
class Profile:
    code: str
    units: str
    name: str
    standings: pd.DataFrame  # one row per index and edition held for this unit
    field: pd.DataFrame  # index, year, province_code, position (0 = last, 1 = first) for each index's latest edition held
    procedures: pd.DataFrame
    dossiers: pd.DataFrame
    operations: dict[str, pd.DataFrame]  # group → figures held (see OPERATIONS)
    merger: dict
    claims: pd.DataFrame
    coverage: pd.DataFrame
    source_ids: set = field(default_factory=set)

    @property
    def n_figures(self) -> int:
        """How many figures the profile shows (index editions, operations rows)."""
        return (len(self.standings) + len(self.procedures) + len(self.dossiers)
                + sum(len(t) for t in self.operations.values()))


def _cat(catalog):
    from . import catalog as cat

    return catalog if catalog is not None else cat.load()


def profile(province, units: str = "63", catalog=None) -> Profile:
    """The profile of ``province`` (a name in any spelling or a code) among ``units`` ("63" or "34")."""
    from .params import ParameterError, parse_provinces, parse_units

    units = parse_units(units)
    codes, _ = parse_provinces(province, units)
    if len(codes) != 1:
        raise ParameterError(f"province: {province!r} names {len(codes)} provinces; a profile is of one")
    cat = _cat(catalog)
    facts, ranks, ledger = _field(cat, units)
    return profile_from(codes[0], units, facts, ranks, cat.registry, cat.not_published(), ledger)


@lru_cache(maxsize=4)
def _field(cat, units: str):
    """What every profile of one unit set shares: its facts, every index's rankings, the claims ledger.
    Kept per catalog (a catalog is loaded once and never changes), so that the pages of a family run in
    one kernel compute them once; callers only read them."""
    facts = cat.facts(units=units, with_sources=False)
    ledger = claims_mod.ledger_from(cat.facts(with_sources=False))  # claims are about the 63: all units
    ranks = {i.code: metrics.rankings_from(facts[facts.metric.isin(i.metrics)], i.score, i.rank, units, cat.disputes)
             for i in cat.registry if units in i.units}
    return facts, ranks, ledger


def profile_from(code: str, units: str, facts: pd.DataFrame, ranks: dict[str, pd.DataFrame], registry,
                 gaps: pd.DataFrame, ledger: pd.DataFrame) -> Profile:
    """:func:`profile` on frames: ``facts`` of one unit set, ``ranks`` index → :func:`metrics.rankings_from`
    of that unit set, the registry, ``data/not_published.csv`` and the claims ledger."""
    names = pv.names(units)
    if code not in names:
        raise ProfileError(f"unknown code {code!r} among the {units} units")
    standings, fields = [], []
    for idx in registry:
        r = ranks.get(idx.code)
        if r is None or r.empty:
            continue
        n_ranked = r.dropna(subset=["rank_preferred"]).groupby("year").province_code.nunique()
        n_scored = r.dropna(subset=["score_preferred"]).groupby("year").province_code.nunique()
        mine = r[(r.province_code == code) & (r.score_preferred.notna() | r.rank_preferred.notna()
                                               | r.disputed)]
        for row in mine.itertuples():
            standings.append({"index": idx.code, "label": idx.label, "label_en": idx.label_en, "parent": idx.parent or "", "year": row.year,
                              "score": row.score_preferred, "rank": row.rank_preferred,
                              "score_is_preferred": bool(row.score_is_preferred),
                              "rank_is_preferred": bool(row.rank_is_preferred), "disputed": bool(row.disputed),
                              "rank_derived": bool(row.rank_derived),
                              "n_ranked": n_ranked.get(row.year, np.nan) if idx.rank else np.nan,
                              "n_scored": n_scored.get(row.year, np.nan), "source_ids": row.source_ids})
        if len(mine):
            latest = int(mine.year.max())
            fields.append(field_positions(r[r.year == latest], idx.code, len(names)).assign(year=latest))
    standings = pd.DataFrame(standings, columns=STANDING_COLUMNS)
    field_ = (pd.concat(fields, ignore_index=True) if fields
              else pd.DataFrame(columns=["index", "province_code", "position", "basis", "year"]))
    mine_facts = facts[facts.province_code == code]
    procedures = metrics.procedures_from(mine_facts[mine_facts.metric == "procedures_count"], [code])
    dossiers = metrics.dossier_flows_from(mine_facts, [code])
    operations = {}
    for key, (_, _, ms) in OPERATIONS.items():
        t = mine_facts[mine_facts.metric.isin(ms)]
        operations[key] = t[["province_code", "province_name", "period", "metric", "label_en", "label_vi", "value",
                             "is_approx", "source_id"]].sort_values(["metric", "period", "source_id"]).reset_index(drop=True)
    merger = merger_of(code, units)
    # the claims checked against this province (made before 2025, so about the 63: a unit of the 34
    # is concerned by those about the provinces it was formed from)
    concern = [code] if units == "63" else merger["predecessors"]
    mine_claims = ledger[ledger.province_code.isin(concern)].reset_index(drop=True)
    coverage = coverage_of(code, units, ranks, registry, gaps)
    ids = set().union(*standings.source_ids) if len(standings) else set()
    ids |= set(procedures.source_id) | set(dossiers.source_id)
    for t in operations.values():
        ids |= set(t.source_id)
    for s in mine_claims.get("source_ids", []):
        ids |= set(s)
    return Profile(code, units, names[code], standings, field_, procedures, dossiers, operations, merger,
                   mine_claims, coverage, ids)


def field_positions(r: pd.DataFrame, index: str, n_units: int) -> pd.DataFrame:
    """Each unit's place in one edition's field, from 0 (last) to 1 (first): by rank where the edition
    ranks (rank 1 → 1, rank ``n_units`` → 0) when more units hold a rank than a score, else by score between the lowest and the highest held
    (higher is better in every index the book holds)."""
    by_rank = r.rank_preferred.notna().sum() >= max(1, r.score_preferred.notna().sum())
    col = "rank_preferred" if by_rank else "score_preferred"
    held = r.dropna(subset=[col])
    v = held[col].astype(float)
    if by_rank:
        pos = (n_units - v) / (n_units - 1)
    else:
        lo, hi = v.min(), v.max()
        pos = (v - lo) / ((hi - lo) or 1.0)
    return pd.DataFrame({"index": index, "province_code": held.province_code.values, "position": pos.values,
                         "basis": "rank" if by_rank else "score"})


def merger_of(code: str, units: str) -> dict:
    """What the 2025 reorganisation did to this unit: the unit of the 34 it is or became part of
    (``unit_code``, ``unit``), the old provinces that unit was formed from (``predecessors`` codes,
    ``formed_from`` names), for one of the 63 the other provinces it merged with (``partners``), and
    whether there was a merger at all (``merged``)."""
    m = pv.merger()
    if units == "63":
        row = m[m.old_code == code].iloc[0]
        partners = [c for c in m[m.new_code == row.new_code].old_code if c != code]
        preds = sorted([code] + partners)
        return {"unit_code": row.new_code, "unit": pv.name_of(row.new_code, "34"), "predecessors": preds,
                "formed_from": [pv.name_of(c, "63") for c in preds],
                "partners": [pv.name_of(c, "63") for c in partners], "merged": bool(partners)}
    preds = sorted(m[m.new_code == code].old_code)
    if not preds:
        raise ProfileError(f"unknown code {code!r} among the 34 units")
    return {"unit_code": code, "unit": pv.name_of(code, "34"), "predecessors": preds,
            "formed_from": [pv.name_of(c, "63") for c in preds], "partners": [], "merged": len(preds) > 1}


def coverage_of(code: str, units: str, ranks: dict[str, pd.DataFrame], registry, gaps: pd.DataFrame) -> pd.DataFrame:
    """Per index: the editions held for this unit (score or rank), those the edition itself left it out
    of, and those missing (published, not found), within :data:`metrics.COVERAGE_YEARS`."""
    g = gaps[(gaps.units == units) & (gaps.province_code == code)]
    rows = []
    for idx in registry:
        if units not in idx.units:
            continue
        years = [y for y in metrics.COVERAGE_YEARS if idx.has_edition(y)]
        r = ranks.get(idx.code, pd.DataFrame(columns=metrics.RANKING_COLUMNS))
        mine = r[r.province_code == code]
        held_years = set(mine[mine.score_preferred.notna() | mine.rank_preferred.notna() | mine.disputed].year)
        # an edition that ranks nobody among this unit set (the 34 before 2024) is not a gap of this unit
        any_held = set(r.year) if len(r) else set()
        left = set(g.loc[g["index"].isin({idx.code, idx.root}), "year"].astype(int))
        held = [y for y in years if y in held_years]
        left_out = [y for y in years if y in left and y not in held_years]
        missing = [y for y in years if y not in held_years and y not in left
                   and (units == "63" or y in any_held)]
        rows.append({"index": idx.code, "label": idx.label, "label_en": idx.label_en, "held": _years(held), "left_out": _years(left_out),
                     "missing": _years(missing)})
    return pd.DataFrame(rows, columns=COVERAGE_COLUMNS)


def _years(years: list[int]) -> str:
    """2018, 2019, 2020, 2022 → "2018–2020, 2022"."""
    out, run = [], []
    for y in sorted(years):
        if run and y == run[-1] + 1:
            run.append(y)
            continue
        if run:
            out.append(f"{run[0]}–{run[-1]}" if len(run) > 2 else ", ".join(map(str, run)))
        run = [y]
    if run:
        out.append(f"{run[0]}–{run[-1]}" if len(run) > 2 else ", ".join(map(str, run)))
    return ", ".join(out)


def latest(standings: pd.DataFrame) -> pd.DataFrame:
    """The latest edition held of each index (one row per index)."""
    if standings.empty:
        return standings
    return standings.sort_values(["index", "year"]).groupby("index", sort=False).tail(1).reset_index(drop=True)


# --------------------------------------------------------------------------- the provinces index
def slug(code: str, units: str) -> str:
    """The page of a profile: ``province_63_79`` (TP. Hồ Chí Minh among the 63)."""
    return f"province_{units}_{code}"


def index_rows(units: str, catalog=None, indices=("PAR", "SIPAS", "DTI", "PCI", "PAPI_EGOV")) -> pd.DataFrame:
    """One row per unit of ``units``: its latest rank held in each of ``indices`` (``<INDEX>_rank`` and
    ``<INDEX>_year``, the sources behind it in ``<INDEX>_sources``), and the slug of its profile page."""
    cat = _cat(catalog)
    facts = cat.facts(units=units, with_sources=False)
    ranks = {}
    for code in indices:
        idx = cat.registry[code]
        if units in idx.units:
            ranks[code] = metrics.rankings_from(facts[facts.metric.isin(idx.metrics)], idx.score, idx.rank, units,
                                                cat.disputes)
    return index_rows_from(units, ranks)


def index_rows_from(units: str, ranks: dict[str, pd.DataFrame]) -> pd.DataFrame:
    names = pv.names(units)
    out = pd.DataFrame({"code": sorted(names)})
    out["province"] = out.code.map(names)
    out["units"] = units
    out["slug"] = [slug(c, units) for c in out.code]
    for index, r in ranks.items():
        held = r.dropna(subset=["rank_preferred"]).sort_values("year").groupby("province_code").tail(1)
        out = out.merge(held[["province_code", "year", "rank_preferred", "source_ids"]].rename(columns={
            "province_code": "code", "year": f"{index}_year", "rank_preferred": f"{index}_rank",
            "source_ids": f"{index}_sources"}), on="code", how="left")
    return out


def index_sources(rows: pd.DataFrame) -> set:
    """The ids of the sources behind the ranks in :func:`index_rows`."""
    ids = set()
    for col in [c for c in rows if c.endswith("_sources")]:
        for v in rows[col].dropna():
            ids |= set(v)
    return ids
