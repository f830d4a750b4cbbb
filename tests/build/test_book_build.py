"""The whole pipeline on a copy of the repository: papermill pages, then the strict book build."""

import subprocess
import sys

import pytest

from reformbook.paths import ROOT

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def built(built_book):  # tests/conftest.py: built once per session, shared with tests/browser
    return built_book


def test_html_written_without_errors(built):
    html = built / "_build" / "html"
    assert (html / "index.html").exists()
    reports = html / "reports"
    assert not reports.exists() or not any(reports.iterdir())


def test_every_generated_page_has_sources_and_no_injected_parameters(built):
    for page in (built / "_build" / "html" / "book" / "pages").glob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "Sources" in text, page.name
        assert "injected-parameters" not in text and "Parameters" not in text.split("<main")[-1][:200]


def test_charts_have_alt_text_and_vietnamese_labels(built):
    text = (built / "_build" / "html" / "book" / "pages" / "procedures_79_vs_01.html").read_text(encoding="utf-8")
    assert 'alt="Hà Nội 2023-06-10' in text or 'cấp xã 146' in text.split('alt="', 1)[1][:2000]
    assert "Thủ tục hành chính" in text or "TTHC" in text


def test_failed_page_leaves_last_good_site(built):
    before = (built / "_build" / "html" / "index.html").stat().st_mtime
    pages = built / "book" / "pages.yml"
    pages.write_text(pages.read_text(encoding="utf-8").replace('index: PCI}', 'index: NOPE}'), encoding="utf-8")
    env = {"REFORMBOOK_ROOT": str(built), "PATH": f"{ROOT / '.venv' / 'bin'}:/usr/bin:/bin"}
    proc = subprocess.run([sys.executable, "-m", "reformbook", "build"], cwd=built, capture_output=True, text=True, env=env)
    assert proc.returncode == 1
    assert "page rankings_pci (notebooks/rankings.ipynb) failed in cell [3]" in proc.stderr
    assert "unknown index 'NOPE'" in proc.stderr
    assert (built / "_build" / "html" / "index.html").stat().st_mtime == before


def test_data_download_is_in_the_site_and_linked(built):
    html = built / "_build" / "html"
    zips = list((html / "_downloads").glob("*/reformbook-data.zip"))
    assert len(zips) == 1
    methods = (html / "book" / "methods.html").read_text(encoding="utf-8")
    assert zips[0].relative_to(html).as_posix() in methods and "Reusing the data" in methods


def test_every_profile_in_pages_yml_was_executed_and_rendered(built):
    """The province profiles are page families in pages.yml (97 pages); nbval and the browser tests take
    a sample of them, so this checks them all: executed (book/pages/<slug>.ipynb) and in the built HTML
    under their own title."""
    from reformbook import runner

    family = [p for p in runner.all_pages(runner.load_pages()) if "family" in p]
    assert len(family) == 97
    for p in family:
        assert (ROOT / "book" / "pages" / f"{p['slug']}.ipynb").exists(), p["slug"]
        html = built / "_build" / "html" / "book" / "pages" / f"{p['slug']}.html"
        assert html.exists(), p["slug"]
        text = html.read_text(encoding="utf-8")
        assert f"<h1>{p['title']}" in text and "Standing in the field" in text, p["slug"]
