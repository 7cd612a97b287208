"""Browser and local-mode fixtures shared by every end-to-end test.

Debian's chromium is driven through Playwright's `executable_path` (never a downloaded
browser). Without a browser the tests skip on a laptop but FAIL when CI=true.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from local_mode.runner import LocalStack, start_background

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium_path() -> str | None:
    candidates = [os.environ.get("CHROMIUM_PATH"), "/usr/bin/chromium", shutil.which("chromium")]
    for candidate in candidates:
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


def _missing_browser(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: end-to-end tests must run, not skip)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One headless Debian chromium per test module.

    Not per session: Playwright's sync API keeps an event loop running in the main thread
    while it is open, which breaks every later test that calls asyncio.run().
    """
    path = chromium_path()
    if path is None:
        _missing_browser("no chromium found: set CHROMIUM_PATH or apt-get install chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing_browser("playwright is not installed in .venv")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=path, headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh browser context per test (own storage), closed afterwards."""
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="session")
def local_stack() -> Iterator[LocalStack]:
    """Local mode with the built site (`make site`), the dev stack and a quick agent."""
    stack = start_background("dev", agent_join_delay=0.2)
    yield stack
    stack.stop()
