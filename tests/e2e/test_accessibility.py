"""The accessibility check itself: it finds what it is there to find."""

import pytest

pytestmark = pytest.mark.e2e


def test_axe_finds_a_missing_text_alternative_and_a_wrong_language(page, accessibility):
    page = page.context.new_page()  # not watched: checked once, here
    page.set_content('<html lang="en"><head><title>T</title></head><body><main><h1>T</h1>'
                     '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="></main></body></html>')
    accessibility.check(page)
    rules = {violation["rule"] for _url, violation in accessibility.violations}
    assert rules == {"image-alt", "finnish"}
    accessibility.violations.clear()  # found: the journey itself has nothing to answer for
