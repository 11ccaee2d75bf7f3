"""
The views' shared rules (consents.policy.get_record_for_user, tyokyky.views.report_rule_broken):
a record loads for whom the policy lets see it and answers 404 alike to everyone else, and a
service's refusal reaches the user whole, every reason of it.
"""

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse

from consents.policy import get_record_for_user
from referrals.models import Referral
from tests.test_permission_matrix import NOT_THERE, world  # noqa: F401 - the fixture
from tests.utils import log_in

FIRST_REASON = "Ensimmäinen syy kieltäytyä"
SECOND_REASON = "Toinen syy kieltäytyä"

# Each view that answers a refused change with a redirect and a message:
# (url name, object of the world, who may ask, the service refused, the form's data).
REFUSING_VIEWS = [
    ("consents:confirm", "consent", "coordinator", "consents.services.confirm_consent", {}),
    ("consents:revoke", "consent", "nurse", "consents.services.revoke_consent",
     {"reason": "Asiakas perui puhelimessa"}),
    ("consents:ban_lift", "ban", "nurse", "consents.services.lift_disclosure_ban", {}),
    ("referrals:receive", "referral", "nurse", "referrals.services.receive_referral", {}),
    ("referrals:acknowledge", "answered", "te_expert",
     "referrals.services.acknowledge_feedback", {}),
    ("meetings:answer", "meeting", "nurse", "meetings.services.answer_invitation",
     {"answer": "accepted"}),
    ("meetings:cancel", "meeting", "coordinator", "meetings.services.cancel_meeting", {}),
    ("plans:follow_up_done", "follow_up", "te_expert", "plans.services.complete_follow_up",
     {"notes": ""}),
]


def _refuse_twice(**_arguments):
    raise ValidationError([FIRST_REASON, SECOND_REASON])


@pytest.mark.parametrize(("url_name", "target", "role", "service", "data"), REFUSING_VIEWS,
                         ids=[row[0] for row in REFUSING_VIEWS])
def test_a_refused_change_shows_every_reason_the_service_gave(
        client, world, monkeypatch, url_name, target, role, service, data):  # noqa: F811
    monkeypatch.setattr(service, _refuse_twice)
    log_in(client, world["users"][role])
    response = client.post(reverse(url_name, kwargs=world[target]), data, follow=True)
    assert response.redirect_chain, "a refusal goes back to the page it came from"
    shown = [str(message) for message in response.context["messages"]]
    assert shown == [FIRST_REASON, SECOND_REASON]


def test_a_record_loads_with_its_client_as_the_user_may_see_them(world):  # noqa: F811
    pk = world["referral"]["pk"]
    referral = get_record_for_user(world["users"]["nurse"], Referral.objects.all(), pk)
    assert referral.pk == pk
    assert referral.shown.pk == referral.client_id


@pytest.mark.parametrize("pk", ["referral", NOT_THERE])
def test_a_record_the_user_may_not_see_answers_as_one_that_does_not_exist(world, pk):  # noqa: F811
    # A referral is employment information: the Kela expert's consent does not cover it.
    pk = world[pk]["pk"] if pk == "referral" else pk
    with pytest.raises(Http404):
        get_record_for_user(world["users"]["kela_expert"], Referral.objects.all(), pk)
