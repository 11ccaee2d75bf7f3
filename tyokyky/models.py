"""
Rendered documents: a long PDF is a row that a worker fills in and the user who asked for it
downloads within a short time (tyokyky/documents.py). The public notices: the privacy notice and
the accessibility statement, one text per language, which the administrators keep up to date.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


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


# --- The public notices ----------------------------------------------------------------------


class NoticeKind(models.TextChoices):
    PRIVACY = "privacy", _("Privacy notice")
    ACCESSIBILITY = "accessibility", _("Accessibility statement")


class Notice(models.Model):
    """
    One public notice in one language: the privacy notice (GDPR articles 13 and 14) or the
    accessibility statement (Act 306/2019, section 15), shown without login from the footer of
    every page. The six rows (two kinds, three languages) come from a data migration
    (tyokyky/notice_texts.py); administrators edit their text, never add or delete them.

    The body is plain text, never HTML: blank lines separate paragraphs, a line starting with
    "## " is a heading, "### " a subheading and "- " an item of a list. The page escapes
    everything and turns only web and e-mail addresses into links (`blocks`).
    """

    kind = models.CharField(_("notice"), max_length=20, choices=NoticeKind.choices)
    language = models.CharField(_("language"), max_length=2, choices=settings.LANGUAGES)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(
        _("text"),
        help_text=_("Plain text. Separate paragraphs with a blank line. A line starting with "
                    "\"## \" is a heading, \"### \" a subheading and \"- \" a list item. "
                    "Web and e-mail addresses become links; HTML is shown as text."))
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["kind", "language"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "language"], name="one_notice_per_language"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.language})"

    def blocks(self) -> list[dict]:
        """The body as headings, paragraphs and lists, each still plain text for the template
        to escape: {"kind": "h2" | "h3" | "p" | "ul", "text": str, "items": [str]}."""
        blocks: list[dict] = []
        paragraph: list[str] = []
        items: list[str] = []

        def close():
            if paragraph:
                blocks.append({"kind": "p", "text": "\n".join(paragraph), "items": []})
                paragraph.clear()
            if items:
                blocks.append({"kind": "ul", "text": "", "items": list(items)})
                items.clear()

        for raw in self.body.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
            line = raw.strip()
            if not line:
                close()
            elif line.startswith(("## ", "### ")):
                close()
                level, text = line.split(" ", 1)
                blocks.append({"kind": f"h{len(level)}", "text": text.strip(), "items": []})
            elif line.startswith("- "):
                if paragraph:
                    close()
                items.append(line[2:].strip())
            elif items and raw[:1].isspace():
                items[-1] = f"{items[-1]} {line}"  # an item continued on an indented line
            else:
                if items:
                    close()
                paragraph.append(line)
        close()
        return blocks
