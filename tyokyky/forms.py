"""Form rendering in the Helsinki Design System's markup, for every form of the project."""

from django import forms
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting


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
