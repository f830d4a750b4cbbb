"""Helpers for the browser tests (fixtures in test_pages.py): load a page once, measure what the tests check.

Browser tests: the built book opened in Debian's Chromium, driven by Playwright's Python package.

Playwright drives the system browser (/usr/bin/chromium, installed by scripts/setup) and never downloads
one of its own. The site is the one tests/conftest.py builds once per session (shared with tests/build);
set REFORMBOOK_SITE=_build/html to test an existing build instead. A localhost http.server thread serves
it, and every request to any other host is refused and reported. Each page is loaded once per width and
everything the tests check is measured in that one visit (see ``Visit``); screenshots go to
_build/screenshots/.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from reformbook import runner
from reformbook.paths import ROOT

CHROMIUM = Path(os.environ.get("REFORMBOOK_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
WIDTHS = (390, 1366)  # a phone, a laptop
WIDE = 992  # pydata-sphinx-theme: from here up the sidebar sits beside the page; below, it is a drawer
SCREENSHOTS = ROOT / "_build" / "screenshots"
LOCAL = {"127.0.0.1", "localhost"}


def book_pages() -> list[str]:
    """Site paths of the book's pages in reading order, from book/pages.yml (_toc.yml is written from it).

    Of the province profiles (97 pages from one template, in page families) only the fixed sample
    ``runner.FAMILY_SAMPLE`` is opened: two widths, axe and a print run per page make each page cost
    several seconds, and on CI's 2 cores all 97 would about double the suite's time for pages that share
    one template. Every profile is still built (tests/build) and weighed (test_every_page_within_its_weight_budget)."""
    spec = runner.load_pages()
    toc = runner.toc_from(spec)
    skip = {f"book/pages/{p['slug']}" for p in runner.all_pages(spec)
            if "family" in p and p["slug"] not in runner.FAMILY_SAMPLE}
    files = [toc["root"]]
    for part in toc["parts"]:
        for c in part["chapters"]:
            files += [c["file"]] + [s["file"] for s in c.get("sections", [])]
    return [f"{f}.html" for f in files if f not in skip]


def shot_name(path: str, width: int, suffix: str = "png") -> str:
    return f"{path.split('?')[0].removesuffix('.html').replace('/', '__')}-{width}.{suffix}"


@dataclass
class Visit:
    """What one load of one page at one width showed."""

    path: str
    width: int
    errors: list[str] = field(default_factory=list)  # console errors, uncaught exceptions, failed requests
    offsite: list[str] = field(default_factory=list)  # requests to any host but localhost (refused)
    requested: list[str] = field(default_factory=list)
    overflow: dict = field(default_factory=dict)
    images_without_alt: list[str] = field(default_factory=list)
    axe: list[dict] = field(default_factory=list)  # critical/serious violations, one entry per node
    nav: dict = field(default_factory=dict)
    claims: dict = field(default_factory=dict)
    icon_font: bool = False
    screenshot: Path | None = None


# Elements wider than the viewport, outside any ancestor that scrolls or clips horizontally.
OVERFLOW_JS = """() => {
  const W = document.documentElement.clientWidth;
  const scrolls = el => {
    for (let a = el.parentElement; a && a !== document.documentElement; a = a.parentElement) {
      if (/(auto|scroll|hidden|clip)/.test(getComputedStyle(a).overflowX)) return true;
    }
    return false;
  };
  const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (el.classList.length ? '.' + [...el.classList].slice(0, 3).join('.') : '');
  const offenders = [];
  for (const el of document.body.querySelectorAll('*')) {
    const s = getComputedStyle(el);
    if (s.display === 'none' || s.visibility === 'hidden' || s.position === 'fixed') continue;
    if (el.closest('dialog:not([open])')) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    if ((r.right > W + 1 || r.left < -1) && !scrolls(el)) {
      offenders.push(`${name(el)} spans ${Math.round(r.left)}..${Math.round(r.right)} px`);
    }
  }
  return {viewport: W, scrollWidth: document.documentElement.scrollWidth, offenders: offenders.slice(0, 8),
          count: offenders.length};
}"""

ALT_JS = """() => [...document.images].filter(i => !(i.getAttribute('alt') || '').trim())
  .map(i => i.outerHTML.slice(0, 160))"""

VISIBLE_JS = """el => { if (!el) return false; const r = el.getBoundingClientRect(); const s = getComputedStyle(el);
  return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none' &&
         r.right > 0 && r.left < document.documentElement.clientWidth; }"""

CLAIMS_JS = """() => {
  const visible = """ + VISIBLE_JS + """;
  return [...document.querySelectorAll('.claim-card')].map((card, i) => {
    const badge = card.querySelector('.verdict-badge');
    return {n: i + 1, visible: visible(card), badge: !!badge, badgeVisible: visible(badge),
            badgeText: badge ? badge.textContent.trim() : '',
            badgeCut: badge ? badge.scrollWidth > badge.clientWidth + 1 : false};
  });
}"""


def _visible_toggle(page, selector):
    for el in page.query_selector_all(selector):
        if el.is_visible():
            return el
    return None


def _check_nav(page, width) -> dict:
    """Open (or, beside the page, collapse and reopen) the sidebar from its visible toggle."""
    visible = lambda sel: page.evaluate(f"() => ({VISIBLE_JS})(document.querySelector({sel!r}))")  # noqa: E731
    out = {}
    toggle = _visible_toggle(page, ".primary-toggle")
    if toggle is None:
        return {"error": "no visible .primary-toggle button"}
    if width < WIDE:
        toggle.click()
        page.wait_for_timeout(300)
        out["drawer_open"] = page.evaluate("() => !!document.querySelector('#pst-primary-sidebar-modal')?.open")
        out["links_visible"] = page.evaluate(
            f"() => [...document.querySelectorAll('#pst-primary-sidebar-modal .bd-links a')]"
            f".filter({VISIBLE_JS}).length")
        page.keyboard.press("Escape")
        page.wait_for_timeout(200)
        out["closes"] = not page.evaluate("() => !!document.querySelector('#pst-primary-sidebar-modal')?.open")
        secondary = _visible_toggle(page, ".secondary-toggle")
        if secondary is not None:  # pages with sections have a "Contents" drawer too
            secondary.click()
            page.wait_for_timeout(300)
            out["contents_open"] = page.evaluate(
                "() => !!document.querySelector('#pst-secondary-sidebar-modal')?.open")
            page.keyboard.press("Escape")
    else:
        out["shown_first"] = visible("#pst-primary-sidebar .bd-links")
        toggle.click()
        page.wait_for_timeout(300)
        out["hidden_after_click"] = not visible("#pst-primary-sidebar .bd-links")
        _visible_toggle(page, ".primary-toggle").click()
        page.wait_for_timeout(300)
        out["shown_after_second_click"] = visible("#pst-primary-sidebar .bd-links")
    return out


def _axe(page) -> list[dict]:
    from axe_playwright_python.sync_playwright import Axe

    # preload=false: axe would otherwise re-fetch style sheets itself (and resolve theme.css's @import
    # against the page, a 404 that is axe's, not the book's). Console errors are collected before this.
    result = Axe().run(page, options={"resultTypes": ["violations"], "preload": False})
    found = []
    for v in result.response["violations"]:
        if v["impact"] not in ("critical", "serious"):
            continue
        for node in v["nodes"]:
            target = node["target"][-1] if node["target"] else ""
            in_content = page.evaluate(
                "t => { try { const e = document.querySelector(t); return !!(e && e.closest('article.bd-article')); }"
                " catch (err) { return false; } }", target) if isinstance(target, str) else False
            found.append({"rule": v["id"], "impact": v["impact"], "target": str(target), "in_content": in_content,
                          "html": node["html"][:200], "help": v["help"]})
    return found


def visit_page(browser, base_url, path: str, width: int) -> Visit:
    v = Visit(path, width)
    context = browser.new_context(viewport={"width": width, "height": 900}, service_workers="block")

    def route(r):
        if urlsplit(r.request.url).hostname in LOCAL or r.request.url.startswith("data:"):
            r.continue_()
        else:
            v.offsite.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("console", lambda m: m.type == "error" and v.errors.append(
        f"console error: {m.text} [{m.location.get('url', '')}]"))
    page.on("pageerror", lambda e: v.errors.append(f"uncaught exception: {e}"))
    page.on("request", lambda r: v.requested.append(r.url))
    page.on("requestfailed", lambda r: urlsplit(r.url).hostname in LOCAL and v.errors.append(
        f"request failed: {r.url} ({r.failure})"))
    try:
        page.goto(base_url + path, wait_until="load")
        page.wait_for_load_state("networkidle")
        v.icon_font = page.evaluate(
            "async () => { await document.fonts.ready; return [...document.fonts].some(f => "
            "f.family.replace(/[\"']/g, '') === 'Font Awesome 6 Free' && f.weight === '900' && f.status === 'loaded'); }")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        v.screenshot = SCREENSHOTS / shot_name(path, width)
        page.screenshot(path=str(v.screenshot), full_page=True)
        v.overflow = page.evaluate(OVERFLOW_JS)
        v.images_without_alt = page.evaluate(ALT_JS)
        v.claims = {"cards": page.evaluate(CLAIMS_JS)}
        errors_before_axe = list(v.errors)
        v.axe = _axe(page)
        v.errors = errors_before_axe
        v.nav = _check_nav(page, width)
    finally:
        context.close()
    return v
