"""
The client's consents and disclosure bans in Oma Työkyky: give, confirm, narrow and revoke a
consent; record and lift a ban. Thin: the client's own rows come from consents/own_consents.py
(404 for anything not theirs), every change from consents/services.py (`*_as_client`), and a
change that takes something away asks first on a page of its own (no JavaScript needed).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from consents import services
from consents.own import render_own
from consents.own_consents import (
    bans_of,
    consents_of,
    organisations_to_choose,
    own_ban,
    own_consent,
)

from .consent_forms import ClientBanForm, GiveConsentForm, NarrowConsentForm
from .session import client_required


def _add_errors(form, error: ValidationError) -> None:
    """The service's refusal on the form: on its field where the form has one."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _refused(request, error: ValidationError):
    """A change the service refused (done already, no longer in force): say so on the list."""
    for message in error.messages:
        messages.error(request, message)
    return redirect("oma:consents")


@client_required
def consents(request):
    return render_own(request, "oma/consents.html", {
        "consents": consents_of(request.client), "bans": bans_of(request.client),
    })


@client_required
@require_http_methods(["GET", "POST"])
def consent_give(request):
    form = GiveConsentForm(request.POST or None,
                           organisations=organisations_to_choose(request.client))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.give_consent_as_client(
                client=request.client.instance, categories=data["categories"],
                organisations=list(data["recipient_organisations"]),
                sectors=data["recipient_sectors"], purpose=data["purpose"],
                valid_from=data["valid_from"], valid_until=data["valid_until"])
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Your consent is now in force."))
            return redirect("oma:consents")
    return render_own(request, "oma/consent_give.html", {"form": form})


@client_required
@require_http_methods(["GET", "POST"])
def consent_confirm(request, pk):
    consent = own_consent(request.client, pk)
    if request.method == "POST":
        try:
            services.confirm_consent_as_client(consent=consent, client=request.client.instance)
        except ValidationError as error:
            return _refused(request, error)
        messages.success(request, _("You confirmed the consent. It is now in force."))
        return redirect("oma:consents")
    return render_own(request, "oma/consent_confirm.html", {"consent": consent})


@client_required
@require_http_methods(["GET", "POST"])
def consent_revoke(request, pk):
    consent = own_consent(request.client, pk)
    if request.method == "POST":
        try:
            services.revoke_consent_as_client(consent=consent, client=request.client.instance,
                                              reason=_("Revoked by the client."))
        except ValidationError as error:
            return _refused(request, error)
        messages.success(request, _("You revoked the consent. It is no longer in force."))
        return redirect("oma:consents")
    return render_own(request, "oma/consent_revoke.html", {"consent": consent})


@client_required
@require_http_methods(["GET", "POST"])
def consent_narrow(request, pk):
    """Only a consent the client gave or confirmed: for a staff consent not yet confirmed the
    page says to confirm or revoke it first, and a POST is refused (see
    services.may_narrow_as_client: narrowing it would open more)."""
    consent = own_consent(request.client, pk)
    try:
        services.check_narrowable_by_client(consent)
    except ValidationError as error:
        if request.method == "POST":
            return _refused(request, error)
        return render_own(request, "oma/consent_narrow.html", {
            "consent": consent, "form": None, "refusal": error.messages[0]})
    form = NarrowConsentForm(request.POST or None, consent=consent)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.narrow_consent_as_client(
                consent=consent, client=request.client.instance, categories=data["categories"],
                organisations=list(data["recipient_organisations"]),
                sectors=data["recipient_sectors"], valid_until=data["valid_until"])
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("You narrowed the consent. The narrower consent is "
                                        "now in force."))
            return redirect("oma:consents")
    return render_own(request, "oma/consent_narrow.html", {"consent": consent, "form": form})


@client_required
@require_http_methods(["GET", "POST"])
def ban_create(request):
    """Two steps: the form, then a page that asks "are you sure?" with the choice carried
    along in hidden fields; only the second POST (`confirm`) records the ban."""
    form = ClientBanForm(request.POST or None,
                         organisations=organisations_to_choose(request.client))
    if request.method == "POST" and form.is_valid():
        if request.POST.get("confirm") != "yes":
            return render_own(request, "oma/ban_confirm.html", {"form": form})
        try:
            services.record_disclosure_ban_as_client(
                client=request.client.instance, organisation=form.cleaned_data["organisation"],
                sector=form.cleaned_data["sector"])
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The disclosure ban is now in force."))
            return redirect("oma:consents")
    return render_own(request, "oma/ban_form.html", {"form": form})


@client_required
@require_http_methods(["GET", "POST"])
def ban_lift(request, pk):
    ban = own_ban(request.client, pk)
    if request.method == "POST":
        try:
            services.lift_disclosure_ban_as_client(ban=ban, client=request.client.instance)
        except ValidationError as error:
            return _refused(request, error)
        messages.success(request, _("You lifted the disclosure ban."))
        return redirect("oma:consents")
    return render_own(request, "oma/ban_lift.html", {"ban": ban})
