"""
Two at once on a consent (issue 13): a revocation opened before the client's own confirmation
shows that confirmation first, and revokes only when saved again. (Of two revoking at the same
moment one revokes and the other is told it is done: consents.services has locked the row for
that from the start.)
"""

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst

from consents.models import Consent
from consents.services import confirm_by_client, record_consent
from teams.models import Role
from tests.concurrency import as_posted, logged_in, opened
from tests.concurrency import refused as refused_with
from tests.factories import staff
from tyokyky.versions import version_of


@pytest.fixture
def consent(story):
    return record_consent(client=story.tiina, by=story.users["nurse"], categories=["health"],
                          organisations=[story.kela], purpose="Kuntoutus", method="written",
                          valid_from=timezone.localdate())


@pytest.fixture
def nurses(story):
    return story.users["nurse"], staff(Role.NURSE, story.health)


def test_a_revocation_opened_before_the_clients_confirmation_shows_it_first(consent, nurses):
    url = reverse("consents:revoke", args=[consent.pk])
    browser = logged_in(nurses[0])
    revoking = {**opened(browser, url), "reason": "Asiakas perui puhelimessa"}
    confirm_by_client(consent=consent)  # meanwhile, in the client's own service

    response = browser.post(url, revoking)

    errors = refused_with(response)
    label = capfirst(str(Consent._meta.get_field("confirmed_by_client_at").verbose_name))
    assert any(error.startswith(f"{label}: ") for error in errors)
    form = response.context["form"]
    assert form["reason"].value() == "Asiakas perui puhelimessa"
    consent.refresh_from_db()
    assert consent.revoked_at is None
    assert form["version"].value() == str(version_of(consent))
    assert browser.post(url, as_posted(form)).status_code == 302
    consent.refresh_from_db()
    assert consent.revocation_reason == "Asiakas perui puhelimessa"
