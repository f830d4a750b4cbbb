"""Golden figures: nbval re-executes every page and compares the cells marked NBVAL_CHECK_OUTPUT
(the numbers behind each chart) with the outputs stored in book/pages/. A change in data or code
that moves a figure fails here until the pages are rebuilt on purpose (scripts/build) and committed.

Of the province profiles (97 pages from one template) only a fixed sample is compared
(``runner.FAMILY_SAMPLE``: TP. Hồ Chí Minh, Hà Nội, Quảng Nam, Đà Nẵng among the 34, Lai Châu): they share
their code, and re-running all of them would double the suite's time. tests/build checks that every
profile was executed and rendered."""

import subprocess
import sys

import pytest

from reformbook import runner
from reformbook.paths import ROOT

pytestmark = pytest.mark.slow


def test_pages_match_stored_outputs():
    pages = [f"book/pages/{p['slug']}.ipynb" for p in runner.sample_pages(runner.load_pages())]
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--nbval-lax", "--nbval-current-env",
         "--nbval-sanitize-with", "tests/nbval_sanitize.cfg", "-q", "-o", "addopts=", "-o", "testpaths=",
         *pages],
        cwd=ROOT, capture_output=True, text=True,
    )
    assert proc.returncode == 0, proc.stdout[-5000:] + proc.stderr[-2000:]


def test_nbval_sample_is_every_page_but_the_unsampled_profiles():
    spec = runner.load_pages()
    sample = {p["slug"] for p in runner.sample_pages(spec)}
    assert set(runner.FAMILY_SAMPLE) <= sample and "rankings_pci" in sample and "provinces" in sample
    assert "province_63_80" not in sample and len(sample) == len(runner.all_pages(spec)) - 97 + 5
