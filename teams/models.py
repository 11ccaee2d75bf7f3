"""
Municipalities, organisations and the people who work in them.

A user's role is not a property of the user but of their membership in an organisation: a
doctor may work for two organisations, and the access policy asks "which organisations is this
user a care worker in". Each role is also a Django group, so admins grant model permissions in
the Django admin (see teams/roles.py).
"""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Sector(models.TextChoices):
    """The service sectors that work on one client (DESIGN.md, "Who uses it")."""

    EMPLOYMENT = "employment", _("Employment services (TE / municipal)")
    HEALTH = "health", _("Health care")
    SOCIAL = "social", _("Social work")
    MENTAL_HEALTH = "mental_health", _("Mental health and substance services")
    KELA = "kela", _("Kela")
    TYP = "typ", _("TYP joint employment service")
    REHABILITATION = "rehabilitation", _("Rehabilitation")
    THIRD_SECTOR = "third_sector", _("Third sector")


class Role(models.TextChoices):
    """What a user does in an organisation; each is a Django group of the same name."""

    COORDINATOR = "coordinator", _("Coordinator")
    NURSE = "nurse", _("Nurse")
    DOCTOR = "doctor", _("Doctor")
    EMPLOYMENT_EXPERT = "employment_expert", _("Employment expert")
    KELA_EXPERT = "kela_expert", _("Kela expert")
    TYP_EXPERT = "typ_expert", _("TYP expert")
    SOCIAL_WORKER = "social_worker", _("Social worker")
    MENTAL_HEALTH_WORKER = "mental_health_worker", _("Mental-health and substance worker")
    ADMIN = "admin", _("Administrator")


# Roles that work with clients; the admin role manages the system but reads no client data.
CARE_ROLES = frozenset(Role) - {Role.ADMIN}


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
