"""
Browser journeys: Playwright drives Debian's Chromium (never a downloaded browser) against
pytest-django's live server. A failing journey leaves a screenshot in test-results/.
"""

from pathlib import Path

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import sync_playwright

from teams.models import User
from tests.utils import current_code

CHROMIUM = "/usr/bin/chromium"
# This machine has no outside network: keep Chromium from trying to reach it.
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
RESULTS = Path(__file__).resolve().parents[2] / "test-results"


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
def page(browser, request):
    context = browser.new_context(locale="fi-FI")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        RESULTS.mkdir(exist_ok=True)
        page.screenshot(path=RESULTS / f"{request.node.name}.png", full_page=True)
    context.close()


DEMO_PASSWORD = "demo-password-for-tests"


def log_in_on(page, live_server, username, password=DEMO_PASSWORD):
    """Log in through the real login and two-step pages, as a person would."""
    user = User.objects.get(username=username)
    device, _created = TOTPDevice.objects.get_or_create(
        user=user, name="phone", defaults={"confirmed": True}
    )
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Käyttäjätunnus").fill(username)
    page.get_by_label("Salasana").fill(password)
    page.get_by_role("button", name="Kirjaudu sisään").click()
    page.get_by_label("Koodi").fill(current_code(device))
    page.get_by_role("button", name="Jatka").click()


@pytest.fixture
def log_in(page, live_server):
    def log_in_as(username, password=DEMO_PASSWORD):
        log_in_on(page, live_server, username, password)

    return log_in_as


@pytest.fixture
def person(browser, live_server, request):
    """A second (third…) person at their own browser: person("nurse") gives their page."""
    contexts = []

    def open_as(username):
        context = browser.new_context(locale="fi-FI")
        contexts.append(context)
        their_page = context.new_page()
        their_page.set_default_timeout(10_000)
        log_in_on(their_page, live_server, username)
        return their_page

    yield open_as
    report = getattr(request.node, "report_call", None)
    for number, context in enumerate(contexts):
        if report is not None and report.failed and context.pages:
            RESULTS.mkdir(exist_ok=True)
            context.pages[0].screenshot(path=RESULTS / f"{request.node.name}-{number}.png",
                                        full_page=True)
        context.close()
