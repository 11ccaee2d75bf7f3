from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from teams.models import Municipality

from .reports import KINDS, YEAR, Period

YEARS_BACK = 5  # the periods offered: those of this year and of the five years before it


def offered(kind: str, today: date) -> list[Period]:
    """The periods of `kind` the dashboard offers, the newest first: none still to come."""
    periods, period = [], Period.of(kind, today)
    while period.year >= today.year - YEARS_BACK:
        periods.append(period)
        period = period.previous
    return periods


def _choices(kind: str, today: date) -> list:
    periods = offered(kind, today)
    if kind == YEAR:
        return [(period.key, str(period)) for period in periods]
    years = sorted({period.year for period in periods}, reverse=True)
    return [(str(year), [(period.key, str(period)) for period in periods if period.year == year])
            for year in years]


class DashboardForm(forms.Form):
    """
    The period and municipality of the numbers: plain GET parameters, nothing sensitive.

    Only a whole month, quarter or year can be chosen, and none that has not begun: a range
    of days would let one count be subtracted from another (reporting/reports.py). Changing
    the kind keeps the time: the year of a month chosen, the last month of a year begun.
    """

    kind = forms.ChoiceField(label=_("Period kind"), choices=KINDS, required=False)
    period = forms.CharField(label=_("Period"), required=False, widget=forms.Select)
    municipality = forms.ModelChoiceField(
        label=_("Municipality"), queryset=Municipality.objects.filter(is_active=True),
        required=False, empty_label=_("All municipalities"),
    )

    def __init__(self, data=None, *, today: date | None = None, **kwargs):
        self.today = today or timezone.localdate()
        super().__init__(data, **kwargs)
        self.fields["period"].widget.choices = _choices(self._raw_kind(), self.today)

    def _raw_kind(self) -> str:
        """The kind asked for, or that of the period asked for, or a year."""
        asked = self.data.get("kind") if self.is_bound else None
        if asked in dict(KINDS):
            return asked
        try:
            return Period.parse(self.data.get("period") or "").kind
        except ValueError:
            return YEAR

    def clean_period(self) -> Period | None:
        text = self.cleaned_data["period"]
        if not text:
            return None
        try:
            period = Period.parse(text)
        except ValueError:
            raise forms.ValidationError(_(
                "Choose a period from the list: a month such as 2026-11, a quarter such as "
                "2026-Q3 or a year such as 2026."), code="invalid") from None
        if period.start > self.today:
            raise forms.ValidationError(
                _("The period {period} has not begun yet: choose one from the list.").format(
                    period=period.key), code="future")
        if period.year < self.today.year - YEARS_BACK:
            raise forms.ValidationError(
                _("Numbers are shown from the year {year} on: choose a later period.").format(
                    year=self.today.year - YEARS_BACK), code="too_old")
        return period

    def clean(self):
        data = super().clean()
        if self.data.get("start") is not None or self.data.get("end") is not None:
            raise forms.ValidationError(_(
                "The numbers are counted for a whole month, quarter or year only: a range of "
                "days cannot be chosen. Choose a period from the list."), code="free_range")
        if "period" in data and "kind" in data:
            kind = data["kind"] or (data["period"].kind if data["period"] else YEAR)
            data["period"] = self._as_kind(data["period"], kind)
            # Shown back as counted: the lists hold the kind, the period that of the kind.
            self.data = self.data.copy()
            self.data["kind"], self.data["period"] = kind, data["period"].key
            self.fields["period"].widget.choices = _choices(kind, self.today)
        return data

    def _as_kind(self, period: Period | None, kind: str) -> Period:
        if period is None:
            return Period.of(kind, self.today)
        if len(period.months) <= len(Period.of(kind, period.start).months):
            return Period.of(kind, period.start)  # the same or a longer kind: the one it is in
        return Period.of(kind, min(period.end, self.today))  # shorter: the last one begun

    def selection(self) -> tuple[Period, Municipality | None]:
        """The period and municipality asked for; this year everywhere if the form is not
        valid, as its errors say."""
        if self.is_valid():
            return self.cleaned_data["period"], self.cleaned_data["municipality"]
        return Period.of(YEAR, self.today), None
