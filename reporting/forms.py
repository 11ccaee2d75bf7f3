from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from teams.models import Municipality
from tyokyky.forms import BoundedDateField

from .reports import Period


class DashboardForm(forms.Form):
    """The period and municipality of the numbers: plain GET parameters, nothing sensitive."""

    start = BoundedDateField(label=_("From"), required=False)
    end = BoundedDateField(label=_("To"), required=False)
    municipality = forms.ModelChoiceField(
        label=_("Municipality"), queryset=Municipality.objects.filter(is_active=True),
        required=False, empty_label=_("All municipalities"),
    )

    def period(self) -> Period:
        today = timezone.localdate()
        data = self.cleaned_data if self.is_valid() else {}
        start = data.get("start") or today.replace(month=1, day=1)
        end = data.get("end") or today
        return Period(start, end) if start <= end else Period(end, start)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise forms.ValidationError(_("The period cannot end before it begins."))
        return data
