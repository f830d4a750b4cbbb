"""Computations behind the pages. Missing figures stay missing: nothing here fills a gap.

Each public function takes an optional ``catalog`` (:func:`reformbook.catalog.load`; the repository's
data when omitted) and does its work in a pure function of frames (``*_from``), tested on small
frames in ``tests/unit/test_metrics.py``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import checks, data
from . import provinces as pv
from . import registry as reg

#: Index code → (score metric, rank metric or None, label), from the registry (data/indices.csv).
#: The book's parameter ``index`` takes these codes.
INDICES = {i.code: (i.score, i.rank, i.label) for i in reg.default()}
COVERAGE_YEARS = range(2018, 2025)
LEVELS = ["province", "district", "commune", "other"]
LEVEL_VI = {"province": "cấp tỉnh", "district": "cấp huyện", "commune": "cấp xã", "other": "cơ quan khác",
            "all": "tổng"}
FLOW = ["dossiers_received_count", "dossiers_resolved_count", "dossiers_on_time_count",
        "dossiers_late_count", "dossiers_pending_count", "online_dossiers_count"]


def _cat(catalog):
    from . import catalog as cat

    return catalog if catalog is not None else cat.load()


def _metrics_of(index: str, catalog=None) -> list[str]:
    return list(_cat(catalog).registry[index].metrics)


def index_years(index: str, units: str | None = None, catalog=None) -> list[int]:
    """Editions of an index with at least one figure held (among the given unit set, if any)."""
    f = _cat(catalog).facts(metric=_metrics_of(index, catalog), units=units, with_sources=False)
    return sorted({int(p) for p in f.period})


# --------------------------------------------------------------------------- coverage
def coverage(units: str = "63", catalog=None) -> pd.DataFrame:
    """Per index and edition: how many of the N provinces have a score / a rank, and who is missing.

    A province the edition itself left out (``data/not_published.csv``) is counted under
    ``not_published``, not ``missing``: there is no figure to find. Only the editions the registry
    lists (data/indices.csv) within :data:`COVERAGE_YEARS` are counted.
    """
    from .params import parse_units

    units = parse_units(units)  # "63", 63 (papermill's -p units 63) or "34"
    cat = _cat(catalog)
    return coverage_from(cat.facts(units=units, with_sources=False), cat.not_published(), cat.registry, units)


def coverage_from(f: pd.DataFrame, gaps: pd.DataFrame, registry, units: str = "63") -> pd.DataFrame:
    gaps = gaps[gaps.units == units]
    n = pv.n_units(units)
    names = pv.names(units)

    rows = []
    for idx in registry:
        if units not in idx.units:
            continue
        index, score, rank = idx.code, idx.score, idx.rank
        for year in COVERAGE_YEARS:
            if not idx.has_edition(year):
                continue
            sub = f[(f.period == str(year)) & f.metric.isin(idx.metrics)]
            have_score = set(sub.loc[sub.metric == score, "province_code"])
            have_rank = set(sub.loc[sub.metric == rank, "province_code"])
            have_rank_direct = set(sub.loc[(sub.metric == rank) & ~sub.is_derived, "province_code"])
            # a province left out of an index is left out of its dimensions too (PAPI → PAPI_EGOV)
            parents = {index, idx.root}
            left_out = set(gaps.loc[gaps["index"].isin(parents) & (gaps.year == year), "province_code"])
            left_out -= have_score | have_rank
            missing = set(names) - have_score - have_rank - left_out
            rows.append({
                "index": index, "year": year, "target": n,
                "with_score": len(have_score), "with_rank": len(have_rank),
                "with_rank_stated": len(have_rank_direct),
                "not_published": len(left_out), "missing": len(missing),
                "missing_provinces": ", ".join(names[c] for c in sorted(missing)),
                "not_published_provinces": ", ".join(names[c] for c in sorted(left_out)),
            })
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- procedures
#: Columns of :func:`procedures_by_level`, also when nothing is held for the provinces asked.
PROCEDURE_COLUMNS = ["province_code", "province", "units", "period", "level", "level_vi", "procedures", "share_pct",
                     "total_published", "parts_gap", "source_id"]


def procedures_by_level(codes: list[str], catalog=None) -> pd.DataFrame:
    """Procedure counts per province, date and level, with each level's share of the published total.

    Shares are of the published total (level 'all') where one exists, else of the sum of the
    published levels; ``parts_gap`` is total minus the sum of levels (non-zero = does not add up).
    """
    return procedures_from(data.facts(metric="procedures_count", catalog=catalog), codes)


def procedures_from(f: pd.DataFrame, codes: list[str]) -> pd.DataFrame:
    f = f[f.province_code.isin(codes)]
    rows = []
    sums = checks.parts_vs_total(f, "procedures_count", LEVELS).set_index(
        ["province_code", "units", "period", "source_id"])
    for (code, units, period, src), g in f.groupby(["province_code", "units", "period", "source_id"]):
        parts = g[g.level.isin(LEVELS)]
        pt = sums.loc[(code, units, period, src)]
        total_v, parts_sum = pt.total, pt.parts_sum
        total = g.loc[g.level == "all", "value"]
        base = total_v if not np.isnan(total_v) else parts_sum
        for r in parts.itertuples():
            rows.append({"province_code": code, "province": pv.name_of(code, units), "units": units,
                         "period": period, "level": r.level, "level_vi": LEVEL_VI[r.level],
                         "procedures": r.value, "share_pct": round(100 * r.value / base, 1),
                         "total_published": total_v, "parts_gap": total_v - parts_sum, "source_id": src})
        if parts.empty and len(total):
            rows.append({"province_code": code, "province": pv.name_of(code, units), "units": units,
                         "period": period, "level": "all", "level_vi": LEVEL_VI["all"],
                         "procedures": total_v, "share_pct": np.nan, "total_published": total_v,
                         "parts_gap": np.nan, "source_id": src})
    out = pd.DataFrame(rows, columns=PROCEDURE_COLUMNS)
    if out.empty:
        return out
    order = {lvl: i for i, lvl in enumerate(LEVELS + ["all"])}
    return out.sort_values(["province_code", "period", "source_id", "level"],
                           key=lambda s: s.map(order) if s.name == "level" else s).reset_index(drop=True)


# --------------------------------------------------------------------------- dossiers
#: Columns of :func:`dossier_flows` (in no set order), also when nothing is held for the provinces asked.
DOSSIER_COLUMNS = ["province_code", "units", "period", "source_id", *FLOW, "on_time_rate_pct", "late_rate_pct",
                   "online_rate_pct", "is_approx", "province", "on_time_rate_computed_pct", "late_rate_computed_pct",
                   "online_rate_computed_pct"]


def dossier_flows(codes: list[str], catalog=None) -> pd.DataFrame:
    """One row per province, period and source: the published counts and rates side by side with
    the rates computed from the counts (on time and late as % of resolved, online as % of received).
    """
    metrics = FLOW + ["on_time_rate_pct", "late_rate_pct", "online_rate_pct"]
    return dossier_flows_from(data.facts(metric=metrics, catalog=catalog), codes)


def dossier_flows_from(f: pd.DataFrame, codes: list[str]) -> pd.DataFrame:
    metrics = FLOW + ["on_time_rate_pct", "late_rate_pct", "online_rate_pct"]
    f = f[f.province_code.isin(codes) & (f.level == "all")]
    if f.empty:
        return pd.DataFrame(columns=DOSSIER_COLUMNS)
    wide = f.pivot_table(index=["province_code", "units", "period", "source_id"], columns="metric",
                         values="value", aggfunc="first").reset_index()
    approx = f.groupby(["province_code", "units", "period", "source_id"])["is_approx"].any().reset_index()
    wide = wide.merge(approx, on=["province_code", "units", "period", "source_id"])
    for m in metrics:
        if m not in wide:
            wide[m] = np.nan
    wide["province"] = [pv.name_of(c, u) for c, u in zip(wide.province_code, wide.units)]
    wide["on_time_rate_computed_pct"] = (100 * wide.dossiers_on_time_count / wide.dossiers_resolved_count).round(2)
    wide["late_rate_computed_pct"] = (100 * wide.dossiers_late_count / wide.dossiers_resolved_count).round(2)
    wide["online_rate_computed_pct"] = (100 * wide.online_dossiers_count / wide.dossiers_received_count).round(2)
    return wide.sort_values(["province_code", "period", "source_id"]).reset_index(drop=True)


# --------------------------------------------------------------------------- rankings
def rankings(index: str, codes: list[str] | None = None, years: list[int] | None = None,
             units: str = "63", catalog=None) -> pd.DataFrame:
    """Score and rank per province and edition among one unit set (the 63, or the 34), with the
    change in rank on the previous edition where both ranks are held (positive = moved up).

    Where sources disagree (at their published precision), ``score`` or ``rank`` is left empty and
    ``disputed`` is true; ``score_preferred`` and ``rank_preferred`` then hold the value the written
    rule prefers (:mod:`reformbook.reconcile`), marked by ``score_is_preferred`` /
    ``rank_is_preferred``, with the reason in ``preferred_reason``. Where the sources agree, the
    preferred columns equal ``score`` and ``rank``. Charts use the preferred columns and mark them."""
    cat = _cat(catalog)
    idx = cat.registry[index]
    f = cat.facts(metric=list(idx.metrics), units=units)
    if years is not None:
        f = f[f.period.isin([str(y) for y in years])]
    if codes is not None:
        f = f[f.province_code.isin(codes)]
    return rankings_from(f, idx.score, idx.rank, units, cat.disputes)


#: Columns of :func:`rankings`, also when nothing is held.
RANKING_COLUMNS = ["province_code", "province", "year", "score", "rank", "rank_change", "disputed",
                   "rank_derived", "n_sources", "score_preferred", "rank_preferred", "score_is_preferred",
                   "rank_is_preferred", "preferred_reason", "rank_change_preferred", "source_ids"]


def rankings_from(f: pd.DataFrame, score: str, rank: str | None, units: str = "63",
                  disputes: pd.DataFrame | None = None) -> pd.DataFrame:
    """:func:`rankings` on a facts frame ``f`` (one index, one unit set) and the disputes table."""
    if f.empty:
        return pd.DataFrame(columns=RANKING_COLUMNS)
    f = f.copy()
    if "step" not in f:
        f["step"] = 1.0
    key = ["province_code", "period", "metric"]
    # one row per province-year and metric: the most precise value where the sources agree, else NaN
    best = f.sort_values("step").groupby(key).agg(value=("value", "first"), disputed=("is_disputed", "any"))
    best.loc[best.disputed, "value"] = np.nan
    agg = best.reset_index()
    wide = agg.pivot_table(index=["province_code", "period"], columns="metric", values="value",
                           aggfunc="first", dropna=False).reset_index()
    disputed = agg[agg.disputed].groupby(["province_code", "period"]).size().rename("disputed")
    wide = wide.merge(disputed, on=["province_code", "period"], how="left")
    wide["disputed"] = wide["disputed"].fillna(0) > 0
    srcs = f.groupby(["province_code", "period"])["source_id"].nunique().rename("n_sources")
    wide = wide.merge(srcs, on=["province_code", "period"])
    # the documents behind each row, so a chart can cite those of the highlighted provinces first
    ids = f.groupby(["province_code", "period"])["source_id"].agg(lambda s: tuple(sorted(set(s)))).rename("source_ids")
    wide = wide.merge(ids, on=["province_code", "period"])
    # a rank no source prints as such (read off a listed order, or from "up 3 places")
    derived = f[f.metric == rank].groupby(["province_code", "period"])["is_derived"].all().rename("rank_derived")
    wide = wide.merge(derived, on=["province_code", "period"], how="left")
    wide["rank_derived"] = wide["rank_derived"].astype("boolean").fillna(False).astype(bool)
    rename = {score: "score", "period": "year"}
    if rank:
        rename[rank] = "rank"
    wide = wide.rename(columns=rename)
    for col in ("score", "rank"):
        if col not in wide:
            wide[col] = np.nan
    # the preferred value where sources disagree
    wide["preferred_reason"] = ""
    for col, metric in (("score", score), ("rank", rank)):
        wide[f"{col}_preferred"] = wide[col]
        wide[f"{col}_is_preferred"] = False
        if disputes is None or disputes.empty or not metric:
            continue
        d = disputes[(disputes.metric == metric) & (disputes.units == units)].set_index(["province_code", "period"])
        for i, r in wide.iterrows():
            k = (r.province_code, r.year)
            if k in d.index and pd.isna(r[col]):
                wide.at[i, f"{col}_preferred"] = d.loc[k, "preferred_value"]
                wide.at[i, f"{col}_is_preferred"] = True
                wide.at[i, "preferred_reason"] = "; ".join(
                    x for x in (wide.at[i, "preferred_reason"], f"{col}: {d.loc[k, 'reason']}") if x)
    wide["year"] = wide.year.astype(int)
    wide["province"] = wide.province_code.map(lambda c: pv.name_of(c, units))
    wide = wide.sort_values(["province_code", "year"])
    prev = wide.groupby("province_code")[["year", "rank", "rank_preferred"]].shift(1)
    consecutive = prev.year == wide.year - 1
    wide["rank_change"] = np.where(consecutive, prev["rank"] - wide["rank"], np.nan)
    wide["rank_change_preferred"] = np.where(consecutive, prev["rank_preferred"] - wide["rank_preferred"], np.nan)
    return wide[RANKING_COLUMNS].reset_index(drop=True)


def ranked_twice(index: str, year: int, catalog=None) -> pd.DataFrame:
    """One edition ranked among the 34 new units and among the 63 old provinces (DTI 2024).

    One row per old province: its rank and score among the 63, beside the rank and score among
    the 34 of the unit it became part of. Nothing is carried across: a unit's figure among the 34
    is what was published for it, never a combination of its predecessors' figures.
    """
    new = rankings(index, years=[year], units="34", catalog=catalog)
    old = rankings(index, years=[year], units="63", catalog=catalog)
    return ranked_twice_from(new, old, pv.merger())


def ranked_twice_from(new: pd.DataFrame, old: pd.DataFrame, merger: pd.DataFrame) -> pd.DataFrame:
    new, old = new.set_index("province_code"), old.set_index("province_code")
    rows = []
    for r in merger.itertuples():
        n = new.loc[r.new_code] if r.new_code in new.index else None
        o = old.loc[r.old_code] if r.old_code in old.index else None
        rows.append({
            "new_code": r.new_code, "new_unit": pv.name_of(r.new_code, "34"),
            "rank_34": n["rank"] if n is not None else np.nan,
            "score_34": n["score"] if n is not None else np.nan,
            "old_code": r.old_code, "old_province": pv.name_of(r.old_code, "63"),
            "rank_63": o["rank"] if o is not None else np.nan,
            "score_63": o["score"] if o is not None else np.nan,
        })
    out = pd.DataFrame(rows)
    held = out.groupby("new_code")[["rank_34", "score_34", "rank_63", "score_63"]].transform("count").sum(axis=1) > 0
    return out[held].sort_values(["rank_34", "new_code", "rank_63", "old_code"], na_position="last").reset_index(drop=True)


def national_mean(index: str, catalog=None) -> pd.DataFrame:
    """The published national average of an index by edition (the registry's national metric)."""
    cat = _cat(catalog)
    metric = cat.registry[index].national if index in cat.registry else None
    if metric is None:
        return pd.DataFrame(columns=["year", "value", "source_id"])
    f = cat.facts(province=pv.NATIONAL_CODE, metric=metric, with_sources=False)
    return (f.assign(year=f.period.astype(int))[["year", "value", "source_id"]]
            .drop_duplicates(["year", "value"]).sort_values("year").reset_index(drop=True))


# --------------------------------------------------------------------------- Project 06 and online services
P06 = ["p06_tasks_total_count", "p06_tasks_completed_count", "p06_tasks_recurring_count",
       "p06_tasks_in_progress_count"]
ONLINE = ["online_services_count", "online_services_full_count", "online_services_partial_count",
          "online_services_l34_count", "online_services_l4_count"]
EID = ["vneid_accounts_issued_count", "vneid_accounts_activated_count", "vneid_accounts_collected_count",
       "vneid_activation_rate_pct", "vneid_level2_accounts_count", "cccd_issued_count"]


def figures_for(codes: list[str], metrics: list[str], catalog=None) -> pd.DataFrame:
    f = data.facts(metric=metrics, catalog=catalog)
    f = f[f.province_code.isin(codes)]
    cols = ["province_code", "province_name", "period", "metric", "label_en", "label_vi", "value", "is_approx", "source_id"]
    return f[cols].sort_values(["province_code", "metric", "period", "source_id"]).reset_index(drop=True)


def ranks_held(index: str, years: list[int] | None = None, units: str = "63") -> pd.Series:
    """Per edition, how many provinces have at least one rank published (disputed ranks count: a
    province whose sources disagree on its rank was ranked). The coverage page counts the same way."""
    _, rank, _ = INDICES[index]
    if rank is None:  # the publisher ranks nobody (PAPI's dimensions)
        return pd.Series(dtype=int, name="provinces").rename_axis("year")
    f = data.facts(metric=rank, units=units, with_sources=False)
    if years is not None:
        f = f[f.period.isin([str(y) for y in years])]
    out = f.groupby(f.period.astype(int))["province_code"].nunique()
    out.index.name = "year"
    return out.rename("provinces")
