"""The client's forms for the self-assessment before the health check and the feedback after a
meeting: plain-language questions, the same 0-10 scale the nurse uses, 1-5 for the feedback."""

from django import forms
from django.utils.translation import gettext_lazy as _

from meetings.models import FEEDBACK_QUESTIONS, MeetingFeedback
from referrals.models import WORK_ABILITY_AREAS, WORK_ABILITY_SCORES, SelfAssessment

SCALE = [(value, str(value)) for value in range(11)]

# The questions as the client reads them, one for each score (WORK_ABILITY_SCORES is their
# one list; a test checks that every score has its question).
QUESTIONS = {
    "work_ability": _("How is your work ability now?"),
    "mental_wellbeing": _("Mood and coping"),
    "social_participation": _("Relationships and taking part: family, friends, hobbies"),
    "physical_capacity": _("Body: moving, strength, pain"),
    "skills": _("Skills and knowledge for work"),
    "daily_life": _("Managing everyday life: home, money, daily rhythm"),
}
SCALE_HELP = _("0 = very poor, 10 = very good.")
WORK_ABILITY_HELP = _("0 = I cannot work at all, 10 = my work ability is at its best.")


class SelfAssessmentForm(forms.ModelForm):
    """The client's own scores and words before the health check."""

    class Meta:
        model = SelfAssessment
        fields = [*WORK_ABILITY_SCORES, "for_the_nurse"]
        labels = {"for_the_nurse": _("What would you like the nurse to know? (not required)")}
        widgets = {"for_the_nurse": forms.Textarea(attrs={"rows": 4, "maxlength": 5000})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in WORK_ABILITY_SCORES:
            required = name not in WORK_ABILITY_AREAS
            self.fields[name] = forms.TypedChoiceField(
                label=QUESTIONS[name], coerce=int, required=required,
                empty_value=None, help_text=WORK_ABILITY_HELP if required else SCALE_HELP,
                choices=[("", _("Choose")), *SCALE],
                error_messages={"required": _("Choose a number from 0 to 10."),
                                "invalid_choice": _("Choose a number from 0 to 10.")},
            )
            self.fields[name].initial = getattr(self.instance, name, None)

    def clean_for_the_nurse(self):
        text = self.cleaned_data["for_the_nurse"].strip()
        if len(text) > 5000:
            raise forms.ValidationError(_("Please write at most 5,000 characters."))
        return text


class MeetingFeedbackForm(forms.ModelForm):
    """The client's answers after a meeting: 1-5 on each question, and words of their own."""

    class Meta:
        model = MeetingFeedback
        fields = [*(name for name, _question in FEEDBACK_QUESTIONS), "comment"]
        labels = {"comment": _("Anything else you want to say? (not required)")}
        widgets = {"comment": forms.Textarea(attrs={"rows": 4, "maxlength": 5000}),
                   **{name: forms.RadioSelect for name, _question in FEEDBACK_QUESTIONS}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, _question in FEEDBACK_QUESTIONS:
            field = self.fields[name]
            field.choices = [choice for choice in field.choices if choice[0] != ""]
            field.error_messages["required"] = _("Choose one answer from 1 to 5.")
            field.error_messages["invalid_choice"] = _("Choose one answer from 1 to 5.")

    def clean_comment(self):
        text = self.cleaned_data["comment"].strip()
        if len(text) > 5000:
            raise forms.ValidationError(_("Please write at most 5,000 characters."))
        return text
