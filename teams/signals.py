import logging

from axes.helpers import get_client_ip_address
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal, receiver

from .models import Membership, Organisation
from .roles import sync_user_roles

# An administrator asked that a user set their password through a link (teams/admin.py). The
# work room e-mails the link through the outbox, in the same transaction. Argument: user.
password_link_requested = Signal()


@receiver([post_save, post_delete], sender=Membership)
def membership_changed(sender, instance, **kwargs):
    # On a cascade from deleting the user there is no one left to update.
    user = get_user_model().objects.filter(pk=instance.user_id).first()
    if user is not None:
        sync_user_roles(user)


@receiver(post_save, sender=Organisation)
def organisation_changed(sender, instance, **kwargs):
    for user in get_user_model().objects.filter(memberships__organisation=instance).distinct():
        sync_user_roles(user)


# Authentication events for the security log: ids and addresses, never names or passwords.
security_log = logging.getLogger("tyokyky.security")


@receiver(user_logged_in)
def logged_in(sender, request, user, **kwargs):
    security_log.info("login user=%s ip=%s", user.pk, _address(request))


@receiver(user_logged_out)
def logged_out(sender, request, user, **kwargs):
    security_log.info("logout user=%s", getattr(user, "pk", None))


@receiver(user_login_failed)
def login_failed(sender, credentials, request=None, **kwargs):
    security_log.warning("login failed ip=%s", _address(request))


def _address(request) -> str:
    return get_client_ip_address(request) if request is not None else "-"
