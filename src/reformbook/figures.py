"""One chart style for the book: colour-blind-safe palette, units on axes, a source line, alt text.

Every ``plot_*`` helper returns ``(chart, table, source_ids)``: the :class:`Chart` (a PNG with its
alt text, shown by making it the last expression of a cell), the frame of numbers drawn, and the
ids of the sources behind them — those of the highlighted series first — so a template never
queries the sources again.

Why PNG and not SVG: the rank charts draw 63 lines, and an SVG of them (text as paths, so that the
Vietnamese tone marks do not depend on the reader's fonts) weighs several times the PNG, against a
page budget of 400 KB. Charts are drawn for a phone instead: 4.3 inches wide at 200 dpi, with no
text under 10 pt, so that at 390 px (about 80 px per drawn inch) the smallest text is about 11 CSS
px; on a desktop the stylesheet caps the width at 600 px. Tap or click opens the full image.
"""

from __future__ import annotations

import io
import re
import warnings
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from . import data  # noqa: E402

#: Okabe–Ito palette (safe for the common forms of colour blindness).
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
MUTED = "#BBBBBB"
WIDTH = 4.3  # inches: the chart is drawn for a phone's column
SMALL = 10  # pt: the smallest text on any chart

plt.rcParams.update({
    "figure.figsize": (WIDTH, 3.6), "figure.dpi": 100, "savefig.dpi": 200,
    "font.family": "DejaVu Sans",  # ships with matplotlib and covers Vietnamese diacritics
    "font.size": 11, "axes.labelsize": 11, "xtick.labelsize": SMALL, "ytick.labelsize": SMALL,
    "legend.fontsize": SMALL, "axes.titlesize": 12,
    "axes.spines.top": False, "axes.spines.right": False, "axes.prop_cycle": plt.cycler(color=PALETTE),
    "figure.titlesize": 12, "figure.titleweight": "bold", "svg.hashsalt": "reformbook",
})


_NO_GLYPH = re.compile(r"[\u2e80-\u9fff\uac00-\ud7af\uff00-\uffef]+")  # CJK, kana, hangul: not in DejaVu


def _drawable(text: str) -> str:
    """Text the chart font can draw: scripts it lacks are dropped (the sources table keeps them)."""
    text = re.sub(r"\s+([,;])", r"\1", _NO_GLYPH.sub("", text))
    return re.sub(r"\s{2,}", " ", text).strip(" ,;")


class Note:
    """A sentence shown where a chart would be when there is nothing to draw."""

    def __init__(self, text: str):
        self.text = text

    def _repr_markdown_(self):
        return self.text

    def __repr__(self):
        return self.text


@dataclass
class Chart:
    """A finished chart: PNG bytes and alt text. Shown as the last expression of a cell, or glued."""

    png: bytes
    alt: str
    title: str

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"image/png": self.png, "text/plain": self.title}, {"image/png": {"alt": self.alt}}

    def _repr_png_(self):
        return self.png

    def html(self) -> str:
        """The chart as an HTML figure (an inline PNG with its alt text), for pasting on another page."""
        import base64
        import html as _html

        src = "data:image/png;base64," + base64.b64encode(self.png).decode("ascii")
        return (f'<figure class="rb-figure"><img class="rb-chart" src="{src}" '
                f'alt="{_html.escape(self.alt, quote=True)}"></figure>')


def ordered_sources(source_ids, first=()) -> list[str]:
    """Source ids, those behind the highlighted series (``first``) before the rest, each sorted.

    >>> ordered_sources(["b", "a", "c", "a"], first=["c"])
    ['c', 'a', 'b']
    """
    ids = set(source_ids)
    lead = sorted(ids & set(first))
    return lead + sorted(ids - set(lead))


def cite(source_ids, first=(), limit: int = 4) -> str:
    """Short citation line for a chart: publisher (date) for each source, those behind the
    highlighted series first; the rest counted."""
    src = data.sources().set_index("source_id")
    parts = []
    for sid in ordered_sources(source_ids, first):
        r = src.loc[sid]
        part = f"{_drawable(r.publisher) or sid} ({r.date_published[:4] or 'n.d.'})"
        if part not in parts:
            parts.append(part)
    shown = parts if len(parts) <= limit else parts[:limit] + [f"+{len(parts) - limit} more (see Sources)"]
    return "Sources: " + "; ".join(shown)


def sources_table(source_ids) -> pd.DataFrame:
    """The full references behind a page, for its Sources section."""
    src = data.sources()
    out = src[src.source_id.isin(set(source_ids))][["source_id", "publisher", "title", "date_published", "url", "kind"]]
    return out.sort_values("source_id").reset_index(drop=True)


def sources_section(source_ids):
    """The Sources section of a page as a reader table: exactly the documents behind the page."""
    from . import tables

    return tables.sources(sources_table(source_ids))


def finish(fig, title: str, source_ids, alt: str, first=()) -> Chart:
    """Add title and source line; return the chart as PNG with its alt text."""
    import textwrap

    fig.suptitle("\n".join(textwrap.wrap(title, 44)), x=0.02, ha="left")
    line = "\n".join(textwrap.wrap(cite(source_ids, first, limit=3), 54))
    fig.text(0.02, 0.005, line, fontsize=SMALL, color="#333333", ha="left", va="bottom")
    n = line.count("\n") + 1
    h = fig.get_size_inches()[1]
    with warnings.catch_warnings():  # a label too long for the layout is drawn anyway; never a page warning
        warnings.simplefilter("ignore")
        fig.tight_layout(rect=(0, min(0.45, (0.2 * n + 0.08) / h), 1, 1))
    buf = io.BytesIO()
    fig.savefig(buf, format="png", metadata={"Software": None})
    plt.close(fig)
    return Chart(_small_png(buf.getvalue()), alt, title)


def _small_png(png: bytes, colours: int = 96) -> bytes:
    """The same chart in an indexed palette: a third of the bytes, against the page budget."""
    from PIL import Image

    img = Image.open(io.BytesIO(png)).convert("RGB").quantize(colours, method=Image.Quantize.MEDIANCUT, dither=0)
    out = io.BytesIO()
    img.save(out, format="PNG", optimize=True)
    return out.getvalue()


def fingerprint(df: pd.DataFrame, columns=None, decimals: int = 2) -> None:
    """Print the numbers behind a chart, sorted and rounded, for nbval to compare."""
    from . import tables

    tables.fingerprint(df, columns, decimals)


def _pct(v) -> str:
    return f"{v}%" if pd.notna(v) else "not held"


def _spread(ys: list[float], gap: float) -> list[float]:
    """Label positions for sorted points ``ys``: each at least ``gap`` below the one before."""
    out: list[float] = []
    for y in ys:
        out.append(max(y, out[-1] + gap) if out else y)
    return out


def _publisher(source_id: str) -> str:
    src = data.sources().set_index("source_id")
    return _drawable(src.loc[source_id].publisher) if source_id in src.index else source_id


def _row_labels(ax, labels, ys, x=0.0):
    """Each row's label above its bar or dots, inside the plot (a phone has no room at the left)."""
    for lab, y in zip(labels, ys):
        t = ax.text(x, y - 0.42, lab, transform=ax.get_yaxis_transform(), ha="left", va="bottom",
                    fontsize=SMALL, color="#222222")
        t.set_in_layout(False)
    ax.set_yticks([])
    ax.spines["left"].set_visible(False)


def plot_procedures(table: pd.DataFrame, alt_prefix: str = ""):
    """Stacked horizontal bars: procedures by level for each province and date (counts in labels)."""
    from .metrics import LEVEL_VI, LEVELS
    from .tables import LEVEL_LABELS

    t = table[table.level != "all"]
    groups = list(t.groupby(["province", "period", "source_id"], sort=False))
    if not groups:  # only published totals, no breakdown by level: nothing to stack
        return (Note("No breakdown by level is held for " + ", ".join(dict.fromkeys(table.province))
                     + "; the published totals are in the table below."), t, [])
    fig, ax = plt.subplots(figsize=(WIDTH, 0.62 * len(groups) + 2.2))
    seen = set()
    for i, ((prov, period, _src), g) in enumerate(groups):
        left = 0
        for j, lvl in enumerate(LEVELS):
            row = g[g.level == lvl]
            if row.empty:
                continue
            v = row.procedures.item()
            label = LEVEL_LABELS[lvl] if lvl not in seen else None
            seen.add(lvl)
            ax.barh(i, v, left=left, height=0.5, color=PALETTE[j], label=label)
            if v / max(g.procedures.sum(), 1) > 0.14:
                ax.text(left + v / 2, i, f"{v:,.0f}", ha="center", va="center", fontsize=SMALL,
                        color="white" if j in (0, 3) else "black")
            left += v
    _row_labels(ax, [f"{p} · {d}" for (p, d, _), _ in groups], range(len(groups)))
    ax.set_ylim(len(groups) - 0.5, -1.0)
    ax.set_xlabel("procedures (TTHC), count")
    ax.legend(loc="lower left", bbox_to_anchor=(0, 1.02), ncol=2, frameon=False, borderaxespad=0)
    alt = alt_prefix + "; ".join(
        f"{p} {d}: " + ", ".join(f"{LEVEL_VI[r.level]} {r.procedures:,.0f}" for r in g.itertuples())
        for (p, d, _), g in groups)
    ids = list(t.source_id.unique())
    return finish(fig, "Procedures by level of government", ids, alt), t, ids


def plot_rates(flows: pd.DataFrame):
    """Published vs computed on-time rate for each province-period that has either figure.

    Two sources giving the same figures for the same province and period are one row, naming both."""
    f = flows.dropna(subset=["on_time_rate_pct", "on_time_rate_computed_pct"], how="all")
    if f.empty:
        return None, f, []
    f = (f.assign(publisher=f.source_id.map(_publisher))
         .groupby(["province", "period", "on_time_rate_pct", "on_time_rate_computed_pct"], dropna=False, sort=False)
         .agg(source_ids=("source_id", list), publishers=("publisher", lambda p: ", ".join(dict.fromkeys(p))))
         .reset_index())
    n_src = f.source_ids.map(len)
    repeat = f.duplicated(["province", "period"], keep=False)
    labels = [f"{p} · {per}" + (f" ({n} sources)" if n > 1 else f" ({pub[:18]})" if rep else "")
              for p, per, n, pub, rep in zip(f.province, f.period, n_src, f.publishers, repeat)]
    fig, ax = plt.subplots(figsize=(WIDTH, 0.5 * len(f) + 2.0))
    y = np.arange(len(f))
    ax.scatter(f.on_time_rate_pct, y, color=PALETTE[0], s=40, label="published", zorder=3)
    ax.scatter(f.on_time_rate_computed_pct, y, color=PALETTE[3], marker="D", s=30,
               label="computed from the counts", zorder=3)
    _row_labels(ax, labels, y)
    ax.set_ylim(len(f) - 0.5, -1.0)
    ax.set_xlabel("on time, % of resolved dossiers")
    ax.legend(frameon=False, loc="lower left", bbox_to_anchor=(0, 1.02), ncol=2, borderaxespad=0)
    alt = "On-time rates: " + "; ".join(
        f"{lab} published {_pct(a)}, computed {_pct(b)}"
        for lab, a, b in zip(labels, f.on_time_rate_pct, f.on_time_rate_computed_pct))
    ids = [s for ss in f.source_ids for s in ss]
    return finish(fig, "On-time rate: published and computed", ids, alt), f, ids


def plot_ranks(ranks: pd.DataFrame, highlight: list[str], index_label: str, source_ids=None, n_units: int = 63):
    """Bump chart of ranks over editions (1 at the top); chosen provinces coloured, others grey.

    A line joins two editions only when the province holds a rank in both and no edition lies
    between them: a missing edition is a gap. Where sources disagree on a rank, the preferred value
    (data/README.md, "Disputes") is drawn as a diamond; where they disagree only on the score, the
    rank is drawn as an open circle. For an index the publisher does not rank (PAPI's dimensions),
    the chart shows scores instead, higher at the top."""
    fig, ax = plt.subplots(figsize=(WIDTH, 4.6))
    rank_col = "rank_preferred" if "rank_preferred" in ranks else "rank"
    by_score = ranks[rank_col].notna().sum() == 0 and "score" in ranks
    col = ("score_preferred" if "score_preferred" in ranks else "score") if by_score else rank_col
    is_pref = ("score_is_preferred" if by_score else "rank_is_preferred")
    # every edition between the first and the last held (the indices are annual): an edition no
    # province is held for is a gap in every line, not a silent join
    years = list(range(int(ranks.year.min()), int(ranks.year.max()) + 1)) if len(ranks) else []

    def series(g):
        return g.set_index("year")[col].reindex(years)

    for _, g in ranks[~ranks.province_code.isin(highlight)].groupby("province_code"):
        s = series(g)
        ax.plot(s.index, s.values, color=MUTED, lw=0.8, marker=".", ms=3, zorder=1)
    chosen = ranks[ranks.province_code.isin(highlight)]
    fmt = (lambda v: f"{v:.2f}".rstrip("0").rstrip(".")) if by_score else (lambda v: f"{v:.0f}")
    for i, code in enumerate(highlight):
        g = chosen[chosen.province_code == code]
        if g[col].notna().sum() == 0:
            continue
        c = PALETTE[i % len(PALETTE)]
        s = series(g)
        ax.plot(s.index, s.values, color=c, lw=2.4, label=g.province.iloc[0], zorder=3)
        for r in g.dropna(subset=[col]).itertuples():
            v = getattr(r, col)
            preferred = bool(getattr(r, is_pref, False))
            open_ = bool(r.disputed) and not preferred
            ax.plot([r.year], [v], marker="D" if preferred else "o", ms=7, color=c, zorder=4,
                    markerfacecolor="white" if open_ else c, markeredgewidth=1.8)
            ax.annotate(fmt(v), (r.year, v), textcoords="offset points", xytext=(0, 7),
                        ha="center", fontsize=SMALL, color=c, fontweight="bold")
    if by_score:
        ax.set_ylabel("score")
    else:
        ax.set_ylim(n_units + 1, 0)
        ax.set_ylabel(f"rank (1 = best, of {n_units})")
    if years:
        step = 1 if len(years) <= 6 else 2
        ax.set_xticks(years[::step], [str(y) for y in years[::step]])
        ax.set_xlim(min(years) - 0.4, max(years) + 0.4)
    if ax.get_legend_handles_labels()[0]:
        ax.legend(frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=2)
    hi = chosen.dropna(subset=[col])
    what = "score" if by_score else "rank"
    alt = f"{index_label} {what}s by edition; grey lines are the other provinces held. " + "; ".join(
        f"{p}: " + ", ".join(
            f"{y} {what} {fmt(v)}" + (" (preferred of disputed values)" if pr else " (score disputed)" if d else "")
            for y, v, d, pr in zip(g.year, g[col], g.disputed, g.get(is_pref, pd.Series(False, index=g.index))))
        for p, g in hi.groupby("province"))
    if source_ids is None:
        source_ids = ranks.get("source_ids", pd.Series(dtype=object)).explode().dropna()
    first = list(ranks.loc[ranks.province_code.isin(highlight), "source_ids"].explode().dropna()) \
        if "source_ids" in ranks else ()
    ids = ordered_sources(source_ids, first)
    return finish(fig, f"{index_label}: {what} by edition", ids, alt, first), chosen, ids


def _metric_labels() -> dict[str, str]:
    m = data.metrics()
    return dict(zip(m.metric, m.label_en))


def plot_counts(table: pd.DataFrame, title: str, xlabel: str = "count"):
    """Horizontal bars for a few published counts, one bar per province, metric and date; the metric
    is the colour (with a legend), each province and date a labelled group."""
    t = table.reset_index(drop=True)
    names = _metric_labels()
    order = list(dict.fromkeys(t.metric))
    colour = {m: PALETTE[i % len(PALETTE)] for i, m in enumerate(order)}
    groups = list(t.groupby(["province_name", "period", "source_id"], sort=False))
    rows = sum(len(g) for _, g in groups) + len(groups)
    fig, ax = plt.subplots(figsize=(WIDTH, 0.3 * rows + 1.6 + 0.25 * len(order)))
    y, ticks = 0, []
    vmax = t.value.max()
    for (prov, period, _), g in groups:
        ax.text(0, y - 0.2, f"{prov} · {period}", ha="left", va="bottom", fontsize=SMALL, fontweight="bold",
                transform=ax.get_yaxis_transform()).set_in_layout(False)
        y += 0.7
        for r in g.itertuples():
            ax.barh(y, r.value, height=0.8, color=colour[r.metric])
            ax.text(r.value + vmax * 0.01, y, f"{'≈' if r.is_approx else ''}{r.value:,.0f}", va="center",
                    fontsize=SMALL)
            ticks.append(y)
            y += 1
        y += 0.4
    ax.set_ylim(y - 0.4, -1.0)
    ax.set_yticks([])
    ax.spines["left"].set_visible(False)
    ax.set_xlim(0, vmax * 1.18)
    ax.set_xlabel(xlabel)
    handles = [plt.Rectangle((0, 0), 1, 1, color=colour[m]) for m in order]
    ax.legend(handles, [names.get(m, m) for m in order], frameon=False, loc="lower left",
              bbox_to_anchor=(0, 1.02), ncol=1, borderaxespad=0)
    alt = title + ": " + "; ".join(
        f"{r.province_name} {r.period} {names.get(r.metric, r.metric)} {'about ' if r.is_approx else ''}{r.value:,.0f}"
        for r in t.itertuples())
    ids = list(t.source_id.unique())
    return finish(fig, title, ids, alt), t, ids


def plot_project06(tasks: pd.DataFrame, services: pd.DataFrame):
    """Project 06 in two charts, one per unit: task counts, and online public services. Returns a
    list of ``(chart, table, source_ids)``, one per unit held (tasks and services are never put on
    one axis: a task count of 32 beside 1,627 services reads as nothing)."""
    out = []
    if len(tasks):
        out.append(plot_counts(tasks, "Project 06 (Đề án 06): tasks, by status", "tasks, count"))
    if len(services):
        out.append(plot_counts(services, "Online public services (DVCTT), by kind", "services, count"))
    return out


_INDEX_SHORT = {"PAPI_EGOV": "PAPI e-gov"}


def plot_coverage(cov: pd.DataFrame, source_ids=()):
    """Heat map: provinces with a rank or score, per index and edition, out of the target."""
    held = cov.target - cov.missing - cov.not_published
    pivot = cov.assign(held=held).pivot(index="index", columns="year", values="held")
    pivot = pivot.reindex([i for i in dict.fromkeys(cov["index"])])
    target = int(cov.target.max())
    fig, ax = plt.subplots(figsize=(WIDTH, 0.45 * len(pivot) + 1.6))
    ax.imshow(pivot.values, cmap="cividis", vmin=0, vmax=target, aspect="auto")
    ax.set_xticks(range(len(pivot.columns)), [f"’{str(y)[2:]}" for y in pivot.columns])
    ax.set_yticks(range(len(pivot.index)), [_INDEX_SHORT.get(i, i) for i in pivot.index])
    for i in range(pivot.shape[0]):
        for j in range(pivot.shape[1]):
            v = pivot.values[i, j]
            if v != v:  # no edition that year (data/indices.csv)
                continue
            ax.text(j, i, f"{v:.0f}", ha="center", va="center", fontsize=SMALL,
                    color="white" if v < target * 0.6 else "black")
    ax.set_xlabel("edition (year assessed)")
    ax.spines["left"].set_visible(False)
    ax.spines["bottom"].set_visible(False)
    ax.tick_params(length=0)
    alt = f"Coverage: provinces with a figure, of {target}. " + "; ".join(
        f"{ix} {y}: {v:.0f}" for ix, row in pivot.iterrows() for y, v in row.items() if v == v)
    table = pivot.reset_index()
    if not len(source_ids):  # every document behind a score or rank
        ids = {m for m in data.metrics().metric if m.endswith(("_rank", "_score_pct", "_score_ratio", "_score_points"))}
        source_ids = sorted(set(data.facts(metric=sorted(ids), with_sources=False).source_id))
    return finish(fig, f"Provinces with a score or rank, of {target}", source_ids, alt), table, list(source_ids)


def plot_ranked_twice(t: pd.DataFrame, highlight: list[str], index_label: str, year: int, source_ids, first=()):
    """Slope chart: each old province's rank among the 63 (left) joined to its new unit's rank among
    the 34 (right). Both axes run from 1st at the top to last at the bottom, so a line's slope shows
    how the province's relative position changed when the field changed. Only the highlighted
    units and their predecessors are labelled; the table lists every row."""
    fig, ax = plt.subplots(figsize=(WIDTH, 5.2))
    y63 = lambda r: (r - 1) / 62  # noqa: E731  (1st → 0, 63rd → 1)
    y34 = lambda r: (r - 1) / 33  # noqa: E731
    colour = {code: PALETTE[i % len(PALETTE)] for i, code in enumerate(highlight)}
    for r in t.itertuples():
        c = colour.get(r.new_code, MUTED)
        lw, z = (2.4, 3) if r.new_code in colour else (0.8, 1)
        if pd.notna(r.rank_63) and pd.notna(r.rank_34):
            ax.plot([0, 1], [y63(r.rank_63), y34(r.rank_34)], color=c, lw=lw, marker="o", ms=4, zorder=z)
        elif pd.notna(r.rank_63):
            ax.plot([0], [y63(r.rank_63)], color=c, marker="o", ms=4, zorder=z)
        elif pd.notna(r.rank_34):
            ax.plot([1], [y34(r.rank_34)], color=c, marker="o", ms=4, zorder=z)
    hi = t[t.new_code.isin(colour)]
    left = hi.dropna(subset=["rank_63"]).sort_values("rank_63")
    right = hi.dropna(subset=["rank_34"]).drop_duplicates("new_code").sort_values("rank_34")
    for side, rows, x, ha, text, y in (
        ("left", left, 0, "right", lambda r: f"{r.old_province} {r.rank_63:.0f}", lambda r: y63(r.rank_63)),
        ("right", right, 1, "left", lambda r: f"{r.rank_34:.0f} {r.new_unit}", lambda r: y34(r.rank_34)),
    ):
        ys = _spread([y(r) for r in rows.itertuples()], gap=0.055)
        for r, ly in zip(rows.itertuples(), ys):
            c = colour[r.new_code]
            dx = -0.05 if side == "left" else 0.05
            ax.plot([x, x + dx * 0.7], [y(r), ly], color="#999999", lw=0.5, zorder=0)
            ax.text(x + dx, ly, text(r), ha=ha, va="center", fontsize=SMALL, color=c, fontweight="bold")
    ax.set_xlim(-1.0, 2.0)
    ax.set_ylim(1.04, -0.06)
    ax.set_xticks([0, 1], ["among\nthe 63", "among\nthe 34"])
    ax.set_yticks([])
    for y, text in ((-0.05, "1st ↑"), (1.03, "last ↓")):
        ax.text(0.5, y, text, ha="center", va="center", fontsize=SMALL, color="#555555")
    ax.spines["left"].set_visible(False)
    ax.spines["bottom"].set_visible(False)
    ax.tick_params(length=0)
    alt = (f"{index_label} {year}, ranked among the 63 and among the 34; grey lines are the other provinces. " + "; ".join(
        f"{r.old_province} {r.rank_63:.0f} of 63 → {r.new_unit} {r.rank_34:.0f} of 34"
        for r in hi.dropna(subset=["rank_63", "rank_34"]).itertuples()))
    ids = ordered_sources(source_ids, first)
    return finish(fig, f"{index_label} {year}: one edition, two rankings", ids, alt, first), hi, ids



def plot_field(standings: pd.DataFrame, field: pd.DataFrame, code: str, name: str, n_units: int):
    """Where one province stands in each index's latest edition held for it: one row per index, the
    field held as grey ticks, the province (``code``) as a coloured dot, from last (left) to first (right).

    Position is by rank where the edition ranks (rank 1 at the right end, rank ``n_units`` at the
    left), else by score between the lowest and the highest held. ``standings`` and ``field`` are
    :class:`reformbook.profiles.Profile`'s. Returns ``(chart, rows drawn, source ids)``."""
    latest = standings.sort_values("year").groupby("index", sort=False).tail(1).set_index("index")
    order = [i for i in dict.fromkeys(field["index"]) if i in latest.index]
    rows = latest.loc[order].reset_index()
    n = len(rows)
    fig, ax = plt.subplots(figsize=(WIDTH, 0.62 * n + 1.5))
    labels = []
    for y, r in enumerate(rows.itertuples()):
        f = field[field["index"] == r.index]
        ax.scatter(f.position, [y] * len(f), marker="|", s=90, color=MUTED, lw=1.2, zorder=1)
        me = f[f.province_code == code]
        short = r.label_en
        if me.empty:  # held, but not on the basis the field is placed on (a score where most hold a rank)
            what = "not placed: " + (f"rank {r.rank:.0f}" if pd.notna(r.rank) else f"score {r.score:.4g}") + " only"
        elif f.basis.iloc[0] == "rank":
            what = f"rank {r.rank:.0f} of {n_units}" + (f", {len(f)} held" if len(f) < n_units else "")
        else:
            what = f"score {r.score:.4g}, {len(f)} held"
        labels.append(f"{short} {r.year}: {what}")
        if len(me):
            ax.scatter(me.position, [y], s=70, color=PALETTE[3], zorder=3, edgecolor="white", lw=0.8)
    _row_labels(ax, labels, list(range(n)))
    ax.set_ylim(n - 0.45, -0.9)
    ax.set_xlim(-0.04, 1.04)
    ax.set_xticks([0, 1], ["last", "first"])
    ax.set_xlabel("place in the field (by rank; by score where not ranked)", fontsize=SMALL)
    ids = sorted(set().union(*rows.source_ids)) if n else []
    alt = (f"{name} (dot) against every province held (grey ticks) in the latest edition of each index, "
           f"from last to first: " + "; ".join(labels) + ".")
    return finish(fig, f"{name} in the latest edition of each index", ids, alt), rows, ids
