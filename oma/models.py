"""
What the client does in their own service and that staff act on.

Glossary: move request = siirtopyyntö (the client asks to move a booked time).
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class MoveKind(models.TextChoices):
    """The booked times a client may ask to move, each held by someone (oma/moving.py)."""

    MEETING = "meeting", _("Team meeting")
    DISCUSSION = "discussion", _("Feedback discussion")
    HEALTH_CHECK = "health_check", _("Health check")


class MoveRequest(models.Model):
    """
    The client asks to move a booked meeting, feedback discussion or health check: why, and
    which times would suit. The one who holds the time is told on their bell (no content of
    the request there) and books the new time as usual; one open request per time.
    """

    client = models.ForeignKey("clients.Client", on_delete=models.CASCADE,
                               related_name="move_requests", verbose_name=_("client"))
    kind = models.CharField(_("what"), max_length=20, choices=MoveKind.choices)
    object_id = models.BigIntegerField(_("which"))
    # The time as it was booked when the client asked.
    booked_for = models.DateTimeField(_("booked for"))
    reason = models.TextField(_("why"), max_length=1000)
    preferred_times = models.CharField(_("times that would suit"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("asked"), auto_now_add=True)
    handled_at = models.DateTimeField(_("handled"), null=True, blank=True)

    class Meta:
        verbose_name = _("request to move a time")
        verbose_name_plural = _("requests to move a time")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"],
                                    condition=Q(handled_at__isnull=True),
                                    name="one_open_move_request_per_time"),
        ]

    def __str__(self):
        return f"{self.kind}:{self.object_id}"
