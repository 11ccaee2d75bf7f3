import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def test_the_nurse_logs_in_and_sees_the_client_list(transactional_db, demo, page, log_in):
    log_in("nurse", "demo-password-for-tests")
    expect(page.get_by_role("heading", level=1)).to_have_text("Omat tehtävät")
    page.get_by_role("link", name="Asiakkaat").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Asiakkaat")
    table = page.get_by_role("table")
    expect(table.get_by_role("link", name="Leinonen, Tiina")).to_be_visible()
    expect(table.get_by_role("link", name="Komulainen, Mari")).to_have_count(0)
    expect(page.get_by_role("banner").get_by_text("Nina Korhonen")).to_be_visible()


def test_the_nurse_finds_a_client_by_name_with_the_keyboard(
    transactional_db, demo, page, log_in
):
    log_in("nurse", "demo-password-for-tests")
    page.get_by_role("link", name="Asiakkaat").click()
    search = page.get_by_label("Nimi tai henkilötunnus")
    search.fill("petri")
    search.press("Enter")
    expect(page.get_by_role("link", name="Moilanen, Petri")).to_be_visible()
    expect(page.get_by_role("link", name="Leinonen, Tiina")).to_have_count(0)
    assert "petri" not in page.url.lower()
