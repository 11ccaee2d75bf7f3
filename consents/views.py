"""
Consents, disclosure bans, the client's team and "who has viewed this client's data".

Any organisation that serves the client records the client's consents, revocations and bans:
a consent it records opens only its own data until the others confirm it (or the client does),
and revoking or banning only narrows what is shown. Only the organisation that recorded a ban
lifts it. Any of them manages the client's team and answers who has seen the client's data —
for its own part; the whole of both only with the client's card (policy.may_know_of_others).
"""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from clients.records import DataCategory
from tyokyky.exports import csv_response
from tyokyky.pdf import pdf_response, render_pdf
from tyokyky.versions import EditConflict, version_of
from tyokyky.views import report_rule_broken

from . import services
from .audit import log_shown, render_shown
from .forms import (
    AccessLogFilterForm,
    ConsentForm,
    DisclosureBanForm,
    RevokeConsentForm,
    TeamMemberForm,
)
from .models import AccessLogEntry, Action, Consent, DisclosureBan, DisclosureLogEntry
from .policy import (
    care_organisation_ids,
    client_for,
    get_record_for_user,
    organisation_of,
    viewer_for,
)

LOG_PAGE_SIZE = 50


def _served_by_me(user, pk):
    """A client my organisation serves, on whatever basis."""
    client = client_for(user, pk)
    if not client.access.served:
        raise PermissionDenied
    return client


def _with_identity(user, pk):
    """A client whose identity the user sees: without it, their consents are not for them to
    know of — 404, as for a consent that does not exist."""
    client = client_for(user, pk)
    if not client.identity:
        raise Http404
    return client


# --- Consents -----------------------------------------------------------------------------------

@permission_required("consents.add_consent", raise_exception=True)
@require_http_methods(["GET", "POST"])
def consent_create(request, client_pk):
    client = _served_by_me(request.user, client_pk)
    form = ConsentForm(request.POST or None, municipality=client.municipality or None,
                       serving=client.relationships().values("organisation"),
                       initial={"heard_by": request.user})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        consent = services.record_consent(
            client=client.instance, by=request.user, categories=data["categories"],
            organisations=data["recipient_organisations"], sectors=data["recipient_sectors"],
            purpose=data["purpose"], method=data["method"], heard_by=data["heard_by"],
            valid_from=data["valid_from"], valid_until=data["valid_until"],
        )
        messages.success(request, _("Consent recorded."))
        return redirect("consents:detail", pk=consent.pk)
    return render_shown(request, "consents/consent_form.html", {"form": form}, client=client,
                        action=Action.CONSENT_FORM)


def _known_to_user(client, rows):
    """The client's consent or ban, if the user may know of it: their own organisation's, or
    any with the client's card (policy.known_to) — by the organisation that recorded it."""
    return client.known(rows, "recorded_by_organisation").first()


def _consent_for_user(request, pk, loader=_with_identity):
    """The consent and its client as the user may see them: 404 for a consent they may not
    know of — another organisation's, without the client's card — whether or not it exists."""
    consent = get_record_for_user(
        request.user,
        Consent.objects.select_related("recorded_by", "heard_by", "revoked_by",
                                       "recorded_by_organisation")
        .prefetch_related("category_rows", "sector_rows", "recipient_organisations",
                          "confirmations__organisation", "confirmations__confirmed_by"),
        pk, loader=loader, find=_known_to_user)
    consent.in_force = consent.is_valid_on(timezone.localdate())
    return consent, consent.shown


def _confirms_as(request, consent, client):
    """The user's organisation, if the consent waits for its confirmation (see
    consents.services.confirm_consent): it serves the client and did not record the consent."""
    membership = viewer_for(request.user).membership
    if not (membership and consent.in_force and consent.confirmed_by_client_at is None
            and request.user.has_perm("consents.add_consentconfirmation")):
        return None
    organisation_id = membership.organisation_id
    confirmed = {c.organisation_id for c in consent.confirmations.all()}
    if organisation_id in confirmed or organisation_id == consent.recorded_by_organisation_id:
        return None
    serves = client.instance.relationships.in_force().filter(
        organisation_id=organisation_id).exists()
    return membership.organisation if serves else None


@permission_required("consents.view_consent", raise_exception=True)
@require_GET
def consent_detail(request, pk):
    consent, client = _consent_for_user(request, pk)
    return render_shown(request, "consents/consent_detail.html", {
        "consent": consent,
        "may_revoke": consent.in_force and _may_revoke(request, consent, client),
        "confirms_as": _confirms_as(request, consent, client),
    }, client=client, action=Action.CONSENT)


@permission_required("consents.add_consentconfirmation", raise_exception=True)
@require_POST
def consent_confirm(request, pk):
    """One click: the user's organisation confirms the consent for its own data."""
    consent, _client = _consent_for_user(request, pk, loader=_served_by_me)
    organisation = organisation_of(request.user)
    try:
        services.confirm_consent(consent=consent, organisation=organisation, by=request.user)
    except ValidationError as error:
        report_rule_broken(request, error)
    else:
        messages.success(request, _("Confirmed: the consent now covers %(organisation)s's "
                                    "information too.") % {"organisation": organisation})
    return redirect("consents:detail", pk=consent.pk)


def _may_revoke(request, consent, client) -> bool:
    """The client's revocation is recorded by the organisation that recorded the consent, or by
    one that keeps the client's card — not by anyone who merely serves the client."""
    return request.user.has_perm("consents.change_consent") and (
        consent.recorded_by_organisation_id in care_organisation_ids(request.user)
        or client.access.keeps_client)


@permission_required("consents.change_consent", raise_exception=True)
@require_http_methods(["GET", "POST"])
def consent_revoke(request, pk):
    """Revoking asks first; the next request of anyone already goes without the consent."""
    consent, client = _consent_for_user(request, pk, loader=_served_by_me)
    if not _may_revoke(request, consent, client):
        raise PermissionDenied
    form = RevokeConsentForm(request.POST or None, version=version_of(consent))
    if request.method == "POST" and form.is_valid():
        try:
            services.revoke_consent(consent=consent, by=request.user, version=form.version,
                                    **form.cleaned_data)
        except EditConflict as error:  # changed after the form was opened: shown first
            form.add_error(None, error)
        except ValidationError as error:
            report_rule_broken(request, error)
            return redirect("consents:detail", pk=consent.pk)
        else:
            messages.success(request, _("Consent revoked."))
            return redirect("consents:detail", pk=consent.pk)
    return render_shown(request, "consents/consent_revoke.html", {
        "form": form, "consent": consent,
    }, client=client, action=Action.CONSENT_REVOKE_FORM)


@permission_required("consents.view_consent", raise_exception=True)
@require_GET
def consent_pdf(request, pk):
    """The consent on paper, for the client to read and sign: whose data it opens already."""
    consent, client = _consent_for_user(request, pk)
    pdf = render_pdf(request, "consents/consent_pdf.html", {
        "consent": consent, "client": client, "generated_at": timezone.now(),
        "generated_by": request.user,
    })
    log_shown(request, client, Action.CONSENT_PDF)
    return pdf_response(pdf, f"suostumus-{consent.pk}.pdf")


# --- Disclosure bans ----------------------------------------------------------------------------

@permission_required("consents.add_disclosureban", raise_exception=True)
@require_http_methods(["GET", "POST"])
def ban_create(request, client_pk):
    """Any organisation that knows who the client is by its own right records the client's
    wish; it is listed with who recorded it, and only they lift it."""
    client = client_for(request.user, client_pk)
    if not client.access.knows_client:
        raise PermissionDenied
    form = DisclosureBanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.record_disclosure_ban(client=client.instance, by=request.user,
                                       **form.cleaned_data)
        messages.success(request, _("Disclosure ban recorded. It overrides every consent."))
        return redirect("clients:detail", pk=client.pk)
    return render_shown(request, "consents/ban_form.html", {"form": form}, client=client,
                        action=Action.DISCLOSURE_BAN_FORM)


@permission_required("consents.change_disclosureban", raise_exception=True)
@require_http_methods(["GET", "POST"])
def ban_lift(request, pk):
    """Only the organisation that recorded the ban lifts it; for anyone else it is not there."""
    ban = get_record_for_user(request.user, DisclosureBan.objects.select_related("organisation"),
                              pk, loader=_served_by_me, find=_known_to_user)
    client = ban.shown
    if ban.recorded_by_organisation_id not in care_organisation_ids(request.user):
        raise PermissionDenied
    if request.method == "POST":
        try:
            services.lift_disclosure_ban(ban=ban, by=request.user)
        except ValidationError as error:
            report_rule_broken(request, error)
        else:
            messages.success(request, _("Disclosure ban lifted."))
        return redirect("clients:detail", pk=client.pk)
    return render_shown(request, "consents/ban_lift.html", {"ban": ban}, client=client,
                        action=Action.DISCLOSURE_BAN_LIFT_FORM)


# --- The client's team --------------------------------------------------------------------------

@permission_required("consents.add_clientuserobjectpermission", raise_exception=True)
@require_http_methods(["GET", "POST"])
def team(request, client_pk):
    client = _served_by_me(request.user, client_pk)
    form = TeamMemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.add_to_team(client=client.instance, user=form.cleaned_data["user"],
                             by=request.user)
        messages.success(request, _("Added to the client's team."))
        return redirect("consents:team", client_pk=client.pk)
    members = client.team_grants().order_by("user__last_name")
    return render_shown(request, "consents/team.html", {
        "form": form, "members": [grant.user for grant in members],
    }, client=client, action=Action.TEAM)


@permission_required("consents.delete_clientuserobjectpermission", raise_exception=True)
@require_POST
def team_remove(request, client_pk, user_pk):
    client = _served_by_me(request.user, client_pk)
    grant = get_object_or_404(client.team_grants(), user_id=user_pk)
    # Only the organisation that put someone on the team takes them off it.
    if grant.granted_by_organisation_id not in care_organisation_ids(request.user):
        raise PermissionDenied
    services.remove_from_team(client=client.instance, user=grant.user, by=request.user)
    messages.success(request, _("Removed from the client's team."))
    return redirect("consents:team", client_pk=client.pk)


# --- Who has viewed this client's data ----------------------------------------------------------

def _logs(request, client):
    """Both logs of the client: all of them with the client's card, otherwise what concerns
    the user's own organisations (each controller answers for its own part)."""
    form = AccessLogFilterForm(request.GET or None)
    accesses = AccessLogEntry.objects.filter(client=client.instance).select_related(
        "user", "organisation")
    disclosures = DisclosureLogEntry.objects.filter(client=client.instance).select_related(
        "user", "source_organisation", "recipient_organisation"
    )
    if not client.access.may_know_of_others:
        mine = care_organisation_ids(request.user)
        accesses = accesses.filter(organisation__in=mine)
        disclosures = disclosures.filter(Q(source_organisation__in=mine)
                                         | Q(recipient_organisation__in=mine))
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
    client = _served_by_me(request.user, client_pk)
    # Logged first: the page then lists this view too, and its counts match its rows.
    client.hand_out_identity()
    log_shown(request, client, Action.ACCESS_LOG)
    form, accesses, disclosures = _logs(request, client)
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("disclosures_page", None)
    context = {
        "client": client,
        "relationships": client.relationships(),
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
    client = _served_by_me(request.user, client_pk)
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
    client.hand_out_identity()
    log_shown(request, client, Action.ACCESS_LOG_CSV)
    return csv_response(f"asiakas-{client.pk}-lokitiedot.csv", header, rows)
