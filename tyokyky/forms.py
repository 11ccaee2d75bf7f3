"""
Form rendering in the Helsinki Design System's markup, and the bounds of dates and numbers,
for every form of the project.
"""

from datetime import date, datetime

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting
from django.utils import formats
from django.utils.translation import gettext_lazy as _


def _widget_class(widget: forms.Widget) -> str:
    if isinstance(widget, forms.CheckboxInput):
        return "hds-checkbox__input"
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return ""
    if isinstance(widget, forms.Select):
        return "tk-select"
    return "hds-text-input__input"


class HdsBoundField(BoundField):
    """Adds the design system's class, and ties the error text to the input for screen readers."""

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        css_class = _widget_class(widget)
        if css_class:
            attrs["class"] = " ".join(filter(None, [attrs.get("class"), css_class]))
        if self.errors and self.auto_id:
            described_by = [attrs.get("aria-describedby"), f"{self.auto_id}_error"]
            attrs["aria-describedby"] = " ".join(filter(None, described_by))
        return attrs


class HdsFormRenderer(TemplatesSetting):
    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"
    bound_field_class = HdsBoundField


class DateInput(forms.DateInput):
    """The browser's date picker; it reads and writes ISO dates whatever the language."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    """The browser's date and time picker, in local (Helsinki) time."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


# --- Bounds -------------------------------------------------------------------------------------
# Nothing Työkyky records happened before 1900 or is planned after 2100. A date outside these is
# a slip of the keyboard or an attack: year 1 or 9999 is stored by PostgreSQL, but breaks the
# date arithmetic and the reading back of every page that shows it.

EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2100, 12, 31)


def validate_date_range(value):
    """A date, or a date-time by its own calendar day, between EARLIEST_DATE and LATEST_DATE."""
    day = value.date() if isinstance(value, datetime) else value
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise ValidationError(
            _("Enter a date between %(earliest)s and %(latest)s."), code="date_range",
            params={"earliest": formats.date_format(EARLIEST_DATE, "SHORT_DATE_FORMAT"),
                    "latest": formats.date_format(LATEST_DATE, "SHORT_DATE_FORMAT")},
        )


class BoundedDateField(forms.DateField):
    """A date between EARLIEST_DATE and LATEST_DATE, with the browser's date picker."""

    widget = DateInput
    default_validators = [validate_date_range]

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "min": EARLIEST_DATE.isoformat(),
                "max": LATEST_DATE.isoformat()}


class BoundedDateTimeField(forms.DateTimeField):
    """A date and time (Helsinki time) on a day between EARLIEST_DATE and LATEST_DATE."""

    widget = DateTimeInput
    default_validators = [validate_date_range]

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "min": f"{EARLIEST_DATE.isoformat()}T00:00",
                "max": f"{LATEST_DATE.isoformat()}T23:59"}


class BoundedIntegerField(forms.IntegerField):
    """A whole number that must say its range: a count or a length, never an open one."""

    def __init__(self, *, min_value, max_value, **kwargs):
        super().__init__(min_value=min_value, max_value=max_value, **kwargs)


MAX_ID = 2**63 - 1  # PostgreSQL's bigint: the largest id a query can compare


def id_or_none(value) -> int | None:
    """An object's id from a query parameter or a hidden field, if it reads as one: a
    positive whole number (not merely digits to `str.isdigit`, which "²" is), else None."""
    try:
        return BoundedIntegerField(min_value=1, max_value=MAX_ID, required=False).clean(value)
    except ValidationError:
        return None


def bounded_formfield(model_field, **kwargs):
    """
    A model form's field, its dates and date-times bounded: every ModelForm's
    `Meta.formfield_callback`, so that no model field reaches a form without its bounds.
    """
    if isinstance(model_field, models.DateTimeField):
        kwargs.setdefault("form_class", BoundedDateTimeField)
    elif isinstance(model_field, models.DateField):
        kwargs.setdefault("form_class", BoundedDateField)
    return model_field.formfield(**kwargs)


def bounded_formset(formset_factory, *args, max_num, **kwargs):
    """
    A formset that takes at most `max_num` forms, whatever the management form claims: more
    is an error on the form (Django's own message), not a loop over a client-given count.
    """
    return formset_factory(*args, max_num=max_num, absolute_max=max_num, validate_max=True,
                           **kwargs)
