"""Execute the book's pages with papermill, then build the HTML with Jupyter Book.

``book/pages.yml`` is the one list of generated pages (template, parameters, part of the book).
``_toc.yml`` is written from it. A failing page stops the build, names the notebook and the
cell, and leaves both ``book/pages/`` and the last good ``_build/html`` untouched.
"""

from __future__ import annotations

import copy
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
        chapters += [{"file": f"book/{f}"} for f in part.get("static_after", [])]
        parts.append({"caption": part["caption"], "chapters": chapters})
    return {"format": "jb-book", "root": spec["root"], "parts": parts}


def write_toc(spec: dict | None = None) -> None:
    spec = spec or load_pages()
    header = "# Generated from book/pages.yml by `python -m reformbook build`; edit that file instead.\n"
    TOC.write_text(header + yaml.safe_dump(toc_from(spec), sort_keys=False, allow_unicode=True), encoding="utf-8")


def all_pages(spec: dict) -> list[dict]:
    return [p for part in spec["parts"] for p in part.get("pages", [])]


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


def execute_page(page: dict, outdir: Path) -> Path:
    template = NOTEBOOKS / f"{page['template']}.ipynb"
    if not template.exists():
        raise PageError(f"page {page['slug']}: no template notebooks/{page['template']}.ipynb")
    params = page.get("params", {}) or {}
    check_parameters(template, params)
    out = outdir / f"{page['slug']}.ipynb"
    started = time.monotonic()
    try:
        pm.execute_notebook(str(template), str(out), parameters=params, cwd=str(NOTEBOOKS),
                            kernel_name="python3", progress_bar=False, log_output=False)
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


def execute(only: list[str] | None = None, workers: int = 2) -> list[Path]:
    spec = load_pages()
    pages = all_pages(spec)
    if only:
        unknown = set(only) - {p["slug"] for p in pages}
        if unknown:
            raise PageError(f"unknown page(s) {sorted(unknown)}; pages: {[p['slug'] for p in pages]}")
        pages = [p for p in pages if p["slug"] in only]
    print(f"Executing {len(pages)} page(s) with papermill ({workers} at a time)…", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            results = list(pool.map(lambda p: execute_page(p, Path(tmp)), pages))
        dest = BOOK / "pages"
        dest.mkdir(exist_ok=True)
        written = []
        for path in results:
            shutil.copy(path, dest / path.name)
            written.append(dest / path.name)
    write_toc(spec)
    return written


def build_html() -> int:
    """Strict Jupyter Book build into a staging folder; on success it replaces _build/html."""
    staging = ROOT / ".build-staging"
    shutil.rmtree(staging, ignore_errors=True)
    print("Building HTML with Jupyter Book (warnings are errors)…", flush=True)
    cmd = [str(Path(sys.executable).with_name("jupyter-book")), "build", str(ROOT), "--path-output", str(staging),
           "-W", "-n", "--keep-going"]
    proc = subprocess.run(cmd, cwd=ROOT)
    if proc.returncode != 0:
        print("Jupyter Book build failed; the last good site in _build/html is unchanged.", file=sys.stderr)
        return proc.returncode
    final = ROOT / "_build" / "html"
    final.parent.mkdir(exist_ok=True)
    old = ROOT / "_build" / "html.old"
    shutil.rmtree(old, ignore_errors=True)
    if final.exists():
        final.rename(old)
    (staging / "_build" / "html").rename(final)
    shutil.rmtree(old, ignore_errors=True)
    shutil.rmtree(staging, ignore_errors=True)
    print(f"Book built: {final / 'index.html'}")
    return 0


def build(only: list[str] | None = None, html: bool = True) -> int:
    try:
        execute(only)
    except PageError as exc:
        print(f"error: {exc}\nNothing was written; book/pages and _build/html are unchanged.", file=sys.stderr)
        return 1
    return build_html() if html else 0


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
