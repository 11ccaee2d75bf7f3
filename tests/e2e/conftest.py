"""
Browser journeys: Playwright drives Debian's Chromium (never a downloaded browser) against
pytest-django's live server. A failing journey leaves a screenshot in test-results/.

Every page a journey loads is checked with axe-core (from npm) against the WCAG 2.1 A and AA
rules, in Finnish; a journey with a violation fails and lists it.
"""

import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

from teams.models import User
from tests.utils import authenticator as user_authenticator
from tests.utils import current_code

CHROMIUM = "/usr/bin/chromium"
# This machine has no outside network: keep Chromium from trying to reach it.
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "test-results"
AXE = (ROOT / "node_modules" / "axe-core" / "axe.min.js").read_text()
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
RUN_AXE = """(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}}).then(
  result => result.violations.map(v => ({rule: v.id, help: v.help,
                                         where: v.nodes.slice(0, 3).map(n => n.target.join(' '))})))
"""


class Accessibility:
    """axe-core on each page as it loads. A page the journey leaves before axe has finished is
    opened again at the end and checked then, so none goes unchecked."""

    def __init__(self):
        self.checked: set[str] = set()
        self.missed: list[str] = []
        self.violations: list[tuple[str, dict]] = []

    def watch(self, page):
        page.on("load", self._on_load)

    def _on_load(self, page):
        try:
            self.check(page)
        except PlaywrightError:  # the journey moved on mid-check
            self.missed.append(page.url)

    def check(self, page):
        if "html" not in (page.evaluate("document.contentType") or ""):
            return
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            page.evaluate(AXE)  # evaluated by the browser's debugger, so CSP does not block it
        if page.evaluate("document.documentElement.lang") != "fi":
            self.violations.append((page.url, {"rule": "finnish", "help": "not in Finnish"}))
        for violation in page.evaluate(RUN_AXE, WCAG_21_AA):
            self.violations.append((page.url, violation))
        self.checked.add(page.url)

    def finish(self, context):
        for url in dict.fromkeys(self.missed):
            if url in self.checked:
                continue
            page = context.new_page()
            page.goto(url)
            self.check(page)
        assert not self.violations, json.dumps(
            [{"page": urlsplit(url).path, **violation} for url, violation in self.violations],
            ensure_ascii=False, indent=1)
        return self.checked


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


# Per module, not per session: while Playwright's event loop lives in this thread, Django opens
# its connections in another context, which the test database teardown cannot close.
@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def accessibility():
    return Accessibility()


@pytest.fixture
def page(browser, request, accessibility):
    context = browser.new_context(locale="fi-FI")
    page = context.new_page()
    page.set_default_timeout(10_000)
    accessibility.watch(page)
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        RESULTS.mkdir(exist_ok=True)
        page.screenshot(path=RESULTS / f"{request.node.name}.png", full_page=True)
    if report is not None and report.passed:
        accessibility.finish(context)
    context.close()


DEMO_PASSWORD = "demo-password-for-tests"


def authenticator(username) -> TOTPDevice:
    """The person's authenticator app, set up before they log in."""
    return user_authenticator(User.objects.get(username=username))


def totp_code(username) -> str:
    """The code the person's authenticator app shows now."""
    return current_code(authenticator(username))


def log_in_on(page, live_server, username, password=DEMO_PASSWORD):
    """Log in through the real login and two-step pages, as a person would."""
    authenticator(username)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Käyttäjätunnus").fill(username)
    page.get_by_label("Salasana").fill(password)
    page.get_by_role("button", name="Kirjaudu sisään").click()
    page.get_by_label("Koodi").fill(totp_code(username))
    page.get_by_role("button", name="Jatka").click()


@pytest.fixture
def log_in(page, live_server):
    def log_in_as(username, password=DEMO_PASSWORD):
        log_in_on(page, live_server, username, password)

    return log_in_as


@pytest.fixture
def person(browser, live_server, request, accessibility):
    """A second (third…) person at their own browser: person("nurse") gives their page."""
    contexts = []

    def open_as(username):
        context = browser.new_context(locale="fi-FI")
        contexts.append(context)
        their_page = context.new_page()
        their_page.set_default_timeout(10_000)
        accessibility.watch(their_page)
        log_in_on(their_page, live_server, username)
        return their_page

    yield open_as
    report = getattr(request.node, "report_call", None)
    for number, context in enumerate(contexts):
        if report is not None and report.failed and context.pages:
            RESULTS.mkdir(exist_ok=True)
            context.pages[0].screenshot(path=RESULTS / f"{request.node.name}-{number}.png",
                                        full_page=True)
        if report is not None and report.passed:
            accessibility.finish(context)
        context.close()
