from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from clients.hetu import HETU_PATTERN, birth_date, is_hetu_ending, normalise_hetu
from clients.models import (
    CaseManagerAssignment,
    Client,
    ClientRelationship,
    ClientStatus,
    SituationNote,
)
from clients.names import name_starts_with
from consents.policy import (
    IdentitySource,
    card_matches,
    care_organisation_ids,
    case_managers_known_to,
    known_assignments,
)
from teams.models import Municipality, care_staff
from teams.people import PeopleField, PeoplePickerFormMixin, PersonField, use_people_picker
from tyokyky.versions import VersionedForm


class HetuField(forms.CharField):
    """Accepts lower case and stray spaces; the century sign is kept as typed."""

    def to_python(self, value):
        return normalise_hetu(super().to_python(value))


class ClientForm(PeoplePickerFormMixin, VersionedForm, forms.ModelForm):
    """The client's card; editing, it carries the version it was opened on."""

    case_managers = PeopleField(
        label=_("Case managers"), purpose="care_staff",
        help_text=_("The people who coordinate the client's whole situation."),
        error_messages={"required": _("An open client must always have a case manager. "
                                      "Name at least one.")},
    )

    class Meta:
        model = Client
        fields = [
            "first_name", "last_name", "hetu", "municipality", "language",
            "interpreter_language", "phone", "email", "street_address", "postal_code",
            "post_office", "own_nurse",
        ]
        field_classes = {"hetu": HetuField}
        widgets = {"hetu": forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"})}

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = Municipality.objects.filter(is_active=True)
        use_people_picker(self, "own_nurse", "nurse")
        self.fields["hetu"].help_text = _("For example 131052-308T.")
        if self.instance.pk:
            self.fields["case_managers"].initial = [
                a.user_id for a in self.instance.case_manager_assignments.current()
            ]
        if self.instance.pk:
            # The code is who the client is: corrected by the administrator, not in a form.
            self.fields["hetu"].disabled = True
            self.fields["hetu"].help_text = ""
        if organisations is not None:
            self.fields["organisation"] = forms.ModelChoiceField(
                label=_("Client of organisation"), queryset=organisations,
                initial=organisations.first() if len(organisations) == 1 else None,
                help_text=_("Your organisation that takes the client on."),
            )

    def validate_unique(self):
        """
        Not for the code: a code already in Työkyky gets the same answer as a new one, so that
        nobody learns from this form whether a person is someone's client (see
        cases.services.add_client).
        """
        exclude = self._get_validation_exclusions() | {"hetu"}
        try:
            self.instance.validate_unique(exclude=exclude)
        except ValidationError as error:
            self._update_errors(error)


class ClientSearchForm(forms.Form):
    """Search and filters of the client list. Never put into a URL: see tyokyky/search.py."""

    STATUS_ALL = "all"
    DEFAULTS = {"status": ClientStatus.ACTIVE}

    q = forms.CharField(
        label=_("Name or personal identity code"), required=False, max_length=100,
        help_text=_("The start of a first or last name, the last four characters of the code, "
                    "or the whole code."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "type": "search"}),
    )
    municipality = forms.ModelChoiceField(
        label=_("Municipality"), queryset=Municipality.objects.filter(is_active=True),
        required=False, empty_label=_("All municipalities"),
    )
    case_manager = forms.ModelChoiceField(
        label=_("Case manager"), queryset=care_staff(), required=False,
        empty_label=_("Anyone"),
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False,
        choices=[*ClientStatus.choices, (STATUS_ALL, _("All"))],
    )

    def for_user(self, user):
        """Case managers to filter by: those of the clients the user's organisations serve,
        and the user's colleagues. All care staff of the country would be a list of thousands,
        too long to read and slow to render."""
        self.user = user
        organisations = care_organisation_ids(user)
        self.fields["case_manager"].queryset = care_staff().filter(
            Q(memberships__organisation__in=organisations) | case_managers_known_to(user))

    def clean_q(self):
        q = " ".join(self.cleaned_data["q"].split())
        if HETU_PATTERN.match(normalise_hetu(q)):
            try:
                birth_date(normalise_hetu(q))
            except ValidationError as error:
                raise ValidationError(error.messages) from None
        return q

    @property
    def searches_identity(self) -> bool:
        """Does the search look at who the client is (name, code, municipality, case manager)?"""
        return any(self.data.get(name) for name in ("q", "municipality", "case_manager"))

    @property
    def full_hetu(self) -> str | None:
        """The whole personal identity code, when that is what was typed."""
        q = normalise_hetu(self.cleaned_data.get("q", ""))
        return q if HETU_PATTERN.match(q) else None

    def filter(self, clients):
        data = self.cleaned_data
        q = data.get("q", "")
        if is_hetu_ending(q.upper()):
            clients = clients.filter(hetu_ending=q.upper())
        else:
            for word in q.split():
                clients = clients.filter(card_matches(self.user, name_starts_with(word)))
        if data.get("municipality"):
            clients = clients.filter(card_matches(self.user,
                                                  Q(municipality=data["municipality"])))
        if data.get("case_manager"):
            clients = clients.filter(
                pk__in=CaseManagerAssignment.objects.current().filter(known_assignments(
                    self.user), user=data["case_manager"]).values("client_id")
            )
        if data.get("status") in ClientStatus.values:
            # The status is the card's: rows without it are not filtered by it.
            clients = clients.filter(Q(status=data["status"]) | ~Q(
                identity_source__in=IdentitySource.CARD) | Q(identity_source__isnull=True))
        return clients



class SituationNoteForm(forms.ModelForm):
    class Meta:
        model = SituationNote
        fields = ["category", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 6})}
        help_texts = {
            "category": _("Other organisations see the note only under a consent for this "
                          "category."),
            "text": _("Only what the team needs to know. Diagnoses and treatment stay in the "
                      "patient record system."),
        }


class OwnCardForm(PeoplePickerFormMixin, VersionedForm, forms.ModelForm):
    """The card an organisation typed of a client who was already in Työkyky: its own."""

    class Meta:
        model = ClientRelationship
        fields = ["first_name", "last_name", "municipality", "language", "interpreter_language",
                  "phone", "email", "street_address", "postal_code", "post_office", "own_nurse"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = Municipality.objects.filter(is_active=True)
        use_people_picker(self, "own_nurse", "nurse")
        for name in ("first_name", "last_name"):
            self.fields[name].required = True


class HandoverForm(PeoplePickerFormMixin, forms.Form):
    successor = PersonField(
        label=_("Successor"), purpose="care_staff", required=False,
        help_text=_("Who takes over as the client's case manager."),
    )
