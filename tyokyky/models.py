"""
Rendered documents: a long PDF is a row that a worker fills in and the user who asked for it
downloads within a short time (tyokyky/documents.py).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


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
