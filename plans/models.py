"""
Support plans, feedback discussions, follow-up and reminders (service path steps 7-9).

Glossary: support plan = työkyvyn tuen suunnitelma; feedback discussion = palautekeskustelu;
follow-up = seuranta; case manager = vastuuhenkilö.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from clients.records import ClientRecord, DataCategory


class PlanStatus(models.TextChoices):
    ACTIVE = "active", _("In use")
    ENDED = "ended", _("Ended")


class SupportPlan(ClientRecord):
    """
    The work-ability support plan, written with the client: goals in the client's own words,
    actions with who does what by when, the follow-up, and the coordinating case managers.
    Every change is kept (history); the client gets it printed in their language.
    """

    CATEGORY = DataCategory.EMPLOYMENT

    short_term_goals = models.TextField(_("short-term goals"),
                                        help_text=_("In the client's own words."))
    long_term_goals = models.TextField(_("long-term goals"), blank=True,
                                       help_text=_("In the client's own words."))
    # For a client who reads best in plain language (selkokieli): the plan in short sentences,
    # printed first on the client's copy.
    plain_language = models.TextField(
        _("the plan in plain language"), blank=True,
        help_text=_("Short sentences in everyday words, for a client who needs plain "
                    "language. Printed first on the client's copy."),
    )
    follow_up_weeks = models.PositiveSmallIntegerField(
        _("follow up every (weeks)"), null=True, blank=True,
        help_text=_("Leave empty to agree each follow-up date separately."),
    )
    case_managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="coordinated_plans",
        verbose_name=_("coordinating case managers"),
    )
    status = models.CharField(_("status"), max_length=10, choices=PlanStatus.choices,
                              default=PlanStatus.ACTIVE, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(m2m_fields=[case_managers])

    class Meta:
        verbose_name = _("support plan")
        verbose_name_plural = _("support plans")
        ordering = ["-created_at", "-pk"]
        permissions = [("view_dashboard", _("Can follow the numbers of the service path"))]
        constraints = [
            # One plan in use per client and organisation: each organisation's plan is its
            # record, and nobody learns of another's by being refused.
            models.UniqueConstraint(fields=["client", "organisation"],
                                    condition=Q(status="active"),
                                    name="one_active_plan_per_organisation"),
        ]

    def __str__(self):
        return _("Support plan %(date)s") % {"date": self.created_at.date()}


class GoalProgress(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    ON_THE_WAY = "on_the_way", _("On the way")
    REACHED = "reached", _("Reached")


class Goal(models.Model):
    """
    One goal of the plan, often an interim goal on the way to the long-term one (välitavoite):
    how far it is, followed with the client in dated notes. Part of the plan, and of the plan's
    organisation's employment data: shown only with the plan, through the access policy.
    """

    plan = models.ForeignKey(SupportPlan, on_delete=models.CASCADE, related_name="goals",
                             verbose_name=_("plan"))
    text = models.CharField(_("goal"), max_length=300,
                            help_text=_("In the client's own words."))
    progress = models.CharField(_("progress"), max_length=20, choices=GoalProgress.choices,
                                default=GoalProgress.NOT_STARTED)
    reached_on = models.DateField(_("reached"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["pk"]

    def __str__(self):
        return self.text


class GoalNote(models.Model):
    """A dated note on a goal: where it stood when it was followed up with the client."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="notes",
                             verbose_name=_("goal"))
    written_on = models.DateField(_("date"))
    progress = models.CharField(_("progress"), max_length=20, choices=GoalProgress.choices)
    text = models.TextField(_("note"), blank=True)
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("written by"))
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        verbose_name = _("goal note")
        verbose_name_plural = _("goal notes")
        ordering = ["-written_on", "-pk"]

    def __str__(self):
        return f"{self.goal} {self.written_on}"


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_ACTION_STATUSES = [ActionStatus.PLANNED, ActionStatus.IN_PROGRESS]


class PlanAction(models.Model):
    """One action of the plan: what, who (a user, the client themself, or someone outside), by
    when, and how far. An action given to the client (`client_responsible`) the client may mark
    done themself in Oma Työkyky: follow-up is primarily the client's own (step 9)."""

    plan = models.ForeignKey(SupportPlan, on_delete=models.CASCADE, related_name="actions",
                             verbose_name=_("plan"))
    what = models.CharField(_("what"), max_length=300)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="plan_actions", verbose_name=_("who"),
    )
    responsible_other = models.CharField(
        _("or someone else"), max_length=200, blank=True,
        help_text=_("The client themself, a support person, an organisation outside Työkyky."),
    )
    client_responsible = models.BooleanField(
        _("the client does it"), default=False,
        help_text=_("The client sees the action in Oma Työkyky and can mark it done."),
    )
    due_on = models.DateField(_("by"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ActionStatus.choices,
                              default=ActionStatus.PLANNED)
    done_on = models.DateField(_("done"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(fields=["due_on"], condition=Q(status__in=["planned", "in_progress"]),
                         name="open_action_due_idx"),
        ]

    def __str__(self):
        return self.what

    @property
    def who(self) -> str:
        if self.client_responsible:
            return str(_("The client"))
        return str(self.responsible) if self.responsible_id else self.responsible_other

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_ACTION_STATUSES


class FollowUp(models.Model):
    """An agreed follow-up of the plan: the client's own, with the case managers supporting.
    A team meeting may name who follows up (`decision`, `responsible`): then that person is
    reminded rather than the plan's case managers."""

    plan = models.ForeignKey(SupportPlan, on_delete=models.CASCADE, related_name="follow_ups",
                             verbose_name=_("plan"))
    due_on = models.DateField(_("follow-up date"))
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("follows up"),
    )
    decision = models.ForeignKey(
        "meetings.MeetingDecision", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="follow_ups", verbose_name=_("agreed in the team meeting"),
    )
    done_on = models.DateField(_("done"), null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                blank=True, related_name="+", verbose_name=_("done by"))
    notes = models.TextField(_("how it went"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(fields=["due_on"], condition=Q(done_on__isnull=True),
                         name="open_follow_up_due_idx"),
        ]

    def __str__(self):
        return str(self.due_on)


class FollowUpAbility(models.TextChoices):
    YES = "yes", _("Yes")
    PARTLY = "partly", _("Partly, with support")
    NO = "no", _("Not yet")


class FeedbackDiscussion(ClientRecord):
    """
    The feedback discussion (step 7), always held after a team meeting has discussed the
    client: what happened, where things stand, the goal; can the client follow their own
    affairs, and is there a support network. Booked first (`scheduled_for`), then held.
    """

    CATEGORY = DataCategory.EMPLOYMENT

    meeting = models.ForeignKey("meetings.Meeting", on_delete=models.PROTECT, null=True,
                                blank=True, related_name="feedback_discussions",
                                verbose_name=_("after the meeting"))
    is_final = models.BooleanField(_("final discussion when closing"), default=False)
    holder = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+", verbose_name=_("held by"))
    scheduled_for = models.DateTimeField(_("booked for"), null=True, blank=True)
    held_on = models.DateField(_("held on"), null=True, blank=True)
    client_present = models.BooleanField(_("the client took part"), default=True)
    others_present = models.CharField(
        _("others present"), max_length=300, blank=True,
        help_text=_("A support person or a relative, and how they are related."),
    )
    reviewed = models.TextField(_("what was reviewed"), blank=True,
                                help_text=_("What happened, where things stand, the goal."))
    follows_own_affairs = models.CharField(
        _("the client can follow their own affairs"), max_length=10,
        choices=FollowUpAbility.choices, blank=True,
    )
    support_network = models.BooleanField(_("a support network is in place"), default=False)
    # Who of the support network was invited, and to which time ("<contact id>@<ISO time>"):
    # saving the booking again does not invite them again; a new time does.
    invited = models.JSONField(_("invited"), default=list, blank=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("feedback discussion")
        verbose_name_plural = _("feedback discussions")
        ordering = ["-held_on", "-scheduled_for", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(scheduled_for__isnull=False) | Q(held_on__isnull=False),
                name="discussion_is_booked_or_held",
            ),
        ]
        indexes = [
            # Booked and not recorded held: the reminder sweep's (plans/follow_through.py).
            models.Index(fields=["scheduled_for"], condition=Q(held_on__isnull=True),
                         name="discussion_not_held_idx"),
        ]

    def __str__(self):
        return _("Feedback discussion %(date)s") % {
            "date": self.held_on or (self.scheduled_for and self.scheduled_for.date())
        }
