"""Notifications and e-mails of what happens elsewhere (connected in WorkConfig.ready)."""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.db.models import Q
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.plugins.otp_totp.models import TOTPDevice

from clients.signals import relationship_started
from consents.policy import team_case_managers
from consents.signals import ban_recorded
from teams.models import Membership, User
from teams.signals import password_link_requested
from tyokyky.urls_absolute import absolute

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


@receiver(post_delete, sender=TOTPDevice)
def tell_of_a_reset_second_factor(sender, instance, **kwargs):
    """A confirmed authenticator is removed only by an administrator resetting it (a user
    never removes their own): its owner must set it up again at the next login and is told by
    e-mail, in the same transaction, so that a reset nobody asked for is noticed."""
    user = User.objects.filter(pk=instance.user_id, is_active=True).exclude(email="").first()
    if not instance.confirmed or user is None:
        return
    with translation.override(user.language):
        notice = outbox.from_templates("work/email/second_factor_reset",
                                       {"url": absolute(reverse("login"))}, to=user.email)
    outbox.enqueue([notice])


@receiver(password_link_requested)
def send_password_link(sender, user, **kwargs):
    """The link with which a user sets their own password: an administrator never sets one.
    The token is Django's, so it stops working once used, once the e-mail address changes
    and after PASSWORD_RESET_TIMEOUT."""
    url = absolute(reverse("password_reset_confirm", kwargs={
        "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
    }))
    with translation.override(user.language):
        link = outbox.from_templates("work/email/password_link", {
            "url": url, "days": settings.PASSWORD_RESET_TIMEOUT // (24 * 3600),
            "new": not user.has_usable_password()}, to=user.email)
    outbox.enqueue([link])


@receiver(pre_save, sender=User)
def remember_the_address(sender, instance, update_fields=None, **kwargs):
    unchanged = update_fields is not None and "email" not in update_fields  # a login, say
    instance._address_before = None if instance._state.adding or unchanged else (
        User.objects.filter(pk=instance.pk).values_list("email", flat=True).first())


@receiver(post_save, sender=User)
def tell_the_old_address(sender, instance, created, **kwargs):
    """A changed e-mail address is told to the old one: an administrator who put their own
    address there could otherwise send themself the person's password link unnoticed."""
    before = getattr(instance, "_address_before", None)
    if created or not before or before.lower() == instance.email.lower():
        return
    with translation.override(instance.language):
        notice = outbox.from_templates("work/email/address_changed",
                                       {"url": absolute(reverse("login"))}, to=before)
    outbox.enqueue([notice])
