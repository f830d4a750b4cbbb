"""How much a reader downloads per page of the built book (``scripts/weigh``).

A page's *own* weight is its HTML plus the images it shows (``<img src>``, ``srcset``, ``<object>``,
``<video poster>``); those differ from page to page. Everything else a page loads (style sheets,
scripts, the web fonts and images those style sheets pull in, the favicon, the search index) is the
same file on every page, fetched once and then cached, so it is listed once, apart, as *shared*.
Sizes are bytes on disk (before any gzip a server may add); 1 KB = 1024 bytes.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

KB = 1024
BUDGET = 400 * KB  # a page's own weight, HTML + its images


@dataclass
class Page:
    path: str  # relative to the site root, e.g. "book/intro.html"
    html: int
    images: dict[str, int] = field(default_factory=dict)  # site-relative path -> bytes

    @property
    def own(self) -> int:
        return self.html + sum(self.images.values())


@dataclass
class Report:
    pages: list[Page]
    shared: dict[str, int]  # site-relative path -> bytes
    missing: dict[str, list[str]]  # referenced local file that does not exist -> pages referring to it
    budget: int = BUDGET

    def over_budget(self) -> list[Page]:
        return [p for p in self.pages if p.own > self.budget]


class _Refs(HTMLParser):
    """Collect the URLs a page makes the browser fetch, split into images and everything else."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.images: list[str] = []
        self.assets: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("img", "source"):
            if a.get("src"):
                self.images.append(a["src"])
            for part in (a.get("srcset") or "").split(","):
                if part.strip():
                    self.images.append(part.strip().split()[0])
        elif tag == "object" and a.get("data"):
            self.images.append(a["data"])
        elif tag == "video" and a.get("poster"):
            self.images.append(a["poster"])
        elif tag == "script" and a.get("src"):
            self.assets.append(a["src"])
        elif tag == "link" and a.get("href"):
            rel = (a.get("rel") or "").lower().split()
            if {"stylesheet", "icon", "preload", "modulepreload"} & set(rel):
                self.assets.append(a["href"])


def _local(url: str, base: Path, root: Path) -> Path | None:
    """The file a relative URL points at inside the site, or None for remote and inline URLs."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or url.startswith(("data:", "#")) or not parts.path:
        return None
    target = (root / parts.path.lstrip("/")) if parts.path.startswith("/") else (base / unquote(parts.path))
    return target.resolve()


_FONT_FACE = re.compile(r"@font-face\s*{([^}]*)}", re.I)
_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")


def _css_refs(css: str) -> list[str]:
    """URLs a style sheet makes the browser fetch: the first source of each @font-face (a browser
    takes the first format it supports, woff2 here) and every other url() outside @font-face.
    Icon fonts and background images are fetched only when used; they are counted all the same."""
    refs = []
    for block in _FONT_FACE.findall(css):
        first = _URL.search(block)
        if first:
            refs.append(first.group(1))
    refs += _URL.findall(_FONT_FACE.sub("", css))
    return [r for r in refs if not r.startswith("data:")]


def weigh(site: Path, budget: int = BUDGET) -> Report:
    """Weigh every HTML page of a built site (``_build/html``)."""
    root = site.resolve()
    if not (root / "index.html").exists():
        raise FileNotFoundError(f"{site}: no index.html here; build the book first (scripts/build)")
    skip = {"_static", "_sources", "_images", "_downloads"}
    pages, shared, missing = [], {}, {}
    css_seen: set[Path] = set()

    def rel(p: Path) -> str:
        return p.relative_to(root).as_posix() if p.is_relative_to(root) else str(p)

    def note_missing(target: Path, page: str) -> None:
        missing.setdefault(rel(target), []).append(page)

    def add_shared(target: Path, page: str) -> None:
        if not target.is_file():
            note_missing(target, page)
            return
        shared[rel(target)] = target.stat().st_size
        if target.suffix == ".css" and target not in css_seen:
            css_seen.add(target)
            for url in _css_refs(target.read_text(encoding="utf-8", errors="replace")):
                sub = _local(url, target.parent, root)
                if sub is not None:
                    add_shared(sub, rel(target))

    for html in sorted(root.rglob("*.html")):
        if html.relative_to(root).parts[0] in skip:
            continue
        name = rel(html)
        parser = _Refs()
        parser.feed(html.read_text(encoding="utf-8", errors="replace"))
        page = Page(name, html.stat().st_size)
        for url in parser.images:
            target = _local(url, html.parent, root)
            if target is None:
                continue
            if target.is_file():
                page.images[rel(target)] = target.stat().st_size
            else:
                note_missing(target, name)
        for url in parser.assets:
            target = _local(url, html.parent, root)
            if target is not None:
                add_shared(target, name)
        pages.append(page)
    return Report(pages, dict(sorted(shared.items(), key=lambda kv: -kv[1])), missing, budget)


_FONTS = (".woff2", ".woff", ".ttf", ".otf", ".eot")


def _kb(n: int) -> str:
    return f"{n / KB:,.0f} KB" if n >= KB else f"{n} B"


def format_report(report: Report) -> str:
    lines = [f"Own weight per page (HTML + its images), budget {_kb(report.budget)} a page:", ""]
    lines.append(f"{'page':<44} {'HTML':>9} {'images':>14} {'own':>9}")
    for p in sorted(report.pages, key=lambda p: -p.own):
        imgs = f"{_kb(sum(p.images.values()))} ({len(p.images)})"
        flag = "  OVER BUDGET" if p.own > report.budget else ""
        lines.append(f"{p.path:<44} {_kb(p.html):>9} {imgs:>14} {_kb(p.own):>9}{flag}")
    over = report.over_budget()
    lines += ["", f"{len(report.pages) - len(over)} of {len(report.pages)} pages within budget"
              + (f"; over: {', '.join(p.path for p in over)}" if over else ".")]
    lines += ["", "Shared assets (fetched once, then cached for every page):", ""]
    width = max([len(p) for p in report.shared] + [20]) + 2
    for path, size in report.shared.items():
        mark = "  *" if path.endswith(_FONTS) else ""
        lines.append(f"{path:<{width}} {_kb(size):>9}{mark}")
    lines.append(f"{'total shared':<{width}} {_kb(sum(report.shared.values())):>9}")
    if any(p.endswith(_FONTS) for p in report.shared):
        lines.append("* a font: the browser fetches it only when a glyph on the page needs it")
    if report.missing:
        lines += ["", "Referenced but missing:"]
        lines += [f"{path}  (from {', '.join(sorted(set(pages))[:3])})" for path, pages in report.missing.items()]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    import argparse

    ap = argparse.ArgumentParser(prog="scripts/weigh", description=__doc__.split("\n\n")[0])
    ap.add_argument("site", nargs="?", default="_build/html", help="built site (default: _build/html)")
    ap.add_argument("--budget-kb", type=int, default=BUDGET // KB, help="own weight allowed a page (KB)")
    ap.add_argument("--check", action="store_true", help="exit 1 when a page is over budget")
    args = ap.parse_args(argv)
    try:
        report = weigh(Path(args.site), args.budget_kb * KB)
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(format_report(report))
    return 1 if args.check and report.over_budget() else 0


if __name__ == "__main__":
    raise SystemExit(main())
