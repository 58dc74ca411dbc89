"""Fixtures of the browser tests: a Debian chromium and a fresh browser context for each test.

``browsing`` gives a ``Browsing``: the page, the live server's address, the script errors and Content
Security Policy violations the browser reported (a test asserts there were none), the axe-core audit
of the pages the test visited (``tests.browser.axe``) and screenshots in ``PGA_SCREENSHOT_DIR``.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from tests.browser.axe import Audit
from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS, SCREENSHOTS


@pytest.fixture
def chromium() -> Iterator[Any]:
    """A headless chromium for one test. Not shared between tests: with one Playwright session kept
    open across a module, the transactional tests of the next module found the reference data
    (organisations) missing, as if the serialized rollback had not restored it."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class Browsing:
    """What a browser test works with; ``page`` is a Playwright ``Page``."""

    page: Any
    base_url: str
    errors: list[str] = field(default_factory=list)
    audit: Audit = field(default_factory=Audit)

    def goto(self, path: str) -> Any:
        """Open ``path`` on the live server; returns Playwright's response (its ``status`` is the HTTP status)."""
        return self.page.goto(self.base_url + path)

    def check(self, name: str) -> None:
        """Run axe-core on the page as it is now and take a screenshot ``pga-<name>.png``."""
        self.audit.check(self.page, name)
        self.shot(name)

    def shot(self, name: str) -> None:
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        self.page.screenshot(path=SCREENSHOTS / f"pga-{slug}.png", full_page=True)


def _is_csp_violation(message: Any) -> bool:
    return message.type == "error" and "Content Security Policy" in message.text


@pytest.fixture
def browsing(chromium: Any, live_server: Any, request: pytest.FixtureRequest) -> Iterator[Browsing]:
    """A new browser context (no cookies) at desktop size with Dutch locale, on the live server.

    After the test the audit results go to ``PGA_SCREENSHOT_DIR/axe-<test>.json`` (moderate and minor
    findings included) and are printed (``pytest -rP`` shows them)."""
    context = chromium.new_context(viewport={"width": 1366, "height": 900}, locale="nl-NL")
    page = context.new_page()
    session = Browsing(page=page, base_url=live_server.url)
    page.on("pageerror", lambda error: session.errors.append(str(error)))
    page.on(
        "console",
        lambda message: session.errors.append(f"{page.url}: {message.text}") if _is_csp_violation(message) else None,
    )
    try:
        yield session
    finally:
        context.close()
        if session.audit.results:
            session.audit.dump(SCREENSHOTS / f"axe-{request.node.name}.json")
            print(f"axe-core, {request.node.name}:\n{session.audit.report()}")
