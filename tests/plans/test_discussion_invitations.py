"""
The client's support network invited to a booked feedback discussion (issue 16), through the
views: the people ticked get one e-mail each after the booking commits, naming no client;
saving the booking again does not invite them again; a contact the user may not see cannot be
ticked; recording a discussion held invites nobody.
"""

from datetime import timedelta

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from cases.client_data import add_support_contact
from clients.models import Client, SupportContact
from consents.services import confirm_consent, record_consent
from plans.models import FeedbackDiscussion
from tests.utils import log_in

from .story import jaakkos_meeting

CONTACT_EMAIL = "ruusa.verkostola@example.fi"


def add_contact(client, person, **overrides):
    """Through the client page's form, as the logged-in user."""
    response = client.post(reverse("clients:contact_create", args=[person.pk]), {
        "name": "Ruusa Verkostola", "kind": "support_person", "organisation_name": "",
        "phone": "", "email": CONTACT_EMAIL, "note": "", **overrides})
    assert response.status_code == 302
    return SupportContact.objects.filter(client=person).latest("pk")


def booking(demo, meeting, **overrides):
    when = timezone.localtime() + timedelta(days=3)
    return {"meeting": meeting.pk, "holder": demo["typ_expert"].pk,
            "scheduled_for": when.replace(hour=9, minute=30).strftime("%Y-%m-%dT%H:%M"),
            "client_present": "on", "follows_own_affairs": "yes", **overrides}


def to_contact():
    """What was sent to the contact (the meeting's own invitations also leave meanwhile)."""
    return [message for message in mail.outbox if CONTACT_EMAIL in message.to]


def save(client, meeting, data, capture):
    url = reverse("plans:discussion_create", args=[meeting.client_id])
    with capture(execute=True):
        return client.post(url, data)


def test_booking_invites_the_ticked_contact_once_without_naming_the_client(
        client, demo, django_capture_on_commit_callbacks):
    meeting = jaakkos_meeting(demo)
    jaakko = meeting.client
    log_in(client, demo["typ_expert"])
    contact = add_contact(client, jaakko)
    no_email = add_contact(client, jaakko, name="Sari Moilanen", email="")
    form = client.get(reverse("plans:discussion_create", args=[jaakko.pk]),
                      {"meeting": meeting.pk}).context["form"]
    assert list(form.fields["invite_contacts"].queryset) == [contact]  # no e-mail: not listed
    mail.outbox.clear()

    data = booking(demo, meeting, invite_contacts=[contact.pk], version="0")
    assert save(client, meeting, data, django_capture_on_commit_callbacks).status_code == 302
    assert [message.to for message in to_contact()] == [[CONTACT_EMAIL]]
    sent = to_contact()[0]
    text = sent.subject + sent.body
    for secret in (jaakko.first_name, jaakko.last_name, jaakko.hetu):
        assert secret not in text
    assert timezone.localtime(FeedbackDiscussion.objects.get().scheduled_for).strftime(
        "%H.%M") == "09.30"
    assert "09.30" in sent.body and demo["typ_expert"].email in sent.body

    discussion = FeedbackDiscussion.objects.get()
    data["version"] = str(discussion.history.latest().history_id)
    assert save(client, meeting, data, django_capture_on_commit_callbacks).status_code == 302
    assert len(to_contact()) == 1  # the same time: not invited again
    assert no_email.pk  # listed nowhere, invited nowhere


def test_a_discussion_recorded_held_invites_nobody(
        client, demo, django_capture_on_commit_callbacks):
    meeting = jaakkos_meeting(demo)
    log_in(client, demo["typ_expert"])
    contact = add_contact(client, meeting.client)
    mail.outbox.clear()
    data = booking(demo, meeting, scheduled_for="", invite_contacts=[contact.pk],
                   held_on=timezone.localdate().isoformat(), reviewed="Tavoite sovittu",
                   version="0")
    assert save(client, meeting, data, django_capture_on_commit_callbacks).status_code == 302
    assert FeedbackDiscussion.objects.get().held_on == timezone.localdate()
    assert to_contact() == []


def test_a_contact_the_user_may_not_see_cannot_be_ticked(
        client, story, django_capture_on_commit_callbacks):
    """Employment services' contact of Tiina; Kela is on her team with a consent for identity
    and health only — not for social information."""
    users, tiina = story.users, story.tiina
    te = users["te_expert"]
    contact = add_support_contact(client=tiina, organisation=story.employment, by=te,
                                  name="Ruusa Verkostola", kind="support_person",
                                  email=CONTACT_EMAIL)
    kela = record_consent(client=tiina, by=users["nurse"], categories=["identity", "health"],
                          organisations=[story.kela], purpose="Kuntoutus", method="written",
                          valid_from=timezone.localdate())
    confirm_consent(consent=kela, organisation=story.employment, by=te)
    user = users["kela_expert"]
    log_in(client, user)
    url = reverse("plans:discussion_create", args=[tiina.pk])
    assert client.get(url).status_code == 200
    mail.outbox.clear()
    when = (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"holder": user.pk, "scheduled_for": when,
                                     "client_present": "on", "follows_own_affairs": "yes",
                                     "invite_contacts": [contact.pk], "version": "0"})
    assert response.status_code == 200
    assert response.context["form"].errors["invite_contacts"]
    assert not FeedbackDiscussion.objects.exists()
    assert to_contact() == []
    assert Client.objects.filter(pk=tiina.pk).exists()
