"""
The administration log: every change to users, memberships, roles and second-factor devices,
written in the same transaction as the change, so there is no change without its row and no
row for a change that rolled back. Connected in TeamsConfig.ready.

Users, memberships, organisations, municipalities, teams, team members and the deadlines of
the service path are read from their
simple-history rows (which know who made the change);
a role's permissions, a user's groups and devices from Django's signals, with the acting user
that simple-history's middleware keeps for the request. A password or a device's key is never
written: only that it changed.
"""

from datetime import timedelta

from django.contrib.auth.models import Group
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from simple_history.models import HistoricalRecords
from simple_history.signals import post_create_historical_record

from .models import (
    AdministrationAction,
    AdministrationLogEntry,
    DeadlineSettings,
    Membership,
    Municipality,
    Organisation,
    OrganisationSignOn,
    SignOnDomain,
    SignOnIdentity,
    Team,
    TeamMember,
    User,
)

# Whose rights a change is about: an organisation's sector decides which consents and bans
# reach its staff, and a team's members are on its clients' teams.
LOGGED = {User: "pk", Membership: "user_id", TeamMember: "user_id", Organisation: None,
          Municipality: None, Team: None, DeadlineSettings: None,
          # Who may log in through an organisation's own provider, and as whom.
          OrganisationSignOn: None, SignOnDomain: None, SignOnIdentity: "user_id"}

HIDDEN = "•••"
SECRET_FIELDS = {"password"}
# Saved at every login: not a change of anyone's rights.
NOISE_FIELDS = {"last_login"}
HISTORY_ACTIONS = {"+": AdministrationAction.CREATED, "~": AdministrationAction.CHANGED,
                   "-": AdministrationAction.DELETED}


def record(*, action, obj, target_user_id=None, changes=None, actor=None) -> None:
    AdministrationLogEntry.objects.create(
        actor=actor if actor is not None else acting_user(),
        action=action, subject=obj._meta.model_name, object_id=str(obj.pk),
        target_user_id=target_user_id, label=str(obj)[:300], changes=changes or {},
    )


def acting_user():
    """The person whose request this is, or None for a command, a task or a migration."""
    request = getattr(HistoricalRecords.context, "request", None)
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def _plain(value):
    return value if value is None or isinstance(value, (bool, int, str)) else str(value)


def _field_changes(history, previous) -> dict:
    changes = {}
    for field in history.instance_type._meta.concrete_fields:
        name = field.attname
        before = getattr(previous, name, None) if previous is not None else None
        after = getattr(history, name, None) if history.history_type != "-" else None
        if before == after or (previous is None and after in (None, "")):
            continue
        if name in SECRET_FIELDS:
            changes[name] = [HIDDEN if before else None, HIDDEN if after else None]
        else:
            changes[name] = [_plain(before), _plain(after)]
    return changes


def history_written(sender, instance, history_instance, **kwargs):
    """A user, membership, organisation or team saved or deleted: its fields before → after."""
    if type(instance) not in LOGGED:
        return
    whose = LOGGED[type(instance)]
    previous = history_instance.prev_record if history_instance.history_type != "+" else None
    changes = _field_changes(history_instance, previous)
    if history_instance.history_type == "~" and not set(changes) - NOISE_FIELDS:
        return
    AdministrationLogEntry.objects.create(
        actor_id=history_instance.history_user_id or getattr(acting_user(), "pk", None),
        action=HISTORY_ACTIONS[history_instance.history_type],
        subject=instance._meta.model_name, object_id=str(instance.pk),
        target_user_id=getattr(instance, whose) if whose else None,
        organisation_id=_organisation_of(instance),
        label=str(instance)[:300], changes=changes,
    )


def _organisation_of(instance):
    if isinstance(instance, Organisation):
        return instance.pk
    return getattr(instance, "organisation_id", None)


def _names(model, pks) -> list[str]:
    if model is Group:
        return sorted(Group.objects.filter(pk__in=pks).values_list("name", flat=True))
    return sorted(f"{app}.{codename}" for app, codename in model.objects.filter(
        pk__in=pks).values_list("content_type__app_label", "codename"))


def _m2m_changed(field, sender, instance, action, reverse, model, pk_set, **kwargs):
    """Groups of a user, or permissions of a role: who got or lost which, one row each."""
    if action not in ("post_add", "post_remove") or not pk_set:
        return
    owners = [instance] if not reverse else list(
        (User if field == "groups" else Group).objects.filter(pk__in=pk_set))
    for owner in owners:
        moved = pk_set if not reverse else {instance.pk}
        moved_model = model if not reverse else type(instance)
        now = set(getattr(owner, field).values_list("pk", flat=True))
        before = now - moved if action == "post_add" else now | moved
        record(action=AdministrationAction.CHANGED, obj=owner,
               target_user_id=owner.pk if isinstance(owner, User) else None,
               changes={field: [_names(moved_model, before), _names(moved_model, now)]})


def groups_changed(sender, **kwargs):
    _m2m_changed("groups", sender, **kwargs)


def permissions_changed(sender, **kwargs):
    _m2m_changed("permissions", sender, **kwargs)


def device_confirming(sender, instance, **kwargs):
    """Remember whether a device was confirmed: a device saves its counters at every code."""
    instance._was_confirmed = None if instance._state.adding else sender.objects.filter(
        pk=instance.pk).values_list("confirmed", flat=True).first()


def device_saved(sender, instance, created, **kwargs):
    was = getattr(instance, "_was_confirmed", None)
    if not created and was == instance.confirmed:
        return
    record(action=AdministrationAction.CREATED if created else AdministrationAction.CHANGED,
           obj=instance, target_user_id=instance.user_id,
           changes={"confirmed": [was, instance.confirmed]})


def device_deleted(sender, instance, **kwargs):
    record(action=AdministrationAction.DELETED, obj=instance, target_user_id=instance.user_id,
           changes={"confirmed": [instance.confirmed, None]})


def connect():
    post_create_historical_record.connect(history_written, dispatch_uid="teams.admin_log")
    m2m_changed.connect(groups_changed, sender=User.groups.through,
                        dispatch_uid="teams.admin_log.groups")
    m2m_changed.connect(permissions_changed, sender=Group.permissions.through,
                        dispatch_uid="teams.admin_log.permissions")
    for device in (TOTPDevice, StaticDevice):
        pre_save.connect(device_confirming, sender=device, dispatch_uid=f"admin_log.{device}")
        post_save.connect(device_saved, sender=device, dispatch_uid=f"admin_log.{device}")
        post_delete.connect(device_deleted, sender=device, dispatch_uid=f"admin_log.{device}")


# An address an administrator changed opens nothing by itself for a while: that administrator
# sends it no password link (teams/admin.py), and no organisation's sign-on links an identity
# to it (teams/sso.py) — nobody takes over an account alone by putting their own address on it.
ADDRESS_COOLING = timedelta(days=7)


def address_changed_recently(user, *, by=None) -> bool:
    """An administrator (`by`, or anyone) changed the user's e-mail address within the
    cooling period."""
    changes = AdministrationLogEntry.objects.filter(
        target_user=user, subject="user", action=AdministrationAction.CHANGED,
        changes__has_key="email", at__gte=timezone.now() - ADDRESS_COOLING)
    if by is not None:
        changes = changes.filter(actor=by)
    return changes.exists()
