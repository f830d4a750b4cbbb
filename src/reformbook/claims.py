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

#: while a claim is checked, the facts its check looks up (the published figures its card shows)
_RECORD: list | None = None

CONSISTENT, INCONSISTENT, UNCHECKABLE = "consistent", "inconsistent", "not checkable"


def _v(facts, code, metric, period, level="all", source=None, units="63"):
    f = facts[(facts.metric == metric) & (facts.period == period) & (facts.units == units)
              & (facts.province_code == code)]
    if level is not None:
        f = f[f.level == level]
    if source is not None:
        f = f[f.source_id == source]
    if _RECORD is not None:
        _RECORD.append(f)
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
    check: Callable[[pd.DataFrame], tuple]  # the facts frame → (verdict, computation, gap, why)


def _sum_check(code, period, source):
    def run(f):
        levels = ("province", "district", "commune")
        parts = {lvl: _one(f, code, "procedures_count", period, lvl, source) for lvl in levels}
        _one(f, code, "procedures_count", period, "all", source)  # the total must be held
        sub = f[(f.province_code == code) & (f.period == period) & (f.source_id == source)]
        pt = checks.parts_vs_total(sub, "procedures_count", levels).iloc[0]
        s, total = pt.parts_sum, pt.total
        calc = " + ".join(f"{v:,.0f}" for v in parts.values()) + f" = {s:,.0f}; published total {total:,.0f}"
        if pt.gap == 0:
            return CONSISTENT, calc, "", "The procedures published for each level add up exactly to the published total."
        return (INCONSISTENT, calc + f" (off by {pt.gap:+,.0f})", f"off by {abs(pt.gap):,.0f} procedures",
                f"The published levels add up to {s:,.0f}, not to the published total of {total:,.0f}.")
    return run


def _rank_elsewhere(code, metric, period, claimed, source):
    def run(f):
        f = _v(f, code, metric, period, None)
        others = f[f.source_id != source]
        if others.empty:
            return UNCHECKABLE, f"no other source holds the {_label(metric)} for {period}", "", \
                "No other source we hold gives this rank, so there is nothing to compare it with."
        vals = sorted(set(others.value))
        n = others.source_id.nunique()
        detail = (f"claimed {claimed}; {n} other source{'s' if n > 1 else ''} "
                  f"give{'' if n > 1 else 's'} {', '.join(f'{v:.0f}' for v in vals)}")
        if vals == [claimed]:
            return CONSISTENT, detail, "", f"Every other source we hold gives the same rank ({claimed})."
        off = min(abs(v - claimed) for v in vals)
        return (INCONSISTENT, detail + f" (off by {off:.0f} places)", f"off by {off:.0f} place{'s' if off != 1 else ''}",
                f"Other sources give {' or '.join(f'{v:.0f}' for v in vals)} for the same edition, not {claimed}.")
    return run


def _rank_change(code, metric, period, change, source, claimed_now=None):
    def run(f):
        f_now = _v(f, code, metric, period, None)
        f_prev = _v(f, code, metric, str(int(period) - 1), None)
        if f_prev.empty:
            now = claimed_now if claimed_now is not None else sorted(set(f_now.value))
            return UNCHECKABLE, (f"no {_label(metric)} held for {int(period) - 1}; the claim implies rank "
                                 + ", ".join(f"{n + change:.0f} (if {period} rank is {n:.0f})"
                                             for n in ([now] if isinstance(now, (int, float)) else now))), "", \
                f"We hold no rank for {int(period) - 1}, the edition the change is measured from."
        rows = []
        verdict = CONSISTENT
        off = 0.0
        for prev in sorted(set(f_prev.value)):
            for now in sorted(set(f_now.value)):
                got = prev - now
                rows.append(f"{prev:.0f} − {now:.0f} = {got:+.0f}")
                if got != change:
                    verdict = INCONSISTENT
                    off = max(off, abs(got - change))
        if verdict == CONSISTENT:
            return verdict, f"claimed +{change}; " + "; ".join(rows), "", \
                "The ranks we hold for the two editions differ by exactly the stated number of places."
        return (verdict, f"claimed +{change}; " + "; ".join(rows), f"off by up to {off:.0f} places",
                "The ranks we hold for the two editions do not differ by the stated number of places.")
    return run


def _arith(expr: str, left: Callable[[], float], right: Callable[[], float], tol: float = 0.0, unit: str = ""):
    def run(f):
        a, b = left(f), right(f)
        ok = abs(a - b) <= tol
        detail = f"{expr}: {_num(a)} vs {_num(b)}" + (
            f" (tolerance {_num(tol)} for rounded or approximate figures)" if tol else "") + (
            "" if ok else f"; off by {a - b:+,.2f}")
        if ok:
            return CONSISTENT, detail, "", ("The recomputed figure matches the published one"
                                            + (" within the rounding of the published figures." if tol else "."))
        return (INCONSISTENT, detail, f"off by {_num(abs(a - b))}" + (f" {unit}" if unit else ""),
                f"Recomputed from the published figures it is {_num(a)}, not {_num(b)}.")
    return run


def _label(metric: str) -> str:
    m = data.metrics()
    row = m[m.metric == metric]
    return row.label_en.iloc[0] if len(row) else metric


def _num(v: float) -> str:
    """A number as written in a sentence: no trailing zeros.

    >>> _num(22500000.0), _num(99.840), _num(0.005)
    ('22,500,000', '99.84', '0.005')
    """
    text = f"{v:,.3f}".rstrip("0").rstrip(".")
    return text


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
                 _k("79", "p06_tasks_total_count", "2024", S3), unit="tasks")),
    Claim("C16", S3, "79", "HCMC's 16 recurring Đề án 06 tasks are a further group beside the 26 completed and 6 in progress.",
          _arith("completed + recurring + in progress against total",
                 lambda f: sum(_one(f, "79", m, "2024", "all", S3) for m in
                             ("p06_tasks_completed_count", "p06_tasks_recurring_count", "p06_tasks_in_progress_count")),
                 _k("79", "p06_tasks_total_count", "2024", S3), unit="tasks")),
    Claim("C17", S4, "79", "Of HCMC's 1,542 online public services at 1 June 2023, 433 were at level 3 or 4.",
          lambda f: _share_only(f)),
]


def _late_sources(f):
    f = _v(f, "79", "dossiers_late_count", "2023")
    vals = {r.source_id: r.value for r in f.itertuples()}
    seed = vals.pop(S2)
    if not vals:
        return UNCHECKABLE, "no second source", "", "No other source we hold gives the 2023 late count."
    other = ", ".join(f"{v:,.0f}" for v in vals.values())
    ok = all(v >= seed for v in vals.values())
    detail = f"article: over {seed:,.0f}; other sources: {other}" + (
        " — an exact count above the article's floor agrees with 'over'" if ok else "")
    if ok:
        return CONSISTENT, detail, "", "Every other source gives a count at or above the article's \"over\" figure."
    low = min(vals.values())
    return (INCONSISTENT, detail, f"off by {seed - low:,.0f} dossiers",
            "Another source gives fewer late dossiers than the article's \"over\" figure.")


def _share_only(f):
    services = _one(f, "79", "online_services_count", "2023-06-01", "all", S4)
    l34 = _one(f, "79", "online_services_l34_count", "2023-06-01", "all", S4)
    return (UNCHECKABLE, f"a share can be computed ({l34:,.0f} / {services:,.0f} = {100 * l34 / services:.1f}%) "
            "but no other source holds the June 2023 counts", "",
            "The two counts come from one article only, so nothing independent can confirm them.")


def badge(verdict: str, gap: str = "") -> str:
    """The verdict as the badge reads: 'consistent', 'inconsistent, off by 4 places', 'not checkable'.

    >>> badge("inconsistent", "off by 4 places"), badge("consistent")
    ('inconsistent, off by 4 places', 'consistent')
    """
    if verdict not in (CONSISTENT, INCONSISTENT, UNCHECKABLE):
        raise ValueError(f"verdict {verdict!r} is not one of {CONSISTENT!r}, {INCONSISTENT!r}, {UNCHECKABLE!r}")
    return f"{verdict}, {gap}" if verdict == INCONSISTENT and gap else verdict


def _run(c: Claim, facts: pd.DataFrame) -> tuple[dict, pd.DataFrame]:
    global _RECORD
    _RECORD = []
    try:
        out = c.check(facts)
    except LookupError as exc:
        out = (UNCHECKABLE, str(exc), "", "A figure the check needs is not held.")
    finally:
        looked_up, _RECORD = _RECORD, None
    verdict, detail, gap, why = (tuple(out) + ("", ""))[:4]
    used = (pd.concat(looked_up, ignore_index=True).drop_duplicates(
        ["province_code", "units", "metric", "level", "period", "source_id"]) if looked_up else pd.DataFrame())
    return {"verdict": verdict, "computation": detail, "gap": gap, "why": why,
            "badge": badge(verdict, gap)}, used


def ledger(catalog=None) -> pd.DataFrame:
    """Every claim with its verdict, on the repository's data (or ``catalog``): see :func:`ledger_from`."""
    return ledger_from(data.facts(with_sources=False, catalog=catalog))


def ledger_from(facts: pd.DataFrame, claims: list[Claim] | None = None) -> pd.DataFrame:
    """One row per claim: the claim, its article, the verdict, the arithmetic (``computation``), by how
    much it is off (``gap``), one sentence on why, and the ids of every source the check read. A pure
    function of the facts frame, so a test can check a claim on a few rows."""
    rows = []
    for c in CLAIMS if claims is None else claims:
        result, used = _run(c, facts)
        ids = set(used.source_id) if len(used) else set()
        figs = [] if used.empty else [
            {"label": r.label_en, "level": r.level, "period": r.period, "value": r.value,
             "is_approx": bool(r.is_approx), "source_id": r.source_id, "province": r.province_name}
            for r in used.sort_values(["source_id", "metric", "level", "period"]).itertuples()]
        rows.append({"claim_id": c.claim_id, "source_id": c.source_id, "province_code": c.province_code,
                     "claim": c.claim, **result, "source_ids": tuple(sorted(ids | {c.source_id})), "figures": figs})
    return pd.DataFrame(rows)


def figures_used(claim_id: str, catalog=None) -> pd.DataFrame:
    """The published figures a claim's check read, from its article and from other sources."""
    c = next((c for c in CLAIMS if c.claim_id == claim_id), None)
    if c is None:
        raise ValueError(f"unknown claim {claim_id!r}; claims: {', '.join(x.claim_id for x in CLAIMS)}")
    _, used = _run(c, data.facts(with_sources=False, catalog=catalog))
    return used


# --------------------------------------------------------------------------- the ledger as cards
_LEVELS = {"all": "", "province": "province level", "district": "district level", "commune": "commune level",
           "other": "other agencies"}


def _figure_text(f: dict) -> str:
    value = f"{f['value']:,.2f}".rstrip("0").rstrip(".")
    approx = "about " if f["is_approx"] else ""
    level = "" if "rank" in f["label"].lower() else _LEVELS.get(f["level"], f["level"])
    return f"{f['label']}{', ' + level if level else ''}, {f['period']}: {approx}{value}"


def cards_html(ledger: pd.DataFrame, sources: pd.DataFrame) -> str:
    """The ledger as one card per claim (HTML). Markup contract, relied on by the browser tests: each
    claim is an element of class ``claim-card`` holding exactly one element of class
    ``verdict-badge`` whose text starts with 'consistent', 'inconsistent' or 'not checkable'."""
    import html

    if ledger.empty:
        return '<p class="claim-none">No claims about these provinces are in the ledger.</p>'
    src = sources.set_index("source_id")
    e = html.escape
    cards = []
    for r in ledger.itertuples():
        art = src.loc[r.source_id]
        title = e(art.title)
        if art.url:
            title = f'<a href="{e(art.url, quote=True)}">{title}</a>'
        own = [f for f in r.figures if f["source_id"] == r.source_id]
        other = [f for f in r.figures if f["source_id"] != r.source_id]
        figs = "".join(f"<li>{e(_figure_text(f))}</li>" for f in own) or "<li>none held</li>"
        others = ""
        if other:
            items = "".join(
                f"<li>{e(_figure_text(f))} <span class=\"claim-src\">({e(src.loc[f['source_id']].publisher)})</span></li>"
                for f in other)
            others = f"<dt>Other sources</dt><dd><ul>{items}</ul></dd>"
        kind = r.verdict.replace(" ", "-")
        cards.append(
            f'<article class="claim-card v-{kind}" id="claim-{e(r.claim_id.lower())}">'
            f'<header><span class="claim-id">{e(r.claim_id)}</span>'
            f'<p class="claim-text">{e(r.claim)}</p>'
            f'<span class="verdict-badge v-{kind}">{e(r.badge)}</span></header>'
            f"<dl><dt>Article</dt><dd>{title} — {e(art.publisher)}, {e(art.date_published or 'undated')}</dd>"
            f"<dt>Published</dt><dd><ul>{figs}</ul></dd>{others}"
            f"<dt>Our check</dt><dd>{e(r.computation)}</dd></dl>"
            f'<p class="why"><strong>Why:</strong> {e(r.why)}</p></article>')
    return '<div class="claim-list">' + "".join(cards) + "</div>"
