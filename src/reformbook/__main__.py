"""Command line: ``python -m reformbook <command>`` (also installed as ``reformbook``).

  resolve NAME… [--year Y | --units 63|34]   print CODE<TAB>canonical name; exit 2 if unknown
  validate                                   check every table in data/; print data notes
  ingest                                     rebuild data/ tables from data/raw (see ingest.py)
  package [--archive PATH]                   rewrite data/datapackage.json (and write the data archive)
  coverage [--index X] [--missing] [--units 63|34]
                                             per index and edition: provinces held of 63 or 34 (and who is missing)
  build [--only PAGE] [--no-html] [--clean]  execute changed pages with papermill, then the strict book build
  make-geo [SOURCE]                          simplified boundaries of the 63 and the 34 into data/geo/
  add-page TEMPLATE SLUG [-p NAME VALUE]… [--part CAPTION]
                                             add a page to book/pages.yml (and _toc.yml) and build it
  page TEMPLATE [-p NAME VALUE]… --html OUT.html [--ipynb OUT.ipynb]
                                             run one page and write it as one standalone HTML file

Parameters take papermill's forms and meaning: -p NAME VALUE (numbers and True/False/None converted),
-r NAME VALUE (raw string), -y YAML, -f FILE.yaml.
"""

from __future__ import annotations

import argparse
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


def _parameter_options(parser) -> None:
    """papermill's own parameter options, with its meaning (see onepage.cli_parameters)."""
    parser.add_argument("-p", "--parameters", "--param", nargs=2, action="append", default=[],
                        metavar=("NAME", "VALUE"),
                        help="parameter; numbers, True, False and None are converted, as papermill does")
    parser.add_argument("-r", "--parameters_raw", nargs=2, action="append", default=[], metavar=("NAME", "VALUE"),
                        help="parameter kept as a string")
    parser.add_argument("-y", "--parameters_yaml", action="append", default=[], metavar="YAML",
                        help="parameters as YAML, e.g. 'provinces: [Đà Nẵng, Hải Phòng]'")
    parser.add_argument("-f", "--parameters_file", action="append", default=[], metavar="FILE",
                        help="parameters from a YAML file")


def _parameters(args, tidy: bool = False) -> dict:
    """The parameters given on the command line. With ``tidy``, a list or mapping written as a -p string
    ('["Đà Nẵng"]') is stored as a list, so that book/pages.yml reads as YAML."""
    import yaml

    from .onepage import cli_parameters

    params = cli_parameters(args.parameters, args.parameters_raw, args.parameters_yaml, args.parameters_file)
    if tidy:
        for name, value in params.items():
            if isinstance(value, str) and value.strip()[:1] in "[{":
                try:
                    params[name] = yaml.safe_load(value)
                except yaml.YAMLError:
                    pass  # left as typed: the template's parameter check says what is wrong
    return params


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
    c.add_argument("--units", choices=["63", "34"], default="63",
                   help="count among the 63 provinces (default) or the 34 units from 1 July 2025")
    b = sub.add_parser("build", help="execute pages and build the book")
    b.add_argument("--only", action="append", help="page slug(s) to execute (others keep their last output)")
    b.add_argument("--no-html", action="store_true", help="execute pages but skip the Jupyter Book build")
    b.add_argument("--clean", action="store_true",
                   help="re-execute every page and rebuild the HTML from scratch (default: only what changed)")
    a = sub.add_parser("add-page", help="add a parameterised page to the book")
    a.add_argument("template")
    a.add_argument("slug")
    _parameter_options(a)
    a.add_argument("--title")
    g = sub.add_parser("make-geo", help="write data/geo/*.geojson from the boundary source")
    g.add_argument("source", nargs="?", help="TopoJSON of the 63 provinces (default: the checked research copy)")
    a.add_argument("--part", help="caption of the part of the book to add the page to (default: the part "
                                  "holding that template's pages)")
    pg = sub.add_parser("page", help="run one page and write it as a standalone HTML file")
    pg.add_argument("template", help="a notebook in notebooks/, without .ipynb")
    _parameter_options(pg)
    pg.add_argument("--html", help="write the page here as one standalone HTML file")
    pg.add_argument("--ipynb", help="also keep the executed notebook here")
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

        cov = metrics.coverage(args.units)
        if args.index:
            from .params import ParameterError, parse_index

            try:
                key = parse_index(args.index)  # the one index lookup pages use too (any case, - or _)
            except ParameterError as exc:
                print(f"error: {exc}", file=sys.stderr)
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
    if args.command in ("add-page", "page"):
        from .onepage import PageFileError

        try:
            params = _parameters(args, tidy=args.command == "add-page")
        except PageFileError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
    if args.command == "add-page":
        return runner.add_page(args.template, args.slug, params, title=args.title, part=args.part)
    if args.command == "page":
        from . import onepage

        try:
            onepage.make(args.template, params, html_out=args.html, ipynb_out=args.ipynb)
        except onepage.PageFileError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        print("Wrote " + " and ".join(x for x in (args.html, args.ipynb) if x))
        return 0
    return 2


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:  # output piped into `head` and the like: stop quietly
        sys.stderr.close()
        sys.exit(0)
