"""
Consents, disclosure bans, the client's team and "who has viewed this client's data".

Recording and revoking is for the organisations the client is a client of: they hold the
client relationship. Team members from other organisations see what they are shown.
"""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from clients.models import Client
from tyokyky.exports import csv_response
from tyokyky.pdf import pdf_response, render_pdf

from . import services
from .audit import log_access
from .forms import (
    AccessLogFilterForm,
    ConsentForm,
    DisclosureBanForm,
    RevokeConsentForm,
    TeamMemberForm,
)
from .models import (
    AccessLogEntry,
    Action,
    Consent,
    DataCategory,
    DisclosureBan,
    DisclosureLogEntry,
)
from .policy import GRANT_CODENAME, access_for, get_client_for_user

LOG_PAGE_SIZE = 50


def _client_held_by_me(request, pk) -> Client:
    """A client whose identity the user sees because their organisation has the client."""
    client = get_client_for_user(request.user, pk)
    if not access_for(request.user, client).served:
        raise PermissionDenied
    return client


def _client_with_identity(request, pk) -> Client:
    client = get_client_for_user(request.user, pk)
    if not access_for(request.user, client).can_view(DataCategory.IDENTITY):
        raise PermissionDenied
    return client


def _log_identity(request, client, action):
    log_access(request, client=client, categories=[DataCategory.IDENTITY], action=action)


# --- Consents -----------------------------------------------------------------------------------

@permission_required("consents.add_consent", raise_exception=True)
@require_http_methods(["GET", "POST"])
def consent_create(request, client_pk):
    client = _client_held_by_me(request, client_pk)
    form = ConsentForm(request.POST or None, client=client, initial={"heard_by": request.user})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        consent = services.record_consent(
            client=client, by=request.user, categories=data["categories"],
            organisations=data["recipient_organisations"], sectors=data["recipient_sectors"],
            purpose=data["purpose"], method=data["method"], heard_by=data["heard_by"],
            valid_from=data["valid_from"], valid_until=data["valid_until"],
        )
        messages.success(request, _("Consent recorded."))
        return redirect("consents:detail", pk=consent.pk)
    _log_identity(request, client, Action.CONSENT_FORM)
    return render(request, "consents/consent_form.html", {"form": form, "client": client})


def _consent_for_user(request, pk, *, held=False) -> Consent:
    consent = get_object_or_404(Consent.objects.only("pk", "client_id"), pk=pk)
    loader = _client_held_by_me if held else _client_with_identity
    client = loader(request, consent.client_id)
    consent = (
        Consent.objects.select_related("recorded_by", "heard_by", "revoked_by")
        .prefetch_related("category_rows", "sector_rows", "recipient_organisations")
        .get(pk=pk)
    )
    consent.client = client
    return consent


@permission_required("consents.view_consent", raise_exception=True)
@require_GET
def consent_detail(request, pk):
    consent = _consent_for_user(request, pk)
    consent.in_force = consent.is_valid_on(timezone.localdate())
    _log_identity(request, consent.client, Action.CONSENT)
    return render(request, "consents/consent_detail.html", {
        "consent": consent, "client": consent.client,
        "may_revoke": consent.in_force and access_for(request.user, consent.client).served
        and request.user.has_perm("consents.change_consent"),
    })


@permission_required("consents.change_consent", raise_exception=True)
@require_http_methods(["GET", "POST"])
def consent_revoke(request, pk):
    """Revoking asks first; the next request of anyone already goes without the consent."""
    consent = _consent_for_user(request, pk, held=True)
    form = RevokeConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.revoke_consent(consent=consent, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("Consent revoked."))
        return redirect("consents:detail", pk=consent.pk)
    _log_identity(request, consent.client, Action.CONSENT_REVOKE_FORM)
    return render(request, "consents/consent_revoke.html", {
        "form": form, "consent": consent, "client": consent.client,
    })


@permission_required("consents.view_consent", raise_exception=True)
@require_GET
def consent_pdf(request, pk):
    """The consent on paper, for the client to read and sign."""
    consent = _consent_for_user(request, pk)
    pdf = render_pdf(request, "consents/consent_pdf.html", {
        "consent": consent, "client": consent.client, "generated_at": timezone.now(),
        "generated_by": request.user,
    })
    _log_identity(request, consent.client, Action.CONSENT_PDF)
    return pdf_response(pdf, f"suostumus-{consent.pk}.pdf")


# --- Disclosure bans ----------------------------------------------------------------------------

@permission_required("consents.add_disclosureban", raise_exception=True)
@require_http_methods(["GET", "POST"])
def ban_create(request, client_pk):
    client = _client_held_by_me(request, client_pk)
    form = DisclosureBanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.record_disclosure_ban(client=client, by=request.user, **form.cleaned_data)
        messages.success(request, _("Disclosure ban recorded. It overrides every consent."))
        return redirect("clients:detail", pk=client.pk)
    _log_identity(request, client, Action.DISCLOSURE_BAN_FORM)
    return render(request, "consents/ban_form.html", {"form": form, "client": client})


@permission_required("consents.change_disclosureban", raise_exception=True)
@require_http_methods(["GET", "POST"])
def ban_lift(request, pk):
    ban = get_object_or_404(DisclosureBan.objects.only("pk", "client_id"), pk=pk)
    client = _client_held_by_me(request, ban.client_id)
    ban = DisclosureBan.objects.select_related("organisation").get(pk=pk)
    if request.method == "POST":
        try:
            services.lift_disclosure_ban(ban=ban, by=request.user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("Disclosure ban lifted."))
        return redirect("clients:detail", pk=client.pk)
    _log_identity(request, client, Action.DISCLOSURE_BAN_LIFT_FORM)
    return render(request, "consents/ban_lift.html", {"ban": ban, "client": client})


# --- The client's team --------------------------------------------------------------------------

@permission_required("consents.add_clientuserobjectpermission", raise_exception=True)
@require_http_methods(["GET", "POST"])
def team(request, client_pk):
    client = _client_held_by_me(request, client_pk)
    form = TeamMemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.add_to_team(client=client, user=form.cleaned_data["user"], by=request.user)
        messages.success(request, _("Added to the client's team."))
        return redirect("consents:team", client_pk=client.pk)
    members = (
        client.clientuserobjectpermission_set.filter(permission__codename=GRANT_CODENAME)
        .select_related("user").order_by("user__last_name")
    )
    _log_identity(request, client, Action.TEAM)
    return render(request, "consents/team.html", {
        "form": form, "client": client, "members": [grant.user for grant in members],
    })


@permission_required("consents.delete_clientuserobjectpermission", raise_exception=True)
@require_POST
def team_remove(request, client_pk, user_pk):
    client = _client_held_by_me(request, client_pk)
    grant = get_object_or_404(
        client.clientuserobjectpermission_set.select_related("user"),
        user_id=user_pk, permission__codename=GRANT_CODENAME,
    )
    services.remove_from_team(client=client, user=grant.user, by=request.user)
    messages.success(request, _("Removed from the client's team."))
    return redirect("consents:team", client_pk=client.pk)


# --- Who has viewed this client's data ----------------------------------------------------------

def _logs(request, client):
    form = AccessLogFilterForm(request.GET or None)
    accesses = AccessLogEntry.objects.filter(client=client).select_related("user", "organisation")
    disclosures = DisclosureLogEntry.objects.filter(client=client).select_related(
        "user", "source_organisation", "recipient_organisation"
    )
    if form.is_valid():
        accesses, disclosures = form.filter(accesses), form.filter(disclosures)
        organisation = form.cleaned_data.get("organisation")
        if organisation:
            accesses = accesses.filter(organisation=organisation)
            disclosures = disclosures.filter(recipient_organisation=organisation)
    return form, accesses, disclosures


@permission_required("consents.view_accesslogentry", raise_exception=True)
@require_GET
def access_log(request, client_pk):
    """For answering the client's request: who has seen their data, and what went where."""
    client = _client_held_by_me(request, client_pk)
    # Logged first: the page then lists this view too, and its counts match its rows.
    _log_identity(request, client, Action.ACCESS_LOG)
    form, accesses, disclosures = _logs(request, client)
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("disclosures_page", None)
    context = {
        "client": client,
        "form": form,
        "accesses": Paginator(accesses, LOG_PAGE_SIZE).get_page(request.GET.get("page")),
        "disclosures": Paginator(disclosures, LOG_PAGE_SIZE).get_page(
            request.GET.get("disclosures_page")
        ),
        "query": query.urlencode(),
    }
    return render(request, "consents/access_log.html", context)


def _categories(values) -> str:
    return ", ".join(str(DataCategory(value).label) for value in values)


@permission_required("consents.view_accesslogentry", raise_exception=True)
@require_GET
def access_log_csv(request, client_pk):
    client = _client_held_by_me(request, client_pk)
    _form, accesses, disclosures = _logs(request, client)
    header = [_("Time"), _("Event"), _("User"), _("Organisation"), _("Role"), _("Categories"),
              _("What"), _("Recipient organisation"), _("Consent")]
    rows = [
        [timezone.localtime(e.at).strftime("%d.%m.%Y %H:%M:%S"), _("Viewed"), e.user,
         e.organisation, e.role_label, _categories(e.categories), e.action, "", ""]
        for e in accesses.iterator()
    ] + [
        [timezone.localtime(e.at).strftime("%d.%m.%Y %H:%M:%S"), _("Disclosed"), e.user,
         e.source_organisation, "", _categories(e.categories), e.action,
         e.recipient_organisation, e.consent_id or ""]
        for e in disclosures.iterator()
    ]
    _log_identity(request, client, Action.ACCESS_LOG_CSV)
    return csv_response(f"asiakas-{client.pk}-lokitiedot.csv", header, rows)
