from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clients.records import DataCategory
from teams.models import Organisation, Sector, care_staff
from tyokyky.forms import BoundedDateField
from tyokyky.versions import VersionedForm

from .models import ConsentMethod


class ConsentForm(forms.Form):
    categories = forms.MultipleChoiceField(
        label=_("Information that may be shared"), choices=DataCategory.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    recipient_organisations = forms.ModelMultipleChoiceField(
        label=_("With these organisations"), queryset=Organisation.objects.none(),
        required=False, widget=forms.CheckboxSelectMultiple,
    )
    recipient_sectors = forms.MultipleChoiceField(
        label=_("Or with every organisation of these sectors"), choices=Sector.choices,
        required=False, widget=forms.CheckboxSelectMultiple,
    )
    purpose = forms.CharField(
        label=_("Purpose"), widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: planning work-ability support in the team meeting."),
    )
    method = forms.ChoiceField(
        label=_("The client gave the consent"), choices=ConsentMethod.choices,
        widget=forms.RadioSelect,
    )
    heard_by = forms.ModelChoiceField(
        label=_("Heard by"), queryset=care_staff(), required=False,
        help_text=_("For a verbal consent: the staff member who heard the client give it."),
    )
    valid_from = BoundedDateField(label=_("Valid from"))
    valid_until = BoundedDateField(
        label=_("Valid until"), required=False,
        help_text=_("Leave empty if the consent is valid until revoked."),
    )

    def __init__(self, *args, municipality, serving, **kwargs):
        """`municipality`: the client's as the user knows it; `serving`: the organisations
        the user may know serve the client (consents.policy.known_to)."""
        super().__init__(*args, **kwargs)
        self.fields["recipient_organisations"].queryset = (
            Organisation.objects.filter(is_active=True)
            .filter(Q(municipalities=municipality) | Q(pk__in=serving))
            .distinct()
        )
        self.fields["valid_from"].initial = timezone.localdate()

    def clean(self):
        data = super().clean()
        if not data.get("recipient_organisations") and not data.get("recipient_sectors"):
            self.add_error(
                "recipient_organisations",
                _("Choose at least one recipient organisation or sector."),
            )
        if data.get("method") == ConsentMethod.VERBAL and not data.get("heard_by"):
            self.add_error("heard_by", _("Name the staff member who heard the verbal consent."))
        valid_from, valid_until = data.get("valid_from"), data.get("valid_until")
        if valid_from and valid_until and valid_until < valid_from:
            self.add_error("valid_until", _("The consent cannot end before it begins."))
        if valid_until and valid_until < timezone.localdate():
            self.add_error("valid_until", _("The end date has already passed."))
        return data


class RevokeConsentForm(VersionedForm, forms.Form):
    """Revoking asks for the reason; carries the consent's version it was opened on."""

    reason = forms.CharField(
        label=_("Reason for revocation"), widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: the client revoked the consent by phone."),
    )


class DisclosureBanForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.filter(is_active=True),
        required=False, empty_label=_("– choose an organisation or a sector –"),
    )
    sector = forms.ChoiceField(
        label=_("Sector"), choices=[("", _("– choose an organisation or a sector –")),
                                    *Sector.choices], required=False,
    )
    reason = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
    )

    def clean(self):
        data = super().clean()
        if bool(data.get("organisation")) == bool(data.get("sector")):
            raise forms.ValidationError(_("Choose either an organisation or a sector."))
        return data


class TeamMemberForm(forms.Form):
    user = forms.ModelChoiceField(
        label=_("Person"), queryset=care_staff(),
        help_text=_("They see the categories a consent covers for their organisation, and "
                    "nothing without one."),
    )


class AccessLogFilterForm(forms.Form):
    """Filters of the access log page: dates and an organisation, nothing sensitive."""

    start = BoundedDateField(label=_("From"), required=False)
    end = BoundedDateField(label=_("To"), required=False)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.all(), required=False,
        empty_label=_("All organisations"),
    )

    def filter(self, entries):
        data = self.cleaned_data
        if data.get("start"):
            entries = entries.filter(at__date__gte=data["start"])
        if data.get("end"):
            entries = entries.filter(at__date__lte=data["end"])
        return entries
