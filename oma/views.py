"""The pages of Oma Työkyky. Each shows only `request.client`, the identified client as the
policy hands them out (consents/own.py), and `render_own` writes the access log from what the
page showed, as the client's own read."""

from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from clients.records import DataCategory
from consents.models import Consent
from consents.own import render_own
from meetings.client_feedback import meetings_for_feedback, with_feedback_given
from plans.models import OPEN_ACTION_STATUSES, PlanAction, PlanStatus
from referrals.models import SelfAssessment
from referrals.self_assessment import open_for_self_assessment

from .moving import coming_times
from .session import client_required


@dataclass
class ToDo:
    """What waits for the client, counted for the front page's links."""

    actions: int
    consents_to_confirm: int
    self_assessments: int
    meeting_feedback: int

    def __bool__(self):
        return any((self.actions, self.consents_to_confirm, self.self_assessments,
                    self.meeting_feedback))


def _to_do(own) -> ToDo:
    waiting = own.own(open_for_self_assessment())
    answered = own.own(SelfAssessment.objects.filter(referral__in=waiting))
    unanswered = with_feedback_given(own.own(meetings_for_feedback())).filter(
        feedback_given=False)
    return ToDo(
        actions=own.own(PlanAction.objects.filter(
            plan__status=PlanStatus.ACTIVE, client_responsible=True,
            status__in=OPEN_ACTION_STATUSES), client_field="plan__client").count(),
        consents_to_confirm=own.own(Consent.objects.filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=timezone.localdate()),
            revoked_at__isnull=True, confirmed_by_client_at__isnull=True)).count(),
        self_assessments=waiting.count() - answered.count(),
        meeting_feedback=unanswered.count(),
    )


@client_required
def home(request):
    """The front page: the next booked time, and what waits for the client, each a link."""
    own = request.client
    times = coming_times(own)
    to_do = _to_do(own)
    # The counts tell of the plan (employment) and of a referral to a health check (health).
    own.hand_out([to_do], DataCategory.EMPLOYMENT)
    own.hand_out([to_do], DataCategory.HEALTH)
    return render_own(request, "oma/home.html", {"next_time": times[0] if times else None,
                                                 "to_do": to_do})
