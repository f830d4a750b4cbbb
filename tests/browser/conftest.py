"""Fixtures for the browser tests: the built site, a localhost server for it, Debian's Chromium, and
one cached visit per page and width (helpers in browsing.py)."""

from __future__ import annotations

import functools
import http.server
import os
import threading
from pathlib import Path

import pytest
from browsing import CHROMIUM, CHROMIUM_ARGS, Visit, visit_page


@pytest.fixture(scope="session")
def site(request) -> Path:
    given = os.environ.get("REFORMBOOK_SITE")
    path = Path(given).resolve() if given else request.getfixturevalue("built_book") / "_build" / "html"
    if not (path / "index.html").exists():
        pytest.fail(f"no built site at {path} (REFORMBOOK_SITE={given!r}); run scripts/build", pytrace=False)
    return path


@pytest.fixture(scope="session")
def base_url(site):
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing. scripts/setup installs Debian's chromium when it runs as root "
                    "(apt-get update && apt-get install -y chromium); Playwright must not download a browser.",
                    pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def visit(browser, base_url):
    """visit(path, width) -> Visit, loaded once per session and shared by every check."""
    cache: dict[tuple[str, int], Visit] = {}

    def get(path: str, width: int) -> Visit:
        if (path, width) not in cache:
            cache[(path, width)] = visit_page(browser, base_url, path, width)
        return cache[(path, width)]

    return get
