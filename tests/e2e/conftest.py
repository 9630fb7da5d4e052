"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

A failing test leaves a full-page screenshot in test-artifacts/ (also useful to look at pages).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import time_machine
from django.utils import timezone

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make to set
# up data are still plain synchronous calls, which Django otherwise refuses inside a loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail("Debian's chromium is required under CI (scripts/ensure-chromium)")
        pytest.skip("Debian's chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


# What the browser reported against the Content-Security-Policy during the current test: every
# context made here listens, and a test that caused one fails (see _no_csp_violation).
CSP_VIOLATIONS: list[str] = []


def _on_console(message) -> None:
    if message.type == "error" and "Content Security Policy" in message.text:
        CSP_VIOLATIONS.append(message.text)


@pytest.fixture(autouse=True)
def _no_csp_violation():
    CSP_VIOLATIONS.clear()
    yield
    assert CSP_VIOLATIONS == [], "the page broke the Content-Security-Policy"


def new_context(browser, **options):
    """A browser context whose clock agrees with the server's. time-machine moves the clock of
    this process only (so the live server's too: tests/clock.py, or a test's own travel); the
    browser keeps the real one unless told, and the kiosk stamps each tap with the tablet's
    time. Playwright's clock then runs on from the moved time, timers included."""
    context = browser.new_context(**options)
    context.on("console", _on_console)
    if time_machine.escape_hatch.is_travelling():
        context.clock.install(time=timezone.now())
    return context


@pytest.fixture
def page(browser, request, live_server):
    context = new_context(browser, viewport={"width": 1280, "height": 800}, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


def shoot(page, name: str) -> None:
    """Keep a screenshot of a page for people to look at (test-artifacts/, git-ignored)."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def on_its_part(page, selector: str):
    """page.locator(selector), once the survey form shown one part per screen (survey_form.js)
    is walked with its Tiếp / Quay lại buttons to the part that holds it, as a person would."""
    target = page.locator(selector).first
    if page.locator("form[data-steps]").count():
        total = int(page.locator("form[data-steps]").get_attribute("data-steps"))
        part = target.evaluate(
            "e => { const p = e.closest('[data-step]'); return p ? +p.dataset.step : 0; }"
        )
        want = part or total  # the Send button, outside the parts, shows on the last one
        progress = page.get_by_test_id("step-progress")
        while (now := int(progress.inner_text().split()[-1].split("/")[0])) != want:
            page.get_by_role("button", name="Tiếp" if now < want else "Quay lại").click()
    return page.locator(selector)


def send_form(page) -> None:
    """Press the survey form's Send button (on its last part when shown one part per screen)."""
    on_its_part(page, "form[data-testid=survey-form] button[type=submit]").click()
