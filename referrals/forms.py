from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clients.models import ClientStatus
from consents.policy import card_matches, visible_clients
from teams.models import Organisation, Sector
from teams.people import PeoplePickerFormMixin, use_people_picker
from tyokyky.forms import (
    BoundedDateTimeField,
    DateInput,
    bounded_formfield,
    bounded_formset,
)
from tyokyky.versions import VersionedForm

from .models import (
    CLIENT_FEEDBACK_MISSING,
    CLIENT_GOT_FEEDBACK,
    CLOSED_STATUSES,
    WORK_ABILITY_SCORES,
    DoctorAssessment,
    Feedback,
    HealthCheck,
    Referral,
    ReferralStatus,
    ServiceInUse,
)


class ReferralForm(forms.ModelForm):
    class Meta:
        model = Referral
        fields = ["recipient", "reason", "reason_details", "urgency", "goal", "motivation",
                  "responsible_persons", "services_summary"]
        widgets = {
            "reason": forms.RadioSelect,
            "urgency": forms.RadioSelect,
            "reason_details": forms.Textarea(attrs={"rows": 3}),
            "goal": forms.Textarea(attrs={"rows": 2}),
            "motivation": forms.Textarea(attrs={"rows": 2}),
            "services_summary": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        without_blank_choice(self.fields["reason"])
        # The health organisations that serve the client's municipality, as the referrer knows
        # it (their card of the client).
        recipients = Organisation.objects.filter(
            sector=Sector.HEALTH, is_active=True, municipalities=municipality
        ).distinct()
        self.fields["recipient"].queryset = recipients
        if len(recipients) == 1:
            self.fields["recipient"].initial = recipients[0]


class ServiceForm(forms.ModelForm):
    """One row of the summary of services: every row is optional, but a row needs its service."""

    class Meta:
        model = ServiceInUse
        fields = ["service", "organisation_name", "contact_person"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].required = False

    def clean(self):
        data = super().clean()
        if (data.get("organisation_name") or data.get("contact_person")) and not data.get(
            "service"
        ):
            self.add_error("service", _("Write the name of the service."))
        return data


MAX_SERVICES = 20  # rows of the summary of services: more is no summary

ServiceFormSet = bounded_formset(
    forms.inlineformset_factory, Referral, ServiceInUse, form=ServiceForm, extra=3,
    can_delete=False, max_num=MAX_SERVICES,
)


def without_blank_choice(field):
    """A required radio list needs no "---------" choice."""
    field.choices = [choice for choice in field.choices if choice[0] != ""]


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason for cancelling"),
                             widget=forms.Textarea(attrs={"rows": 3}))


class BookingForm(VersionedForm, forms.Form):
    """The time of the check; carries the referral's version it was opened on."""

    when = BoundedDateTimeField(label=_("Time of the health check"))


class NoShowForm(VersionedForm, forms.Form):
    """Confirms that the client did not arrive at the booked time; carries the referral's
    version, so that a time changed meanwhile is not marked missed."""

    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example, whether the client told of a reason. Health information."))


class SelfReferralForm(forms.Form):
    when = BoundedDateTimeField(
        label=_("Time of the health check"), required=False,
        help_text=_("Leave empty if the check is done now."),
    )


class HealthCheckForm(PeoplePickerFormMixin, VersionedForm, forms.ModelForm):
    class Meta:
        model = HealthCheck
        formfield_callback = bounded_formfield
        fields = [
            "performed_on", "doctor", "work_ability", "mental_wellbeing",
            "social_participation", "physical_capacity", "skills", "daily_life",
            "limited_musculoskeletal", "limited_mental_health", "limited_substance_use",
            "limited_cognitive", "limited_other", "limitations", "nurse_view",
            "needs_multiprofessional_assessment", "multiprofessional_reason",
            "doctor_appointment_needed", "direct_physiotherapy", "next_steps",
        ]
        widgets = {
            "performed_on": DateInput,
            "nurse_view": forms.RadioSelect,
            "limitations": forms.Textarea(attrs={"rows": 3}),
            "multiprofessional_reason": forms.Textarea(attrs={"rows": 2}),
            "next_steps": forms.Textarea(attrs={"rows": 3}),
        }

    SCORES = WORK_ABILITY_SCORES

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_people_picker(self, "doctor", "doctor")
        self.fields["performed_on"].initial = timezone.localdate()
        without_blank_choice(self.fields["nurse_view"])
        for name in self.SCORES:
            self.fields[name].widget.attrs.update({"min": 0, "max": 10})

    def clean_performed_on(self):
        performed_on = self.cleaned_data["performed_on"]
        if performed_on > timezone.localdate():
            raise forms.ValidationError(_("The check cannot be dated in the future."))
        return performed_on

    def clean(self):
        data = super().clean()
        if data.get("needs_multiprofessional_assessment") and not data.get(
            "multiprofessional_reason"
        ):
            self.add_error("multiprofessional_reason",
                           _("Tell why a multi-professional assessment is needed."))
        return data


class FeedbackForm(forms.ModelForm):
    class Meta:
        model = Feedback
        formfield_callback = bounded_formfield
        fields = ["given_on", "to_client", "recipient", "findings", "recommendations"]
        widgets = {
            "given_on": DateInput,
            "to_client": forms.RadioSelect,
            "findings": forms.Textarea(attrs={"rows": 4}),
            "recommendations": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, referral, recipients, **kwargs):
        super().__init__(*args, **kwargs)
        self.referral = referral
        # The nurse says how the client got the feedback: nothing chosen beforehand, and "not
        # given" is no choice (Feedback.require_client_feedback).
        to_client = self.fields["to_client"]
        to_client.choices = [(value, label) for value, label in to_client.choices
                             if value in CLIENT_GOT_FEEDBACK]
        to_client.initial = self.initial["to_client"] = None
        to_client.error_messages.update(required=CLIENT_FEEDBACK_MISSING,
                                        invalid_choice=CLIENT_FEEDBACK_MISSING)
        to_client.help_text = _("The client always gets the feedback too.")
        if referral.is_self_referral:
            self.fields["recipient"].queryset = Organisation.objects.filter(
                pk__in=[organisation.pk for organisation in recipients]
            )
            self.fields["recipient"].label = _("Also to employment services")
            self.fields["recipient"].empty_label = _("No: to the client only")
            self.fields["recipient"].help_text = _(
                "Only with the client's consent for health information."
            )
        else:
            del self.fields["recipient"]

    def clean_given_on(self):
        given_on = self.cleaned_data["given_on"]
        if given_on < self.referral.health_check.performed_on:
            raise forms.ValidationError(_("Feedback cannot be given before the check."))
        if given_on > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return given_on


class AssessmentForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = DoctorAssessment
        formfield_callback = bounded_formfield
        fields = [
            "assessed_on", "conclusion", "justification", "examinations",
            "b_statement_written", "b_statement_on", "b_statement_purpose",
            "sick_leave_until", "continuation_plan", "client_knows_next_steps",
        ]
        widgets = {
            "assessed_on": DateInput,
            "b_statement_on": DateInput,
            "sick_leave_until": DateInput,
            "conclusion": forms.RadioSelect,
            "justification": forms.Textarea(attrs={"rows": 3}),
            "examinations": forms.Textarea(attrs={"rows": 3}),
            "continuation_plan": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        without_blank_choice(self.fields["conclusion"])

    def clean_assessed_on(self):
        assessed_on = self.cleaned_data["assessed_on"]
        if assessed_on > timezone.localdate():
            raise forms.ValidationError(_("The assessment cannot be dated in the future."))
        return assessed_on

    def clean(self):
        data = super().clean()
        if data.get("b_statement_written"):
            if not data.get("b_statement_on"):
                self.add_error("b_statement_on", _("When was the B-statement written?"))
            if not data.get("b_statement_purpose"):
                self.add_error("b_statement_purpose", _("What is the B-statement for?"))
        return data


class WorklistSearchForm(forms.Form):
    """Search and filter of a referral list; kept out of URLs (tyokyky/search.py)."""

    OPEN = "open"
    DEFAULTS = {"status": OPEN}

    q = forms.CharField(label=_("Client's name"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"autocomplete": "off", "type": "search"}))
    status = forms.ChoiceField(
        label=_("Status"), required=False,
        choices=[(OPEN, _("Open")), ("", _("All")), *ReferralStatus.choices],
    )

    def filter(self, referrals, user):
        data = self.cleaned_data
        for word in data.get("q", "").split():
            # The name the user sees — the client's card or their own — never a hidden one.
            named = visible_clients(user).filter(card_matches(
                user, Q(first_name__icontains=word) | Q(last_name__icontains=word)))
            referrals = referrals.filter(client__in=named.values("pk"))
        status = data.get("status")
        if status == self.OPEN:
            # A closed client's referrals leave the worklists with the client.
            referrals = referrals.exclude(status__in=CLOSED_STATUSES).filter(
                client__status=ClientStatus.ACTIVE)
        elif status:
            referrals = referrals.filter(status=status)
        return referrals
