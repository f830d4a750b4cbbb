"""Where the repository's folders are. ``REFORMBOOK_ROOT`` overrides the root (for tests)."""

import os
from pathlib import Path

ROOT = Path(os.environ.get("REFORMBOOK_ROOT", Path(__file__).resolve().parents[2]))
DATA = ROOT / "data"
BOOK = ROOT / "book"
NOTEBOOKS = ROOT / "notebooks"
