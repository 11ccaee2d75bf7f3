"""
The data protection officer's records.

- `OfficerLogEntry`: what officers searched and exported — their own append-only log, so that
  the watcher is watched too.
- `AccessFlag`: an unusual pattern of reads found in the access log (oversight/flags.py),
  waiting for an officer's review; the review keeps its history.
- `OfficerPreference`: whether an officer wants the flags by e-mail.
- `FlagRun`: how far the flag task has looked, so that each run starts where the last one
  ended.

An officer oversees their own controller (DESIGN.md: each organisation is the controller of
what it writes): the log rows of its own staff, and the disclosures from or to it.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.models import HistoricalRecords

from tyokyky.append_only import AppendOnlyModel


class LogKind(models.TextChoices):
    """The logs an officer searches."""

    ACCESS = "access", _("Access log")
    DISCLOSURE = "disclosure", _("Disclosure log")
    ADMINISTRATION = "administration", _("Administration log")


class OfficerAction(models.TextChoices):
    SEARCH = "search", _("Log search")
    EXPORT = "export", _("Log export (CSV)")
    FLAG_REVIEW = "flag_review", _("Flag reviewed")


class OfficerLogEntry(AppendOnlyModel):
    """
    One search, export or review by a data protection officer. The criteria are kept as ids
    and dates; a client searched by their personal identity code is kept as `client`, the code
    itself never.
    """

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="+", verbose_name=_("user"))
    organisation = models.ForeignKey("teams.Organisation", on_delete=models.PROTECT, null=True,
                                     related_name="+", verbose_name=_("organisation"))
    action = models.CharField(_("what"), max_length=20, choices=OfficerAction.choices)
    log = models.CharField(_("log"), max_length=20, choices=LogKind.choices, blank=True)
    criteria = models.JSONField(_("search criteria"), default=dict)
    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT, null=True,
                               related_name="+", verbose_name=_("client"))
    flag = models.ForeignKey("AccessFlag", on_delete=models.PROTECT, null=True,
                             related_name="+", verbose_name=_("flag"))
    rows = models.PositiveIntegerField(_("rows"), null=True)

    class Meta:
        verbose_name = _("officer log entry")
        verbose_name_plural = _("officer log")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["organisation", "-at"], name="officer_log_org_idx")]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()}"


class FlagKind(models.TextChoices):
    UNRELATED_CLIENTS = "unrelated_clients", _(
        "Many clients in a day without a client relationship")
    OFF_HOURS = "off_hours", _("Reads outside the user's usual hours")
    EXPORT_BURST = "export_burst", _("A burst of prints and exports")


class FlagState(models.TextChoices):
    OPEN = "open", _("To review")
    REVIEWED = "reviewed", _("Reviewed")


class AccessFlag(models.Model):
    """
    An unusual pattern in one user's reads, in one window of time: how many, and the first and
    last access-log rows of it. Found by the hourly task (oversight/flags.py); one per kind,
    user and window start, so that a run repeated finds the same flag again and only updates
    its numbers. An officer reviews it with a note.
    """

    kind = models.CharField(_("kind"), max_length=20, choices=FlagKind.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="+", verbose_name=_("user"))
    # The organisation the user acted for in the rows: whose officer reviews the flag.
    organisation = models.ForeignKey("teams.Organisation", on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("organisation"))
    window_start = models.DateTimeField(_("from"))
    window_end = models.DateTimeField(_("until"))
    count = models.PositiveIntegerField(_("count"))
    # Access-log ids (consents.AccessLogEntry), not foreign keys: the log is append-only and
    # kept apart; the ids bound the rows an officer opens from the flag.
    first_log_id = models.BigIntegerField(_("first log row"))
    last_log_id = models.BigIntegerField(_("last log row"))
    state = models.CharField(_("state"), max_length=10, choices=FlagState.choices,
                             default=FlagState.OPEN)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+",
                                    verbose_name=_("reviewed by"))
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    found_at = models.DateTimeField(_("found"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("unusual access flag")
        verbose_name_plural = _("unusual access flags")
        ordering = ["-window_start", "-pk"]
        # The officer's role holds this one permission (teams/roles.py).
        permissions = [("view_logs", _("Can search the logs and review unusual access"))]
        constraints = [
            models.UniqueConstraint(fields=["kind", "user", "window_start"],
                                    name="one_flag_per_kind_user_window"),
            models.CheckConstraint(condition=Q(window_end__gte=F("window_start")),
                                   name="flag_window_in_order"),
            models.CheckConstraint(
                condition=Q(state=FlagState.OPEN) | Q(reviewed_by__isnull=False,
                                                      reviewed_at__isnull=False),
                name="reviewed_flag_names_its_reviewer"),
        ]
        indexes = [models.Index(fields=["organisation", "state", "-window_start"],
                                name="flag_org_state_idx")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.user} ({self.window_start:%Y-%m-%d %H:%M})"

    @property
    def count_text(self) -> str:
        """The count with what it counts, for the officer's pages."""
        if self.kind == FlagKind.UNRELATED_CLIENTS:
            text = ngettext("%(count)s client without a client relationship",
                            "%(count)s clients without a client relationship", self.count)
        elif self.kind == FlagKind.EXPORT_BURST:
            text = ngettext("%(count)s print or export", "%(count)s prints and exports",
                            self.count)
        else:
            text = ngettext("%(count)s read", "%(count)s reads", self.count)
        return text % {"count": self.count}

    @property
    def reopened(self) -> bool:
        """Open again after a review, because more of it came after."""
        return self.state == FlagState.OPEN and self.reviewed_by_id is not None


class OfficerPreference(models.Model):
    """An officer's choice: one e-mail per flag run that found something in their scope."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="oversight_preference", verbose_name=_("user"))
    email_flags = models.BooleanField(_("send new flags to me by e-mail"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("officer's preference")
        verbose_name_plural = _("officers' preferences")

    def __str__(self):
        return str(self.user)


class FlagRun(models.Model):
    """
    One run of the flag task: the period it looked at and what it found. Bookkeeping of the
    task, not domain data (no history): the next run starts at `checked_until`.
    """

    started_at = models.DateTimeField(_("started"), default=timezone.now)
    checked_from = models.DateTimeField(_("from"))
    checked_until = models.DateTimeField(_("until"), db_index=True)
    found = models.PositiveIntegerField(_("new flags"), default=0)
    updated = models.PositiveIntegerField(_("updated flags"), default=0)
    emailed = models.PositiveIntegerField(_("e-mails"), default=0)

    class Meta:
        verbose_name = _("flag run")
        verbose_name_plural = _("flag runs")
        ordering = ["-checked_until"]

    def __str__(self):
        return f"{self.checked_from:%Y-%m-%d %H:%M}–{self.checked_until:%Y-%m-%d %H:%M}"


class UsualHours(models.Model):
    """
    A user's reads by hour of the day over the history days before `day` (Helsinki time): the
    measure of rule b) of oversight/flags.py, worked out once per user and day, the first time
    the user reads that day, instead of again at every hourly run. The log is only appended to
    at the time of each read, so a day's history does not change once the day has begun.
    A cache of the task (no history), emptied of days past.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+", verbose_name=_("user"))
    day = models.DateField(_("day"))
    total = models.PositiveIntegerField(_("reads"))
    # 24 numbers: the reads in each hour of the day, 0–23.
    counts = models.JSONField(_("reads by hour"))

    class Meta:
        verbose_name = _("usual hours")
        verbose_name_plural = _("usual hours")
        constraints = [models.UniqueConstraint(fields=["user", "day"],
                                               name="usual_hours_once_a_day")]

    def __str__(self):
        return f"{self.user} {self.day}"
