"""
The kinds of client data, and the base of every record about a client. Each record declares
its kind, and the access policy (consents.policy) decides by it who sees the record.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DataCategory(models.TextChoices):
    """
    The kinds of client data that consents cover. Every record about a client declares one.
    """

    IDENTITY = "identity", _("Identity and contact details")
    EMPLOYMENT = "employment", _("Employment situation")
    HEALTH = "health", _("Health")
    SOCIAL = "social", _("Social situation")
    BENEFITS = "benefits", _("Benefits and rehabilitation")


class ClientRecord(models.Model):
    """
    Base of every piece of client data: whose client, which organisation wrote it, and who.

    A subclass declares its data category either as the class constant CATEGORY (a health check
    is always health data) or as a `category` field (a note can be of any category). A record
    sent to another organisation (feedback to the referrer) names the field of that organisation
    in ADDRESSED_TO: the recipient sees it too, as the disclosure logged when it was sent. A
    record some people see by taking part (a meeting) says so in `shared_with`. The access
    policy filters records through `consents.policy.visible_records`.
    """

    CATEGORY: DataCategory | None = None
    ADDRESSED_TO: str | None = None

    client = models.ForeignKey(
        "clients.Client", on_delete=models.PROTECT, verbose_name=_("client")
    )
    organisation = models.ForeignKey(
        "teams.Organisation", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("written by organisation"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("written by"),
    )
    created_at = models.DateTimeField(_("written"), default=timezone.now)

    class Meta:
        abstract = True

    @classmethod
    def shared_with(cls, user_id):
        """Who else sees the record whatever its category (meeting participants), as a Q."""
        return None
