"""
The outbox: every e-mail that leaves Työkyky is first a row, written in the same transaction as
the change that causes it (tyokyky/outbox.py). Rows are the truth; the broker only nudges.

Rendered documents: a long PDF is a row that a worker fills in and the user who asked for it
downloads within a short time (tyokyky/documents.py).
"""

import uuid

from django.conf import settings
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


class DocumentState(models.TextChoices):
    PENDING = "pending", _("Being prepared")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class RenderedDocument(models.Model):
    """
    A PDF rendered in the background for the one user who asked for it, kept until
    `expires_at` and then deleted with its bytes. The id is random, as it stands in the
    download's URL; `object_id` and `shown` say what it is about and what it showed, for the
    access check and the access log when it is downloaded (tyokyky/documents.py).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+", verbose_name=_("asked by"))
    kind = models.CharField(_("document"), max_length=40)
    object_id = models.PositiveBigIntegerField()
    state = models.CharField(_("state"), max_length=10, choices=DocumentState.choices,
                             default=DocumentState.PENDING)
    content = models.BinaryField(blank=True, default=b"")
    shown = models.JSONField(default=dict, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # While a worker renders, its lease: after it another worker may take the document.
    claimed_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"))

    class Meta:
        verbose_name = _("rendered document")
        verbose_name_plural = _("rendered documents")
        indexes = [
            models.Index(fields=["expires_at"], name="document_expiry_idx"),
            models.Index(fields=["user", "kind", "object_id"],
                         condition=Q(state="pending"), name="document_waiting_idx"),
        ]

    def __str__(self):
        return f"{self.kind} {self.pk}"

    @property
    def phase(self) -> str:
        """How far it is, as the waiting page says it: waiting, rendering, done or failed."""
        if self.state != DocumentState.PENDING:
            return self.state
        rendering = self.claimed_until is not None and self.claimed_until > timezone.now()
        return "rendering" if rendering else "waiting"
