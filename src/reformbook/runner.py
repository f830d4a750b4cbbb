"""Execute the book's pages with papermill, then build the HTML with Jupyter Book.

``book/pages.yml`` is the one list of generated pages (template, parameters, part of the book).
``_toc.yml`` is written from it. A failing page stops the build, names the notebook and the
cell, and leaves both ``book/pages/`` and the last good ``_build/html`` untouched.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import papermill as pm
import yaml

from .paths import BOOK, NOTEBOOKS, ROOT

PAGES_YML = BOOK / "pages.yml"
TOC = ROOT / "_toc.yml"


class PageError(RuntimeError):
    pass


def load_pages() -> dict:
    return yaml.safe_load(PAGES_YML.read_text(encoding="utf-8"))


def toc_from(spec: dict) -> dict:
    parts = []
    for part in spec["parts"]:
        chapters = [{"file": f"book/{f}"} for f in part.get("static", [])]
        chapters += [{"file": f"book/pages/{p['slug']}"} for p in part.get("pages", [])]
        for fam in part.get("families", []):  # one chapter (its parent page) with a section per member
            sections = [{"file": f"book/pages/{p['slug']}"} for p in expand_family(fam)]
            if fam.get("parent"):
                chapters.append({"file": f"book/{fam['parent']}", "sections": sections})
            else:
                chapters += sections
        chapters += [{"file": f"book/{f}"} for f in part.get("static_after", [])]
        parts.append({"caption": part["caption"], "chapters": chapters})
    return {"format": "jb-book", "root": spec["root"], "parts": parts}


# --------------------------------------------------------------------------- page families
# A family is one template run over a list (every unit of a unit set), declared once in pages.yml:
#   families:
#     - {template: province, over: "63", param: province, slug: "province_63_{code}", parent: provinces_63,
#        params: {units: "63"}}
# It expands to one page per unit: slug from the pattern ({code}), the unit's code as parameter
# ``param``, the unit's name (with its diacritics) as title. ``parent`` (a hand-written page under
# book/) holds the family's pages as sections in the table of contents. Each expanded page has its own
# content-hash key, like any other page.
def family_members(over) -> list[tuple[str, str]]:
    """(code, name) of every unit a family runs over: "63" (the provinces before 1 July 2025) or "34"."""
    from . import provinces as pv

    over = str(over)
    if over not in pv.UNIT_SETS:
        raise PageError(f"family over {over!r}: expected one of {', '.join(pv.UNIT_SETS)} (a unit set)")
    return sorted(pv.names(over).items())


def expand_family(fam: dict) -> list[dict]:
    missing = [k for k in ("template", "over", "param", "slug") if k not in fam]
    if missing:
        raise PageError(f"page family {fam}: missing {missing}")
    pages = []
    for code, name in family_members(fam["over"]):
        params = dict(fam.get("params", {}) or {})
        params[fam["param"]] = code
        pages.append({"slug": fam["slug"].format(code=code), "template": fam["template"], "params": params,
                      "title": name, "family": fam["slug"]})
    return pages


def write_toc(spec: dict | None = None) -> None:
    spec = spec or load_pages()
    header = "# Generated from book/pages.yml by `python -m reformbook build`; edit that file instead.\n"
    TOC.write_text(header + yaml.safe_dump(toc_from(spec), sort_keys=False, allow_unicode=True), encoding="utf-8")


#: The family pages the golden-file (nbval) and browser tests run, beside every page not in a family: TP. Hồ Chí
#: Minh and Hà Nội, a merged province (Quảng Nam) and the unit it joined (Đà Nẵng among the 34), and a
#: province with little data (Lai Châu). Every family page is still executed and built (tests/build checks it).
FAMILY_SAMPLE = ("province_63_79", "province_63_01", "province_63_49", "province_34_48", "province_63_12")


def sample_pages(spec: dict) -> list[dict]:
    """The pages the slow checks cover: every page not in a family, and :data:`FAMILY_SAMPLE`."""
    return [p for p in all_pages(spec) if "family" not in p or p["slug"] in FAMILY_SAMPLE]


def all_pages(spec: dict) -> list[dict]:
    """Every page: those listed one by one, then each family's members."""
    return [p for part in spec["parts"] for p in
            part.get("pages", []) + [m for fam in part.get("families", []) for m in expand_family(fam)]]


def check_parameters(template: Path, params: dict) -> None:
    """Refuse parameter names the template does not declare (papermill only warns)."""
    declared = pm.inspect_notebook(str(template))
    unknown = sorted(set(params) - set(declared))
    if unknown:
        raise PageError(f"{template.name}: unknown parameter(s) {unknown}; declared: {sorted(declared)}")


def postprocess(nb) -> None:
    """Hide papermill's injected cell, drop timing metadata, carry chart alt text to the cell."""
    nb.metadata.pop("papermill", None)
    for cell in nb.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        tags = cell.metadata.get("tags", [])
        if "injected-parameters" in tags:
            cell["id"] = "injected-parameters"  # papermill draws a random id: keep diffs quiet
            if "remove-cell" not in tags:
                cell.metadata["tags"] = tags + ["remove-cell"]
        if cell.cell_type != "code":
            continue
        for out in cell.get("outputs", []):
            alt = out.get("metadata", {}).get("image/png", {}).get("alt")
            if alt:
                cell.metadata.setdefault("mystnb", {}).setdefault("image", {})["alt"] = alt


def execute_page(page: dict, outdir: Path, km=None) -> Path:
    template = NOTEBOOKS / f"{page['template']}.ipynb"
    if not template.exists():
        raise PageError(f"page {page['slug']}: no template notebooks/{page['template']}.ipynb")
    params = page.get("params", {}) or {}
    check_parameters(template, params)
    out = outdir / f"{page['slug']}.ipynb"
    started = time.monotonic()
    try:
        pm.execute_notebook(str(template), str(out), parameters=params, cwd=str(NOTEBOOKS),
                            kernel_name="python3", progress_bar=False, log_output=False,
                            **({"km": km} if km is not None else {}))
    except pm.PapermillExecutionError as exc:
        raise PageError(
            f"page {page['slug']} (notebooks/{page['template']}.ipynb) failed in cell "
            f"[{exc.exec_count}]: {exc.ename}: {exc.evalue}"
        ) from None
    nb = nbformat.read(out, as_version=4)
    if page.get("title"):  # the page's own title from pages.yml replaces the template's heading
        nb.cells[0].source = f"# {page['title']}"
    postprocess(nb)
    nbformat.write(nb, out)
    print(f"  ✓ {page['slug']:<32} {time.monotonic() - started:5.1f}s", flush=True)
    return out


def build(only: list[str] | None = None, html: bool = True, clean: bool = False, workers: int = 2) -> int:
    """Execute the pages whose inputs changed (all with ``clean``; ``only`` forces those pages), then
    the HTML step, itself incremental (see :func:`build_html_incremental`)."""
    try:
        execute_stale(only=only, force_all=clean, workers=workers)
    except PageError as exc:
        print(f"error: {exc}\nNothing was written; book/pages and _build/html are unchanged.", file=sys.stderr)
        return 1
    return build_html_incremental(clean=clean) if html else 0


# --------------------------------------------------------------------------- incremental build
# A page is re-executed only when one of its inputs changes. Its key is a SHA-256 over:
#   - its entry in pages.yml (slug, template, params, title) and its template's bytes;
#   - the package code (every src/reformbook/*.py, the runner's post-processing included);
#   - the data pages read: every file under data/ except data/raw/ (ingest's input) and notes (*.md).
#     Pages load the validated tables as a whole (data.facts joins every table), so a page depends on
#     all of them; tracking single files would save little and could miss a dependency;
#   - the installed libraries and their versions (a new pandas or matplotlib can change outputs).
# Keys live in book/pages/.cache.json beside the executed pages: one line per page, so a rebuild
# that changes one page changes one line, and a page whose output is byte-identical is not rewritten
# (its golden file and mtime stay, so the HTML step skips it too). A page is also re-run when its
# file is missing or differs from the output recorded (edited by hand).
CACHE = BOOK / "pages" / ".cache.json"
CACHE_VERSION = 1
PACKAGE = Path(__file__).resolve().parent
STAGING = ROOT / ".build-staging"
HTML_STAMP = STAGING / "inputs.sha256"


def _digest(paths, base: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(paths):
        h.update(str(path.relative_to(base)).encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def shared_inputs() -> dict[str, str]:
    """Digests of what every page depends on: package code, data tables, installed libraries."""
    data = ROOT / "data"
    data_files = [p for p in data.rglob("*") if p.is_file() and p.relative_to(data).parts[0] != "raw"
                  and p.suffix != ".md" and not p.name.startswith(".")]
    return {"code": _digest(PACKAGE.rglob("*.py"), PACKAGE), "data": _digest(data_files, ROOT),
            "libraries": _libraries()}


#: Not part of the page key: the package itself (its code is) and the installers, whose versions
#: differ between fresh environments without changing any output.
_NOT_LIBRARIES = ("reformbook-", "reformbook.", "__editable__", "pip-", "setuptools-", "wheel-")


def _libraries() -> str:
    """Digest of the installed distributions and their versions (what runs the pages, not what
    requirements.txt asks for), read from the names of their metadata folders, which carry both."""
    names = set()
    for entry in filter(None, sys.path):  # not "" (the working folder)
        folder = Path(entry)
        if folder.is_dir():
            names.update(p.name for p in folder.iterdir() if p.name.endswith((".dist-info", ".egg-info"))
                         and not p.name.lower().startswith(_NOT_LIBRARIES))
    return hashlib.sha256("\n".join(sorted(names)).encode()).hexdigest()


def page_key(page: dict, shared: dict[str, str]) -> str:
    template = NOTEBOOKS / f"{page['template']}.ipynb"
    tpl = hashlib.sha256(template.read_bytes()).hexdigest() if template.exists() else "missing"
    blob = json.dumps({"page": page, "template": tpl, **shared}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(blob.encode()).hexdigest()


def read_cache() -> dict[str, dict]:
    try:
        cache = json.loads(CACHE.read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return {}
    return cache.get("pages", {}) if cache.get("version") == CACHE_VERSION else {}


def write_cache(pages: dict[str, dict]) -> None:
    lines = [f"  {json.dumps(slug, ensure_ascii=False)}: {json.dumps(pages[slug], sort_keys=True)}"
             for slug in sorted(pages)]
    text = f'{{"version": {CACHE_VERSION}, "pages": {{\n' + ",\n".join(lines) + "\n}}\n"
    if not CACHE.exists() or CACHE.read_text(encoding="utf-8") != text:
        CACHE.parent.mkdir(exist_ok=True)
        CACHE.write_text(text, encoding="utf-8")


def _file_sha(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None


def stale_pages(pages: list[dict], cache: dict[str, dict], keys: dict[str, str]) -> list[dict]:
    """Pages whose key changed, or whose executed file is missing or not the one recorded."""
    out = []
    for p in pages:
        entry = cache.get(p["slug"], {})
        output = _file_sha(BOOK / "pages" / f"{p['slug']}.ipynb")
        if entry.get("key") != keys[p["slug"]] or entry.get("output") != output:
            out.append(p)
    return out


def _write_if_changed(path: Path, text: str) -> bool:
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    path.write_text(text, encoding="utf-8")
    return True


def execute_stale(only: list[str] | None = None, force_all: bool = False, workers: int = 2) -> list[Path]:
    """Execute the stale pages (or all, or ``only`` these) into a scratch folder; if every one succeeds,
    copy those whose output changed into book/pages and record their keys."""
    spec = load_pages()
    pages = all_pages(spec)
    if only:
        unknown = set(only) - {p["slug"] for p in pages}
        if unknown:
            raise PageError(f"unknown page(s) {sorted(unknown)}; pages: {[p['slug'] for p in pages]}")
    shared = shared_inputs()
    keys = {p["slug"]: page_key(p, shared) for p in pages}
    cache = read_cache()
    if force_all:
        todo = pages
    elif only:
        todo = [p for p in pages if p["slug"] in only]
    else:
        todo = stale_pages(pages, cache, keys)
    print(f"Executing {len(todo)} of {len(pages)} page(s) ({len(pages) - len(todo)} unchanged)…", flush=True)
    written = []
    if todo:
        with tempfile.TemporaryDirectory() as tmp:
            results = run_pages(todo, Path(tmp), workers=workers)
            dest = BOOK / "pages"
            dest.mkdir(exist_ok=True)
            for path in results:
                target = dest / path.name
                if _file_sha(target) != _file_sha(path):  # unchanged output: keep the file (and its mtime)
                    shutil.copy(path, target)
                    written.append(target)
    run = {p["slug"] for p in todo}
    new_cache = {}
    for p in pages:  # a page not run this time keeps its old entry (still stale if its inputs changed)
        slug = p["slug"]
        if slug in run:
            new_cache[slug] = {"key": keys[slug], "output": _file_sha(BOOK / "pages" / f"{slug}.ipynb")}
        elif slug in cache:
            new_cache[slug] = cache[slug]
    write_cache(new_cache)
    header = "# Generated from book/pages.yml by `python -m reformbook build`; edit that file instead.\n"
    _write_if_changed(TOC, header + yaml.safe_dump(toc_from(spec), sort_keys=False, allow_unicode=True))
    return written


def run_pages(pages: list[dict], outdir: Path, workers: int = 2) -> list[Path]:
    """Execute pages with papermill, ``workers`` at a time, each worker reusing one kernel.

    Starting a kernel and importing pandas, matplotlib and the package costs more than most pages;
    a kept kernel pays it once per worker. Between pages the user namespace is cleared (``%reset``),
    figures are closed, matplotlib's settings restored and the execution counter set back to 1, so a
    page's output is what a fresh kernel gives (the nbval test re-runs each page in a fresh kernel
    and would show any difference).
    """
    import threading

    from jupyter_client.manager import KernelManager

    local = threading.local()
    managers = []
    lock = threading.Lock()

    def kernel():
        if getattr(local, "km", None) is None:
            km = KernelManager(kernel_name="python3")
            km.start_kernel(cwd=str(NOTEBOOKS))
            kc = km.blocking_client()
            with lock:  # registered at once, so that it is shut down whatever happens next
                managers.append((km, kc))
            kc.start_channels()
            kc.wait_for_ready(timeout=60)
            _kernel_run(kc, _WARM_UP)
            local.km, local.kc = km, kc
        else:
            _kernel_run(local.kc, _RESET)
        return local.km

    try:
        with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
            return list(pool.map(lambda p: execute_page(p, outdir, km=kernel()), pages))
    finally:
        for km, kc in managers:
            kc.stop_channels()
            km.shutdown_kernel(now=True)


_WARM_UP = """
import matplotlib as _mpl
import reformbook.figures as _rb_figures  # sets the book's chart style
__import__("builtins").__reformbook_rc__ = dict(_mpl.rcParams)
del _mpl, _rb_figures
"""
_RESET = """
get_ipython().reset(new_session=True)  # clears the namespace; new history session, counter back to 1
import builtins as _b, matplotlib as _mpl, matplotlib.pyplot as _plt, warnings as _w
_plt.close("all")
with _w.catch_warnings():
    _w.simplefilter("ignore")
    _mpl.rcParams.update(_b.__reformbook_rc__)
del _b, _mpl, _plt, _w
"""


def _kernel_run(kc, code: str) -> None:
    reply = kc.execute_interactive(code, silent=True, store_history=False, timeout=120, output_hook=lambda msg: None)
    if reply["content"]["status"] != "ok":
        raise PageError(f"kernel set-up failed: {reply['content'].get('ename')}: {reply['content'].get('evalue')}")


def html_inputs() -> str:
    """Digest of what the HTML step reads: configuration, table of contents, the book's files, its
    static assets and template, and the installed libraries (Jupyter Book, Sphinx, the theme)."""
    files = [p for p in BOOK.rglob("*") if p.is_file() and p != CACHE and ".ipynb_checkpoints" not in p.parts]
    files += [p for p in (ROOT / "_config.yml", TOC) if p.exists()]
    # the book's own CSS, JS, favicon and template override: Sphinx copies them into every build
    files += [p for folder in ("_static", "_templates") for p in (ROOT / folder).rglob("*") if p.is_file()]
    return _digest(files, ROOT) + _libraries()


def build_html_incremental(clean: bool = False) -> int:
    """The strict Jupyter Book build, redoing only what changed.

    Jupyter Book 1 is Sphinx: kept between builds, its environment (``.build-staging/_build/.doctrees``)
    lets it re-read only pages whose files changed, so the staging folder is no longer wiped. When
    nothing the HTML step reads has changed since the last good build, the step is skipped. A failed
    build wipes the environment, since Sphinx would otherwise not re-read the failing pages and the
    next build would pass without their warnings; the last good site in ``_build/html`` stays.
    """
    final = ROOT / "_build" / "html"
    from . import package  # the data download the book links ({download} in book/methods.md)

    archive = package.write_archive()  # the same data always make the same bytes
    print(f"Data archive: {archive}", flush=True)
    want = html_inputs() + _digest([archive], archive.parent)
    if not clean and final.exists() and HTML_STAMP.exists() and HTML_STAMP.read_text() == want:
        print("HTML is up to date (nothing the book build reads has changed).", flush=True)
        return 0
    if clean:
        shutil.rmtree(STAGING, ignore_errors=True)
    HTML_STAMP.unlink(missing_ok=True)
    print("Building HTML with Jupyter Book (warnings are errors; changed pages only)…", flush=True)
    cmd = [str(Path(sys.executable).with_name("jupyter-book")), "build", str(ROOT), "--path-output", str(STAGING),
           "-W", "-n", "--keep-going"]
    proc = subprocess.run(cmd, cwd=ROOT)
    if proc.returncode != 0:
        shutil.rmtree(STAGING / "_build" / ".doctrees", ignore_errors=True)
        print("Jupyter Book build failed; the last good site in _build/html is unchanged.", file=sys.stderr)
        return proc.returncode
    final.parent.mkdir(exist_ok=True)
    new, old = ROOT / "_build" / "html.new", ROOT / "_build" / "html.old"
    shutil.rmtree(new, ignore_errors=True)
    shutil.rmtree(old, ignore_errors=True)
    shutil.copytree(STAGING / "_build" / "html", new)
    if final.exists():
        final.rename(old)
    new.rename(final)
    shutil.rmtree(old, ignore_errors=True)
    HTML_STAMP.write_text(want)
    print(f"Book built: {final / 'index.html'}")
    return 0


def _caption_key(text: str) -> str:
    return " ".join(str(text).casefold().split())


def find_part(spec: dict, template: str, part: str | None = None) -> dict:
    """The part of the book a new page goes in: the one whose caption is ``part`` (case and spacing
    aside; the Vietnamese gloss in brackets may be left out), else the part already holding pages of
    that template, else the last part."""
    parts = spec["parts"]
    if part is None:
        return next((pt for pt in parts if any(p["template"] == template for p in pt.get("pages", []))), parts[-1])
    key = _caption_key(part)
    found = [pt for pt in parts if key in (_caption_key(pt["caption"]),
                                           _caption_key(re.sub(r"\s*\([^)]*\)\s*$", "", pt["caption"])))]
    if len(found) != 1:
        captions = "; ".join(repr(pt["caption"]) for pt in parts)
        raise PageError(f"--part {part!r} is not a part of the book; parts: {captions}")
    return found[0]


def add_page(template: str, slug: str, params: dict, title: str | None = None, part: str | None = None) -> int:
    """Add a page to book/pages.yml (in the part holding that template's pages) and execute it."""
    spec = load_pages()
    if slug in {p["slug"] for p in all_pages(spec)}:
        print(f"error: page {slug!r} already exists in book/pages.yml", file=sys.stderr)
        return 2
    page = {"slug": slug, "template": template, "params": params}
    if title:
        page["title"] = title
    try:
        target = find_part(spec, template, part)
    except PageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    new_spec = copy.deepcopy(spec)
    next(pt for pt in new_spec["parts"] if pt["caption"] == target["caption"]).setdefault("pages", []).append(page)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            out = execute_page(page, Path(tmp))
            shutil.copy(out, BOOK / "pages" / out.name)
    except PageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    PAGES_YML.write_text(yaml.safe_dump(new_spec, sort_keys=False, allow_unicode=True), encoding="utf-8")
    write_toc(new_spec)
    print(f"Added {slug} to book/pages.yml and _toc.yml; run scripts/build to render the HTML.")
    return 0
