"""
Roles as Django groups.

Each Role has a group of the same name holding the model permissions below; a user belongs to the
groups of their active memberships (kept in step by teams/signals.py). Administrators see the
groups but do not change them (separated duties); a superuser may. These defaults are put back
on every migrate, so a release that needs a new permission only lists it here.
"""

from django.contrib.auth.models import Group, Permission

from .models import CARE_ROLES, Membership, Role

CARE_PERMISSIONS = [
    "clients.view_client",
    "clients.add_client",
    "clients.change_client",
    "clients.add_situationnote",
    # The employment situation and the support network (issue 16), each organisation its own.
    "clients.add_employmentsituation",
    "clients.change_employmentsituation",
    "clients.add_supportcontact",
    "clients.change_supportcontact",
    "clients.delete_supportcontact",
    "consents.view_consent",
    "consents.add_consent",
    "consents.change_consent",
    "consents.add_consentconfirmation",
    "consents.add_disclosureban",
    "consents.change_disclosureban",
    "consents.view_accesslogentry",
    "consents.add_clientuserobjectpermission",
    "consents.delete_clientuserobjectpermission",
    "referrals.add_referral",
    "referrals.view_referral",
    "meetings.view_meeting",
    "plans.view_supportplan",
    "plans.add_supportplan",
    "plans.change_supportplan",
    "plans.add_feedbackdiscussion",
    "plans.change_feedbackdiscussion",
]

# The health check's side of the referral loop, and the doctor's assessment.
HEALTH_CHECK_PERMISSIONS = [
    "referrals.handle_referral",
    "referrals.add_healthcheck",
    "referrals.change_healthcheck",
    "referrals.add_feedback",
]

ADMIN_PERMISSIONS = [
    f"{app}.{action}_{model}"
    for app, model in [
        ("teams", "municipality"),
        ("teams", "organisation"),
        ("teams", "membership"),
        ("teams", "user"),
        ("teams", "team"),
        ("teams", "teammember"),
        # The deadlines of the service path, the county's and a team's (teams/deadlines.py).
        ("teams", "deadlinesettings"),
        ("meetings", "room"),
        ("retention", "retentionperiod"),
    ]
    for action in ("view", "add", "change")
] + [
    # Deleting a controller's own period puts the default back (retention/defaults.py).
    "retention.delete_retentionperiod",
    "teams.delete_membership",
    # Deleting a team's own deadlines puts the county's back.
    "teams.delete_deadlinesettings",
    # Undelivered e-mail, with the server's reason, and sending it again (work/admin.py).
    "work.view_outboxmessage",
    "work.change_outboxmessage",
    # The privacy notice and the accessibility statement, edited, never added or deleted.
    "tyokyky.view_notice",
    "tyokyky.change_notice",
    # A role's permissions are code (below), not an administrator's to widen: the admin role
    # could otherwise give itself what the leader or the officer may do.
    "auth.view_group",
    "auth.view_permission",
    # Resetting a lost second factor: deleting the person's devices makes them enrol again.
    "otp_totp.view_totpdevice",
    "otp_totp.delete_totpdevice",
    "otp_static.view_staticdevice",
    "otp_static.delete_staticdevice",
]

ROLE_PERMISSIONS: dict[Role, list[str]] = {
    **{role: CARE_PERMISSIONS for role in CARE_ROLES},
    Role.NURSE: [*CARE_PERMISSIONS, *HEALTH_CHECK_PERMISSIONS],
    Role.COORDINATOR: [*CARE_PERMISSIONS, "referrals.handle_referral", "meetings.book_meeting",
                       "meetings.change_meeting", "meetings.add_meetingdecision",
                       "meetings.change_meetingdecision", "plans.view_dashboard"],
    Role.DOCTOR: [*CARE_PERMISSIONS, *HEALTH_CHECK_PERMISSIONS,
                  "referrals.add_doctorassessment", "referrals.change_doctorassessment"],
    Role.ADMIN: ADMIN_PERMISSIONS,
    Role.MANAGER: ["plans.view_dashboard", "retention.approve_destruction"],
    # Reads the logs, never client data (oversight/).
    Role.DATA_PROTECTION_OFFICER: ["oversight.view_logs"],
}


def _permissions(names: list[str]) -> list[Permission]:
    wanted = {tuple(name.split(".")) for name in names}
    candidates = Permission.objects.filter(
        codename__in=[codename for _app, codename in wanted]
    ).select_related("content_type")
    return [p for p in candidates if (p.content_type.app_label, p.codename) in wanted]


# Taken back from a role that once had them.
REVOKED: dict[Role, list[str]] = {Role.ADMIN: ["auth.change_group"]}


def ensure_role_groups(using="default", **kwargs):
    """post_migrate: one group per role with at least its default permissions."""
    for role, names in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.using(using).get_or_create(name=role.value)
        group.permissions.add(*_permissions(names))
        group.permissions.remove(*_permissions(REVOKED.get(role, [])))


def sync_user_roles(user) -> None:
    """Put the user in the groups of their active roles, and staff status with the admin role."""
    roles = set(Membership.objects.active().filter(user=user).values_list("role", flat=True))
    other_groups = list(user.groups.exclude(name__in=Role.values))
    user.groups.set([*other_groups, *Group.objects.filter(name__in=roles)])
    is_staff = Role.ADMIN in roles or user.is_superuser
    if user.is_staff != is_staff:
        user.is_staff = is_staff
        user.save(update_fields=["is_staff"])
