"""Command line: ``python -m reformbook <command>`` (also installed as ``reformbook``).

  resolve NAME… [--year Y | --units 63|34]   print CODE<TAB>canonical name; exit 2 if unknown
  validate                                   check every table in data/; print data notes
  ingest                                     rebuild data/ tables from data/raw (see ingest.py)
  package [--archive PATH]                   rewrite data/datapackage.json (and write the data archive)
  coverage [--index X] [--missing]           per index and edition: provinces held of 63 (and who is missing)
  build [--only PAGE] [--no-html] [--clean]  execute changed pages with papermill, then the strict book build
  add-page TEMPLATE SLUG [-p NAME VALUE]…    add a page to book/pages.yml (and _toc.yml) and build it
  make-geo [SOURCE]                          simplified boundaries of the 63 and the 34 into data/geo/
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def _resolve(args) -> int:
    from . import provinces as pv

    units = args.units or (pv.units_for(args.year) if args.year else "63")
    status = 0
    for name in args.names:
        try:
            print(pv.resolve(name, units=units))
        except pv.ProvinceError as exc:
            print(f"error: {exc}", file=sys.stderr)
            status = 2
    return status


def _validate(args) -> int:
    from . import catalog, data

    try:
        cat = catalog.load()  # validates every table (and the index registry) once
    except data.ValidationError as exc:
        print(exc, file=sys.stderr)
        return 1
    tables = cat.tables
    print(f"ok: {len(tables['facts'])} facts, {len(tables['sources'])} sources, {len(tables['metrics'])} metrics, "
          f"{len(cat.registry.codes())} indices; {len(cat.disputes)} disputed figures, each with a preferred value")
    notes = data.data_notes(catalog=cat)
    if len(notes):
        print(f"\n{len(notes)} data note(s) (findings, not errors):")
        print(notes.to_string(index=False))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="reformbook", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    r = sub.add_parser("resolve", help="resolve province names to codes")
    r.add_argument("names", nargs="+")
    r.add_argument("--year", type=int)
    r.add_argument("--units", choices=["63", "34"])
    sub.add_parser("validate", help="validate data/")
    sub.add_parser("ingest", help="rebuild data tables from data/raw")
    pk = sub.add_parser("package", help="rewrite data/datapackage.json; --archive also zips the data set")
    pk.add_argument("--archive", nargs="?", const="", default=None, help="zip path (default: the book's download)")
    c = sub.add_parser("coverage", help="print index coverage")
    c.add_argument("--index", help="only this index (a code of data/indices.csv, e.g. PAR, DTI_GOV, PAPI_EGOV)")
    c.add_argument("--missing", action="store_true", help="list the missing provinces of each edition")
    b = sub.add_parser("build", help="execute pages and build the book")
    b.add_argument("--only", action="append", help="page slug(s) to execute (others keep their last output)")
    b.add_argument("--no-html", action="store_true", help="execute pages but skip the Jupyter Book build")
    b.add_argument("--clean", action="store_true",
                   help="re-execute every page and rebuild the HTML from scratch (default: only what changed)")
    a = sub.add_parser("add-page", help="add a parameterised page to the book")
    a.add_argument("template")
    a.add_argument("slug")
    a.add_argument("-p", "--param", nargs=2, action="append", default=[], metavar=("NAME", "VALUE"),
                   help="parameter; VALUE is JSON if it parses, else a string")
    a.add_argument("--title")
    g = sub.add_parser("make-geo", help="write data/geo/*.geojson from the boundary source")
    g.add_argument("source", nargs="?", help="TopoJSON of the 63 provinces (default: the checked research copy)")
    args = parser.parse_args(argv)

    if args.command == "resolve":
        return _resolve(args)
    if args.command == "validate":
        return _validate(args)
    if args.command == "ingest":
        from . import ingest

        try:
            print(ingest.run())
        except ValueError as exc:  # BatchError and bad rows name the file (and line)
            print(f"error: {exc}", file=sys.stderr)
            return 1
        return _validate(args)
    if args.command == "package":
        from . import package

        print(package.write())
        if args.archive is not None:
            print(package.write_archive(*( [Path(args.archive)] if args.archive else [])))
        return 0
    if args.command == "coverage":
        from . import metrics

        cov = metrics.coverage()
        if args.index:
            key = args.index.upper()
            if key not in metrics.INDICES:
                print(f"unknown index {args.index!r}; available: {', '.join(metrics.INDICES)}", file=sys.stderr)
                return 2
            cov = cov[cov["index"] == key]
        print(cov.drop(columns=["missing_provinces", "not_published_provinces"]).to_string(index=False))
        if args.missing:
            for r in cov[cov.missing > 0].itertuples():
                print(f"\n{r.index} {r.year}, {r.missing} missing: {r.missing_provinces}")
        return 0
    if args.command == "make-geo":
        from . import geo

        try:
            written = geo.make(args.source or geo.DEFAULT_SOURCE)
        except geo.GeoError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        for units, path in written.items():
            print(f"{path.relative_to(geo.DATA.parent)}\t{units} features\t{path.stat().st_size / 1000:.0f} kB")
        return 0
    from . import runner

    if args.command == "build":
        return runner.build(only=args.only, html=not args.no_html, clean=args.clean)
    if args.command == "add-page":
        params = {}
        for name, value in args.param:
            try:
                params[name] = json.loads(value)
            except json.JSONDecodeError:
                params[name] = value
        return runner.add_page(args.template, args.slug, params, title=args.title)
    return 2


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:  # output piped into `head` and the like: stop quietly
        sys.stderr.close()
        sys.exit(0)
