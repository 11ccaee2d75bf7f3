"""Notifications of what happens elsewhere (connected in WorkConfig.ready)."""

from django.db.models import Q
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone

from clients.signals import relationship_started
from consents.policy import team_case_managers
from consents.signals import ban_recorded
from teams.models import Membership

from . import outbox
from .models import Notification, ReminderKind


@receiver(relationship_started)
def tell_the_organisations_already_serving(sender, relationship, **kwargs):
    """
    Another organisation now serves the client: the people who work with the client in the
    organisations already serving — its case managers and own nurse there — find it on their
    bell, so that a relationship without a real basis is noticed. The notification names no
    one; the client page says which organisation, since when and on what basis.
    """
    client = relationship.client
    others = set(client.relationships.in_force().exclude(organisation=relationship.organisation)
                 .values_list("organisation_id", flat=True))
    people = set(team_case_managers().filter(
        client=client, organisation__in=others).values_list("user_id", flat=True))
    if client.own_nurse_id and Membership.objects.active().filter(
            user_id=client.own_nurse_id, organisation__in=others).exists():
        people.add(client.own_nurse_id)
    url = reverse("clients:detail", args=[client.pk])
    Notification.objects.bulk_create(
        Notification(user_id=user_id, kind=ReminderKind.NEW_ORGANISATION, client=client,
                     url=url, due_on=timezone.localdate())
        for user_id in sorted(people)
    )


@receiver(ban_recorded)
def withhold_waiting_mail(sender, ban, **kwargs):
    """An invitation still waiting in the outbox for someone of the banned organisation or
    sector is not sent either: it would tell them of the client's meeting."""
    banned = Membership.objects.filter(
        Q(organisation=ban.organisation) if ban.organisation_id
        else Q(organisation__sector=ban.sector))
    outbox.cancel_for_client(ban.client, to=banned.values("user__email"),
                             reason="disclosure ban")
