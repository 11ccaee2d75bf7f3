from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clients.models import ClosingReason, SupportContact
from teams.people import PeopleField, PeoplePickerFormMixin, PersonField, use_people_picker
from tyokyky.forms import (
    BoundedDateField,
    BoundedIntegerField,
    DateInput,
    DateTimeInput,
    bounded_formfield,
)
from tyokyky.versions import VersionedForm

from .due import FOLLOW_UP_PERIOD_MONTHS
from .models import ActionStatus, FeedbackDiscussion, GoalProgress, PlanAction, SupportPlan

MAX_FOLLOW_UP_WEEKS = 52  # a plan is followed up at least once a year


class PlanForm(PeoplePickerFormMixin, VersionedForm, forms.ModelForm):
    first_follow_up = BoundedDateField(label=_("First follow-up"), required=False)
    follow_up_weeks = SupportPlan._meta.get_field("follow_up_weeks").formfield(
        form_class=BoundedIntegerField, min_value=1, max_value=MAX_FOLLOW_UP_WEEKS)

    class Meta:
        model = SupportPlan
        formfield_callback = bounded_formfield
        fields = ["short_term_goals", "long_term_goals", "plain_language", "follow_up_weeks",
                  "case_managers"]
        widgets = {
            "short_term_goals": forms.Textarea(attrs={"rows": 3}),
            "long_term_goals": forms.Textarea(attrs={"rows": 3}),
            "plain_language": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_people_picker(self, "case_managers", "care_staff")
        if self.instance.pk:
            del self.fields["first_follow_up"]


class ActionForm(PeoplePickerFormMixin, forms.ModelForm):
    class Meta:
        model = PlanAction
        formfield_callback = bounded_formfield
        fields = ["what", "client_responsible", "responsible", "responsible_other", "due_on"]
        widgets = {"due_on": DateInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_people_picker(self, "responsible", "care_staff")

    def clean(self):
        data = super().clean()
        if not (data.get("responsible") or data.get("responsible_other")
                or data.get("client_responsible")):
            self.add_error("responsible", _("Say who does it: a user or someone else."))
        return data


class GoalForm(forms.Form):
    text = forms.CharField(label=_("Goal"), max_length=300,
                           help_text=_("In the client's own words, e.g. an interim goal on the "
                                       "way."))


class GoalNoteForm(forms.Form):
    """The goal followed up with the client: where it stands now, and a dated note."""

    progress = forms.ChoiceField(label=_("Progress"), choices=GoalProgress.choices,
                                 widget=forms.RadioSelect)
    written_on = BoundedDateField(label=_("Date"), initial=timezone.localdate)
    text = forms.CharField(label=_("Note"), required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))

    def clean_written_on(self):
        written_on = self.cleaned_data["written_on"]
        if written_on > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return written_on


class ActionStatusForm(VersionedForm, forms.Form):
    """How far an action is: a small form on the plan page, one per action."""

    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)


class FollowUpForm(forms.Form):
    due_on = BoundedDateField(label=_("Follow-up date"))

    def clean_due_on(self):
        due_on = self.cleaned_data["due_on"]
        if due_on < timezone.localdate():
            raise forms.ValidationError(_("The date has already passed."))
        return due_on


class FollowUpDoneForm(forms.Form):
    notes = forms.CharField(label=_("How it went"), required=False,
                            widget=forms.Textarea(attrs={"rows": 3}))


class DiscussionForm(PeoplePickerFormMixin, VersionedForm, forms.ModelForm):
    # People of the client's support network as the user may see them (the view sets them):
    # ticked, their names go into "others present".
    present_contacts = forms.ModelMultipleChoiceField(
        label=_("Present from the client's support network"),
        queryset=SupportContact.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Their names are added to the others present."),
    )
    # Of them, those with an e-mail address: invited by e-mail to the time booked.
    invite_contacts = forms.ModelMultipleChoiceField(
        label=_("Invite from the client's support network"),
        queryset=SupportContact.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only those with an e-mail address are listed. They get an invitation "
                    "to the time booked, without the client's name; each only once for a time."),
    )
    field_order = ["holder", "scheduled_for", "invite_contacts", "held_on", "client_present",
                   "others_present", "present_contacts"]

    class Meta:
        model = FeedbackDiscussion
        formfield_callback = bounded_formfield
        fields = ["holder", "scheduled_for", "held_on", "client_present", "others_present",
                  "reviewed", "follows_own_affairs", "support_network"]
        widgets = {
            "scheduled_for": DateTimeInput,
            "held_on": DateInput,
            "reviewed": forms.Textarea(attrs={"rows": 4}),
            "follows_own_affairs": forms.RadioSelect,
        }
        help_texts = {
            "scheduled_for": _("Book a time now and record the discussion when it is held."),
        }

    def __init__(self, *args, contacts=None, **kwargs):
        super().__init__(*args, **kwargs)
        use_people_picker(self, "holder", "care_staff")
        if contacts is None:
            del self.fields["present_contacts"]
            del self.fields["invite_contacts"]
        else:
            self.fields["present_contacts"].queryset = contacts
            self.fields["invite_contacts"].queryset = contacts.exclude(email="")
        self.fields["follows_own_affairs"].choices = [
            c for c in self.fields["follows_own_affairs"].choices if c[0]
        ]

    def clean(self):
        data = super().clean()
        if not data.get("held_on") and not data.get("scheduled_for"):
            raise forms.ValidationError(_("Give the date it was held, or book a time."))
        if data.get("held_on") and data["held_on"] > timezone.localdate():
            self.add_error("held_on", _("A discussion cannot be held in the future."))
        self._add_present_contacts(data)
        return data

    def _add_present_contacts(self, data):
        """The support network's people ticked, by name and who they are to the client,
        after what was typed — each once."""
        typed = data.get("others_present") or ""
        names = [f"{contact.name} ({str(contact.get_kind_display()).lower()})"
                 for contact in data.get("present_contacts") or []
                 if contact.name not in typed]
        others = ", ".join(filter(None, [typed, *names]))
        max_length = FeedbackDiscussion._meta.get_field("others_present").max_length
        if len(others) > max_length:
            self.add_error("present_contacts", _(
                "Together with the names typed, this is too long. Shorten the others present."))
        elif "others_present" in data:
            data["others_present"] = others


class CloseForm(PeoplePickerFormMixin, forms.Form):
    """Closing: where the client goes, and the final feedback discussion."""

    reason = forms.ChoiceField(label=_("Reason for closing"), choices=ClosingReason.choices,
                               widget=forms.RadioSelect)
    closed_on = BoundedDateField(label=_("Closing date"), initial=timezone.localdate)
    holder = PersonField(label=_("Final discussion held by"), purpose="care_staff")
    client_present = forms.BooleanField(label=_("The client took part"), required=False,
                                        initial=True)
    others_present = forms.CharField(label=_("Others present"), required=False,
                                     max_length=300)
    reviewed = forms.CharField(label=_("What was reviewed in the final discussion"),
                               widget=forms.Textarea(attrs={"rows": 4}))
    follow_up_months = forms.TypedChoiceField(
        label=_("Follow-up period after closing"), coerce=int, empty_value=None,
        required=False,
        choices=[("", _("No follow-up period"))] + [
            (months, _("%(months)s months") % {"months": months})
            for months in FOLLOW_UP_PERIOD_MONTHS],
        help_text=_("For a client who found work or reached the goal: the case managers are "
                    "reminded before the period ends, to ask how the client is doing. The "
                    "file is finally closed when it ends."),
    )

    def clean(self):
        data = super().clean()
        if data.get("follow_up_months") and data.get("reason") not in (
                ClosingReason.EMPLOYED, ClosingReason.GOAL_REACHED):
            self.add_error("follow_up_months", _(
                "A follow-up period is kept only for a client who found work or reached the "
                "goal."))
        return data

    def clean_closed_on(self):
        closed_on = self.cleaned_data["closed_on"]
        if closed_on > timezone.localdate():
            raise forms.ValidationError(_("The closing date cannot be in the future."))
        return closed_on


class ReopenForm(PeoplePickerFormMixin, forms.Form):
    """A closed client comes back: who their case managers are now."""

    case_managers = PeopleField(
        label=_("Case managers"), purpose="care_staff",
        error_messages={"required": _("Name the case managers.")},
    )
