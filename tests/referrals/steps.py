"""The steps of the referral loop, driven through the views as the users take them."""

from django.urls import reverse
from django.utils import timezone

from referrals.models import Referral
from tests.utils import log_in

CHECK = {
    "doctor": "", "work_ability": "6", "mental_wellbeing": "7", "social_participation": "5",
    "physical_capacity": "4", "skills": "8", "daily_life": "7",
    "limited_musculoskeletal": "on", "limitations": "Liikkumisen rajoitteet, polvet",
    "nurse_view": "unemployed", "needs_multiprofessional_assessment": "on",
    "multiprofessional_reason": "Alanvaihto ja liikuntarajoitteet",
    "doctor_appointment_needed": "on", "next_steps": "Lääkäriaika, elintapaohjaus",
}


def send_referral(client, user, person, health, **overrides):
    log_in(client, user)
    data = {
        "recipient": health.pk, "reason": "year_since_check", "reason_details": "",
        "urgency": "normal", "responsible_persons": "", "services_summary": "Työnhaku",
        "services-TOTAL_FORMS": "3", "services-INITIAL_FORMS": "0",
        "services-MIN_NUM_FORMS": "0", "services-MAX_NUM_FORMS": "1000",
        "services-0-service": "Uravalmennus", "services-0-organisation_name": "Työllisyysalue",
        "services-0-contact_person": "Tuomas Huttunen",
        **overrides,
    }
    return client.post(reverse("referrals:create", args=[person.pk]), data)


def record_check(client, user, referral, **overrides):
    log_in(client, user)
    data = {**CHECK, "performed_on": timezone.localdate().isoformat(), **overrides}
    return client.post(reverse("referrals:health_check", args=[referral.pk]), data)


def give_feedback(client, user, referral, **overrides):
    log_in(client, user)
    data = {
        "given_on": timezone.localdate().isoformat(), "to_client": "in_person",
        "findings": "Työkyky osittain alentunut: ei raskasta nostamista",
        "recommendations": "Uravalmennus, ammatinvaihdon selvitys", **overrides,
    }
    return client.post(reverse("referrals:feedback", args=[referral.pk]), data)


def latest_referral() -> Referral:
    return Referral.objects.latest("pk")
