"""Sectors and roles: plain choices, importable by any app without importing models."""

from django.db import models
from django.utils.translation import gettext_lazy as _


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
    MANAGER = "manager", _("Leader")
    DATA_PROTECTION_OFFICER = "data_protection_officer", _("Data protection officer")


# Roles that work with clients. The admin role manages the system, the leader follows the
# numbers and the data protection officer reads the logs: none of them reads client data.
CARE_ROLES = frozenset(Role) - {Role.ADMIN, Role.MANAGER, Role.DATA_PROTECTION_OFFICER}
