"""Data categories and per-client access grants."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase


class DataCategory(models.TextChoices):
    """
    The kinds of client data that consents cover (DESIGN.md, "Consent and data categories").

    Every record about a client declares its category; the policy decides per category.
    """

    IDENTITY = "identity", _("Identity and contact details")
    EMPLOYMENT = "employment", _("Employment situation")
    HEALTH = "health", _("Health")
    SOCIAL = "social", _("Social situation")
    BENEFITS = "benefits", _("Benefits and rehabilitation")


class ClientUserObjectPermission(UserObjectPermissionBase):
    """A per-client grant to one user (guardian's direct foreign-key model, for speed)."""

    content_object = models.ForeignKey("clients.Client", on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("client permission of a user")
        verbose_name_plural = _("client permissions of users")


class ClientGroupObjectPermission(GroupObjectPermissionBase):
    """A per-client grant to a group, e.g. a whole team."""

    content_object = models.ForeignKey("clients.Client", on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = _("client permission of a group")
        verbose_name_plural = _("client permissions of groups")
