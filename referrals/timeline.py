"""The referral loop's events on the client's timeline, as far as the user may see them."""

from django.urls import reverse
from django.utils.translation import gettext as _

from clients.timeline import Event, day_event, register

from .models import DoctorAssessment, Feedback, HealthCheck, MissedAppointment, Referral


@register
def referral_events(client) -> list:
    events = []
    for referral in client.records(Referral.objects.select_related("organisation")):
        url = reverse("referrals:detail", args=[referral.pk])
        label = (_("Came to the health check by themself") if referral.is_self_referral else
                 _("Referral to the health check from %(organisation)s")
                 % {"organisation": referral.organisation})
        events.append(Event(at=referral.created_at, label=label, url=url, record=referral))
        if referral.cancelled_at:
            events.append(Event(at=referral.cancelled_at, label=_("Referral cancelled"),
                                url=url, record=referral))
    for missed in client.records(MissedAppointment.objects.all()):
        events.append(Event(at=missed.booked_for,
                            label=_("Did not arrive at the unemployed health check"),
                            url=reverse("referrals:detail", args=[missed.referral_id]),
                            record=missed))
    for check in client.records(HealthCheck.objects.all()):
        url = reverse("referrals:detail", args=[check.referral_id])
        events.append(day_event(check.performed_on, _("Unemployed health check done"), url,
                                check))
    for feedback in client.records(Feedback.objects.select_related("recipient")):
        url = reverse("referrals:detail", args=[feedback.referral_id])
        events.append(day_event(feedback.given_on, _("Feedback given"), url, feedback))
        if feedback.acknowledged_at:
            events.append(Event(at=feedback.acknowledged_at, label=_("Feedback acknowledged"),
                                url=url, record=feedback))
    for assessment in client.records(DoctorAssessment.objects.all()):
        url = reverse("referrals:assessment", args=[assessment.pk])
        label = _("Doctor's assessment: %(conclusion)s") % {
            "conclusion": assessment.get_conclusion_display()
        }
        events.append(day_event(assessment.assessed_on, label, url, assessment))
    return events
