"""The build redoes only what changed (on a copy of the repository): a no-op build executes no page
and skips the HTML step; a changed template re-executes only its pages and Sphinx re-reads only those."""

import json
import re
import shutil
import subprocess
import sys

import nbformat
import pytest
import yaml

from reformbook import runner
from reformbook.paths import BOOK_INPUTS, ROOT

pytestmark = pytest.mark.slow


def _build(work, *args):
    env = {"REFORMBOOK_ROOT": str(work), "PATH": f"{ROOT / '.venv' / 'bin'}:/usr/bin:/bin"}
    proc = subprocess.run([sys.executable, "-m", "reformbook", "build", *args], cwd=work, capture_output=True,
                          text=True, env=env)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]
    return proc.stdout, set(re.findall(r"✓ (\S+)", proc.stdout))


def _pages_of(work, template):
    spec = yaml.safe_load((work / "book" / "pages.yml").read_text(encoding="utf-8"))
    return {p["slug"] for part in spec["parts"] for p in part.get("pages", []) if p["template"] == template}


@pytest.fixture(scope="module")
def work(tmp_path_factory):
    work = tmp_path_factory.mktemp("repo")
    for name in BOOK_INPUTS:
        src = ROOT / name
        (shutil.copytree if src.is_dir() else shutil.copy)(src, work / name)
    _build(work)  # whatever the committed cache says is stale, then the HTML from scratch
    return work


def test_noop_build_executes_nothing_and_skips_html(work):
    index = work / "_build" / "html" / "index.html"
    pages_before = {p.name: p.stat().st_mtime_ns for p in (work / "book" / "pages").glob("*.ipynb")}
    before = index.stat().st_mtime_ns
    out, ran = _build(work)
    assert ran == set()
    assert "Executing 0 of" in out and "HTML is up to date" in out
    assert index.stat().st_mtime_ns == before
    assert {p.name: p.stat().st_mtime_ns for p in (work / "book" / "pages").glob("*.ipynb")} == pages_before


def test_changed_template_reruns_only_its_pages(work):
    template = work / "notebooks" / "rankings.ipynb"
    nb = nbformat.read(template, as_version=4)
    nb.cells.append(nbformat.v4.new_markdown_cell("A sentence added by the incremental-build test."))
    nbformat.write(nb, template)
    out, ran = _build(work)
    assert ran == _pages_of(work, "rankings") and ran
    # the HTML step is incremental too: Sphinx re-reads only the pages that were rewritten
    m = re.search(r"updating environment: .*?(\d+) added, (\d+) changed, (\d+) removed", out)
    # ... and the pages that glue figures from them (book/intro.md glues from rankings_par)
    gluing = {"intro"} if any("rankings_par" in s for s in ran) else set()
    assert m and (int(m[1]), int(m[2]), int(m[3])) == (0, len(ran) + len(gluing), 0), out[-3000:]
    html = (work / "_build" / "html" / "book" / "pages" / f"{sorted(ran)[0]}.html").read_text(encoding="utf-8")
    assert "A sentence added by the incremental-build test." in html
    assert _build(work)[1] == set()


def _stale(work):
    code = ("from reformbook import runner as r; pages = r.all_pages(r.load_pages()); s = r.shared_inputs(); "
            "keys = {p['slug']: r.page_key(p, s) for p in pages}; "
            "print('\\n'.join(p['slug'] for p in r.stale_pages(pages, r.read_cache(), keys)))")
    env = {"REFORMBOOK_ROOT": str(work), "PATH": "/usr/bin:/bin"}
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    return set(proc.stdout.split())


def test_parameters_data_and_edited_outputs_make_pages_stale(work):
    assert _stale(work) == set()
    pages_yml = work / "book" / "pages.yml"
    original = pages_yml.read_text(encoding="utf-8")
    pages_yml.write_text(original.replace("index: SIPAS}", "index: SIPAS, years: [2023]}"), encoding="utf-8")
    assert _stale(work) == {"rankings_sipas"}
    pages_yml.write_text(original, encoding="utf-8")
    page = work / "book" / "pages" / "claims.ipynb"
    saved = page.read_bytes()
    page.write_bytes(saved.replace(b'"cells"', b'"cells" ', 1))
    assert _stale(work) == {"claims"}
    page.write_bytes(saved)
    metrics = work / "data" / "metrics.csv"
    metrics.write_text(metrics.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert _stale(work) == {p["slug"] for p in runner.all_pages(yaml.safe_load(original))}  # families too
    raw = next((work / "data" / "raw").rglob("*.*"))
    metrics.write_text(metrics.read_text(encoding="utf-8")[:-1], encoding="utf-8")
    raw.write_bytes(raw.read_bytes() + b"\n")  # ingest's input is not read by pages
    assert _stale(work) == set()


def test_cache_file_is_one_line_per_page():
    lines = (ROOT / "book" / "pages" / ".cache.json").read_text(encoding="utf-8").splitlines()
    cache = json.loads("\n".join(lines))
    assert len(lines) == len(cache["pages"]) + 2
