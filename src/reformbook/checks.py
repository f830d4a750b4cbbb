"""Findings about the figures, each written once: do two published values agree, do published parts add
up to their published total, do ranks follow score order. Pure functions of data frames.

A facts frame here has at least ``province_code, units, metric, level, period, value`` (float) and
``source_id``; ``step`` (the unit of the last published digit) and ``is_approx`` are used when
present (see :func:`precision_step`).
"""

from __future__ import annotations

import re
from itertools import combinations

import numpy as np
import pandas as pd

#: the columns that name one figure (a source may give it once; two sources may disagree)
FIGURE = ["province_code", "units", "metric", "figure_level", "period"]
PART_LEVELS = ["province", "district", "commune", "other"]

#: a note that describes arithmetic behind the value ("derived: 69.69-5.85=63.84", "91.81 minus …")
ARITHMETIC = re.compile(
    r"^\s*derived(?: score)?\s*:.*(?:\d\s*[−+\-]\s*\d|\(\s*[+−\-]\s*\d|\bminus\b|->)", re.I)


def describes_arithmetic(note: str) -> bool:
    return bool(ARITHMETIC.search(str(note or "")))


# --------------------------------------------------------------------------- agreement at published precision
#: the finest precision a published figure is compared at (see :func:`precision_step`)
MAX_DECIMALS = 5


def precision_step(text: str, is_approx: bool = False) -> float:
    """The unit of the last published digit of ``text`` (a value as stored, e.g. "41.629" → 0.001).

    An approximate whole number ("hơn 37.000", stored 37000) is as precise as its last non-zero
    digit (1,000); an exact whole number is precise to 1.
    """
    text = str(text).strip()
    if "." in text:
        decimals = len(text.split(".", 1)[1].rstrip()) if not re.search(r"e", text, re.I) else 6
        # Six or more decimals come from computed sums (PAPI's total as the sum of its sub-dimension
        # scores, in compilations and in the complete tables), whose last digits are floating-point
        # noise: 43.960304 and 43.960305 are one figure. They are compared at the fifth decimal.
        return 10.0 ** -min(decimals, MAX_DECIMALS)
    if is_approx:
        digits = text.lstrip("-")
        zeros = len(digits) - len(digits.rstrip("0")) if digits.strip("0") else 0
        return 10.0 ** zeros
    return 1.0


def agree(a: float, step_a: float, approx_a: bool, b: float, step_b: float, approx_b: bool) -> bool:
    """Two published values agree when they are equal at the coarser precision of the two.

    Exact values: the difference is at most half a unit of the coarser last digit (41.6286 and
    41.629 agree; 91.81 and 91.87 do not). An approximate value agrees with anything within one unit
    of its last published digit ("hơn 37.000" and 37,649 agree)."""
    diff = abs(a - b)
    eps = 1e-9 * max(1.0, abs(a), abs(b))
    if approx_a or approx_b:
        tol = max(step_a if approx_a else 0.0, step_b if approx_b else 0.0)
        return diff <= tol + eps
    return diff <= max(step_a, step_b) / 2 + eps


def with_tier(df: pd.DataFrame, index_metrics: set[str]) -> pd.DataFrame:
    """Add ``figure_level``: the level, except that an index figure filed as the province's ("province") or as
    the published total ("all") is one figure, so the two are compared."""
    out = df.copy()
    same = out.metric.isin(index_metrics) & out.level.isin(["province", "all"])
    out["figure_level"] = np.where(same, "all", out.level)
    if "step" not in out:
        out["step"] = 1.0
    if "is_approx" not in out:
        out["is_approx"] = False
    return out


def consistent(values, steps, approx) -> bool:
    """True when every pair of the values agrees (:func:`agree`)."""
    vals = list(zip(values, steps, approx))
    return all(agree(*a, *b) for a, b in combinations(vals, 2))


def disputed(df: pd.DataFrame, index_metrics: set[str] = frozenset()) -> pd.Series:
    """For each row: does another source give a value for the same figure that does not agree?"""
    if df.empty:
        return pd.Series([], dtype=bool, index=df.index)
    d = with_tier(df, index_metrics)
    g = d.groupby(FIGURE, sort=False)["value"]
    several = (g.transform("max") > g.transform("min"))
    out = pd.Series(False, index=d.index)
    for _, grp in d[several].groupby(FIGURE, sort=False):
        if not consistent(grp.value, grp.step, grp.is_approx):
            out[grp.index] = True
    return out


def disagreements(df: pd.DataFrame, index_metrics: set[str] = frozenset()) -> pd.DataFrame:
    """One row per disputed figure: its key, the distinct values and who gives each."""
    d = with_tier(df, index_metrics)
    d = d[disputed(d, index_metrics)]
    rows = []
    for key, grp in d.groupby(FIGURE, sort=True):
        values = sorted(set(grp.value))
        rows.append({**dict(zip(FIGURE, key)), "values": values, "n_values": len(values),
                     "source_ids": sorted(set(grp.source_id))})
    return pd.DataFrame(rows, columns=FIGURE + ["values", "n_values", "source_ids"])


# --------------------------------------------------------------------------- parts versus total
def parts_vs_total(df: pd.DataFrame, metric: str = "procedures_count", parts=PART_LEVELS) -> pd.DataFrame:
    """Per province, unit set, period and source: the published total (level "all"), the sum of the
    published parts, which parts, and ``gap`` = total − sum (NaN when either side is missing)."""
    sub = df[df.metric == metric]
    rows = []
    for (code, units, period, src), g in sub.groupby(["province_code", "units", "period", "source_id"]):
        total = g.loc[g.level == "all", "value"]
        lv = g[g.level.isin(parts)]
        t = float(total.iloc[0]) if len(total) else np.nan
        s = float(lv.value.sum()) if len(lv) else np.nan
        rows.append({"province_code": code, "units": units, "period": period, "source_id": src,
                     "total": t, "parts_sum": s, "parts": ", ".join(sorted(lv.level)), "gap": t - s})
    return pd.DataFrame(rows, columns=["province_code", "units", "period", "source_id", "total", "parts_sum",
                                       "parts", "gap"])


# --------------------------------------------------------------------------- ranks versus scores
def order_breaks(df: pd.DataFrame, rank_to_score: dict[str, str]) -> pd.DataFrame:
    """Every pair of provinces whose ranks and scores (any held values, disputed ones included) point
    opposite ways: A ranked above B with a lower score. One row per rank metric, period, unit set,
    pair and pair of values, with the sources of each value."""
    cols = ["rank_metric", "score_metric", "period", "units", "code_a", "rank_a", "score_a", "code_b", "rank_b",
            "score_b", "sources_a", "sources_b"]
    out = []
    for rank_m, score_m in rank_to_score.items():
        r = df[df.metric == rank_m]
        s = df[df.metric == score_m]
        if r.empty or s.empty:
            continue
        r = r.groupby(["period", "units", "province_code", "value"])["source_id"].agg(
            lambda x: " ".join(sorted(set(x)))).rename("rsrc").reset_index().rename(columns={"value": "rank"})
        s2 = s.assign(step=s["step"] if "step" in s else 1.0)
        s2 = s2.groupby(["period", "units", "province_code", "value"]).agg(
            ssrc=("source_id", lambda x: " ".join(sorted(set(x)))), step=("step", "max")).reset_index().rename(
            columns={"value": "score"})
        rs = r.merge(s2, on=["period", "units", "province_code"])
        if rs.empty:
            continue
        pairs = rs.merge(rs, on=["period", "units"], suffixes=("_a", "_b"))
        tol = np.maximum(pairs.step_a, pairs.step_b) / 2 + 1e-9
        bad = pairs[(pairs.province_code_a != pairs.province_code_b) & (pairs.rank_a < pairs.rank_b)
                    & (pairs.score_b - pairs.score_a > tol)]
        for b in bad.itertuples():
            out.append({"rank_metric": rank_m, "score_metric": score_m, "period": b.period, "units": b.units,
                        "code_a": b.province_code_a, "rank_a": b.rank_a, "score_a": b.score_a,
                        "code_b": b.province_code_b, "rank_b": b.rank_b, "score_b": b.score_b,
                        "sources_a": f"{b.rsrc_a} | {b.ssrc_a}", "sources_b": f"{b.rsrc_b} | {b.ssrc_b}"})
    return pd.DataFrame(out, columns=cols)


def shared_ranks(df: pd.DataFrame, rank_metrics: set[str]) -> pd.DataFrame:
    """Provinces that share one rank where each has a single held rank."""
    out = []
    ranks = df[df.metric.isin(rank_metrics)]
    for (metric, period, units), g in ranks.groupby(["metric", "period", "units"]):
        per = g.groupby("province_code")["value"].agg(lambda v: sorted(set(v)))
        single = per[per.map(len) == 1].map(lambda v: v[0])
        for rank, codes in single.groupby(single).groups.items():
            if len(codes) > 1:
                out.append({"metric": metric, "period": period, "units": units, "rank": rank,
                            "codes": sorted(codes)})
    return pd.DataFrame(out, columns=["metric", "period", "units", "rank", "codes"])
