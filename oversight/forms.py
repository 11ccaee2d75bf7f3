from django import forms
from django.utils.translation import gettext_lazy as _

from clients.hetu import normalise_hetu, validate_hetu
from clients.models import Client
from teams.models import Organisation, User
from tyokyky.forms import BoundedDateField

from .models import LogKind, OfficerPreference
from .search import Criteria, available_logs, day_bounds


def _user_by_username(value: str):
    user = User.objects.filter(username__iexact=value.strip()).first()
    if user is None:
        raise forms.ValidationError(_("No user has the username %(username)s."),
                                    params={"username": value.strip()}, code="unknown_user")
    return user


class SearchForm(forms.Form):
    """
    The officer's log search. POSTed: the personal identity code travels in the request body
    only, is checked with the HETU rules (clients/hetu.py) and turned into the client's id.
    """

    log = forms.ChoiceField(label=_("Log"), widget=forms.RadioSelect, initial=LogKind.ACCESS)
    username = forms.CharField(
        label=_("User"), required=False, max_length=150,
        help_text=_("The username, e.g. nnurmi. In the administration log: who made the "
                    "change."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}))
    target_username = forms.CharField(
        label=_("Concerning user (administration log)"), required=False, max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}))
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.all(), required=False,
        empty_label=_("All organisations"),
        help_text=_("In the disclosure log: the organisation the data came from or went to."))
    hetu = forms.CharField(
        label=_("Client's personal identity code"), required=False, max_length=20,
        help_text=_("For example 131052-308T. The code is not saved nor shown in any "
                    "address."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}))
    start = BoundedDateField(label=_("From"), required=False)
    end = BoundedDateField(label=_("To"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["log"].choices = [(kind, LogKind(kind).label) for kind in available_logs()]

    def clean_username(self):
        value = self.cleaned_data["username"]
        return _user_by_username(value) if value.strip() else None

    def clean_target_username(self):
        value = self.cleaned_data["target_username"]
        return _user_by_username(value) if value.strip() else None

    def clean_hetu(self):
        value = normalise_hetu(self.cleaned_data["hetu"])
        if value:
            validate_hetu(value)  # a message in Finnish for each kind of mistake
        return value

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end of the period cannot be before its start."))
        log = data.get("log")
        if log == LogKind.ADMINISTRATION and data.get("hetu"):
            self.add_error("hetu", _("The administration log is about users, not clients: "
                                     "leave the personal identity code empty."))
        if log != LogKind.ADMINISTRATION and data.get("target_username"):
            self.add_error("target_username", _("Only the administration log has a "
                                                "concerning user."))
        return data

    def criteria(self) -> Criteria:
        data = self.cleaned_data
        since, until = day_bounds(data.get("start"), data.get("end"))
        client_id = None
        if data.get("hetu"):
            client_id = Client.objects.filter(hetu=data["hetu"]).values_list(
                "pk", flat=True).first()
        organisation = data.get("organisation")
        return Criteria(
            log=data["log"],
            user_id=data["username"].pk if data.get("username") else None,
            target_user_id=data["target_username"].pk if data.get("target_username") else None,
            organisation_id=organisation.pk if organisation else None,
            client_id=client_id, by_hetu=bool(data.get("hetu")),
            no_client=bool(data.get("hetu")) and client_id is None,
            since=since, until=until,
        )


class ReviewForm(forms.Form):
    note = forms.CharField(
        label=_("Review note"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What you found: e.g. the reads belonged to the user's work, or what "
                    "you did about them."))


class PreferenceForm(forms.ModelForm):
    class Meta:
        model = OfficerPreference
        fields = ["email_flags"]
        help_texts = {"email_flags": _("One e-mail after each hourly check that finds "
                                       "something, with the number of flags by kind. No "
                                       "client information is in the message.")}
