"""
Reminders and notifications: what falls due is kept as rows, so each reminder goes out once.

The tables keep the names they had in the plans app (`plans_reminder`, `plans_notification`):
the move changed where the code lives, not the data (migration 0001).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ReminderKind(models.TextChoices):
    FEEDBACK_DISCUSSION = "feedback_discussion", _("A feedback discussion is due")
    ACTION = "action", _("A plan action is due")
    FOLLOW_UP = "follow_up", _("A follow-up date has come")
    HEALTH_CHECK = "health_check", _("The unemployed health check is due")
    REFERRAL_FEEDBACK = "referral_feedback", _("A referral is waiting for feedback")
    CONSENT_EXPIRING = "consent_expiring", _("A consent is about to expire")
    NEW_ORGANISATION = "new_organisation", _("Another organisation now serves your client")


class ReminderStage(models.TextChoices):
    DUE = "due", _("due")
    OVERDUE = "overdue", _("overdue")


class ReminderState(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENT = "sent", _("Sent")
    CANCELLED = "cancelled", _("Cancelled: the client was closed")


class Reminder(models.Model):
    """
    Something due, kept as a row: the idempotency key (kind, the object it is about, stage,
    the person) is unique, so each reminder is sent once however many times the sweep runs,
    whichever worker claims it, and however often beat restarts. Not a countdown in the broker.
    """

    kind = models.CharField(max_length=30, choices=ReminderKind.choices)
    object_id = models.BigIntegerField()
    stage = models.CharField(max_length=10, choices=ReminderStage.choices,
                             default=ReminderStage.DUE)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="reminders")
    client = models.ForeignKey("clients.Client", on_delete=models.CASCADE, related_name="+")
    due_on = models.DateField()
    url = models.CharField(max_length=200)
    state = models.CharField(max_length=10, choices=ReminderState.choices,
                             default=ReminderState.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "plans_reminder"
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id", "stage", "user"],
                                    name="reminder_sent_once"),
        ]
        indexes = [
            models.Index(fields=["created_at"], condition=Q(state="pending"),
                         name="pending_reminder_idx"),
        ]

    def __str__(self):
        return f"{self.kind}:{self.object_id}:{self.stage}"


class Notification(models.Model):
    """An in-app notification behind the bell: what, which client, where to go, read or not."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="notifications")
    kind = models.CharField(max_length=30, choices=ReminderKind.choices)
    stage = models.CharField(max_length=10, choices=ReminderStage.choices,
                             default=ReminderStage.DUE)
    client = models.ForeignKey("clients.Client", on_delete=models.CASCADE, related_name="+")
    url = models.CharField(max_length=200)
    due_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "plans_notification"
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="notification_user_idx"),
            models.Index(fields=["user"], condition=Q(read_at__isnull=True),
                         name="unread_notification_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.due_on}"
