"""Headless Chromium (Debian's /usr/bin/chromium, driven by playwright): where it is, how it starts, and the skip
(or, with REQUIRE_BROWSER=1 as in CI, the failure) where it is missing."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
# Without the background-networking flags Chromium tries hosts this closed network refuses.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def need_browser(*extra: tuple[bool, str]) -> None:
    """Skip (or, with REQUIRE_BROWSER=1 as in CI, fail) unless Playwright and Chromium are there and every
    ``(condition, reason)`` of ``extra`` holds."""
    reason = None
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        reason = "playwright is not installed: pip install playwright (it drives the system Chromium)"
    if reason is None and not Path(CHROMIUM).exists():
        reason = f"no Chromium at {CHROMIUM}: apt-get install chromium"
    reason = reason or next((why for ok, why in extra if not ok), None)
    if reason:
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(reason + " (REQUIRE_BROWSER=1)")
        pytest.skip(reason)
