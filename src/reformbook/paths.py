"""Where the repository's folders are. ``REFORMBOOK_ROOT`` overrides the root (for tests)."""

import os
from pathlib import Path

ROOT = Path(os.environ.get("REFORMBOOK_ROOT", Path(__file__).resolve().parents[2]))
DATA = ROOT / "data"
BOOK = ROOT / "book"
NOTEBOOKS = ROOT / "notebooks"

#: everything ``python -m reformbook build`` reads, relative to the root: what a copy of the repository
#: needs to build the book elsewhere (the tests and scripts/bench build on such copies)
BOOK_INPUTS = ("_config.yml", "_toc.yml", "_static", "_templates", "book", "notebooks", "data")
