"""The preferred value of each disputed figure, chosen by a written, ordered rule, with its reason.

A figure is disputed when two sources give values that do not agree at their published precision
(:func:`reformbook.checks.agree`). Values that agree are one candidate, shown at the most precise.
The rule, applied in this order until one candidate is left:

1. **score order** — a candidate that breaks score order loses: a rank that would put the province
   above a province with a higher score (or below one with a lower score), or a score that would
   contradict the province's own rank; compared with the figures no source disputes;
2. **source tier** — the best tier among the sources that give it (:data:`TIERS`, best first):
   the publisher's full table, the publisher's announcement, national press and central
   government, provincial press and provincial authorities, third-party compilations, translations
   and foreign-language reports;
3. **stated** — a value a source prints over one worked out from a statement (``is_derived``);
4. **exact** — an exact value over an approximate one ("hơn", "gần");
5. **agreement** — the value more sources give;
6. **precision** — the more precise value;
7. otherwise no rule separates them: the value of the first source id (alphabetically) is shown,
   and the reason says so.
"""

from __future__ import annotations

from html import escape

import numpy as np
import pandas as pd

from . import checks
from .registry import bilingual
from .data import TIERS  # source tiers, best first (the ``tier`` column of data/sources.csv)

TIER_LABEL = {
    "publisher_table": "the publisher's full table",
    "publisher_announcement": "the publisher's announcement",
    "national": "national press or central government",
    "provincial": "provincial press or authorities",
    "compilation": "a third-party compilation",
    "translation": "a translation or foreign-language report",
    "": "an unclassified source",
}
RULES = ["score order", "source tier", "stated", "exact", "agreement", "precision", "first source"]
COLUMNS = ["index", "province_code", "province", "units", "metric", "label", "level", "period", "values",
           "n_values", "preferred_value", "preferred_sources", "rule", "reason", "source_ids"]


def _tier_rank(t) -> int:
    return TIERS.index(t) if t in TIERS else len(TIERS)


def _fmt(v: float) -> str:
    return f"{v:,.0f}" if float(v).is_integer() else f"{v:,.10g}"


def _candidates(g: pd.DataFrame) -> list[dict]:
    """Distinct values of one figure, values that agree at their precision merged into one."""
    rows = g.sort_values("value")
    groups: list[list] = []
    for r in rows.itertuples():
        if groups and checks.agree(groups[-1][0].value, groups[-1][0].step, groups[-1][0].is_approx,
                                   r.value, r.step, r.is_approx):
            groups[-1].append(r)
        else:
            groups.append([r])
    out = []
    for members in groups:
        best = min(members, key=lambda r: (r.step, r.is_approx))
        out.append({
            "value": best.value,
            "sources": sorted({r.source_id for r in members}),
            "tier": min(_tier_rank(getattr(r, "tier", "")) for r in members),
            "stated": any(not r.is_derived for r in members),
            "exact": any(not r.is_approx for r in members),
            "n_sources": len({r.source_id for r in members}),
            "step": best.step,
        })
    return out


def _consensus(facts: pd.DataFrame) -> pd.Series:
    """(metric, period, units, province) → the one undisputed value (most precise), for order checks."""
    f = facts[~facts.is_disputed].sort_values("step")
    return f.groupby(["metric", "period", "units", "province_code"])["value"].first()


def _breaks_order(metric: str, value: float, key, registry, consensus: pd.Series, step: float) -> list[str]:
    """Provinces (code) whose undisputed rank and score contradict ``value`` for this province."""
    rank_to_score = registry.rank_to_score()
    score_to_rank = {s: r for r, s in rank_to_score.items()}
    code, units, period = key
    if metric in rank_to_score:
        rank_m, score_m, own = metric, rank_to_score[metric], ("score", consensus.get((rank_to_score[metric], period, units, code)))
    elif metric in score_to_rank:
        rank_m, score_m, own = score_to_rank[metric], metric, ("rank", consensus.get((score_to_rank[metric], period, units, code)))
    else:
        return []
    if own[1] is None or (isinstance(own[1], float) and np.isnan(own[1])):
        return []
    try:
        ranks = consensus.loc[(rank_m, period, units)]
        scores = consensus.loc[(score_m, period, units)]
    except KeyError:
        return []
    both = pd.concat([ranks.rename("rank"), scores.rename("score")], axis=1, join="inner").drop(index=code, errors="ignore")
    tol = step / 2 + 1e-9 if own[0] == "rank" else 1e-9
    if own[0] == "score":  # the candidate is a rank; the province's score is undisputed
        r, s = value, own[1]
    else:  # the candidate is a score; the province's rank is undisputed
        r, s = own[1], value
    bad = both[((r < both["rank"]) & (s < both.score - tol)) | ((r > both["rank"]) & (s > both.score + tol))]
    return sorted(bad.index)


def _tier_label(t: int) -> str:
    return TIER_LABEL[TIERS[t] if t < len(TIERS) else ""]


def _apply(name: str, live: list[dict], fig: dict, registry, consensus) -> tuple[list[dict], str]:
    """One step of the rule: the candidates it keeps and why the others lose."""
    if name == "score order":
        for c in live:
            c["breaks"] = _breaks_order(fig["metric"], c["value"], (fig["province_code"], fig["units"], fig["period"]),
                                        registry, consensus, c["step"])
        keep = [c for c in live if not c["breaks"]]
        if not keep:
            return live, ""
        return keep, "; ".join(
            f"{_fmt(c['value'])} contradicts the undisputed rank and score of {', '.join(c['breaks'][:5])}"
            f"{', …' if len(c['breaks']) > 5 else ''}" for c in live if c["breaks"])
    if name == "source tier":
        best = min(c["tier"] for c in live)
        keep = [c for c in live if c["tier"] == best]
        return keep, f"{_fmt(keep[0]['value'])} is given by {_tier_label(best)}; " + "; ".join(
            f"{_fmt(c['value'])} only by {_tier_label(c['tier'])}" for c in live if c not in keep)
    if name in ("stated", "exact"):
        keep = [c for c in live if c[name]] or live
        return keep, ("the others were worked out from a statement" if name == "stated" else "the others are approximate")
    if name == "agreement":
        most = max(c["n_sources"] for c in live)
        keep = [c for c in live if c["n_sources"] == most]
        return keep, f"{most} source(s) give it; " + "; ".join(
            f"{_fmt(c['value'])}: {c['n_sources']}" for c in live if c not in keep)
    if name == "precision":
        fine = min(c["step"] for c in live)
        return [c for c in live if c["step"] == fine], "the more precise value"
    # first source: nothing separates them
    return sorted(live, key=lambda c: c["sources"][0])[:1], (
        "no rule separates the values (same tier, all stated and exact, as many sources, same precision); "
        "the value of the first source id is shown")


def reconcile(facts: pd.DataFrame, registry) -> pd.DataFrame:
    """One row per disputed figure of ``facts`` (a prepared facts frame with ``is_disputed``, ``step``
    and the sources' ``tier``): every value with its sources, the preferred value, the rule that
    chose it and the reason."""
    index_metrics = registry.score_metrics() | registry.rank_metrics()
    d = checks.with_tier(facts, index_metrics)
    if "tier" not in d:
        d["tier"] = ""
    consensus = _consensus(d)
    rows = []
    for key, g in d[d.is_disputed].groupby(checks.FIGURE, sort=True):
        fig = dict(zip(checks.FIGURE, key))
        cands = _candidates(g)
        live = cands
        steps: list[tuple[str, str]] = []
        for name in RULES:
            if len(live) == 1:
                break
            keep, detail = _apply(name, live, fig, registry, consensus)
            if len(keep) < len(live):
                steps.append((name, detail))
                live = keep
        pref = live[0]
        rule = steps[-1][0] if steps else "precision"
        reason = "; then ".join(f"{n}: {d}" for n, d in steps) or "the values agree at their published precision"
        idx = registry.index_of_metric(fig["metric"])
        g0 = g.iloc[0]
        rows.append({
            "index": idx.code if idx else "", "province_code": fig["province_code"],
            "province": g0.province_name, "units": fig["units"], "metric": fig["metric"],
            "label": bilingual(_text(g0, "label_en"), _text(g0, "label_vi")) or fig["metric"],
            "level": fig["figure_level"], "period": fig["period"],
            "values": "; ".join(f"{_fmt(c['value'])} ({', '.join(c['sources'])})" for c in cands),
            "n_values": len(cands), "preferred_value": pref["value"],
            "preferred_sources": " ".join(pref["sources"]), "rule": rule, "reason": reason,
            "source_ids": " ".join(sorted(set(g.source_id))),
        })
    return pd.DataFrame(rows, columns=COLUMNS)


def preferred(facts: pd.DataFrame, disputes: pd.DataFrame) -> pd.DataFrame:
    """Each row of ``facts`` with ``preferred_value`` (the figure's value where sources agree, the
    preferred one where they dispute it) and ``is_preferred`` (true where a rule chose among values)."""
    key = ["province_code", "units", "metric", "period"]
    out = facts.copy()
    dd = disputes[key + ["preferred_value", "reason"]].rename(columns={"reason": "preferred_reason"})
    out = out.merge(dd, on=key, how="left")
    out["is_preferred"] = out["preferred_value"].notna()
    return out


def agreeing_at_precision(facts: pd.DataFrame, registry) -> pd.DataFrame:
    """Figures that sources give with different digits that agree at the coarser published precision
    (41.6286 and 41.629; "hơn 37.000" and 37,649): consistent, not disputes. One row per figure."""
    d = checks.with_tier(facts, registry.score_metrics() | registry.rank_metrics())
    g = d.groupby(checks.FIGURE)
    n = g["value"].nunique()
    disputed = g["is_disputed"].any()
    keys = n[(n > 1) & ~disputed].index
    rows = [{**dict(zip(checks.FIGURE, k)),
             "values": "; ".join(f"{_fmt(v)} ({s})" for v, s in
                                 d.set_index(checks.FIGURE).loc[[k]][["value", "source_id"]].itertuples(index=False))}
            for k in keys]
    return pd.DataFrame(rows, columns=checks.FIGURE + ["values"])


def _link(r) -> str:
    name = escape(str(r.publisher or r.source_id))
    return f'<a href="{escape(r.url)}">{name}</a>' if r.url else name


def reader_table(disputes: pd.DataFrame, facts: pd.DataFrame, registry) -> pd.DataFrame:
    """The disputes for readers: province name, index, figure, edition, every value with its sources
    as links (the preferred value in bold), and why it is preferred. Cells are HTML (escaped text),
    for :func:`html`."""
    index_metrics = registry.score_metrics() | registry.rank_metrics()
    d = checks.with_tier(facts, index_metrics)
    rows = []
    for r in disputes.itertuples():
        g = d[(d.province_code == r.province_code) & (d.units == r.units) & (d.metric == r.metric)
              & (d.figure_level == r.level) & (d.period == r.period)]
        parts = []
        for c in _candidates(g):
            srcs = g[g.source_id.isin(c["sources"])].drop_duplicates("source_id").sort_values("source_id")
            text = f"{escape(_fmt(c['value']))}: " + ", ".join(_link(s) for s in srcs.itertuples())
            parts.append(f"<strong>{text} (preferred)</strong>" if c["value"] == r.preferred_value else text)
        idx = registry[r.index] if r.index in registry else None
        rows.append({
            "Province": escape(r.province + ("" if r.units == "63" else f" (among the {r.units})")),
            "Index": escape(idx.label_en) if idx else "—",
            "Figure": escape(r.label),
            "Edition": escape(r.period),
            "Values and sources": "<br>".join(parts),
            "Preferred": escape(_fmt(r.preferred_value)),
            "Why": escape(r.reason),
        })
    return pd.DataFrame(rows, columns=["Province", "Index", "Figure", "Edition", "Values and sources", "Preferred",
                                       "Why"])


def html(table: pd.DataFrame) -> str:
    """The disputes as one card each (cells of :func:`reader_table` are already escaped), so the list
    reads on a phone as well as on a desktop: the figure as a heading, every value with its sources,
    the preferred value and why."""
    cards = []
    for r in table.to_dict("records"):
        index = "" if r["Index"] == "—" else f"{r['Index']} · "
        cards.append(
            '<article class="dispute-card">'
            f'<p class="dispute-figure"><strong>{r["Province"]}</strong> · {index}{r["Figure"]} · {r["Edition"]}</p>'
            f'<dl><dt>Values</dt><dd>{r["Values and sources"]}</dd>'
            f'<dt>Preferred</dt><dd><span class="preferred-badge">{r["Preferred"]}</span></dd>'
            f'<dt>Why</dt><dd>{r["Why"]}</dd></dl></article>')
    return '<div class="dispute-list">' + "".join(cards) + "</div>"


def _text(row, column: str) -> str:
    value = getattr(row, column, "")
    return value if isinstance(value, str) else ""
