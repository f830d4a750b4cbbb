import shutil
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
