"""The client's forms for consents and disclosure bans: plain-language Finnish messages."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clients.records import DataCategory
from teams.choices import Sector
from tyokyky.forms import BoundedDateField

NO_CATEGORY = _("Choose at least one kind of information.")
NO_RECIPIENT = _("Choose at least one organisation or sector.")
ENDS_BEFORE_START = _("The end date must be after the start date.")
END_PASSED = _("The end date is already in the past.")
START_PASSED = _("The start date cannot be in the past.")


class _Recipients(forms.Form):
    categories = forms.MultipleChoiceField(
        label=_("What information"), choices=DataCategory.choices,
        widget=forms.CheckboxSelectMultiple, error_messages={"required": NO_CATEGORY},
    )
    recipient_organisations = forms.ModelMultipleChoiceField(
        label=_("To which organisations"), queryset=None, required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    recipient_sectors = forms.MultipleChoiceField(
        label=_("Or to all organisations of a sector"), choices=Sector.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    valid_until = BoundedDateField(
        label=_("Valid until"), required=False,
        help_text=_("Leave empty if the consent is valid until you revoke it."),
    )

    def clean(self):
        data = super().clean()
        if not data.get("recipient_organisations") and not data.get("recipient_sectors"):
            self.add_error("recipient_organisations", NO_RECIPIENT)
        valid_until = data.get("valid_until")
        if valid_until and valid_until < timezone.localdate():
            self.add_error("valid_until", END_PASSED)
        return data


class GiveConsentForm(_Recipients):
    """A new consent, given by the client themself."""

    purpose = forms.CharField(
        label=_("What for"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: planning my work-ability support."),
        error_messages={"required": _("Write what the information may be used for.")},
    )
    valid_from = BoundedDateField(label=_("Valid from"),
                                  error_messages={"required": _("Give the start date.")})
    field_order = ["categories", "recipient_organisations", "recipient_sectors", "purpose",
                   "valid_from", "valid_until"]

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipient_organisations"].queryset = organisations
        self.fields["valid_from"].initial = timezone.localdate()

    def clean(self):
        data = super().clean()
        valid_from, valid_until = data.get("valid_from"), data.get("valid_until")
        if valid_from and valid_from < timezone.localdate():
            self.add_error("valid_from", START_PASSED)
        if valid_from and valid_until and valid_until < valid_from:
            self.add_error("valid_until", ENDS_BEFORE_START)
        return data


class NarrowConsentForm(_Recipients):
    """The same consent with less: only what it covers now can be chosen."""

    def __init__(self, *args, consent, **kwargs):
        super().__init__(*args, **kwargs)
        categories = {category.value for category in consent.categories}
        sectors = {sector.value for sector in consent.recipient_sectors}
        self.fields["categories"].choices = [
            choice for choice in DataCategory.choices if choice[0] in categories]
        self.fields["recipient_organisations"].queryset = consent.recipient_organisations.all()
        self.fields["recipient_sectors"].choices = [
            choice for choice in Sector.choices if choice[0] in sectors]
        self.initial.setdefault("categories", sorted(categories))
        self.initial.setdefault("recipient_organisations",
                                [o.pk for o in consent.recipient_organisations.all()])
        self.initial.setdefault("recipient_sectors", sorted(sectors))
        self.initial.setdefault("valid_until", consent.valid_until)
        self.consent = consent

    def clean(self):
        data = super().clean()
        valid_until = data.get("valid_until")
        if valid_until and valid_until < self.consent.valid_from:
            self.add_error("valid_until", ENDS_BEFORE_START)
        return data


class ClientBanForm(forms.Form):
    """The client forbids disclosure to one organisation or one sector."""

    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=None, required=False,
        empty_label=_("– choose an organisation or a sector –"),
    )
    sector = forms.ChoiceField(
        label=_("Or a whole sector"), choices=[("", _("– choose an organisation or a sector –")),
                                               *Sector.choices], required=False,
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations

    def clean(self):
        data = super().clean()
        if bool(data.get("organisation")) == bool(data.get("sector")):
            raise forms.ValidationError(_("Choose one organisation or one sector."))
        return data

    def get_sector_label(self) -> str:
        """The chosen sector's name, for the page that asks "are you sure?"."""
        return str(dict(Sector.choices).get(self.cleaned_data.get("sector"), ""))
