from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from . import records
from .defaults import CountedFrom, default_period
from .models import RetentionPeriod


class RetentionPeriodForm(forms.ModelForm):
    record_type = forms.ChoiceField(label=_("Record type"), choices=records.record_type_choices)

    class Meta:
        model = RetentionPeriod
        fields = ["organisation", "record_type", "years", "counted_from", "basis"]


@admin.register(RetentionPeriod)
class RetentionPeriodAdmin(SimpleHistoryAdmin):
    """A controller's own periods; without a row the default of retention/defaults.py applies,
    shown beside the row so the administrator sees what they change."""

    form = RetentionPeriodForm
    list_display = ["organisation", "type_label", "years", "counted_from", "default"]
    list_filter = ["organisation__sector", "counted_from"]
    search_fields = ["organisation__name"]
    readonly_fields = ["default"]

    @admin.display(description=_("Record type"), ordering="record_type")
    def type_label(self, period):
        return records.label(period.record_type)

    @admin.display(description=_("Default"))
    def default(self, period):
        if not period.organisation_id or not period.record_type:
            return "–"
        default = default_period(period.organisation.sector, period.record_type)
        if default.years is None:
            length = _("for good")
        else:
            length = _("%(years)s years from %(start)s") % {
                "years": default.years, "start": CountedFrom(default.counted_from).label}
        kind = _("statutory") if default.statutory else _("not verified")
        return f"{length} ({kind}): {default.source}"
