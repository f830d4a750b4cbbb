"""One chart style for the book: colour-blind-safe palette, units on axes, a source line, alt text."""

from __future__ import annotations

import io
import re

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from . import data  # noqa: E402

#: Okabe–Ito palette (safe for the common forms of colour blindness).
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
MUTED = "#BBBBBB"

plt.rcParams.update({
    "figure.figsize": (8, 4.5), "figure.dpi": 100, "savefig.dpi": 100,
    "font.family": "DejaVu Sans",  # ships with matplotlib and covers Vietnamese diacritics
    "axes.spines.top": False, "axes.spines.right": False, "axes.prop_cycle": plt.cycler(color=PALETTE),
    "axes.titlesize": 12, "axes.titleweight": "bold", "svg.hashsalt": "reformbook",
})


_NO_GLYPH = re.compile(r"[\u2e80-\u9fff\uac00-\ud7af\uff00-\uffef]+")  # CJK, kana, hangul: not in DejaVu


def _drawable(text: str) -> str:
    """Text the chart font can draw: scripts it lacks are dropped (the sources table keeps them)."""
    text = re.sub(r"\s+([,;])", r"\1", _NO_GLYPH.sub("", text))
    return re.sub(r"\s{2,}", " ", text).strip(" ,;")


def cite(source_ids) -> str:
    """Short citation line for a chart: publisher (date) for each source id, sorted."""
    src = data.sources().set_index("source_id")
    parts = []
    for sid in sorted(set(source_ids)):
        r = src.loc[sid]
        parts.append(f"{_drawable(r.publisher) or sid} ({r.date_published or 'n.d.'})")
    shown = parts if len(parts) <= 6 else parts[:6] + [f"and {len(parts) - 6} more"]
    return "Nguồn / Sources: " + "; ".join(shown)


def sources_table(source_ids) -> pd.DataFrame:
    """The full references behind a page, for its Sources section."""
    src = data.sources()
    out = src[src.source_id.isin(set(source_ids))][["source_id", "publisher", "title", "date_published", "url"]]
    return out.sort_values("source_id").reset_index(drop=True)


def finish(fig, title: str, source_ids, alt: str) -> None:
    """Add title and source line, then display the PNG with its alt text (picked up by the runner)."""
    from IPython.display import Image, display

    fig.suptitle(title, x=0.01, ha="left")
    fig.text(0.01, 0.005, cite(source_ids), fontsize=7, color="#444444", ha="left", va="bottom", wrap=True)
    fig.tight_layout(rect=(0, 0.05, 1, 0.97))
    buf = io.BytesIO()
    fig.savefig(buf, format="png", metadata={"Software": None})
    plt.close(fig)
    display(Image(data=buf.getvalue(), format="png"), metadata={"image/png": {"alt": alt}})


def fingerprint(df: pd.DataFrame, columns=None, decimals: int = 2) -> None:
    """Print the numbers behind a chart, sorted and rounded, for nbval to compare."""
    out = df if columns is None else df[list(columns)]
    out = out.sort_values(list(out.columns[: min(3, len(out.columns))])).round(decimals)
    with pd.option_context("display.max_rows", 500, "display.max_columns", 50, "display.width", 200):
        print(out.to_string(index=False, na_rep="—"))


def _pct(v) -> str:
    return f"{v}%" if pd.notna(v) else "not held"


def _spread(ys: list[float], gap: float) -> list[float]:
    """Label positions for sorted points ``ys``: each at least ``gap`` below the one before."""
    out: list[float] = []
    for y in ys:
        out.append(max(y, out[-1] + gap) if out else y)
    return out


def _label(province: str, period: str) -> str:
    return f"{province}\n{period}"


def plot_procedures(table: pd.DataFrame, alt_prefix: str = "") -> None:
    """Stacked horizontal bars: procedures by level for each province and date (counts, shares in labels)."""
    from .metrics import LEVEL_VI, LEVELS

    t = table[table.level != "all"]
    groups = list(t.groupby(["province", "period", "source_id"], sort=False))
    if not groups:  # only published totals, no breakdown by level: nothing to stack
        print("No breakdown by level is held for " + ", ".join(dict.fromkeys(table.province))
              + "; the published totals are in the table below.")
        return
    fig, ax = plt.subplots(figsize=(8, 0.6 * len(groups) + 1.5))
    for i, ((prov, period, _src), g) in enumerate(groups):
        left = 0
        for j, lvl in enumerate(LEVELS):
            row = g[g.level == lvl]
            if row.empty:
                continue
            v = row.procedures.item()
            ax.barh(i, v, left=left, color=PALETTE[j], label=LEVEL_VI[lvl] if i == 0 or lvl == "other" else None)
            if v / max(g.procedures.sum(), 1) > 0.06:
                ax.text(left + v / 2, i, f"{v:,.0f}", ha="center", va="center", fontsize=8, color="white")
            left += v
    ax.set_yticks(range(len(groups)), [_label(p, d) for (p, d, _), _ in groups], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel("Số thủ tục hành chính (TTHC) / procedures, count")
    handles, labels = ax.get_legend_handles_labels()
    uniq = dict(zip(labels, handles))
    ax.legend(uniq.values(), uniq.keys(), loc="upper center", bbox_to_anchor=(0.5, -0.12 - 0.6 / len(groups)),
              ncol=4, fontsize=8, frameon=False)
    alt = alt_prefix + "; ".join(
        f"{p} {d}: " + ", ".join(f"{LEVEL_VI[r.level]} {r.procedures:,.0f}" for r in g.itertuples())
        for (p, d, _), g in groups)
    finish(fig, "Thủ tục hành chính theo cấp / Procedures by level", t.source_id, alt)


def plot_rates(flows: pd.DataFrame) -> None:
    """Published vs computed on-time rate for each province-period that has both kinds of figure."""
    f = flows.dropna(subset=["on_time_rate_pct", "on_time_rate_computed_pct"], how="all")
    if f.empty:
        print("No on-time figures held for these provinces.")
        return
    labels = [f"{p}\n{per}" for p, per in zip(f.province, f.period)]
    fig, ax = plt.subplots(figsize=(8, 0.55 * len(f) + 1.5))
    y = range(len(f))
    ax.scatter(f.on_time_rate_pct, y, color=PALETTE[0], label="công bố / published", zorder=3)
    ax.scatter(f.on_time_rate_computed_pct, y, color=PALETTE[1], marker="D",
               label="tính từ số hồ sơ / computed from counts", zorder=3)
    ax.set_yticks(list(y), labels, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel("Tỷ lệ đúng hạn / on-time rate, % of resolved dossiers")
    ax.legend(fontsize=8, frameon=False, loc="lower left")
    alt = "On-time rates: " + "; ".join(
        f"{lab.replace(chr(10), ' ')} published {_pct(a)}, computed {_pct(b)}"
        for lab, a, b in zip(labels, f.on_time_rate_pct, f.on_time_rate_computed_pct))
    finish(fig, "Tỷ lệ hồ sơ đúng hạn / On-time rate", f.source_id, alt)


def plot_ranks(ranks: pd.DataFrame, highlight: list[str], index_label: str, source_ids) -> None:
    """Bump chart of ranks over editions (1 at the top); chosen provinces coloured, others grey."""
    fig, ax = plt.subplots(figsize=(8, 5))
    others = ranks[~ranks.province_code.isin(highlight)]
    for _, g in others.groupby("province_code"):
        g = g.dropna(subset=["rank"])
        ax.plot(g.year, g["rank"], color=MUTED, lw=0.8, marker=".", ms=3, zorder=1)
    for i, code in enumerate(highlight):
        g = ranks[ranks.province_code == code].dropna(subset=["rank"])
        if g.empty:
            continue
        ax.plot(g.year, g["rank"], color=PALETTE[i % len(PALETTE)], lw=2.2, marker="o", label=g.province.iloc[0], zorder=3)
        for r in g.itertuples():
            ax.annotate(f"{r.rank:.0f}", (r.year, r.rank), textcoords="offset points", xytext=(0, 6),
                        ha="center", fontsize=7, color=PALETTE[i % len(PALETTE)])
    ax.set_ylim(64, 0)
    ax.set_ylabel("Thứ hạng / rank (1 = best, of 63)")
    ax.set_xlabel("Năm đánh giá / edition year")
    years = sorted(ranks.year.unique())
    ax.set_xticks(years)
    ax.legend(fontsize=8, frameon=False, loc="lower left")
    hi = ranks[ranks.province_code.isin(highlight)].dropna(subset=["rank"])
    alt = f"{index_label} ranks by year. " + "; ".join(
        f"{p}: " + ", ".join(f"{y} rank {r:.0f}" for y, r in zip(g.year, g["rank"])) for p, g in hi.groupby("province"))
    finish(fig, f"{index_label}: thứ hạng / rank by edition", source_ids, alt)


def plot_counts(table: pd.DataFrame, title: str, xlabel: str) -> None:
    """Horizontal bars for a few published counts (one bar per province, metric and period)."""
    t = table.copy()
    labels = [f"{p} · {lab or m} · {per}" for p, lab, m, per in zip(t.province_name, t.label_vi, t.metric, t.period)]
    fig, ax = plt.subplots(figsize=(8, 0.45 * len(t) + 1.5))
    colours = [PALETTE[i % len(PALETTE)] for i in pd.factorize(t.province_code)[0]]
    ax.barh(range(len(t)), t.value, color=colours)
    for i, (v, approx) in enumerate(zip(t.value, t.is_approx)):
        ax.text(v, i, f" {'≈' if approx else ''}{v:,.0f}", va="center", fontsize=8)
    ax.set_yticks(range(len(t)), labels, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel(xlabel)
    alt = title + ": " + "; ".join(f"{lab} {v:,.0f}" for lab, v in zip(labels, t.value))
    finish(fig, title, t.source_id, alt)


def plot_coverage(cov: pd.DataFrame) -> None:
    """Heat map: provinces with a rank or score, per index and edition, out of the target."""
    held = cov.target - cov.missing - cov.not_published
    pivot = cov.assign(held=held).pivot(index="index", columns="year", values="held")
    fig, ax = plt.subplots(figsize=(8, 3.6))
    im = ax.imshow(pivot.values, cmap="cividis", vmin=0, vmax=int(cov.target.max()), aspect="auto")
    ax.set_xticks(range(len(pivot.columns)), pivot.columns)
    ax.set_yticks(range(len(pivot.index)), pivot.index)
    for i in range(pivot.shape[0]):
        for j in range(pivot.shape[1]):
            v = pivot.values[i, j]
            ax.text(j, i, f"{v:.0f}", ha="center", va="center", fontsize=8, color="white" if v < 40 else "black")
    ax.set_xlabel("Năm đánh giá / edition year")
    fig.colorbar(im, ax=ax, label="provinces held (of 63)")
    alt = "Coverage: " + "; ".join(f"{ix} {y}: {v:.0f} of 63" for ix, row in pivot.iterrows() for y, v in row.items())
    finish(fig, "Độ phủ dữ liệu / Provinces with a figure, of 63", data.facts(
        metric=[m for m in data.metrics().metric if m.endswith(("_rank", "_score_pct", "_score_ratio", "_score_points"))],
        with_sources=False).source_id, alt)


def plot_ranked_twice(t: pd.DataFrame, highlight: list[str], index_label: str, year: int, source_ids) -> None:
    """Slope chart: each old province's rank among the 63 (left) joined to its new unit's rank among
    the 34 (right). Both axes run from 1st at the top to last at the bottom, so a line's slope shows
    how the province's relative position changed when the field changed."""
    fig, ax = plt.subplots(figsize=(8, 6))
    y63 = lambda r: (r - 1) / 62  # noqa: E731  (1st → 0, 63rd → 1)
    y34 = lambda r: (r - 1) / 33  # noqa: E731
    colour = {code: PALETTE[i % len(PALETTE)] for i, code in enumerate(highlight)}
    for r in t.itertuples():
        c = colour.get(r.new_code, MUTED)
        lw, z = (2.2, 3) if r.new_code in colour else (0.9, 1)
        if pd.notna(r.rank_63) and pd.notna(r.rank_34):
            ax.plot([0, 1], [y63(r.rank_63), y34(r.rank_34)], color=c, lw=lw, marker="o", ms=4, zorder=z)
        elif pd.notna(r.rank_63):
            ax.plot([0], [y63(r.rank_63)], color=c, marker="o", ms=4, zorder=z)
    left = t.dropna(subset=["rank_63"]).sort_values("rank_63")
    right = t.dropna(subset=["rank_34"]).drop_duplicates("new_code").sort_values("rank_34")
    for side, rows, x, ha, text, y in (
        ("left", left, 0, "right", lambda r: f"{r.old_province} {r.rank_63:.0f}", lambda r: y63(r.rank_63)),
        ("right", right, 1, "left", lambda r: f"{r.rank_34:.0f} {r.new_unit}", lambda r: y34(r.rank_34)),
    ):
        ys = _spread([y(r) for r in rows.itertuples()], gap=0.032)
        for r, ly in zip(rows.itertuples(), ys):
            c = colour.get(r.new_code, MUTED)
            if side == "right":
                ax.plot([1], [y(r)], color=c, marker="o", ms=4, zorder=3)
            dx = -0.06 if side == "left" else 0.06
            ax.plot([x, x + dx * 0.7], [y(r), ly], color="#999999", lw=0.5, zorder=0)
            ax.text(x + dx, ly, text(r), ha=ha, va="center", fontsize=7, color=c if c != MUTED else "#555555")
    ax.set_xlim(-0.6, 1.6)
    ax.set_ylim(1.04, -0.04)
    ax.set_xticks([0, 1], [f"63 tỉnh cũ / old provinces\n(rank of 63)", f"34 đơn vị mới / new units\n(rank of 34)"])
    ax.set_yticks([0, 0.5, 1], ["1st", "middle", "last"])
    ax.set_ylabel("Vị trí / position in the field")
    ax.spines["left"].set_visible(False)
    ax.spines["bottom"].set_visible(False)
    alt = (f"{index_label} {year}, ranked among the 63 and among the 34. " + "; ".join(
        f"{r.old_province} {r.rank_63:.0f} of 63 → {r.new_unit} {r.rank_34:.0f} of 34"
        for r in t.dropna(subset=["rank_63", "rank_34"]).itertuples()))
    finish(fig, f"{index_label} {year}: cùng một kỳ, hai bảng xếp hạng / one edition, two rankings", source_ids, alt)
