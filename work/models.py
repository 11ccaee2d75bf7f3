"""
Reminders, notifications and the outbox: what falls due, and every e-mail that leaves Työkyky,
is first a row, written in the same transaction as the change that causes it (work/outbox.py).
Rows are the truth; the broker only nudges.

The tables keep the names they had before the rooms moved (`plans_reminder`,
`plans_notification`, `tyokyky_outboxmessage`): the moves changed where the code lives, not the
data (migrations 0001 and 0002).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ReminderKind(models.TextChoices):
    FEEDBACK_DISCUSSION = "feedback_discussion", _("A feedback discussion is due")
    ACTION = "action", _("A plan action is due")
    FOLLOW_UP = "follow_up", _("A follow-up date has come")
    HEALTH_CHECK = "health_check", _("The unemployed health check is due")
    REFERRAL_FEEDBACK = "referral_feedback", _("A referral is waiting for feedback")
    CONSENT_EXPIRING = "consent_expiring", _("A consent is about to expire")
    NEW_ORGANISATION = "new_organisation", _("Another organisation now serves your client")
    REBOOK_MEETING = "rebook_meeting", _("The client did not arrive: book a new meeting")
    DOCTOR_ASSESSMENT = "doctor_assessment", _("A client waits for your assessment")
    FOLLOW_UP_PERIOD = "follow_up_period", _("The follow-up period after closing is ending")
    FOLLOW_UP_PERIOD_ENDED = "follow_up_period_ended", _(
        "The follow-up period after closing ends today")
    DISCUSSION_NOT_HELD = "discussion_not_held", _(
        "A booked feedback discussion is not recorded as held")
    DECIDED_FOLLOW_UP = "decided_follow_up", _("A follow-up agreed in a team meeting has come")
    FIRST_HEALTH_CHECK = "first_health_check", _("Propose the unemployed health check")
    MOVE_REQUEST = "move_request", _("The client asks to move a booked time")


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


class SweepMark(models.Model):
    """
    How far the reminder sweep has read (work/reminders.py): the day of the last sweep and
    when it started. One row. The five-minute sweep reads, where a rule can tell, only what
    became due since that day or changed since that moment; the nightly sweep reads
    everything, catching what changed without leaving a trace a rule can find.
    """

    day = models.DateField()
    started_at = models.DateTimeField()

    def __str__(self):
        return f"{self.day} {self.started_at:%H:%M}"


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


class MessageState(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENT = "sent", _("Sent")
    PARKED = "parked", _("Not delivered")
    CANCELLED = "cancelled", _("Cancelled")


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("Text message")


class OutboxMessage(models.Model):
    """
    One message to one recipient, with its delivery attempts: an e-mail (`to` an address) or
    a text message (`to` a phone number, the text in `body`, no subject). Both channels share
    the states, the leases and the backoff (work/outbox.py).

    `key`, when given, names what the message is about (say, the client's reminder of one
    appointment by SMS); it is unique, so that a sweep run twice or two workers racing queue
    that message once.
    """

    to = models.CharField(_("recipient"), max_length=254)
    channel = models.CharField(_("channel"), max_length=5, choices=Channel.choices,
                               default=Channel.EMAIL)
    key = models.CharField(max_length=150, null=True, blank=True, unique=True, editable=False)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("message"))
    attachment_name = models.CharField(max_length=100, blank=True)
    attachment_type = models.CharField(max_length=100, blank=True)
    attachment = models.BinaryField(blank=True, default=b"")
    # What it is about, so that closing the client cancels what is still waiting.
    client = models.ForeignKey("clients.Client", on_delete=models.CASCADE, null=True,
                               blank=True, related_name="+")
    # The recipient is the client themself (a reminder): their address or number is client data.
    to_client = models.BooleanField(default=False)
    state = models.CharField(_("state"), max_length=10, choices=MessageState.choices,
                             default=MessageState.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # The next try; while a worker is sending, its lease: another takes it only after.
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_error = models.CharField(_("reason"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        db_table = "tyokyky_outboxmessage"
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        indexes = [
            models.Index(fields=["next_attempt_at"], condition=Q(state="pending"),
                         name="outbox_waiting_idx"),
            models.Index(fields=["client"], condition=Q(state="pending"),
                         name="outbox_client_waiting_idx"),
        ]

    def __str__(self):
        # Not the recipient: a message to a client names them (work/admin.py masks it).
        return f"{self.get_channel_display()} {self.pk}"

    @property
    def message_id(self) -> str:
        """Stable across attempts, so that a mail client can recognise a repeat."""
        return f"<outbox-{self.pk}@tyokyky>"
