"""Maps of the 63 provinces and the 34 units, drawn with matplotlib from the committed boundaries.

Pure functions: each returns a :class:`MapResult` (figure, the table behind it, source ids, alt text)
and displays nothing; :func:`show` puts a result on a page. Shapely geometries become matplotlib
``PathPatch``es directly, so neither geopandas nor a tile server is needed.

- :func:`choropleth` shades each unit by a value (sequential, colour-blind-safe ``cividis``); a unit
  without a figure is hatched and counted as "not held" in the legend.
- :func:`merger_map` shows the 2025 reorganisation: the 34 units, the old borders inside them, and
  which units were merged.

Every map carries the boundary attribution (``geo.ATTRIBUTION``). Hoàng Sa and Trường Sa are drawn
where they are, in the colour of the province they belong to in the boundary data (Đà Nẵng and Khánh
Hòa), with a dashed frame and a label, since at phone width their islands are smaller than a pixel.
Sizes are set so that the smallest text is still about 9 px high when the image is shown 390 px wide.
"""

from __future__ import annotations

import io
from typing import NamedTuple

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import shapely  # noqa: E402
from matplotlib.colors import Normalize  # noqa: E402
from matplotlib.patches import Patch, PathPatch, Rectangle  # noqa: E402
from matplotlib.path import Path as MplPath  # noqa: E402

from . import geo  # noqa: E402
from . import provinces as pv  # noqa: E402

#: Width in inches at 100 dpi (440 px): shown 390 px wide, 8 pt text is about 9.8 px high.
WIDTH = 4.4
DPI = 100
FONT = 8.0
SMALL = 7.5  # attribution and the islands' labels: about 9 px at 390 px
NOT_HELD = "not held"
EXTENT = (102.0, 117.6, 5.6, 23.6)  # lon min, lon max, lat min, lat max: mainland and both archipelagos
#: Where the two archipelagos lie; the province each belongs to is read from the boundaries.
ARCHIPELAGOS = {
    "Quần đảo Hoàng Sa": shapely.box(111.0, 15.6, 113.0, 17.3),
    "Quần đảo Trường Sa": shapely.box(110.3, 6.8, 117.2, 12.2),
}
LABEL_AT = {"Quần đảo Hoàng Sa": (111.95, 15.5, "center", "top"),
            "Quần đảo Trường Sa": (113.75, 6.7, "center", "top")}
#: Labels of highlighted units go in the sea east of the coast, outside these latitude bands
#: (the archipelagos' frames and labels).
LABEL_X = 110.0
LABEL_BANDS = ((14.3, 17.45), (-90.0, 12.5))
LABEL_GAP = 0.8
EDGE = "#ffffff"
NOT_HELD_FACE = "#f2f2f2"
NOT_HELD_EDGE = "#8a8a8a"
UNIT_LABEL = {"63": "63 provinces (before 1 July 2025)", "34": "34 units (from 1 July 2025)"}


class MapError(ValueError):
    pass


class MapResult(NamedTuple):
    figure: plt.Figure
    table: pd.DataFrame
    source_ids: list[str]
    alt: str


# --------------------------------------------------------------------------- geometry → matplotlib
def _ring_path(coords: np.ndarray) -> tuple[np.ndarray, list[int]]:
    codes = [MplPath.MOVETO] + [MplPath.LINETO] * (len(coords) - 2) + [MplPath.CLOSEPOLY]
    return coords, codes


def to_path(geom: shapely.Geometry) -> MplPath:
    """One compound path for a Polygon or MultiPolygon (holes drawn as holes)."""
    verts, codes = [], []
    for poly in shapely.get_parts(geom):
        if poly.geom_type != "Polygon":
            raise MapError(f"cannot draw a {poly.geom_type}; expected polygons")
        for ring in [poly.exterior, *poly.interiors]:
            v, c = _ring_path(np.asarray(ring.coords))
            verts.append(v)
            codes += c
    return MplPath(np.concatenate(verts), codes)


def _add(ax, patch) -> None:
    """Add a patch without add_patch's bounding-box update (the extent is fixed; that update walks
    every vertex and cost most of a map's drawing time)."""
    ax.add_artist(patch)


def _axes(units: str, height: float = 5.4):
    fig = plt.figure(figsize=(WIDTH, height), dpi=DPI)
    ax = fig.add_axes((0.0, 0.165, 1.0, 0.80))
    ax.set_xlim(*EXTENT[:2])
    ax.set_ylim(*EXTENT[2:])
    ax.set_aspect(1 / np.cos(np.radians(15)))
    ax.axis("off")
    return fig, ax


def _anchor(geom: shapely.Geometry) -> shapely.Point:
    """A point inside the unit's largest part (not on an island)."""
    parts = shapely.get_parts(geom)
    return parts[int(np.argmax(shapely.area(parts)))].representative_point()


def _label_ys(ys: list[float]) -> list[float]:
    """Label heights for sorted latitudes: moved out of the archipelagos' bands, at least LABEL_GAP apart."""
    out: list[float] = []
    for y in ys:
        for lo, hi in LABEL_BANDS:
            if lo < y < hi:
                y = hi if (hi - y) <= (y - lo) or lo < EXTENT[2] else lo
        if out and y < out[-1] + LABEL_GAP:
            y = out[-1] + LABEL_GAP
            for lo, hi in LABEL_BANDS:
                if lo < y < hi:
                    y = hi
        out.append(y)
    return out


def _attribution(fig) -> None:
    fig.text(0.99, 0.005, geo.ATTRIBUTION.replace(", CC", ",\nCC"), fontsize=SMALL, color="#444444",
             ha="right", va="bottom")


def _archipelagos(ax, shapes: dict[str, shapely.Geometry], colour_of) -> list[str]:
    """Frame and label Hoàng Sa and Trường Sa with the unit they belong to; outline their islands."""
    notes = []
    for name, box in ARCHIPELAGOS.items():
        owners = [c for c, g in shapes.items() if g.intersects(box)]
        if not owners:
            continue
        owner = owners[0]
        owner_name = pv.name_of(owner, "63" if len(shapes) == 63 else "34")
        islands = shapes[owner].intersection(box)
        if not islands.is_empty:
            face = colour_of(owner)
            edge = NOT_HELD_EDGE if face == NOT_HELD_FACE else face
            _add(ax, PathPatch(to_path(islands), facecolor=face, edgecolor=edge, lw=1.2, zorder=3))
        x0, y0, x1, y1 = box.bounds
        _add(ax, Rectangle((x0, y0), x1 - x0, y1 - y0, fill=False, ls=(0, (3, 2)), lw=0.7,
                               edgecolor="#666666", zorder=2))
        x, y, ha, va = LABEL_AT[name]
        ax.text(x, y, f"{name.replace('Quần đảo ', 'QĐ ')}\n({owner_name})", fontsize=SMALL, ha=ha, va=va,
                color="#333333")
        notes.append(f"{name.replace('Quần đảo ', '')} with {owner_name}")
    return notes


# --------------------------------------------------------------------------- inputs
def _codes_for(keys, units: str) -> list[str]:
    """Each key is a unit code of the set or a name the resolver knows; anything else is an error."""
    known = pv.names(units)
    out = []
    for key in keys:
        key = str(key)
        out.append(key if key in known else pv.resolve(key, units=units).code)
    return out


def _frame(values, units: str) -> pd.DataFrame:
    """values → DataFrame(code, value, source_id): a Series or dict keyed by code or name, or a
    DataFrame with 'province_code' (or 'province') and 'value' columns (and optionally 'source_id')."""
    if isinstance(values, pd.DataFrame):
        key = next((c for c in ("province_code", "code", "province") if c in values.columns), None)
        if key is None or "value" not in values.columns:
            raise MapError("a DataFrame needs a 'province_code' (or 'province') column and a 'value' column; "
                           f"got {list(values.columns)}")
        df = pd.DataFrame({"key": values[key].astype(str).values, "value": values["value"].values,
                           "source_id": values["source_id"].values if "source_id" in values.columns else None})
    elif isinstance(values, (pd.Series, dict)):
        s = pd.Series(values)
        df = pd.DataFrame({"key": s.index.astype(str), "value": s.values, "source_id": None})
    else:
        raise MapError(f"values must be a Series, dict or DataFrame, not {type(values).__name__}")
    df["code"] = _codes_for(df.key, units)
    dup = df.code[df.code.duplicated()].unique().tolist()
    if dup:
        raise MapError(f"more than one value for {', '.join(pv.name_of(c, units) for c in dup)}; give one per unit")
    df["value"] = pd.to_numeric(df["value"], errors="raise")
    df["source_id"] = df["source_id"].astype(object).where(df["source_id"].notna(), None)
    return df.drop(columns="key")


def _check_units(units: str) -> str:
    units = str(units)
    if units not in geo.FILES:
        raise MapError(f"unknown unit set {units!r}; allowed: '63' (before 1 July 2025) or '34' (after)")
    return units


# --------------------------------------------------------------------------- maps
def choropleth(values, units: str = "63", *, label: str = "value", title: str | None = None,
               fmt: str = "{:,.2f}", cmap: str = "cividis", reverse: bool = False,
               vmin: float | None = None, vmax: float | None = None, highlight=()) -> MapResult:
    """Shade each unit of ``units`` ('63' or '34') by its value; units without one are hatched.

    ``values``: Series/dict keyed by code or name, or a DataFrame with ``province_code`` (or
    ``province``) and ``value`` (and ``source_id``) columns. ``reverse`` darkens low values (use it
    for ranks, where 1 is best). ``highlight``: names or codes outlined and labelled with their value.
    Returns the figure, the table behind it (every unit, ``value`` empty where not held), the source
    ids of the values, and alt text.
    """
    units = _check_units(units)
    shapes = geo.load(units)
    given = _frame(values, units)
    names = pv.names(units)
    table = pd.DataFrame({"code": sorted(names)})
    table["province"] = table.code.map(names)
    table = table.merge(given, on="code", how="left")
    table["held"] = table.value.notna()
    held = table[table.held]
    if held.empty:
        raise MapError("no unit has a value: nothing to shade")
    lo = held.value.min() if vmin is None else vmin
    hi = held.value.max() if vmax is None else vmax
    norm = Normalize(lo, hi if hi > lo else lo + 1)
    # darker = higher (or, with reverse, darker = lower): cividis runs dark to light, so flip it
    colormap = plt.get_cmap(cmap if reverse else cmap + "_r")
    value_of = dict(zip(table.code, table.value))

    def colour_of(code):
        v = value_of[code]
        return NOT_HELD_FACE if pd.isna(v) else colormap(norm(v))

    fig, ax = _axes(units)
    for code in table.code:
        is_held = pd.notna(value_of[code])
        _add(ax, PathPatch(to_path(shapes[code]), facecolor=colour_of(code), lw=0.4,
                               edgecolor=EDGE if is_held else NOT_HELD_EDGE, hatch=None if is_held else "////",
                               zorder=1))
    isles = _archipelagos(ax, shapes, colour_of)
    hl = _codes_for(highlight, units)
    anchors = {c: _anchor(shapes[c]) for c in hl}
    south_to_north = sorted(hl, key=lambda c: anchors[c].y)
    for code, y in zip(south_to_north, _label_ys([anchors[c].y for c in south_to_north])):
        outline = shapes[code].difference(shapely.union_all(list(ARCHIPELAGOS.values())))  # not the islands
        _add(ax, PathPatch(to_path(outline), fill=False, edgecolor="#000000", lw=1.4, zorder=4))
        v = value_of[code]
        ax.annotate(f"{names[code]} {fmt.format(v) if pd.notna(v) else NOT_HELD}", anchors[code].coords[0],
                    xytext=(LABEL_X, y), fontsize=FONT, ha="left", va="center",
                    arrowprops={"arrowstyle": "-", "lw": 0.6, "color": "#000000", "shrinkA": 1, "shrinkB": 0},
                    zorder=5)
    cax = fig.add_axes((0.05, 0.105, 0.58, 0.022))
    bar = fig.colorbar(plt.cm.ScalarMappable(norm=norm, cmap=colormap), cax=cax, orientation="horizontal")
    bar.set_label(label, fontsize=FONT)
    cax.xaxis.set_label_position("top")
    bar.ax.tick_params(labelsize=FONT)
    n_missing = int((~table.held).sum())
    if n_missing:
        fig.legend(handles=[Patch(facecolor=NOT_HELD_FACE, edgecolor=NOT_HELD_EDGE, hatch="////",
                                  label=f"{NOT_HELD} ({n_missing})")],
                   loc="lower left", bbox_to_anchor=(0.66, 0.08), fontsize=FONT, frameon=False, handlelength=1.6)
    if title:
        ax.set_title(title, fontsize=FONT + 1, loc="left")
    _attribution(fig)
    source_ids = sorted({s for s in table.source_id.dropna() if s})
    alt = _choropleth_alt(table, units, label, fmt, reverse, isles, [names[c] for c in hl])
    return MapResult(fig, table[["code", "province", "value", "held", "source_id"]], source_ids, alt)


def _choropleth_alt(table, units, label, fmt, reverse, isles, highlighted) -> str:
    held = table[table.held].sort_values(["value", "province"])
    darkest, lightest = (held.iloc[0], held.iloc[-1]) if reverse else (held.iloc[-1], held.iloc[0])
    parts = [f"Map of Vietnam's {UNIT_LABEL[units]} shaded by {label}, darker meaning "
             f"{'lower' if reverse else 'higher'}.",
             f"{len(held)} of {len(table)} have a figure: darkest {darkest.province} ({fmt.format(darkest.value)}), "
             f"lightest {lightest.province} ({fmt.format(lightest.value)})."]
    missing = table[~table.held].province.tolist()
    if missing:
        listed = ", ".join(missing[:12]) + (f" and {len(missing) - 12} more" if len(missing) > 12 else "")
        parts.append(f"Not held (hatched): {listed}.")
    if highlighted:
        parts.append("Outlined: " + ", ".join(
            f"{p} {fmt.format(v) if pd.notna(v) else NOT_HELD}"
            for p, v in zip(highlighted, table.set_index("province").loc[highlighted, "value"])) + ".")
    if isles:
        parts.append("The islands " + " and ".join(isles) + " are framed and labelled.")
    return " ".join(parts)


#: Okabe–Ito colours for the merger map: merged units, units left as they were, the one highlighted.
MERGED, UNCHANGED, CHOSEN = "#56B4E9", "#E6E6E6", "#D55E00"


def merger_map(highlight=None, *, title: str | None = None) -> MapResult:
    """The 2025 reorganisation: 34 units (thick borders), the 63 old borders inside them (thin, dashed),
    merged units shaded. ``highlight``: one new unit (name or code among the 34) drawn in a strong
    colour, with its predecessors named in the alt text — a locator map for a profile page."""
    g63, g34 = geo.load("63"), geo.load("34")
    names34, names63 = pv.names("34"), pv.names("63")
    chosen = _codes_for([highlight], "34")[0] if highlight is not None else None
    cross = pv.merger()[["old_code", "new_code"]].sort_values("old_code")
    table = pd.DataFrame({"old_code": cross.old_code, "old_province": cross.old_code.map(names63),
                          "new_code": cross.new_code, "new_unit": cross.new_code.map(names34)}).reset_index(drop=True)
    table["merged"] = table.new_code.map(table.new_code.value_counts()) > 1
    merged = set(table[table.merged].new_code)

    def colour_of(code):
        return CHOSEN if code == chosen else MERGED if code in merged else UNCHANGED

    fig, ax = _axes("34")
    for code, shape in g34.items():
        _add(ax, PathPatch(to_path(shape), facecolor=colour_of(code), edgecolor="none", zorder=1))
    for shape in g63.values():
        _add(ax, PathPatch(to_path(shape), fill=False, edgecolor="#ffffff", lw=0.35, ls=(0, (2, 1.5)), zorder=2))
    for shape in g34.values():
        _add(ax, PathPatch(to_path(shape), fill=False, edgecolor="#333333", lw=0.6, zorder=3))
    isles = _archipelagos(ax, g34, colour_of)
    n_merged = len(merged)
    handles = [Patch(facecolor=MERGED, label=f"merged ({n_merged} units from {int(table.merged.sum())} provinces)"),
               Patch(facecolor=UNCHANGED, edgecolor="#333333", lw=0.5,
                     label=f"unchanged ({len(g34) - n_merged})")]
    if chosen:
        handles.insert(0, Patch(facecolor=CHOSEN, label=names34[chosen]))
    fig.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.02, 0.06), fontsize=FONT, frameon=False,
               handlelength=1.6)
    ax.set_title(title or "63 → 34 (1 July 2025)", fontsize=FONT + 1, loc="left")
    _attribution(fig)
    alt = (f"Map of Vietnam's 34 provincial units from 1 July 2025 with the borders of the 63 earlier provinces "
           f"inside them: {n_merged} units were formed by merging {int(table.merged.sum())} provinces, "
           f"{len(g34) - n_merged} kept their borders.")
    if chosen:
        preds = table[table.new_code == chosen].old_province.tolist()
        alt += (f" Highlighted: {names34[chosen]}, formed from {', '.join(preds)}." if len(preds) > 1
                else f" Highlighted: {names34[chosen]}, unchanged.")
    if isles:
        alt += " The islands " + " and ".join(isles) + " are framed and labelled."
    return MapResult(fig, table, [], alt)


def _make_room(fig, dy: float) -> float:
    """Add ``dy`` inches at the bottom of a map: axes and legends move up with what is above them, texts
    placed at the bottom (the attribution) stay there. Returns the new height in inches."""
    w, h = fig.get_size_inches()
    total = h + dy

    def up(y):
        return (y * h + dy) / total

    anchors = [(leg, leg.get_bbox_to_anchor().transformed(fig.transFigure.inverted())) for leg in fig.legends]
    fig.set_size_inches(w, total)
    for ax in fig.axes:
        x0, y0, width, height = ax.get_position().bounds
        ax.set_position([x0, up(y0), width, height * h / total])
    for leg, box in anchors:
        leg.set_bbox_to_anchor((box.x0, up(box.y0)), transform=fig.transFigure)
    for t in fig.texts:
        x, y = t.get_position()
        if y > 0.5:  # a title: keep its distance from the top
            t.set_position((x, 1 - (1 - y) * h / total))
    return total


def show(result: MapResult, title: str | None = None) -> None:
    """Display a map as a PNG with its alt text (picked up by the runner), with a source line if any."""
    from IPython.display import Image, display

    from .figures import _small_png, cite

    fig = result.figure
    if title:
        fig.suptitle(title, x=0.01, y=0.995, ha="left", fontsize=FONT + 2, fontweight="bold")
    if result.source_ids:
        h = _make_room(fig, 0.42)  # below the colour bar, above the attribution
        fig.text(0.01, 0.27 / h, cite(result.source_ids), fontsize=SMALL, color="#444444", ha="left", va="bottom",
                 wrap=True)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", metadata={"Software": None})
    plt.close(fig)
    # an indexed palette, as for the charts: a third of the bytes, against the page budget (400 KB)
    display(Image(data=_small_png(buf.getvalue()), format="png"), metadata={"image/png": {"alt": result.alt}})


def linked_svg(units: str, href_of, *, title: str, tolerance: float = 0.03, width: int = 440) -> str:
    """An inline SVG map of ``units`` ('63' or '34') in which each unit is a link: ``href_of(code)``
    gives its address. Each unit's outline is simplified (``tolerance`` degrees) and written in whole
    pixels, so the 63 weigh about 40 of kilobytes; the name is the link's label and tooltip.
    A plain SVG with ``<a>`` elements rather than an image map: it scales with the page and needs no
    script. Hoàng Sa and Trường Sa are drawn within the unit they belong to, as in :func:`choropleth`."""
    import html

    units = _check_units(units)
    shapes = geo.load(units)
    names = pv.names(units)
    x0, x1, y0, y1 = EXTENT
    kx = width / (x1 - x0)
    ky = kx / np.cos(np.radians(15))
    height = int(round((y1 - y0) * ky))

    def ring(coords) -> str:
        pts = [(round((x - x0) * kx), round((y1 - y) * ky)) for x, y in coords]
        out = [pts[0]]
        for p in pts[1:]:
            if p != out[-1]:
                out.append(p)
        if len(out) < 3:
            return ""
        return "M" + " ".join(f"{x:g},{y:g}" for x, y in out) + "Z"

    links = []
    for code in sorted(names):
        geom = shapely.simplify(shapes[code], tolerance, preserve_topology=True)
        d = "".join(ring(r.coords) for poly in shapely.get_parts(geom) for r in [poly.exterior, *poly.interiors])
        name = html.escape(names[code], quote=True)
        links.append(f'<a href="{html.escape(href_of(code), quote=True)}" aria-label="{name}">'
                     f'<title>{name}</title><path d="{d}"/></a>')
    label = html.escape(title, quote=True)
    return (f'<figure class="rb-linked-map"><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
            f'width="100%" role="group" aria-label="{label}">'
            '<style>path{fill:#cfe3f3;stroke:#4d4d4d;stroke-width:.5;fill-rule:evenodd}'
            'a:hover path,a:focus path{fill:#D55E00}</style>'
            + "".join(links) + f"</svg><figcaption>{html.escape(title)}. {html.escape(geo.ATTRIBUTION)}</figcaption></figure>")


def rankings_map(ranks: pd.DataFrame, year: int, units: str, label: str, highlight=()) -> MapResult:
    """A choropleth of one edition of an index from :func:`reformbook.metrics.rankings` (the preferred
    values): by rank where the edition ranks anyone (darker = better), else by score (darker = higher)."""
    r = ranks[ranks.year == year]
    by_rank = r.rank_preferred.notna().any()
    col = "rank_preferred" if by_rank else "score_preferred"
    held = r.dropna(subset=[col])
    if held.empty:
        raise MapError(f"no {label} figure is held for {year} among the {units}")
    values = pd.DataFrame({"province_code": held.province_code, "value": held[col].astype(float),
                           "source_id": [ids[0] if len(ids) else None for ids in held.source_ids]})
    what = f"{label} {year}: rank (1 = best)" if by_rank else f"{label} {year}: score"
    return choropleth(values, units, label=what, fmt="{:,.0f}" if by_rank else "{:,.4g}", reverse=bool(by_rank),
                      highlight=[c for c in highlight if c in set(held.province_code)] if units == "34" else highlight)
