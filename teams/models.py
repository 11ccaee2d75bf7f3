"""
The staff directory: municipalities, organisations and the people who work in them, and the
work-ability support teams they form. The teams' meetings are the meetings app's.

A user's role is not a property of the user but of their membership in an organisation: a
doctor may work for two organisations, and the access policy asks "which organisations is this
user a care worker in". Each role is also a Django group, so admins grant model permissions in
the Django admin (see teams/roles.py).
"""

from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Coalesce, Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tyokyky.append_only import AppendOnlyModel

from .choices import CARE_ROLES, Role, Sector

__all__ = [
    "CARE_ROLES",
    "AdministrationAction",
    "AdministrationLogEntry",
    "DeadlineSettings",
    "Membership",
    "Municipality",
    "Organisation",
    "OrganisationSignOn",
    "Role",
    "Sector",
    "SignOnDomain",
    "SignOnIdentity",
    "Team",
    "TeamMember",
    "User",
]


class User(AbstractUser):
    """A staff member who logs in. What they may do comes from their memberships."""

    language = models.CharField(
        _("language"), max_length=2, choices=settings.LANGUAGES, default="fi",
        help_text=_("E-mails and reminders are sent in this language."),
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["last_name", "first_name", "username"]
        constraints = [
            # One person, one account: a second account on one's own address would be a way
            # round the separated duties (an administrator's own care role).
            models.UniqueConstraint(
                Lower("email"), condition=~models.Q(email=""), name="user_email_unique",
                violation_error_message=_("Another user already has this e-mail address.")),
        ]

    def __str__(self):
        return self.get_full_name() or self.username


class Municipality(models.Model):
    """A municipality (kunta). Data, not code: admins add the ones their county serves."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    code = models.CharField(
        _("municipality code"), max_length=3, unique=True,
        help_text=_("Statistics Finland's three-digit code, e.g. 205 for Kajaani."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Organisation(models.Model):
    """An organisation whose staff serve clients: a health centre, employment services, Kela…"""

    name = models.CharField(_("name"), max_length=200, unique=True)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    municipalities = models.ManyToManyField(
        Municipality, verbose_name=_("municipalities served"), related_name="organisations",
        blank=True,
    )
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords(m2m_fields=[municipalities])

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self):
        return self.name


class MembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True, organisation__is_active=True, user__is_active=True)

    def care(self):
        return self.filter(role__in=CARE_ROLES)


class Membership(models.Model):
    """A user working in an organisation in one role."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships",
        verbose_name=_("user"),
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="memberships",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = MembershipQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["organisation__name", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="unique_membership_role"
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.organisation} ({self.get_role_display()})"


class Team(models.Model):
    """
    A work-ability support team (työkyvyn tuen tiimi) of a municipality or an area: its
    coordinators, its standing members and the experts it can call to a meeting.
    """

    name = models.CharField(_("name"), max_length=200, unique=True)
    municipalities = models.ManyToManyField(
        Municipality, related_name="teams", verbose_name=_("municipalities")
    )
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords(m2m_fields=[municipalities])

    class Meta:
        verbose_name = _("work-ability support team")
        verbose_name_plural = _("work-ability support teams")
        ordering = ["name"]

    def __str__(self):
        return self.name


def _days_field(label, maximum, help_text):
    return models.PositiveSmallIntegerField(
        label, null=True, blank=True, help_text=help_text,
        validators=[MinValueValidator(1, _("Give a positive number.")),
                    MaxValueValidator(maximum, _("At most %(limit_value)s."))])


def _all_positive(*names) -> Q:
    condition = Q()
    for name in names:
        condition &= Q(**{f"{name}__isnull": True}) | Q(**{f"{name}__gte": 1})
    return condition


class DeadlineSettings(models.Model):
    """
    The deadlines of the service path for the whole county (the row without a team) or for one
    team, which then holds for the clients of the municipalities the team serves. An empty
    field follows the county's row, an empty one there the defaults of teams/deadlines.py — the
    one module that knows the numbers and how they combine. Days to act are working days;
    the consent warning is calendar days, the check interval months.
    """

    team = models.ForeignKey(Team, on_delete=models.CASCADE, null=True, blank=True,
                             related_name="deadline_settings", verbose_name=_("team"),
                             help_text=_("Empty: the whole county, the default of every team."))
    booking_working_days = _days_field(
        _("booking the health check, working days"), 60,
        _("Working days from sending a referral to booking its health check."))
    urgent_booking_working_days = _days_field(
        _("booking an urgent health check, working days"), 20,
        _("Working days from sending an urgent referral to booking its health check."))
    feedback_working_days = _days_field(
        _("feedback after the health check, working days"), 60,
        _("Working days from the health check to the feedback reaching the referrer."))
    discussion_working_days = _days_field(
        _("feedback discussion after a team meeting, working days"), 60,
        _("Working days from the team meeting to the feedback discussion, held or booked."))
    action_overdue_working_days = _days_field(
        _("plan action overdue, working days"), 60,
        _("Working days after an open plan action's date before it is overdue."))
    consent_warning_days = _days_field(
        _("warning before a consent ends, calendar days"), 365,
        _("Calendar days before the last day of a consent when the warning comes."))
    check_interval_months = _days_field(
        _("interval of health checks, months"), 60,
        _("Months from an unemployed health check to the next one."))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("deadlines")
        verbose_name_plural = _("deadlines")
        ordering = [models.F("team__name").asc(nulls_first=True)]
        constraints = [
            # One row for the county (team empty) and at most one per team.
            models.UniqueConstraint(Coalesce("team", Value(0)), name="one_deadline_row_per_team",
                                    violation_error_message=_(
                                        "These deadlines already have their own row.")),
            # No deadline of zero days, even past the form.
            models.CheckConstraint(condition=_all_positive(
                "booking_working_days", "urgent_booking_working_days", "feedback_working_days",
                "discussion_working_days", "action_overdue_working_days",
                "consent_warning_days", "check_interval_months"),
                name="deadlines_are_positive"),
        ]

    def __str__(self):
        return str(_("Deadlines: %(whose)s") % {"whose": self.team or _("the whole county")})


class TeamMemberKind(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    STANDING = "standing", _("Standing member")
    EXPERT = "expert", _("Expert called when needed")


class TeamMember(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="members",
                             verbose_name=_("team"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="team_memberships", verbose_name=_("person"))
    kind = models.CharField(_("in the team as"), max_length=20, choices=TeamMemberKind.choices)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        ordering = ["kind", "user__last_name"]
        constraints = [
            models.UniqueConstraint(fields=["team", "user"], name="unique_team_member"),
        ]

    def __str__(self):
        return f"{self.user} ({self.get_kind_display()})"


def care_staff():
    """Users who work with clients: the people who can be case managers."""
    return (
        User.objects.filter(
            memberships__role__in=CARE_ROLES, memberships__is_active=True, is_active=True
        )
        .distinct()
        .order_by("last_name", "first_name")
    )


class AdministrationAction(models.TextChoices):
    CREATED = "created", _("Created")
    CHANGED = "changed", _("Changed")
    DELETED = "deleted", _("Deleted")
    PASSWORD_RESET_SENT = "password_reset_sent", _("Password reset link sent")


class AdministrationLogEntry(AppendOnlyModel):
    """
    One change to who may do what: a user, a membership, a role's permissions, a user's groups
    or a second-factor device, with who made it and each field before → after. Read by the
    data protection officer, whose watch it is that administrators do only their part.
    """

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    # Null: a management command or a migration, not a person in the app. No database
    # constraint on either person: the log outlives a deleted user and never blocks the delete.
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, null=True,
                              db_constraint=False, related_name="+",
                              verbose_name=_("changed by"))
    action = models.CharField(_("what"), max_length=30, choices=AdministrationAction.choices)
    subject = models.CharField(_("object type"), max_length=60)
    object_id = models.CharField(_("object"), max_length=64)
    # Whose rights changed, for searching by person: the user, or the membership's user.
    target_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING,
                                    null=True, db_constraint=False, related_name="+",
                                    verbose_name=_("concerning"))
    # Whose directory it is, where the object has one: a membership's or an organisation's own.
    # The officer of that organisation sees the row even after the membership has ended.
    organisation = models.ForeignKey("teams.Organisation", on_delete=models.DO_NOTHING,
                                     null=True, db_constraint=False, related_name="+",
                                     verbose_name=_("organisation"))
    label = models.CharField(_("object"), max_length=300)
    changes = models.JSONField(_("changes"), default=dict)

    class Meta:
        verbose_name = _("administration log entry")
        verbose_name_plural = _("administration log")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["target_user", "-at"], name="admin_log_target_idx"),
                   models.Index(fields=["actor", "-at"], name="admin_log_actor_idx")]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()} {self.label}"


# A key file's name: letters, digits, dots, dashes and underscores, never a path of its own.
key_file_name = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$",
    _("Give only the file's name (letters, digits, . - _), not a path."))
email_domain = RegexValidator(
    r"^(?=.{1,253}$)([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z]{2,63}$",
    _("Give a domain like hyvinvointialue.fi, without @."))


class OrganisationSignOn(models.Model):
    """
    An organisation's own identity provider (e.g. Entra ID) for its staff's single sign-on
    through OpenID Connect (teams/sso.py). Optional: without one, or disabled, the staff log in
    with a password and TOTP. The provider maps to existing users only; it never creates one.

    Our private key for `private_key_jwt` is a file in settings.STAFF_SSO_KEY_DIR named here,
    never the key itself: the database and its backups hold no secret, and an administrator
    cannot point us at another key on the server (such as the Suomi.fi one).
    """

    class MatchClaim(models.TextChoices):
        EMAIL = "email", _("e-mail (email)")
        PREFERRED_USERNAME = "preferred_username", _(
            "user name (preferred_username, e.g. Entra ID's UPN)")

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="sign_on",
        verbose_name=_("organisation"))
    is_enabled = models.BooleanField(_("in use"), default=False)
    issuer = models.URLField(
        _("issuer"), max_length=300,
        help_text=_("The provider's issuer, e.g. "
                    "https://login.microsoftonline.com/<tenant id>/v2.0"))
    client_id = models.CharField(
        _("client id"), max_length=200,
        help_text=_("Our application's id at the provider (Entra ID: Application (client) ID)."))
    private_key_file = models.CharField(
        _("private key file"), max_length=100, validators=[key_file_name],
        help_text=_("The name of our private key's file in the server's key directory "
                    "(STAFF_SSO_KEY_DIR). The provider holds its public half or certificate."))
    discovery_url = models.URLField(
        _("metadata address"), max_length=300, blank=True,
        help_text=_("Empty: the issuer's /.well-known/openid-configuration."))
    match_claim = models.CharField(
        _("claim matched to the user's e-mail"), max_length=30, choices=MatchClaim.choices,
        default=MatchClaim.EMAIL,
        help_text=_("On the first login the user is found by this claim; after that by the "
                    "provider's identifier (sub), so a changed address does not matter."))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("single sign-on")
        verbose_name_plural = _("single sign-ons")
        ordering = ["organisation__name"]

    def __str__(self):
        return str(_("Single sign-on: %(organisation)s") % {"organisation": self.organisation})

    def clean(self):
        """A provider in use needs our key on this server: say so here, not at a login."""
        if self.is_enabled and self.private_key_file:
            try:
                present = self.key_path().is_file()
            except ValueError:
                present = False
            if not present:
                raise ValidationError({"private_key_file": _(
                    "There is no such file in the key directory %(directory)s.") % {
                    "directory": settings.STAFF_SSO_KEY_DIR}})

    def key_path(self):
        """The key file, inside the key directory whatever the name says."""
        directory = Path(settings.STAFF_SSO_KEY_DIR).resolve()
        path = (directory / self.private_key_file).resolve()
        if path.parent != directory:
            raise ValueError("key file outside the key directory")
        return path


class SignOnDomain(models.Model):
    """An e-mail domain whose people log in through this provider: the login page finds the
    provider by the address the person types. One domain, one provider."""

    sign_on = models.ForeignKey(OrganisationSignOn, on_delete=models.CASCADE,
                                related_name="domains", verbose_name=_("single sign-on"))
    domain = models.CharField(_("e-mail domain"), max_length=253, validators=[email_domain])

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("e-mail domain")
        verbose_name_plural = _("e-mail domains")
        ordering = ["domain"]
        constraints = [
            models.UniqueConstraint(Lower("domain"), name="sign_on_domain_unique",
                                    violation_error_message=_(
                                        "Another organisation's sign-on already has this domain.")),
        ]

    def __str__(self):
        return self.domain

    def save(self, *args, **kwargs):
        self.domain = self.domain.strip().lower()
        super().save(*args, **kwargs)

    @property
    def organisation_id(self):
        """Whose directory the row is in, for the administration log."""
        return OrganisationSignOn.objects.filter(pk=self.sign_on_id).values_list(
            "organisation_id", flat=True).first()


class SignOnIdentity(models.Model):
    """
    A user's identity at a provider (issuer + sub), linked on their first single sign-on: later
    logins find the user by it, not by the e-mail claim, so a changed address does not matter and
    a reused address does not move the account to someone else.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="sign_on_identities", verbose_name=_("user"))
    issuer = models.CharField(_("issuer"), max_length=300)
    subject = models.CharField(_("identifier at the provider (sub)"), max_length=255)
    linked_at = models.DateTimeField(_("linked"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used"), default=timezone.now)

    history = HistoricalRecords(excluded_fields=["last_used_at"])

    class Meta:
        verbose_name = _("sign-on identity")
        verbose_name_plural = _("sign-on identities")
        ordering = ["issuer", "subject"]
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="one_user_per_identity"),
        ]

    def __str__(self):
        return f"{self.user} @ {self.issuer}"
