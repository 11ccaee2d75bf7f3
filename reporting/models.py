"""
The dashboard's facts: what the service path's records add up to per municipality and month,
counted by reporting/facts.py from the records and read by reporting/reports.py, so that a page
for any period and municipality sums a few hundred small rows instead of counting the records.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MonthlyCount(models.Model):
    """One cell of the dashboard's rule (reports.py): a category of events in one municipality
    in one calendar month. `count` is the true count (or, for a feedback question, the sum of
    its answers); `published` is what the rule publishes for the cell, carried within the year
    (None for sums, which are never published as such). The row without a municipality adds
    up the municipalities' rows of its month and category."""

    month = models.DateField(_("month"))  # its first day
    # None: all municipalities together, the sums of their rows (one row a month to read).
    municipality = models.ForeignKey("teams.Municipality", on_delete=models.CASCADE, null=True,
                                     related_name="+", verbose_name=_("municipality"))
    category = models.CharField(_("category"), max_length=60)
    count = models.IntegerField(_("count"))
    published = models.IntegerField(_("published"), null=True)

    class Meta:
        verbose_name = _("monthly count")
        verbose_name_plural = _("monthly counts")
        default_permissions = ()
        constraints = [models.UniqueConstraint(fields=["month", "municipality", "category"],
                                               name="reporting_monthly_count_cell")]
        indexes = [models.Index(fields=["category", "month"], name="reporting_count_cat_month")]

    def __str__(self):
        return f"{self.category} {self.month:%Y-%m} {self.municipality_id}: {self.count}"


class DurationCount(models.Model):
    """How many durations of `measure` (days from referral to check, from check to feedback)
    were of `days` days, of the checks done in one municipality in one month: a histogram that
    gives the exact median and 90th percentile of any months and municipalities together."""

    month = models.DateField(_("month"))
    # None: all checks together, whatever their municipality.
    municipality = models.ForeignKey("teams.Municipality", on_delete=models.CASCADE, null=True,
                                     related_name="+", verbose_name=_("municipality"))
    measure = models.CharField(_("measure"), max_length=40)
    days = models.IntegerField(_("days"))
    count = models.IntegerField(_("count"))

    class Meta:
        verbose_name = _("duration count")
        verbose_name_plural = _("duration counts")
        default_permissions = ()
        constraints = [models.UniqueConstraint(
            fields=["measure", "month", "municipality", "days"],
            name="reporting_duration_count_cell")]

    def __str__(self):
        return f"{self.measure} {self.month:%Y-%m} {self.municipality_id}: {self.days} d"


class StateCount(models.Model):
    """A state on one day in one municipality: plan actions and follow-ups overdue at a month's
    end (or on the day of the last refresh, for the month running), clients by status now.
    `published` is the count rounded by the rule for states."""

    day = models.DateField(_("day"))
    municipality = models.ForeignKey("teams.Municipality", on_delete=models.CASCADE,
                                     related_name="+", verbose_name=_("municipality"))
    category = models.CharField(_("category"), max_length=60)
    count = models.IntegerField(_("count"))
    published = models.IntegerField(_("published"))

    class Meta:
        verbose_name = _("state count")
        verbose_name_plural = _("state counts")
        default_permissions = ()
        constraints = [models.UniqueConstraint(fields=["day", "municipality", "category"],
                                               name="reporting_state_count_cell")]
        indexes = [models.Index(fields=["category", "day"], name="reporting_state_cat_day")]

    def __str__(self):
        return f"{self.category} {self.day} {self.municipality_id}: {self.count}"


class StatisticsRefresh(models.Model):
    """One counting of the facts: when, up to which day, and which months. The page says when
    its numbers were counted from the newest."""

    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"))
    today = models.DateField(_("counted up to"))
    months = models.TextField(_("months counted"), blank=True)
    everything = models.BooleanField(_("all months"), default=False)

    class Meta:
        verbose_name = _("statistics refresh")
        verbose_name_plural = _("statistics refreshes")
        default_permissions = ()
        get_latest_by = "finished_at"

    def __str__(self):
        return f"{self.finished_at:%Y-%m-%d %H:%M} {self.months}"
