from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ProposalState, RejectionReason


class ProposalFilterForm(forms.Form):
    """The list's filters: numbers only, so that nothing about a person goes into a URL."""

    state = forms.ChoiceField(label=_("Show"), required=False, choices=ProposalState.choices)
    number = forms.IntegerField(
        label=_("Proposal or client number"), required=False, min_value=1,
        max_value=2**63 - 1,
        help_text=_("The number of the proposal (without “H-”) or of the client."),
    )


class ApproveForm(forms.Form):
    checked = forms.BooleanField(
        label=_("I have checked that these records are no longer needed and that no "
                "complaint, claim or archiving keeps them."),
        error_messages={"required": _("Confirm that the records are no longer needed.")},
    )


class RejectForm(forms.Form):
    reason = forms.ChoiceField(label=_("Why are the records kept?"),
                               choices=RejectionReason.choices, widget=forms.RadioSelect,
                               error_messages={"required": _("Choose why the records are kept.")})
