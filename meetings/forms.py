from datetime import datetime, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clients.models import SupportContact
from teams.models import Team, User
from tyokyky.forms import (
    BoundedDateField,
    DateTimeInput,
    bounded_formfield,
    bounded_formset,
)

from .models import Attendance, EntryCriteria, MeetingDecision, MeetingMode, Room

# --- Team meetings ------------------------------------------------------------------------------

DURATIONS = [(30, _("30 minutes")), (45, _("45 minutes")), (60, _("1 hour")),
             (90, _("1.5 hours")), (120, _("2 hours"))]


class MeetingTimeForm(forms.Form):
    """When and how: shared by booking and rescheduling."""

    date = BoundedDateField(label=_("Date"))
    start = forms.TimeField(label=_("Starts at"), widget=forms.TimeInput(
        attrs={"type": "time"}, format="%H:%M"))
    duration = forms.TypedChoiceField(label=_("Length"), choices=DURATIONS, coerce=int,
                                      initial=60)
    mode = forms.ChoiceField(label=_("Held"), choices=MeetingMode.choices,
                             widget=forms.RadioSelect, initial=MeetingMode.IN_PERSON)
    room = forms.ModelChoiceField(label=_("Room"), queryset=Room.objects.none(),
                                  required=False, empty_label=_("– no room –"))
    video_link = forms.URLField(
        label=_("Video link"), required=False, assume_scheme="https",
        help_text=_("Everyone invited sees the link: do not put the client's name in it."))
    phone_details = forms.CharField(
        label=_("Phone details"), required=False, max_length=200,
        help_text=_("Who calls whom, or the number to call. Shown only to those who may see "
                    "the client's contact details."))

    interpreter_booked = forms.BooleanField(
        label=_("An interpreter is booked"), required=False,
        help_text=_("Tick when the interpreter the client needs is booked for the meeting."))

    def __init__(self, *args, rooms, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = rooms

    @property
    def period(self):
        """The chosen start and end as aware datetimes in Helsinki time."""
        data = self.cleaned_data
        starts_at = timezone.make_aware(datetime.combine(data["date"], data["start"]))
        return starts_at, starts_at + timedelta(minutes=data["duration"])


class WeekChoiceForm(forms.Form):
    """
    What the booking page's week shows: the day, the meeting's length, the people and the room
    chosen so far, as the booking form holds them before it is sent. Read field by field;
    what does not read falls back (today, an hour, nobody, no room) without an error, as no
    error is shown before the person tries to book.
    """

    date = BoundedDateField(required=False)
    duration = forms.TypedChoiceField(choices=DURATIONS, coerce=int, required=False)
    participants = forms.ModelMultipleChoiceField(queryset=User.objects.none(),
                                                  required=False)
    room = forms.ModelChoiceField(queryset=Room.objects.none(), required=False)

    def __init__(self, *args, people, rooms, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participants"].queryset = people
        self.fields["room"].queryset = rooms

    def choice(self) -> dict:
        self.is_valid()
        data = self.cleaned_data
        return {"date": data.get("date") or timezone.localdate(),
                "duration": data.get("duration") or 60,
                "participants": list(data.get("participants") or []),
                "room": data.get("room")}


class CalendarForm(forms.Form):
    """The calendar's query string: week or month, mine or my teams', around which day.
    What does not read falls back to this week of my own meetings."""

    view = forms.ChoiceField(choices=[("week", "week"), ("month", "month")], required=False)
    scope = forms.ChoiceField(choices=[("mine", "mine"), ("team", "team")], required=False)
    date = BoundedDateField(required=False)

    def choice(self) -> dict:
        self.is_valid()
        data = self.cleaned_data
        return {"view": data.get("view") or "week", "scope": data.get("scope") or "mine",
                "day": data.get("date") or timezone.localdate()}


class SupportContactChoiceField(forms.ModelMultipleChoiceField):
    """People of the client's support network (clients.SupportContact), by name, who they are
    to the client and whether an invitation can reach them."""

    def label_from_instance(self, contact):
        details = ", ".join(filter(None, [str(contact.get_kind_display()),
                                          contact.organisation_name]))
        reach = contact.email or _("no e-mail: invite them yourself")
        return f"{contact.name} ({details}) – {reach}"


class EntryCriteriaForm(forms.Form):
    """The entry criteria (meetings.models.EntryCriteria) as checkboxes, shown apart from the
    rest of the form."""

    CRITERIA = EntryCriteria.CRITERIA

    needs_support = forms.BooleanField(label=_("The client needs work-ability support"),
                                       required=False)
    wants_to_work = forms.BooleanField(
        label=_("The client wants to enter or stay in working life"), required=False)
    not_solved_by_basic_services = forms.BooleanField(
        label=_("Basic services have not solved the situation"), required=False)
    client_motivated = forms.BooleanField(label=_("The client is motivated to attend"),
                                          required=False)

    def criteria_fields(self):
        return [self[name] for name in self.CRITERIA]

    def criteria(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.CRITERIA}


class BookingForm(MeetingTimeForm, EntryCriteriaForm):
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none())
    # Set by the view to the contacts the user may see (meetings.views.book).
    support_contacts = SupportContactChoiceField(
        label=_("From the client's support network"), queryset=SupportContact.objects.none(),
        required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("They are invited as people outside Työkyky and get the invitation by "
                    "e-mail."),
    )
    participants = forms.ModelMultipleChoiceField(
        label=_("Invite"), queryset=User.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("You are invited too. Gather the experts the client's situation needs."),
    )
    agenda = forms.CharField(label=_("Agenda"), required=False,
                             widget=forms.Textarea(attrs={"rows": 3}))

    field_order = ["team", "date", "start", "duration", "mode", "room", "video_link",
                   "phone_details", "interpreter_booked", "participants", "agenda"]

    def __init__(self, *args, teams, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        if len(teams) == 1:
            self.fields["team"].initial = teams[0]
        self.fields["participants"].queryset = people

    def main_fields(self):
        return [field for field in self if field.name not in self.CRITERIA
                and field.name != "support_contacts"]


class ExternalParticipantForm(forms.Form):
    """Someone outside Työkyky: the client's support person, an occupational therapist."""

    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    organisation_name = forms.CharField(label=_("Organisation"), max_length=200,
                                        required=False)
    role = forms.CharField(label=_("Role"), max_length=200, required=False,
                           help_text=_("For example: support person, occupational therapist."))
    email = forms.EmailField(label=_("E-mail"), required=False,
                             help_text=_("The invitation goes here."))

    def clean(self):
        data = super().clean()
        if any(data.get(name) for name in ("organisation_name", "role", "email")) and not (
            data.get("name")
        ):
            self.add_error("name", _("Write the person's name."))
        return data


MAX_EXTERNALS = 10  # people outside Työkyky invited to one meeting

ExternalFormSet = bounded_formset(forms.formset_factory, ExternalParticipantForm, extra=2,
                                  max_num=MAX_EXTERNALS)


class AttendanceForm(forms.Form):
    """
    Who came: one choice per participant, read from the meeting's own rows — never from what
    the form claims. `names` gives each row's label (the client's name as the policy shows it).
    """

    def __init__(self, *args, participants, names, **kwargs):
        super().__init__(*args, **kwargs)
        self.participants = list(participants)
        for participant in self.participants:
            self.fields[self.field_name(participant)] = forms.ChoiceField(
                label=names[participant.pk], choices=Attendance.choices,
                initial=participant.attendance, widget=forms.RadioSelect,
                error_messages={"required": _("Choose whether they came."),
                                "invalid_choice": _("Choose whether they came.")},
            )

    @staticmethod
    def field_name(participant) -> str:
        return f"participant-{participant.pk}"

    @property
    def attendance(self) -> dict:
        """Participant id -> the attendance chosen."""
        return {p.pk: self.cleaned_data[self.field_name(p)] for p in self.participants}


class DecisionForm(forms.ModelForm):
    minutes = forms.CharField(label=_("Minutes"), required=False,
                              widget=forms.Textarea(attrs={"rows": 5}))

    class Meta:
        model = MeetingDecision
        formfield_callback = bounded_formfield
        fields = [
            "realistic_goal", "support", "financial_support", "information_for_doctor",
            "questions_for_doctor", "doctor", "statement_possible_now", "doctor_appointment",
            "case_manager_attends_appointment", "case_managers", "feedback_discussion_holder",
            "feedback_discussion_at", "follow_up", "follow_up_by",
        ]
        widgets = {
            "realistic_goal": forms.Textarea(attrs={"rows": 2}),
            "support": forms.Textarea(attrs={"rows": 3}),
            "financial_support": forms.Textarea(attrs={"rows": 2}),
            "information_for_doctor": forms.Textarea(attrs={"rows": 3}),
            "questions_for_doctor": forms.Textarea(attrs={"rows": 3}),
            "follow_up": forms.Textarea(attrs={"rows": 2}),
            "case_managers": forms.CheckboxSelectMultiple,
            "feedback_discussion_at": DateTimeInput,
        }
        help_texts = {
            "feedback_discussion_holder": _("Leave empty: the first case manager holds it."),
            "feedback_discussion_at": _("If the time was already agreed in the meeting: the "
                                        "discussion is booked for its holder."),
            "follow_up_by": _("Gets the follow-up dates and their reminders."),
        }

    def __init__(self, *args, people, doctors, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("case_managers", "feedback_discussion_holder", "follow_up_by"):
            self.fields[name].queryset = people
        self.fields["doctor"].queryset = doctors
        self.fields["case_managers"].required = True


class MeetingRequestForm(EntryCriteriaForm):
    """A request for a team meeting: why, and the entry criteria as the requester sees them."""

    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none(),
                                  empty_label=None)
    reason = forms.CharField(
        label=_("Why is a team meeting needed?"), max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the client's situation is and what basic services have tried. "
                    "Only what the team needs."),
        error_messages={"required": _("Write why a team meeting is needed.")},
    )
    urgency = forms.ChoiceField(label=_("Urgency"), widget=forms.RadioSelect,
                                choices=[("normal", _("Normal")), ("urgent", _("Urgent"))],
                                initial="normal",
                                error_messages={"required": _("Choose the urgency.")})


    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        if len(teams) == 1:
            self.fields["team"].initial = teams[0]
            self.fields["team"].widget = forms.HiddenInput()

