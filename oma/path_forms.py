"""The forms of the client's own service path pages: short, with messages in plain words."""

from django import forms
from django.utils.translation import gettext_lazy as _


class MoveRequestForm(forms.Form):
    """The client asks to move a booked time: why, and which times would suit."""

    reason = forms.CharField(
        label=_("Why do you want to move the time?"), max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Write why you want to move the time."),
                        "max_length": _("Write at most %(limit_value)d characters.")},
        help_text=_("You do not need to tell about your health. A short reason is enough."),
    )
    preferred_times = forms.CharField(
        label=_("Which times would suit you? (not required)"), max_length=300, required=False,
        error_messages={"max_length": _("Write at most %(limit_value)d characters.")},
        help_text=_("For example: mornings next week, not on Fridays."),
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Write why you want to move the time."))
        return reason
