"""The claims ledger: each quantitative claim of the seed articles re-computed from the data.

A claim is a paraphrase (never the article's words), the source it comes from, and a check that
returns a verdict — consistent, inconsistent (by how much) or not checkable — with the computation.
Approximate figures ("hơn"/"gần") are compared with a tolerance of one unit of their last
published digit, stated in the detail.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import pandas as pd

from . import checks, data

CONSISTENT, INCONSISTENT, UNCHECKABLE = "consistent", "inconsistent", "not checkable"


def _v(facts, code, metric, period, level="all", source=None, units="63"):
    f = facts[(facts.metric == metric) & (facts.period == period) & (facts.units == units)
              & (facts.province_code == code)]
    if level is not None:
        f = f[f.level == level]
    if source is not None:
        f = f[f.source_id == source]
    return f


def _one(facts, *args, **kw) -> float:
    f = _v(facts, *args, **kw)
    if len(f) != 1:
        raise LookupError(f"expected one value for {args} {kw}, found {len(f)}")
    return float(f.value.iloc[0])


@dataclass
class Claim:
    claim_id: str
    source_id: str
    province_code: str
    claim: str
    check: Callable[[pd.DataFrame], tuple[str, str]]  # the facts frame → (verdict, computation)


def _sum_check(code, period, source):
    def run(f):
        levels = ("province", "district", "commune")
        parts = {lvl: _one(f, code, "procedures_count", period, lvl, source) for lvl in levels}
        _one(f, code, "procedures_count", period, "all", source)  # the total must be held
        sub = f[(f.province_code == code) & (f.period == period) & (f.source_id == source)]
        pt = checks.parts_vs_total(sub, "procedures_count", levels).iloc[0]
        calc = " + ".join(f"{v:,.0f}" for v in parts.values()) + f" = {pt.parts_sum:,.0f}; published total {pt.total:,.0f}"
        return (CONSISTENT if pt.gap == 0 else INCONSISTENT), calc + ("" if pt.gap == 0 else f" (off by {pt.gap:+,.0f})")
    return run


def _rank_elsewhere(code, metric, period, claimed, source):
    def run(f):
        f = _v(f, code, metric, period, None)
        others = f[f.source_id != source]
        if others.empty:
            return UNCHECKABLE, f"no other source holds {metric} {period}"
        vals = sorted(set(others.value))
        detail = f"claimed {claimed}; other sources ({', '.join(sorted(others.source_id))}) give {', '.join(f'{v:.0f}' for v in vals)}"
        if vals == [claimed]:
            return CONSISTENT, detail
        return INCONSISTENT, detail + f" (off by {min(abs(v - claimed) for v in vals):.0f} places)"
    return run


def _rank_change(code, metric, period, change, source, claimed_now=None):
    def run(f):
        f_now = _v(f, code, metric, period, None)
        f_prev = _v(f, code, metric, str(int(period) - 1), None)
        if f_prev.empty:
            now = claimed_now if claimed_now is not None else sorted(set(f_now.value))
            return UNCHECKABLE, (f"no {metric} held for {int(period) - 1}; the claim implies rank "
                                 + ", ".join(f"{n + change:.0f} (if {period} rank is {n:.0f})"
                                             for n in ([now] if isinstance(now, (int, float)) else now)))
        rows = []
        verdict = CONSISTENT
        for prev in sorted(set(f_prev.value)):
            for now in sorted(set(f_now.value)):
                got = prev - now
                rows.append(f"{prev:.0f} − {now:.0f} = {got:+.0f}")
                if got != change:
                    verdict = INCONSISTENT
        return verdict, f"claimed +{change}; " + "; ".join(rows)
    return run


def _arith(expr: str, left: Callable[[], float], right: Callable[[], float], tol: float = 0.0):
    def run(f):
        a, b = left(f), right(f)
        ok = abs(a - b) <= tol
        return (CONSISTENT if ok else INCONSISTENT), f"{expr}: {a:,.2f} vs {b:,.2f}" + (
            f" (tolerance {tol:,.2f} for rounded or approximate figures)" if tol else "") + (
            "" if ok else f"; off by {a - b:+,.2f}")
    return run


S0, S1, S2, S3, S4 = ("seed-000-tapchigiaoduc", "seed-001-baodautu", "seed-002-ktsg", "seed-003-cand",
                      "seed-004-tienphong")


def _k(code, metric, period, source, level="all"):
    return lambda f: _one(f, code, metric, period, level, source)


CLAIMS = [
    Claim("C01", S0, "79", "HCMC's 2024 procedures by level add up to its total.", _sum_check("79", "2024", S0)),
    Claim("C02", S1, "01", "Hanoi's procedures by level at 10 June 2023 add up to its total.",
          _sum_check("01", "2023-06-10", S1)),
    Claim("C03", S1, "01", "Hanoi ranked 20th of 63 on DTI 2022.", _rank_elsewhere("01", "dti_rank", "2022", 20, S1)),
    Claim("C04", S1, "01", "Hanoi's DTI rank rose from 43rd to 20th, i.e. 23 places.",
          _arith("43 − 20 against the stated rise", lambda f: 43 - 20, _k("01", "dti_rank_change_places", "2022", S1, "province"))),
    Claim("C05", S1, "01", "Hanoi's DTI 2022 rank was 16 places higher than in 2021.",
          _rank_change("01", "dti_rank", "2022", 16, S1)),
    Claim("C06", S1, "01", "The 43rd place Hanoi rose from is its DTI 2020 rank.",
          _rank_elsewhere("01", "dti_rank", "2020", 43, S1)),
    Claim("C07", S1, "01", "Hanoi ranked 3rd of 63 on the PAR Index 2022.",
          _rank_elsewhere("01", "par_index_rank", "2022", 3, S1)),
    Claim("C08", S1, "01", "Hanoi's PAR Index 2022 rank was 7 places higher than in 2021.",
          _rank_change("01", "par_index_rank", "2022", 7, S1, claimed_now=3)),
    Claim("C09", S2, "79", "HCMC completed all 88 of 88 PAR-plan tasks in 2023 (100%).",
          _arith("completed / planned × 100 against 100%",
                 lambda f: 100 * _one(f, "79", "par_plan_tasks_completed_count", "2023", "all", S2)
                 / _one(f, "79", "par_plan_tasks_count", "2023", "all", S2),
                 _k("79", "par_plan_completion_pct", "2023", S2))),
    Claim("C10", S2, "79", "HCMC's 2023 on-time and late rates (99.84% and 0.16%) make up all resolved dossiers.",
          _arith("on-time % + late % against 100", lambda f: _one(f, "79", "on_time_rate_pct", "2023", "all", S2)
                 + _one(f, "79", "late_rate_pct", "2023", "all", S2), lambda f: 100.0)),
    Claim("C11", S2, "79", "HCMC's 2023 late rate of 0.16% matches 'over 37,000' late of 'over 22.5 million' resolved.",
          _arith("late / resolved × 100 against the published late rate",
                 lambda f: 100 * _one(f, "79", "dossiers_late_count", "2023", "all", S2)
                 / _one(f, "79", "dossiers_resolved_count", "2023", "all", S2),
                 _k("79", "late_rate_pct", "2023", S2), tol=0.005)),
    Claim("C12", S2, "79", "HCMC's 2023 on-time (over 22.4 million) plus late (over 37,000) equal the resolved (over 22.5 million).",
          _arith("on time + late against resolved",
                 lambda f: _one(f, "79", "dossiers_on_time_count", "2023", "all", S2) + _one(f, "79", "dossiers_late_count", "2023", "all", S2),
                 _k("79", "dossiers_resolved_count", "2023", S2), tol=100_000)),
    Claim("C13", S2, "79", "HCMC's 2023 dossiers taken in (nearly 22.6 million) equal resolved plus pending.",
          _arith("resolved + pending against received",
                 lambda f: _one(f, "79", "dossiers_resolved_count", "2023", "all", S2) + _one(f, "79", "dossiers_pending_count", "2023", "all", S2),
                 _k("79", "dossiers_received_count", "2023", S2), tol=100_000)),
    Claim("C14", S2, "79", "HCMC's 2023 late-dossier count agrees across sources.",
          lambda f: _late_sources(f)),
    Claim("C15", S3, "79", "Of HCMC's 32 Đề án 06 tasks, 26 were completed and 6 were in progress.",
          _arith("completed + in progress against total",
                 lambda f: _one(f, "79", "p06_tasks_completed_count", "2024", "all", S3) + _one(f, "79", "p06_tasks_in_progress_count", "2024", "all", S3),
                 _k("79", "p06_tasks_total_count", "2024", S3))),
    Claim("C16", S3, "79", "HCMC's 16 recurring Đề án 06 tasks are a further group beside the 26 completed and 6 in progress.",
          _arith("completed + recurring + in progress against total",
                 lambda f: sum(_one(f, "79", m, "2024", "all", S3) for m in
                             ("p06_tasks_completed_count", "p06_tasks_recurring_count", "p06_tasks_in_progress_count")),
                 _k("79", "p06_tasks_total_count", "2024", S3))),
    Claim("C17", S4, "79", "Of HCMC's 1,542 online public services at 1 June 2023, 433 were at level 3 or 4.",
          lambda f: (UNCHECKABLE, "a share can be computed (433 / 1,542 = "
                   f"{100 * 433 / 1542:.1f}%) but no other source holds the June 2023 counts")),
]


def _late_sources(facts):
    f = _v(facts, "79", "dossiers_late_count", "2023")
    vals = {r.source_id: r.value for r in f.itertuples()}
    seed = vals.pop(S2)
    if not vals:
        return UNCHECKABLE, "no second source"
    other = ", ".join(f"{v:,.0f} ({s})" for s, v in vals.items())
    ok = all(v >= seed for v in vals.values())
    return (CONSISTENT if ok else INCONSISTENT), f"seed: over {seed:,.0f}; other sources: {other}" + (
        " — an exact count above the seed's floor agrees with 'over'" if ok else "")


def ledger(catalog=None) -> pd.DataFrame:
    """Every claim with its verdict and computation, on the repository's data (or ``catalog``)."""
    return ledger_from(data.facts(with_sources=False, catalog=catalog))


def ledger_from(facts: pd.DataFrame, claims: list[Claim] | None = None) -> pd.DataFrame:
    """The ledger on a facts frame: a pure function, so a test can check a claim on a few rows."""
    rows = []
    for c in CLAIMS if claims is None else claims:
        try:
            verdict, detail = c.check(facts)
        except LookupError as exc:
            verdict, detail = UNCHECKABLE, str(exc)
        rows.append({"claim_id": c.claim_id, "source_id": c.source_id, "province_code": c.province_code,
                     "claim": c.claim, "verdict": verdict, "computation": detail})
    return pd.DataFrame(rows)
