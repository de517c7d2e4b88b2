"""What the browser tests share: Debian's Chromium through Playwright, a phone-sized page, checks of a page.

Fixtures `browser` and `page` are declared in `niangjia/conftest.py`; tests import the helpers from here.
Without Chromium the tests are skipped, unless NIANGJIA_REQUIRE_BROWSER is set (CI sets it): then they fail.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import sync_playwright

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
SHOTS = Path(os.environ.get("NIANGJIA_SCREENSHOTS", Path(__file__).resolve().parents[1] / "var" / "screenshots"))
AXE = Path(__file__).resolve().parents[1] / "node_modules" / "axe-core" / "axe.min.js"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]  # fmt: skip


def launch(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Yield a headless Chromium (skip or fail the test when it is not installed)."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("NIANGJIA_REQUIRE_BROWSER"):
            pytest.fail(f"Chromium not found at {CHROMIUM}; install Debian's chromium package")
        pytest.skip("Chromium is not installed (apt-get install chromium); CI requires it")
    # Playwright runs an event loop in this thread; the live server's ORM calls are in another.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


def phone(browser: Any, width: int = 375) -> Any:
    """A new page in a fresh context of `width` px (a phone by default), Chinese locale; dialogs accepted."""
    page = browser.new_context(viewport={"width": width, "height": 812}, locale="zh-CN").new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    return page


def sign_in(page: Any, url: str, username: str, password: str) -> None:
    page.goto(f"{url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("form:has(#id_password) button[type=submit]")  # not a hidden 退出 of a session still open
    page.wait_for_load_state()


def shoot(page: Any, name: str) -> Path:
    """Save a full-page screenshot under var/screenshots/ (or NIANGJIA_SCREENSHOTS); return its path."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / name), full_page=True)
    return SHOTS / name


def fits(page: Any, width: int = 375) -> None:
    """Nothing wider than the screen, and every button of the page's main part a 44 px tap target."""
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    small = page.evaluate(
        """() => [...document.querySelectorAll('main .tap, main .btn, main .form-control, main .form-select')]
             .filter(e => e.offsetParent && e.getBoundingClientRect().height < 44)
             .map(e => (e.textContent || e.name || e.tagName).trim())"""
    )
    assert small == [], f"tap targets under 44 px: {small}"


def axe_violations(page: Any, impacts: tuple[str, ...] = ("serious", "critical")) -> list[str]:
    """Run axe-core (from npm) on the page; return its violations of WCAG 2.1 A/AA of the given impacts."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + json.dumps([n["target"] for n in v["nodes"][:3]], ensure_ascii=False)
        for v in result["violations"]
        if v["impact"] in impacts
    ]
