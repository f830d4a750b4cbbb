"""Golden figures: nbval re-executes every page and compares the cells marked NBVAL_CHECK_OUTPUT
(the numbers behind each chart) with the outputs stored in book/pages/. A change in data or code
that moves a figure fails here until the pages are rebuilt on purpose (scripts/build) and committed."""

import subprocess
import sys

import pytest

from reformbook.paths import ROOT

pytestmark = pytest.mark.slow


def test_pages_match_stored_outputs():
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--nbval-lax", "--nbval-current-env",
         "--nbval-sanitize-with", "tests/nbval_sanitize.cfg", "-q", "-o", "addopts=", "-o", "testpaths=",
         "book/pages"],
        cwd=ROOT, capture_output=True, text=True,
    )
    assert proc.returncode == 0, proc.stdout[-5000:] + proc.stderr[-2000:]
