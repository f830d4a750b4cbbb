"""The data set as a Frictionless data package, and the one archive the book offers for download.

``data/datapackage.json`` describes every table in ``data/`` (fields, types, units, primary and foreign
keys, licences, attribution). It is generated from the column lists the data layer already checks
(:data:`reformbook.data.FACT_COLUMNS` and friends), so the two cannot drift apart; a test fails when the
committed file differs from :func:`descriptor`, and ``frictionless validate`` checks the tables against it.
``python -m reformbook package`` rewrites it; :func:`write_archive` zips the package with its data
dictionary, the data README and the licence notice (the book build calls it).
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from . import data as d
from .registry import INDEX_COLUMNS
from .paths import DATA, ROOT

ARCHIVE_NAME = "reformbook-data.zip"
#: where the book build writes the archive; book pages link it with {download} (see data/README.md)
ARCHIVE = ROOT / "_build" / "download" / ARCHIVE_NAME

CC_BY = {"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/",
         "title": "Creative Commons Attribution 4.0"}
COMPILATION = ("Compiled by the reformbook contributors. Each figure is as published by the source its "
               "source_id names in sources.csv (news outlets, provincial portals, ministries, and the index "
               "publishers: the Ministry of Home Affairs for PAR Index and SIPAS, the Ministry of Information and "
               "Communications for DTI, VCCI for PCI, UNDP and CECODES for PAPI). PCI figures are VCCI's: a "
               "repository whose licence is 'All Rights Reserved' (academic) was only the route to them.")

# --------------------------------------------------------------------------- field documentation
FIELDS: dict[str, tuple[str, str]] = {
    # name: (type, description)
    "province_code": ("string", "Official two-digit code within `units`; `VN` for national figures"),
    "units": ("string", "Set of units the code belongs to: `63` (pre-2025 provinces) or `34` (units from 1 July 2025)"),
    "province_name_source": ("string", "The province name as the source wrote it"),
    "metric": ("string", "What is measured; the suffix is the unit (_count, _pct, _rank, _points, _ratio, _places, _pp); "
                         "see metrics.csv"),
    "level": ("string", "Tier of government: province, district, commune, other, or all (the published total)"),
    "period": ("string", "YYYY (for indices the year assessed), YYYY-H1, YYYY-Q3, YYYY-MM, YYYY-Www, YYYY-MM-DD, or A..B"),
    "value": ("number", "The published figure, unchanged; its unit is the metric's (metrics.csv `unit`)"),
    "value_max": ("number", "Maximum of a points scale where the source gives one (same unit as value)"),
    "is_approx": ("boolean", "1 when the source wrote 'more than', 'nearly', 'about' (hơn, gần, khoảng, trên)"),
    "is_derived": ("boolean", "1 when the value was worked out from the source's own statement (a rank from a listed "
                              "order or a stated change, a rank computed from a complete table); never a published rank"),
    "source_id": ("string", "Key into sources.csv"),
    "note": ("string", "Qualifiers from the source or the collector"),
    "locator": ("string", "At most 25 words of the source, to find the figure again (verification only)"),
    "publisher": ("string", "Who published the document (for a complete table: the index's publisher)"),
    "title": ("string", "Title of the document"),
    "url": ("string", "Address of the document (empty only for seed articles whose URL could not be found)"),
    "date_published": ("string", "Publication date, as precise as known (YYYY, YYYY-MM or YYYY-MM-DD)"),
    "date_accessed": ("date", "When the stored copy was consulted (the access date of the batch citing it)"),
    "language": ("string", "Language of the document (vi, en, zh)"),
    "kind": ("string", "seed, news, government, publisher, or dataset (a third-party compilation)"),
    "route": ("string", "How the figures reached us when not from the cited page itself: repository @ commit, path"),
    "licence": ("string", "Terms under which the figures are reused (publisher's attribution; repository licence)"),
    "unit": ("string", "Unit of the metric: count, pct (0–100), rank, points, ratio (0–1), places, pp"),
    "pillar": ("string", "Theme: cchc (administrative reform), digital, p06 (Đề án 06), index"),
    "label_en": ("string", "English label"),
    "label_vi": ("string", "Vietnamese label"),
    "tier": ("string", "How close the source is to the index's publisher, best first: publisher_table, "
                       "publisher_announcement, national, provincial, compilation, translation (decides disputes)"),
    "parent": ("string", "The index this one is part of (a DTI pillar's is DTI, a PAPI dimension's PAPI), else empty"),
    "score_metric": ("string", "The metric (metrics.csv) holding the index's score"),
    "rank_metric": ("string", "The metric holding its published rank; empty when the publisher ranks nobody"),
    "scale": ("string", "The score's scale, in words"),
    "editions": ("string", "Years assessed: FIRST.. or FIRST..LAST"),
    "national_metric": ("string", "The metric of the published national average, if any"),
    "description": ("string", "What the metric is, in English"),
    "higher_is_better": ("string", "1 when a higher value is better, 0 when lower is, empty when neither"),
    "index": ("string", "Index code: PAR, SIPAS, DTI, PCI, PAPI, or a sub-index such as PAPI_EGOV"),
    "year": ("integer", "Edition: the year assessed"),
    "reason": ("string", "Why the edition left the province out, as the source says"),
    "code": ("string", "Official two-digit code"),
    "name_vi": ("string", "Name in Vietnamese"),
    "name_en": ("string", "Name in English"),
    "full_name_vi": ("string", "Full name in Vietnamese (with Tỉnh / Thành phố)"),
    "type": ("string", "Province (tỉnh) or centrally run city (thành phố)"),
    "region_vi": ("string", "Socio-economic region, Vietnamese"),
    "region_en": ("string", "Socio-economic region, English"),
    "source_url": ("string", "Where the row's facts were found"),
    "admin_center": ("string", "Administrative centre of the unit"),
    "effective_date": ("date", "Date from which the unit or mapping applies (1 July 2025)"),
    "predecessor_codes": ("string", "Space-separated codes of the old provinces the unit was formed from"),
    "old_code": ("string", "Code of the pre-2025 province"),
    "old_name_vi": ("string", "Name of the pre-2025 province"),
    "new_name_vi": ("string", "Name of the unit it became part of"),
    "new_type": ("string", "Type of the new unit"),
    "new_admin_center": ("string", "Administrative centre of the new unit"),
    "new_code": ("string", "Code of the new unit among the 34"),
    "new_full_name_vi": ("string", "Full name of the new unit"),
    "merged_with": ("string", "The other old provinces in the same new unit"),
    "alias": ("string", "A spelling of a province name seen in a source"),
    "successor_codes_63": ("string", "Space-separated codes (among the 63) of the provinces that took it over"),
    "change": ("string", "What happened to it: merged into, split into"),
}
#: attribution of the index figures (each resource of facts also cites its rows' sources)
INDEX_PUBLISHERS = [
    {"title": "PAR Index and SIPAS: Ministry of Home Affairs (Bộ Nội vụ)"},
    {"title": "DTI: Ministry of Information and Communications", "path": "https://dti.gov.vn"},
    {"title": "PCI: VCCI (the figures are VCCI's)", "path": "https://pcivietnam.vn"},
    {"title": "PAPI: UNDP and CECODES", "path": "https://papi.org.vn"},
]
FACTS_FKS = [
    {"fields": "source_id", "reference": {"resource": "sources", "fields": "source_id"}},
    {"fields": "metric", "reference": {"resource": "metrics", "fields": "metric"}},
]


def _resources() -> list[dict]:
    """(name, path, title, columns, primary key, foreign keys, extra) for every table in data/."""
    facts = [
        (f"facts_{p.stem}", f"facts/{p.name}", f"Facts: {p.stem}", d.FACT_COLUMNS, d.KEY, FACTS_FKS)
        for p in d.fact_files(DATA)
    ]
    return facts + [
        ("sources", "sources.csv", "Source documents (one row each)", d.SOURCE_COLUMNS, ["source_id"], []),
        ("sources_manual", "sources_manual.csv", "Hand-written source rows (the seed articles), merged into sources.csv",
         [c for c in d.SOURCE_COLUMNS if c != "tier"], ["source_id"], []),
        ("indices", "indices.csv", "The registry of indices: labels, score and rank metric, scale, parent, editions",
         INDEX_COLUMNS, ["index"],
         [{"fields": "score_metric", "reference": {"resource": "metrics", "fields": "metric"}}]),
        ("metrics", "metrics.csv", "Metrics: unit, theme, labels, direction", d.METRIC_COLUMNS, ["metric"], []),
        ("not_published", "not_published.csv", "Provinces an index edition left out, with the source that says so",
         d.GAP_COLUMNS, ["index", "year", "province_code", "units", "source_id"],
         [{"fields": "source_id", "reference": {"resource": "sources", "fields": "source_id"}}]),
        ("provinces_63", "reference/provinces_63.csv", "The 63 pre-2025 provinces",
         ["code", "name_vi", "name_en", "type", "region_vi", "region_en", "source_url", "note"], ["code"], []),
        ("units_34", "reference/units_34.csv", "The 34 units from 1 July 2025",
         ["code", "name_vi", "full_name_vi", "name_en", "type", "admin_center", "effective_date", "predecessor_codes",
          "source_url"], ["code"], []),
        ("merger_2025", "reference/merger_2025.csv", "Each pre-2025 province mapped to its unit from 1 July 2025",
         ["old_code", "old_name_vi", "effective_date", "new_name_vi", "new_type", "new_admin_center", "source_url",
          "new_code", "new_full_name_vi", "merged_with", "note"], ["old_code"],
         [{"fields": "old_code", "reference": {"resource": "provinces_63", "fields": "code"}},
          {"fields": "new_code", "reference": {"resource": "units_34", "fields": "code"}}]),
        ("former_provinces", "reference/former_provinces.csv",
         "Provinces gone before the 63 (merged or split), with the codes that took them over",
         ["name_vi", "name_en", "successor_codes_63", "change", "year", "source_url"], ["name_vi"], []),
        ("aliases", "reference/aliases.csv", "Spellings of province names seen in sources", ["alias", "code", "note"],
         ["alias"], [{"fields": "code", "reference": {"resource": "provinces_63", "fields": "code"}}]),
    ]


def _field(name: str) -> dict:
    ftype, desc = FIELDS.get(name, ("string", ""))
    f = {"name": name, "type": ftype, "description": desc}
    if ftype == "boolean":
        f |= {"trueValues": ["1"], "falseValues": ["0"]}
    return f


def descriptor() -> dict:
    """The package descriptor (Frictionless Data Package v1, tabular)."""
    resources = []
    for name, path, title, columns, pk, fks in _resources():
        schema = {"fields": [_field(c) for c in columns], "primaryKey": pk, "missingValues": [""]}
        if fks:
            schema["foreignKeys"] = fks
        for f in schema["fields"]:
            if f["name"] in pk:
                f["constraints"] = {"required": True}
        resources.append({
            "name": name, "path": path, "title": title, "profile": "tabular-data-resource",
            "format": "csv", "mediatype": "text/csv", "encoding": "utf-8", "schema": schema,
            "licenses": [CC_BY],
            "sources": ([{"title": "the document each row's source_id names in sources.csv"}] + INDEX_PUBLISHERS
                        if name.startswith("facts") else
                        [{"title": "reformbook contributors, from the sources each row names"}]),
        })
    return {
        "profile": "tabular-data-package",
        "name": "reformbook-vietnam-provinces",
        "title": "Reform by the numbers: Vietnam's provinces (administrative reform, digital transformation, Đề án 06)",
        "description": ("Every figure of the book, one row each, citing its source document; index scores and ranks "
                        "(PAR Index, SIPAS, DTI, PCI, PAPI and its dimensions), city operations figures, reference "
                        "tables of the 63 provinces and the 34 units of 2025. The unit of a figure is its metric's "
                        "(metrics.csv). See data/README.md. " + COMPILATION),
        "licenses": [CC_BY],
        "contributors": [{"title": "reformbook contributors", "role": "author"}],
        "resources": resources,
    }


def write(root: Path = DATA) -> Path:
    path = root / "datapackage.json"
    path.write_text(json.dumps(descriptor(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


def data_dictionary() -> str:
    """The human-readable data dictionary: each table, its keys and every field with type and meaning."""
    desc = descriptor()
    out = ["# Data dictionary", "", desc["title"], "", desc["description"], "",
           "Licence: CC BY 4.0 (the compilation); attribution as above. Load a table with pandas:", "",
           "```python", "import pandas as pd",
           'facts = pd.read_csv("facts/indices.csv", dtype={"province_code": str, "units": str, "period": str})',
           "```", ""]
    for r in desc["resources"]:
        s = r["schema"]
        out += [f"## {r['path']}", "", r["title"] + ".", "", f"Primary key: {', '.join(s['primaryKey'])}."]
        for fk in s.get("foreignKeys", []):
            out.append(f"Foreign key: {fk['fields']} → {fk['reference']['resource']}.{fk['reference']['fields']}.")
        out += ["", "| field | type | meaning |", "|---|---|---|"]
        out += [f"| `{f['name']}` | {f['type']} | {f['description']} |" for f in s["fields"]]
        out.append("")
    return "\n".join(out)


def write_archive(dest: Path = ARCHIVE, root: Path = DATA) -> Path:
    """One zip of the whole data set: datapackage.json, every table, the data dictionary, the data README
    and the licence notice. Entries carry a fixed date so the same data make the same archive."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    members = [("datapackage.json", json.dumps(descriptor(), ensure_ascii=False, indent=2).encode()),
               ("DATA_DICTIONARY.md", data_dictionary().encode()),
               ("README.md", (root / "README.md").read_bytes()),
               ("LICENSE.md", (root / "LICENSE.md").read_bytes())]
    members += [(r["path"], (root / r["path"]).read_bytes()) for r in descriptor()["resources"]]
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as z:
        for name, payload in members:
            info = zipfile.ZipInfo(f"reformbook-data/{name}", date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, payload)
    return dest
