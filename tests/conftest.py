import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def data_copy(tmp_path):
    """A writable copy of data/ (reference, sources, metrics, facts) for bad-input tests."""
    dst = tmp_path / "data"
    for part in ("reference", "facts"):
        shutil.copytree(ROOT / "data" / part, dst / part)
    for name in ("sources.csv", "metrics.csv", "not_published.csv", "indices.csv"):
        shutil.copy(ROOT / "data" / name, dst / name)
    return dst


from reformbook.paths import BOOK_INPUTS  # everything scripts/build needs to build the book in another folder


@pytest.fixture(scope="session")
def built_book(tmp_path_factory):
    """The whole pipeline (papermill pages, strict book build) run once per test session on a copy of
    the repository; tests/build checks the build and tests/browser opens the site it made."""
    work = tmp_path_factory.mktemp("repo")
    for name in BOOK_INPUTS:
        src = ROOT / name
        if src.exists():
            (shutil.copytree if src.is_dir() else shutil.copy)(src, work / name)
    env = {"REFORMBOOK_ROOT": str(work), "PATH": f"{ROOT / '.venv' / 'bin'}:/usr/bin:/bin"}
    proc = subprocess.run([sys.executable, "-m", "reformbook", "build"], cwd=work, capture_output=True,
                          text=True, env=env)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]
    return work
