"""Province boundaries for the maps: the 63 (before 1 July 2025) and the 34 units dissolved from them.

``python -m reformbook make-geo [SOURCE.topojson]`` reads the boundary set checked in
``data/geo/source/`` (copied as received from the shared research folder geo-2026-12-04) (see ``data/geo/README.md`` for source, licence and
attribution) and writes ``data/geo/provinces_63.geojson`` and ``data/geo/units_34.geojson``:

1. decode the TopoJSON (a few lines below; the ``topojson`` package on PyPI is an *encoder* with a
   heavy dependency tree, so decoding by hand was the lighter choice);
2. correct the two names the source misspells (``NAME_FIXES``) and resolve every name with
   :func:`reformbook.provinces.resolve`; a name that does not resolve, or two features for one
   province, stops the script;
3. repair invalid geometry (Khánh Hòa ships with a self-intersection) with ``shapely.make_valid``;
4. simplify all 63 together with ``shapely.coverage_simplify`` so that a border shared by two
   provinces is simplified once and stays shared (no slivers, no gaps), then snap to a 0.001° grid
   (about 110 m; the simplification tolerance is ten times coarser);
5. dissolve the 34 units from the simplified 63 with the crosswalk ``data/reference/merger_2025.csv``.

Reading the committed files is :func:`load`; it needs no network and no geopandas.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

import numpy as np
import shapely

from . import provinces as pv
from .paths import DATA

GEO = DATA / "geo"
#: the checked source, kept as received (with its README) so make-geo reruns from a clone
DEFAULT_SOURCE = GEO / "source" / "provinces_63.topojson"
OBJECT = "diaphantinh"
NAME_PROPERTY = "ten_tinh"
#: Misspellings in the source (listed in its README), corrected before resolving.
NAME_FIXES = {"Cần Thơn": "Cần Thơ", "Quản Bình": "Quảng Bình"}
#: coverage_simplify tolerance and the coordinate grid, in degrees.
TOLERANCE = 0.01
GRID = 0.001
DECIMALS = 3
FILES = {"63": "provinces_63.geojson", "34": "units_34.geojson"}
#: Budget per committed file (the tests hold the files to it).
MAX_BYTES = 250_000
ATTRIBUTION = "Boundaries: Open Development Mekong / Department of Survey and Mapping, CC BY-SA 4.0"


class GeoError(ValueError):
    pass


# --------------------------------------------------------------------------- TopoJSON
def _decode_arcs(topo: dict) -> list[np.ndarray]:
    """Absolute lon/lat coordinates of each arc (quantised, delta-encoded in the file)."""
    tf = topo.get("transform")
    out = []
    for arc in topo["arcs"]:
        a = np.asarray(arc, dtype=float)
        if tf:
            a = np.cumsum(a, axis=0) * tf["scale"] + tf["translate"]
        out.append(a)
    return out


def _ring(arcs: list[np.ndarray], indices: list[int]) -> np.ndarray:
    parts = []
    for k, i in enumerate(indices):
        pts = arcs[i] if i >= 0 else arcs[~i][::-1]
        parts.append(pts if k == 0 else pts[1:])  # consecutive arcs share their joining point
    return np.concatenate(parts)


def decode(topo: dict, obj: str = OBJECT) -> list[tuple[dict, shapely.Geometry]]:
    """(properties, geometry) for each Polygon/MultiPolygon of one object of a TopoJSON topology."""
    if obj not in topo.get("objects", {}):
        raise GeoError(f"no object {obj!r} in the topology; objects: {sorted(topo.get('objects', {}))}")
    arcs = _decode_arcs(topo)
    polygon = lambda rings: shapely.Polygon(_ring(arcs, rings[0]), [_ring(arcs, r) for r in rings[1:]])  # noqa: E731
    out = []
    for g in topo["objects"][obj]["geometries"]:
        if g["type"] == "Polygon":
            geom = polygon(g["arcs"])
        elif g["type"] == "MultiPolygon":
            geom = shapely.MultiPolygon([polygon(p) for p in g["arcs"]])
        else:
            raise GeoError(f"unexpected geometry type {g['type']!r}; allowed: Polygon, MultiPolygon")
        out.append((g.get("properties", {}), geom))
    return out


# --------------------------------------------------------------------------- building
def _polygonal(geom: shapely.Geometry) -> shapely.Geometry:
    """Keep the areal parts (make_valid may add stray lines or points)."""
    polys = [p for p in shapely.get_parts(geom) if p.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(polys) if len(polys) != 1 else polys[0]


def match_codes(names: list[str]) -> list[str]:
    """Codes (63 units) for the source's names, through the package's resolver; every code once."""
    codes = []
    for name in names:
        fixed = NAME_FIXES.get(name, name)
        try:
            codes.append(pv.resolve(fixed, units="63").code)
        except pv.ProvinceError as exc:
            raise GeoError(f"boundary name {name!r} does not resolve: {exc}") from None
    seen: dict[str, str] = {}
    for name, code in zip(names, codes):
        if code in seen:
            raise GeoError(f"two boundaries for province {code}: {seen[code]!r} and {name!r}")
        seen[code] = name
    missing = sorted(set(pv.names("63")) - set(codes))
    if missing:
        raise GeoError(f"no boundary for province(s) {missing}")
    return codes


def simplify(geoms, tolerance: float = TOLERANCE, grid: float = GRID) -> np.ndarray:
    """Simplify a polygon coverage together (shared borders stay shared), then snap to a grid."""
    arr = np.array([_polygonal(g) for g in shapely.make_valid(np.asarray(geoms, dtype=object))], dtype=object)
    out = shapely.set_precision(shapely.coverage_simplify(arr, tolerance), grid)
    return np.array([_polygonal(g) for g in out], dtype=object)


def dissolve(codes_63: list[str], geoms_63, grid: float = GRID) -> dict[str, shapely.Geometry]:
    """The 34 units as unions of their predecessors (crosswalk: data/reference/merger_2025.csv)."""
    by_new: dict[str, list] = {}
    for code, geom in zip(codes_63, geoms_63):
        by_new.setdefault(pv.successor(code), []).append(geom)
    missing = sorted(set(pv.names("34")) - set(by_new))
    if missing:
        raise GeoError(f"no predecessor boundaries for unit(s) {missing}")
    return {code: _polygonal(shapely.set_precision(shapely.union_all(parts), grid)) for code, parts in by_new.items()}


def _collection(features: list[tuple[dict, shapely.Geometry]]) -> str:
    fc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": props, "geometry": json.loads(shapely.to_geojson(geom))}
        for props, geom in features]}
    text = json.dumps(fc, ensure_ascii=False, separators=(",", ":"))
    # the geometry is already on the GRID; drop binary-float tails such as 106.70100000000001
    return re.sub(r"(-?\d+\.\d{%d})\d+" % DECIMALS, r"\1", text) + "\n"


def make(source: Path = DEFAULT_SOURCE, out: Path | None = None) -> dict[str, Path]:
    """Write the two GeoJSON files; return their paths."""
    out = out or GEO
    source = Path(source)
    if not source.exists():
        raise GeoError(f"boundary source {source} not found (see data/geo/README.md for where it comes from)")
    items = decode(json.loads(source.read_text(encoding="utf-8")))
    codes = match_codes([p.get(NAME_PROPERTY, "") for p, _ in items])
    simple = simplify([g for _, g in items])
    order = np.argsort(codes)
    names63, names34 = pv.names("63"), pv.names("34")
    f63 = [({"code": codes[i], "name_vi": names63[codes[i]], "new_code": pv.successor(codes[i])}, simple[i])
           for i in order]
    units = dissolve(codes, simple)
    f34 = [({"code": c, "name_vi": names34[c], "predecessor_codes": sorted(pv.predecessors(c))}, units[c])
           for c in sorted(units)]
    out.mkdir(parents=True, exist_ok=True)
    written = {}
    for key, feats in (("63", f63), ("34", f34)):
        path = out / FILES[key]
        path.write_text(_collection(feats), encoding="utf-8")
        written[key] = path
    load.cache_clear()
    return written


# --------------------------------------------------------------------------- reading
@lru_cache(maxsize=None)
def load(units: str = "63", root: Path | None = None) -> dict[str, shapely.Geometry]:
    """Code → boundary of each unit of the set ('63' or '34'), from the committed GeoJSON."""
    if units not in FILES:
        raise GeoError(f"unknown unit set {units!r}; allowed: {', '.join(FILES)}")
    path = (root or GEO) / FILES[units]
    if not path.exists():
        raise GeoError(f"{path} is missing; run `python -m reformbook make-geo`")
    fc = json.loads(path.read_text(encoding="utf-8"))
    return {f["properties"]["code"]: shapely.from_geojson(json.dumps(f["geometry"])) for f in fc["features"]}
