"""
The client's own work-ability self-assessment before the health check (issue 17).

The rule, in one place for the client's pages and the service:

    A client may fill in their self-assessment for a referral of theirs that waits for its
    health check (AWAITING_CHECK) and whose check is not recorded yet, and may change it until
    the check is recorded. Then it stays as it was: the nurse read it beside their own.

The self-assessment is the health organisation's record (the referral's recipient): see
`SelfAssessment` for who sees it.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import AWAITING_CHECK, WORK_ABILITY_SCORES, Referral, SelfAssessment

CLOSED_FOR_CHANGES = _("Your health check has already been recorded. You can no longer change "
                       "your self-assessment.")


def open_for_self_assessment() -> QuerySet[Referral]:
    """Referrals whose client may still fill in or change their self-assessment."""
    return Referral.objects.filter(status__in=AWAITING_CHECK, health_check__isnull=True)


@transaction.atomic
def save_self_assessment(*, referral: Referral, for_the_nurse: str = "",
                         **scores) -> SelfAssessment:
    """
    The client saves their self-assessment for the referral (the first time, or a change).
    The referral is locked and read again, so that a check recorded meanwhile closes it.
    """
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if not open_for_self_assessment().filter(pk=referral.pk).exists():
        raise ValidationError(CLOSED_FOR_CHANGES, code="check_recorded")
    values = {name: scores.get(name) for name in WORK_ABILITY_SCORES}
    assessment = SelfAssessment.objects.filter(referral=referral).first() or SelfAssessment(
        client_id=referral.client_id, referral=referral, organisation_id=referral.recipient_id)
    for name, value in {**values, "for_the_nurse": for_the_nurse}.items():
        setattr(assessment, name, value)
    assessment.submitted_at = timezone.now()
    assessment.full_clean()
    assessment.save()
    return assessment


def side_by_side(assessment: SelfAssessment | None, check=None) -> list[tuple[str, object, object]]:
    """
    The client's scores beside the nurse's, for the nurse's pages: (the score's label, the
    client's, the nurse's), in the one order of WORK_ABILITY_SCORES. `assessment` and `check`
    are what the policy handed out to the page (either may be None).
    """
    if assessment is None:
        return []
    return [(SelfAssessment._meta.get_field(name).verbose_name, getattr(assessment, name),
             getattr(check, name, None)) for name in WORK_ABILITY_SCORES]
