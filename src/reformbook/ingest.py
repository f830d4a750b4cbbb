"""Turn collected research rows (``data/raw/``) into the tidy, validated tables in ``data/``.

``data/raw/<batch>/`` holds files exactly as they were received (never edited), with a ``batch.yml``
that lists every file, says how to read it, and gives the batch's access date, route and licence
(:func:`read_batch`). This module maps them onto the facts schema: resolves every province name to its code (unknown name → error),
gives each page a source id, puts the unit into the metric name, and sets the approximate and
derived flags from what the collector recorded. Run it with ``python -m reformbook ingest``; it
rewrites ``data/sources.csv`` (keeping hand-written rows), ``data/facts/indices.csv``,
``data/facts/operations.csv``, ``data/facts/national.csv`` and ``data/not_published.csv``.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from urllib.parse import urlparse

import pandas as pd
import yaml

from . import provinces as pv
from . import checks
from .data import FACT_COLUMNS, GAP_COLUMNS, INDEX_METRICS, SOURCE_COLUMNS
from .paths import DATA

ACCESSED = "2026-11-23"  # fallback access date for rows read outside a batch (tests); batches state their own

_APPROX = re.compile(r"approx|hơn|gần|khoảng|trên|over|nearly|more than", re.I)
_UNITS_MARK = re.compile(r"\s*\(nhóm (63|34) tỉnh[^)]*\)\s*$")
# what a collector wrote when a rank was read off a listed order or worked out from a stated change
_DERIVED = re.compile(r"derived|listed order|order in list|order in the list", re.I)


# --------------------------------------------------------------------------- sources
def source_id_for(url: str, key: str = "") -> str:
    """Id of a source document: host stem and a hash of the URL. ``key`` (route and edition) tells apart
    one publisher page reached by another route, or one file holding several editions; empty for a page
    read directly, so those ids never change."""
    host = urlparse(url).netloc.lower().removeprefix("www.").removeprefix("m.")
    stem = re.sub(r"[^a-z0-9]+", "-", host.split(".")[0] if host.count(".") <= 1 else host.rsplit(".", 2)[0])
    text = url if not key else f"{url}\n{key}"
    return f"{stem.strip('-')}-{hashlib.sha1(text.encode()).hexdigest()[:6]}"


def _kind(url: str) -> str:
    """government (.gov.vn, chinhphu.vn), publisher (the index's own site), dataset, or news."""
    host = urlparse(url).netloc.lower()
    if host.endswith(".gov.vn") or "chinhphu.vn" in host:
        return "government"
    if any(site in host for site in ("pcivietnam.vn", "papi.org.vn")):
        return "publisher"
    if any(site in host for site in ("huggingface.co", "github.com")):
        return "dataset"
    return "news"


#: the index publishers' own sites (their full tables) and the bodies that announce each index
_PUBLISHER_SITES = ("pcivietnam.vn", "papi.org.vn", "dti.gov.vn")
_ANNOUNCERS = ("moha.gov.vn", "caicachhanhchinh.gov.vn", "mic.gov.vn", "mst.gov.vn", "vcci.com.vn", "vccinews.com",
               "vccinews.vn")
#: provincial and city outlets whose host names no province (Hà Nội, HCMC, Huế, Hải Phòng papers)
_CITY_PRESS = ("sggp", "saigon", "tphcm", "hanoimoi", "kinhtedothi", "nguoihanoi", "thudo", "huengaynay", "anhp",
               "haiduongnews", "nghean24h")


def _slugs() -> set[str]:
    from unidecode import unidecode

    out = set()
    for units in pv.UNIT_SETS:
        for name in pv.names(units).values():
            slug = re.sub(r"[^a-z]", "", unidecode(name).lower().removeprefix("tp. "))
            out.add(slug)
    return out


def source_tier(url: str, kind: str, language: str) -> str:
    """How close a source is to the index's publisher (data.TIERS, best first), from its address.

    A rule of thumb, written once here and listed in data/README.md: the publisher's own site
    (its full table); the body that announces the index; a translation or foreign-language report;
    provincial press and authorities (a province in the host name, or a known city paper); a
    third-party compilation; else national press or central government."""
    host = urlparse(url).netloc.lower().removeprefix("www.").removeprefix("m.")
    if not _SLUGS:
        _SLUGS.update(_slugs())
    if kind == "dataset":
        return "compilation"
    if any(host == s or host.endswith("." + s) for s in _PUBLISHER_SITES) or kind == "publisher":
        return "publisher_table"
    if any(host == s or host.endswith("." + s) for s in _ANNOUNCERS):
        return "publisher_announcement"
    if language != "vi":
        return "translation"
    labels = host.split(".")
    if any(c in label for label in labels for c in _CITY_PRESS) or any(
            slug in label for label in labels[:-1] for slug in _SLUGS):
        return "provincial"
    return "national"


_SLUGS: set[str] = set()


#: publisher names written in a script the charts' font lacks → the name the book prints
_PUBLISHER_LATIN = {
    "商务部 驻胡志明市总领馆经商处": "Economic and commercial office, Consulate General of China in HCMC",
    "VIETJO ベトナムニュース": "VIETJO",
}


def _publisher(url: str, title: str) -> str:
    m = re.search(r"\(([^()]+)\)\s*$", title or "")
    if m and not re.search(r"reports|approx|derived", m.group(1), re.I):
        name = m.group(1).strip()
        for native, latin in _PUBLISHER_LATIN.items():
            name = name.replace(native, latin)
        return name
    return urlparse(url).netloc.lower().removeprefix("www.")


def _language(url: str, title: str) -> str:
    host = urlparse(url).netloc.lower()
    if host.startswith(("en.", "english.", "e.vnexpress", "betaen.")) or "/en/" in url or "EN)" in (title or ""):
        return "en"
    if host.startswith("cn."):
        return "zh"
    return "vi"


def build_sources(frames: list[pd.DataFrame], extra: list[dict] = ()) -> pd.DataFrame:
    """One row per source document from every raw row that cites one (``extra``: rows already made,
    e.g. the publisher rows of a complete table), merged by :func:`merge_sources`."""
    rows = list(extra)
    for df in frames:
        for r in df.itertuples():
            url = r.source_url
            title = getattr(r, "source_title", "") or ""
            rows.append({
                "source_id": source_id_for(url),
                "publisher": _publisher(url, title),
                "title": re.sub(r"\s*\([^()]*\)\s*$", "", title).strip() or url,
                "url": url,
                "date_published": _clean_date(getattr(r, "published", "")),
                "date_accessed": getattr(r, "date_accessed", "") or ACCESSED,
                "language": _language(url, title),
                "kind": _kind(url),
                "note": "third-party compilation" if "compilation" in title.lower() else "",
                "route": "", "licence": getattr(r, "licence", "") or "",
            })
    return merge_sources(rows)


def merge_sources(rows: list[dict]) -> pd.DataFrame:
    """Several raw rows (in one batch or in several) may cite the same source. The row kept for it
    does not depend on folder, file or row order: the earliest access date wins; on the same date,
    the row that fills more of publisher, title and date_published; then the first by title,
    publisher and date_published. The result is sorted by source id."""
    if not rows:
        return pd.DataFrame(columns=[c for c in SOURCE_COLUMNS])
    df = pd.DataFrame(rows).fillna("")
    collide = df.groupby("source_id")["url"].nunique()
    if (collide > 1).any():
        bad = df[df.source_id.isin(collide[collide > 1].index)]
        raise ValueError(f"source id collision: {bad[['source_id', 'url']].drop_duplicates().to_dict('records')}")
    df["_filled"] = -sum((df[c] != "").astype(int) for c in ("publisher", "title", "date_published"))
    df = df.sort_values(["source_id", "date_accessed", "_filled", "title", "publisher", "date_published"],
                        kind="stable")
    return df.drop_duplicates("source_id").drop(columns="_filled").reset_index(drop=True)


def _clean_date(text) -> str:
    text = str(text or "").strip()
    m = re.match(r"(\d{4}(-\d{2}(-\d{2})?)?)", text)
    return m.group(1) if m else ""


# --------------------------------------------------------------------------- facts
def _num(text) -> float | None:
    text = str(text).strip()
    if text in ("", "nan", "None"):
        return None
    return float(text)


def _units_and_name(raw: str, year: int, stated: str = "") -> tuple[str, str]:
    """Which set of units a ranking is among, and the bare province name.

    The set comes from a "(nhóm 63|34 tỉnh)" mark on the name or from the collector's ``units``
    column; when both are given they must agree. With neither, the edition's year decides
    (:func:`provinces.units_for`).
    """
    stated = str(stated or "").strip()
    if stated not in ("", "63", "34"):
        raise ValueError(f"units must be 63 or 34, not {stated!r}")
    m = _UNITS_MARK.search(raw)
    if m:
        if stated and stated != m.group(1):
            raise ValueError(f"{raw!r}: name says nhóm {m.group(1)} but the units column says {stated}")
        return m.group(1), raw[: m.start()].strip()
    return (stated or pv.units_for(year)), raw.strip()


def _locate(r, line: int) -> tuple[str, str, str]:
    """Units, bare name and code of a collected index row; any problem names the row."""
    try:
        units, name = _units_and_name(r.province, int(r.year), getattr(r, "units", ""))
        return units, name, pv.resolve(name, units=units).code
    except ValueError as exc:  # ProvinceError is a ValueError too
        raise ValueError(f"row {line}: {exc}") from exc


def index_facts(df: pd.DataFrame) -> pd.DataFrame:
    """Rows of par_sipas.csv / indices.csv → facts (one row per figure: score and rank apart)."""
    out = []
    for line, r in zip(df.index + 2, df.itertuples()):
        year = int(r.year)
        units, name, code = _locate(r, line)
        excerpt = str(r.excerpt or "")
        note = str(getattr(r, "note", "") or "")
        if name != r.province.strip():
            note = "; ".join(x for x in (f"ranking of the {units} units", note) if x)
        derived = str(getattr(r, "is_derived", "0")).strip() in ("1", "True", "true") or bool(
            _DERIVED.search(excerpt + " " + note)
        )
        # curated rule: a note that works the score out ("derived: 69.69-5.85=63.84", "91.81 minus the
        # stated increase 1.72") makes the score derived as well, not only the rank
        score_derived = checks.describes_arithmetic(note)
        if r.index not in INDEX_METRICS:
            raise ValueError(f"row {line}: unknown index {r.index!r}; add it to data/indices.csv "
                             f"(known: {', '.join(sorted(INDEX_METRICS))})")
        score_metric, rank_metric = INDEX_METRICS[r.index]
        for metric, value in ((score_metric, _num(r.score)), (rank_metric, _num(r.rank))):
            if value is None:
                continue
            if metric is None:
                raise ValueError(f"row {line}: {r.index} has no rank metric (data/indices.csv), but a rank {value} is given")
            out.append({
                "province_code": code, "units": units, "province_name_source": name,
                "metric": metric, "level": "province", "period": str(year), "value": value,
                "value_max": None, "is_approx": False,
                "is_derived": (derived and metric == rank_metric) or (score_derived and metric == score_metric),
                "source_id": source_id_for(r.source_url),
                "note": note, "locator": excerpt,
            })
    return pd.DataFrame(out, columns=FACT_COLUMNS)


_NOT_PUBLISHED = re.compile(r"^\s*NOT PUBLISHED:\s*", re.I)


def index_gaps(df: pd.DataFrame) -> pd.DataFrame:
    """Rows with neither score nor rank whose note begins "NOT PUBLISHED:" (the edition left the
    province out, as the source says) → ``data/not_published.csv`` rows. Other empty rows carry nothing."""
    out = []
    for line, r in zip(df.index + 2, df.itertuples()):
        note = str(getattr(r, "note", "") or "")
        if _num(r.score) is not None or _num(r.rank) is not None or not _NOT_PUBLISHED.match(note):
            continue
        if r.index not in INDEX_METRICS:
            raise ValueError(f"row {line}: unknown index {r.index!r} (known: {', '.join(sorted(INDEX_METRICS))})")
        units, name, code = _locate(r, line)
        out.append({"index": r.index, "year": str(int(r.year)), "province_code": code, "units": units,
                    "province_name_source": name, "source_id": source_id_for(r.source_url),
                    "reason": re.sub(r";\s*explains gap\s*$", "", _NOT_PUBLISHED.sub("", note)).strip(), "locator": str(r.excerpt or "")})
    return pd.DataFrame(out, columns=GAP_COLUMNS)


_OPS_RENAME = {
    "procedures_total": ("procedures", "all"),
    "score_766": ("d766_score", None),
    "rank_766": ("d766_rank", None),
    "rank_766_digitization": ("d766_digitization_rank", None),
    "satisfaction_score_766": ("d766_satisfaction_score", None),
    "par_index": ("par_index_score", None),
    "sipas": ("sipas_score", None),
}


def _ops_metric(metric: str, unit: str) -> tuple[str, str | None]:
    name, level = _OPS_RENAME.get(metric, (metric, None))
    if name.startswith("score_766_"):
        name = "d766_" + name.removeprefix("score_766_") + "_score"
    u = unit.lower()
    if u.startswith("rank"):
        suffix = "rank"
        name = name.removesuffix("_rank")
    elif u.startswith("points"):
        suffix = "points"
    elif u.startswith("percent"):
        suffix = "pct"
    else:
        suffix = "count"
    if suffix == "rank":
        return f"{name}_rank", level
    return f"{name}_{suffix}", level


def operations_facts(df: pd.DataFrame) -> pd.DataFrame:
    out = []
    for r in df.itertuples():
        period, _, qualifier = str(r.period).partition(" (")
        period = period.strip().replace("/", "..")
        qualifier = qualifier.rstrip(")")
        unit = str(r.unit or "")
        units = "34" if "of 34" in unit else pv.units_for(period)
        code = pv.resolve(r.province, units=units).code
        metric, level = _ops_metric(r.metric, unit)
        mx = re.search(r"max (\d+)", unit)
        note = unit if unit not in ("count", "percent", "rank (of 63)") else ""
        extra = str(getattr(r, "note", "") or "")
        out.append({
            "province_code": code, "units": units, "province_name_source": r.province,
            "metric": metric, "level": level or r.level, "period": period, "value": float(r.value),
            "value_max": float(mx.group(1)) if mx else None,
            "is_approx": bool(_APPROX.search(unit)),
            "is_derived": str(getattr(r, "is_derived", "0")).strip() == "1"
            or "derived" in str(r.excerpt).lower(),
            "source_id": source_id_for(r.source_url),
            "note": "; ".join(x for x in (qualifier, note, extra) if x), "locator": r.excerpt,
        })
    return pd.DataFrame(out, columns=FACT_COLUMNS)


def _read_raw(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


# --------------------------------------------------------------------------- batches
BATCH_FILE = "batch.yml"
#: how ingest reads a file a batch lists (``read_as`` in batch.yml)
READ_AS = {
    "index_rows": "collected index rows (index, year, province, score, rank, source_url, …) → facts/indices.csv",
    "operations_rows": "collected city figures → facts/operations.csv",
    "national_rows": "national figures → facts/national.csv",
    "index_table": "a complete table of one publisher (columns named in batch.yml) → facts/indices.csv",
    "reference": "reference lists read by build_reference (provinces, aliases, the 2025 crosswalk)",
    "check": "a verification of other rows; kept, not read",
    "received": "a file as received, from which a file beside it was curated; kept, not read",
    "doc": "documentation",
}
BATCH_KEYS = {"title", "accessed", "curator", "route", "licence", "edits", "files"}


class BatchError(ValueError):
    """A batch folder whose metadata does not describe it (the message names the file)."""


def _rel(path: Path) -> str:
    return str(path.relative_to(DATA.parent)) if path.is_relative_to(DATA.parent) else str(path)


def read_batch(folder: Path) -> dict:
    """Read and check ``<folder>/batch.yml``: every key known, one access date (YYYY-MM-DD), every file in
    the folder listed (an unlisted file is an error naming it), every listed file present, each with a
    known ``read_as``. Returns the metadata with ``folder`` added."""
    meta_path = folder / BATCH_FILE
    if not meta_path.exists():
        raise BatchError(f"{_rel(folder)}: no {BATCH_FILE}; every batch describes itself (see data/README.md)")
    meta = yaml.safe_load(meta_path.read_text(encoding="utf-8")) or {}
    where = _rel(meta_path)
    unknown = set(meta) - BATCH_KEYS
    if unknown:
        raise BatchError(f"{where}: unknown key(s) {sorted(unknown)}; allowed: {sorted(BATCH_KEYS)}")
    missing = {"accessed", "route", "licence", "curator", "files"} - set(meta)
    if missing:
        raise BatchError(f"{where}: missing key(s) {sorted(missing)}")
    accessed = str(meta["accessed"])
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", accessed):
        raise BatchError(f"{where}: accessed must be one date YYYY-MM-DD, not {meta['accessed']!r}")
    files = meta["files"] or {}
    present = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()} - {BATCH_FILE}
    for name in sorted(present - set(files)):
        raise BatchError(f"{_rel(folder / name)}: file not listed in {where}; list it with what it holds "
                         f"and how ingest reads it (read_as)")
    for name, spec in files.items():
        if name not in present:
            raise BatchError(f"{where}: lists {name!r}, which is not in the folder")
        read_as = (spec or {}).get("read_as")
        if read_as not in READ_AS:
            raise BatchError(f"{where}: {name}: read_as {read_as!r} is not one of {sorted(READ_AS)}")
        if not (spec or {}).get("holds"):
            raise BatchError(f"{where}: {name}: say what the file holds (holds: …)")
    return {**meta, "accessed": accessed, "folder": folder}


def batch_files(meta: dict, read_as: str) -> list[tuple[Path, dict]]:
    return [(meta["folder"] / name, spec) for name, spec in meta["files"].items() if spec["read_as"] == read_as]


def _in_file(path: Path, fn, *args):
    """Run a reader on one file; a ValueError it raises names the file."""
    try:
        return fn(*args)
    except BatchError:
        raise
    except ValueError as exc:
        raise BatchError(f"{_rel(path)}: {exc}") from exc


# --------------------------------------------------------------------------- complete tables
def _edition_source(spec: dict, year: int, accessed: str) -> dict:
    """The source row of one edition of a complete table: the publisher, cited with its page where one is
    named, and the route (repository @ commit, path) by which the table came."""
    src = {**spec["source"], **((spec.get("editions") or {}).get(year) or {})}
    fill = {k: str(v).format(year=year) for k, v in src.items()}
    for key in ("publisher", "title", "url", "kind", "route"):
        if not fill.get(key):
            raise ValueError(f"source of edition {year}: {key} is empty")
    return {
        "source_id": source_id_for(fill["url"], f"{fill['route']}|{year}"),
        "publisher": fill["publisher"], "title": fill["title"], "url": fill["url"],
        "date_published": fill.get("date_published", ""), "date_accessed": accessed,
        "language": fill.get("language", ""), "kind": fill["kind"], "note": fill.get("note", ""),
        "route": fill["route"], "licence": fill.get("licence", ""),
    }


def table_facts(df: pd.DataFrame, spec: dict, accessed: str) -> tuple[pd.DataFrame, list[dict], pd.DataFrame]:
    """A complete table (one row per province and edition) → facts, the source row of each edition, and
    the provinces the edition left out (``not_published_when_blank``). Which columns hold what is stated
    in batch.yml. A rank column is always a rank computed from the scores: flagged derived."""
    facts, sources, gaps = [], {}, []
    rank = spec.get("rank")
    blank = spec.get("not_published_when_blank")
    for line, r in zip(df.index + 2, df.to_dict("records")):
        year = int(r["year"])
        units = str(r[spec["units"]] if spec["units"] in r else spec["units"])
        name, extra_note = r[spec["province"]].strip(), ""
        try:
            code = pv.resolve(name, units=units).code
        except ValueError as exc:
            # a code the curator mapped (e.g. PCI 2022's "HNOI"): the table's canonical name stands in
            fallback = spec.get("name_if_unresolved")
            if not fallback:
                raise ValueError(f"row {line}: {exc}") from exc
            extra_note = f"the source writes {name!r}; its code was mapped by the curator (README.md)"
            name = r[fallback].strip()
            code = pv.resolve(name, units=units).code
        if spec.get("code") and r[spec["code"]] != code:
            raise ValueError(f"row {line}: {name!r} resolves to {code}, but the table says {r[spec['code']]}")
        if year not in sources:
            try:
                sources[year] = _edition_source(spec, year, accessed)
            except (KeyError, ValueError) as exc:
                raise ValueError(f"row {line}: {exc}") from exc
        source_id = sources[year]["source_id"]
        cells = [(col, c) for col, c in spec["scores"].items()]
        if rank:
            cells.append((rank["column"], {"index": rank["index"], "note": rank.get("note", ""), "rank": True}))
        for col, c in cells:
            if c["index"] not in INDEX_METRICS:
                raise ValueError(f"row {line}: column {col}: unknown index {c['index']!r} "
                                 f"(known: {', '.join(sorted(INDEX_METRICS))})")
            value = _num(r[col])
            if value is None:
                continue
            metric = INDEX_METRICS[c["index"]][1 if c.get("rank") else 0]
            if metric is None:
                raise ValueError(f"row {line}: column {col}: index {c['index']} has no rank metric")
            facts.append({
                "province_code": code, "units": units, "province_name_source": name, "metric": metric,
                "level": "province", "period": str(year), "value": value, "value_max": c.get("value_max"),
                "is_approx": False, "is_derived": bool(c.get("rank")), "source_id": source_id,
                "note": "; ".join(x for x in (c.get("note", ""), extra_note) if x),
                "locator": f"{spec['file']} line {line}",
            })
        if blank and _num(r[blank["column"]]) is None:
            gaps.append({"index": blank["index"], "year": str(year), "province_code": code, "units": units,
                         "province_name_source": name, "source_id": source_id,
                         "reason": blank["reason"].format(year=year), "locator": blank.get("locator", "")})
    return (pd.DataFrame(facts, columns=FACT_COLUMNS), list(sources.values()),
            pd.DataFrame(gaps, columns=GAP_COLUMNS))


def collect(raw: Path = DATA / "raw") -> dict[str, pd.DataFrame]:
    """Read every batch in ``raw`` as its ``batch.yml`` says; returns the sources, the facts per table and
    the not-published rows, before the hand-written sources are added and anything is written.

    Each batch folder lists its files in ``batch.yml`` (see :func:`read_batch`); ingest reads only what
    is listed there, as it says, and stamps each source with the batch's access date."""
    idx_frames, ops_frames, nat_frames, table_parts = [], [], [], []
    for folder in sorted(p for p in raw.iterdir() if p.is_dir()):
        meta = read_batch(folder)
        stamp = {"date_accessed": meta["accessed"]}
        for path, _ in batch_files(meta, "index_rows"):
            idx_frames.append((path, _read_raw(path).assign(**stamp)))
        for path, _ in batch_files(meta, "operations_rows"):
            ops_frames.append((path, _read_raw(path).assign(**stamp)))
        for path, _ in batch_files(meta, "national_rows"):
            nat_frames.append((path, _read_raw(path).assign(source_title="", published="", **stamp)))
        for path, spec in batch_files(meta, "index_table"):
            spec = {**spec, "file": path.name}
            table_parts.append(_in_file(path, table_facts, _read_raw(path), spec, meta["accessed"]))
    all_frames = [df for _, df in idx_frames + ops_frames + nat_frames]
    empty = pd.DataFrame(columns=FACT_COLUMNS)
    return {
        "sources": build_sources(all_frames, extra=[s for _, srcs, _ in table_parts for s in srcs]),
        "indices": pd.concat([empty] + [_in_file(p, index_facts, f) for p, f in idx_frames]
                             + [t for t, _, _ in table_parts], ignore_index=True),
        "operations": pd.concat([empty] + [_in_file(p, operations_facts, f) for p, f in ops_frames],
                                ignore_index=True),
        "national": pd.concat([empty] + [_in_file(p, national_facts, f) for p, f in nat_frames], ignore_index=True),
        "gaps": pd.concat([pd.DataFrame(columns=GAP_COLUMNS)] + [_in_file(p, index_gaps, f) for p, f in idx_frames]
                          + [g for _, _, g in table_parts], ignore_index=True),
    }


def run(raw: Path = DATA / "raw") -> dict[str, int]:
    """Rebuild the generated tables from ``data/raw``; returns row counts per table."""
    got = collect(raw)
    manual = pd.read_csv(DATA / "sources_manual.csv", dtype=str, keep_default_na=False)
    sources = pd.concat([manual, got["sources"][~got["sources"].url.isin(manual.url)]], ignore_index=True)
    if "tier" not in sources:
        sources["tier"] = ""
    missing = sources["tier"].isna() | (sources["tier"] == "")
    sources.loc[missing, "tier"] = [source_tier(u, k, lang) for u, k, lang in
                                    zip(sources.url[missing], sources.kind[missing], sources.language[missing])]
    sources[SOURCE_COLUMNS].to_csv(DATA / "sources.csv", index=False)
    facts = {name: got[name] for name in ("indices", "operations", "national")}
    gaps = got["gaps"]
    gaps = gaps.drop_duplicates(["index", "year", "province_code", "units", "source_id"])
    gaps.sort_values(["index", "year", "province_code", "source_id"]).to_csv(DATA / "not_published.csv", index=False)
    counts = {"sources": len(sources), "not_published": len(gaps)}
    for name, df in facts.items():
        key = ["province_code", "units", "metric", "level", "period", "source_id", "value"]
        df = df.drop_duplicates(subset=key).sort_values(key[:-1] + ["value"], kind="stable")
        _write(df, DATA / "facts" / f"{name}.csv")
        counts[name] = len(df)
    return counts


def _write(df: pd.DataFrame, path: Path) -> None:
    df = df.copy()
    for col in ("is_approx", "is_derived"):
        df[col] = df[col].astype(bool).map({True: "1", False: "0"})
    df["value"] = df["value"].map(_fmt)
    df["value_max"] = df["value_max"].map(lambda v: "" if pd.isna(v) else _fmt(v))
    df.to_csv(path, index=False)


def _fmt(v) -> str:
    v = float(v)
    return str(int(v)) if v.is_integer() else repr(v)


def build_reference(raw: Path = DATA / "raw" / "research") -> None:
    """Reference tables: the 63 provinces, aliases, the 2025 crosswalk and the 34 new units."""
    from unidecode import unidecode

    ref = DATA / "reference"
    p63 = _read_raw(raw / "provinces_63.csv")
    p63.to_csv(ref / "provinces_63.csv", index=False)
    _read_raw(raw / "aliases.csv").to_csv(ref / "aliases.csv", index=False)
    m = _read_raw(raw / "merger_2025.csv")
    m.insert(2, "effective_date", pv.REORGANISATION_DATE.isoformat())
    m.to_csv(ref / "merger_2025.csv", index=False)
    en = dict(zip(p63.code, p63.name_en))
    first = m.drop_duplicates("new_code").sort_values("new_code")
    u34 = pd.DataFrame({
        "code": first.new_code,
        "name_vi": first.new_name_vi,
        "full_name_vi": first.new_full_name_vi,
        "name_en": [next((en[o] for o, on in zip(m.old_code, m.old_name_vi)
                          if m.loc[m.old_code == o, "new_code"].item() == c and on == n),
                         unidecode(n.removeprefix("TP. "))) for c, n in zip(first.new_code, first.new_name_vi)],
        "type": first.new_type,
        "admin_center": first.new_admin_center,
        "effective_date": pv.REORGANISATION_DATE.isoformat(),
        "predecessor_codes": [" ".join(m.loc[m.new_code == c, "old_code"]) for c in first.new_code],
        "source_url": first.source_url,
    })
    u34.to_csv(ref / "units_34.csv", index=False)


#: national.csv's free-text metrics → (metric, value transform). Rows not listed here are
#: ministry-level PAR results or composite strings; they stay in data/raw and are listed in
#: data/README.md as not imported.
NATIONAL_METRICS = {
    "mean of 63 provinces (%)": "par_index_mean_pct",
    "mean of 63 provinces (points)": "par_index_mean_pct",
    "change of provincial mean vs 2022 (pp)": "par_index_mean_change_pp",
    "change of provincial mean vs 2023 (pp)": "par_index_mean_change_pp",
    "provinces in group A (>=90%)": "par_index_group_a_count",
    "provinces in group A (>=90)": "par_index_group_a_count",
    "provinces in group B (80-<90%)": "par_index_group_b_count",
    "provinces in group B (80-<90)": "par_index_group_b_count",
    "provinces in group C (70-<80)": "par_index_group_c_count",
    "provinces in group C (<80%)": "par_index_group_c_count",
    "provinces above national mean": "par_index_above_mean_count",
    "provinces above mean": "par_index_above_mean_count",
    "provinces with higher index than 2022": "{idx}_improved_count",
    "provinces with higher index than 2023": "{idx}_improved_count",
    "provinces with higher index than 2020": "{idx}_improved_count",
    "provinces scoring >80": "par_index_above_80_count",
    "national SIPAS (%)": "sipas_national_pct",
    "highest provincial SIPAS (%)": "sipas_max_pct",
}


def national_facts(df: pd.DataFrame) -> pd.DataFrame:
    out = []
    for r in df.itertuples():
        name = NATIONAL_METRICS.get(r.metric)
        if name is None or r.index not in ("PAR", "SIPAS"):
            continue
        idx = "par_index" if r.index == "PAR" else "sipas"
        out.append({
            "province_code": pv.NATIONAL_CODE, "units": "63", "province_name_source": "",
            "metric": name.format(idx=idx), "level": "all", "period": str(r.year), "value": float(r.value),
            "value_max": None, "is_approx": False, "is_derived": False,
            "source_id": source_id_for(r.source_url), "note": r.metric, "locator": r.excerpt,
        })
    return pd.DataFrame(out, columns=FACT_COLUMNS)
