"""
The outbox: every e-mail that leaves Työkyky is first a row, written in the same transaction as
the change that causes it (tyokyky/outbox.py). Rows are the truth; the broker only nudges.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class MessageState(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENT = "sent", _("Sent")
    PARKED = "parked", _("Not delivered")
    CANCELLED = "cancelled", _("Cancelled")


class OutboxMessage(models.Model):
    """One e-mail to one recipient, with its delivery attempts."""

    to = models.EmailField(_("recipient"), max_length=254)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("message"))
    attachment_name = models.CharField(max_length=100, blank=True)
    attachment_type = models.CharField(max_length=100, blank=True)
    attachment = models.BinaryField(blank=True, default=b"")
    # What it is about, so that closing the client cancels what is still waiting.
    client = models.ForeignKey("clients.Client", on_delete=models.CASCADE, null=True,
                               blank=True, related_name="+")
    state = models.CharField(_("state"), max_length=10, choices=MessageState.choices,
                             default=MessageState.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # The next try; while a worker is sending, its lease: another takes it only after.
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_error = models.CharField(_("reason"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        indexes = [
            models.Index(fields=["next_attempt_at"], condition=Q(state="pending"),
                         name="outbox_waiting_idx"),
            models.Index(fields=["client"], condition=Q(state="pending"),
                         name="outbox_client_waiting_idx"),
        ]

    def __str__(self):
        return f"{self.to}: {self.subject}"

    @property
    def message_id(self) -> str:
        """Stable across attempts, so that a mail client can recognise a repeat."""
        return f"<outbox-{self.pk}@tyokyky>"
