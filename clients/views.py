"""Client list, page, notes and exports. Every client is loaded through consents.policy."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from consents.audit import log_access, log_list_access, log_list_disclosures, log_read
from consents.models import (
    Action,
    ClientUserObjectPermission,
    Consent,
    DataCategory,
    DisclosureBan,
)
from consents.policy import (
    access_for,
    care_organisation_ids,
    get_client_for_user,
    hidden_record_counts,
    searchable_clients,
    viewer_for,
    visible_clients,
    visible_records,
)
from plans.forms import HandoverForm
from plans.models import FeedbackDiscussion
from referrals.models import HealthCheck
from teams.models import Meeting, Organisation
from tyokyky.exports import csv_response
from tyokyky.pdf import pdf_response, render_pdf
from tyokyky.search import bound_search_form, redirect_to_search, search_query

from . import services
from .forms import ClientForm, ClientSearchForm, SituationNoteForm, TakeOnForm
from .models import CaseManagerAssignment, Client, ClientStatus, SituationNote
from .timeline import events_for

PAGE_SIZE = 25
CONSENT_WARNING_DAYS = 30

CURRENT_CASE_MANAGERS = Prefetch(
    "case_manager_assignments",
    queryset=CaseManagerAssignment.objects.current().select_related("user"),
    to_attr="current_case_managers",
)


# --- List and search ----------------------------------------------------------------------------

@sensitive_post_parameters("q")
@require_http_methods(["GET", "POST"])
def client_list(request):
    if request.method == "POST":
        return _search(request)
    form, _searched = bound_search_form(request, ClientSearchForm)
    form.for_user(request.user)
    # Searching by name, code, municipality or case manager may only match clients whose
    # identity the user may see; otherwise a filter would tell what a placeholder hides.
    clients = searchable_clients(request.user) if form.searches_identity else (
        visible_clients(request.user)
    )
    clients = form.filter(clients) if form.is_valid() else clients.none()
    clients = clients.select_related("municipality").prefetch_related(CURRENT_CASE_MANAGERS)
    page = Paginator(clients, PAGE_SIZE).get_page(request.GET.get("page"))
    shown = [client for client in page if client.identity_visible]
    log_list_access(request, clients=shown, categories=[DataCategory.IDENTITY],
                    action=Action.CLIENT_LIST)
    log_list_disclosures(request, clients=shown, action=Action.CLIENT_LIST)
    return render(request, "clients/list.html", {
        "form": form,
        "page": page,
        "query": search_query(request),
        "may_add": _may_add_clients(request.user),
    })


def _search(request):
    """POST of the search form: keep it in the session and show it under a key, or open the
    client whose whole personal identity code was typed."""
    form = ClientSearchForm(request.POST)
    form.for_user(request.user)
    if not form.is_valid():
        return render(request, "clients/list.html", {
            "form": form, "page": None, "may_add": _may_add_clients(request.user),
        })
    if form.full_hetu:
        client = searchable_clients(request.user).filter(hetu=form.full_hetu).first()
        if client is not None:
            return redirect("clients:detail", pk=client.pk)
        messages.info(request, _("No client you may see has this personal identity code."))
        return redirect("clients:list")
    return redirect_to_search(request, form, reverse("clients:list"))


def _may_add_clients(user) -> bool:
    return user.has_perm("clients.add_client") and bool(care_organisation_ids(user))


# --- The client page ----------------------------------------------------------------------------

def _situation(request, client):
    """
    What the user may see of the client: identity, and notes by category with the number of
    hidden ones as placeholders.
    """
    access = access_for(request.user, client)
    notes = list(
        visible_records(request.user, client, SituationNote.objects.all())
        .select_related("organisation", "created_by")
    )
    hidden = hidden_record_counts(request.user, client, SituationNote.objects.all())
    sections = [
        {
            "category": category,
            "notes": [note for note in notes if note.category == category],
            "hidden": hidden.get(category.value, 0),
        }
        for category in DataCategory
    ]
    return {
        "access": access,
        "identity_visible": access.can_view(DataCategory.IDENTITY),
        "sections": sections,
        "notes": notes,
    }


def client_detail(request, pk):
    client = get_client_for_user(request.user, pk)
    situation = _situation(request, client)
    context = {"client": client, **situation, "timeline": events_for(request.user, client)}
    if situation["identity_visible"]:
        context.update(_responsibilities(client))
        context.update(_consents(client))
    context["may_edit"] = situation["access"].served and request.user.has_perm(
        "clients.change_client"
    )
    context["may_add_note"] = request.user.has_perm("clients.add_situationnote")
    context.update(_health_check_status(request, client, situation["access"]))
    log_read(request, client=client, action=Action.CLIENT_PAGE,
             records=[*situation["notes"], *(event.record for event in context["timeline"])],
             identity=situation["identity_visible"])
    return render(request, "clients/detail.html", context)


def _health_check_status(request, client, access):
    """The last unemployed health check the user may see, when the next is due, and the
    referral actions open to them."""
    last_check = visible_records(request.user, client, HealthCheck.objects.all()).first()
    user = request.user
    return {
        "last_check": last_check,
        "may_refer": access.served and user.has_perm("referrals.add_referral"),
        "may_self_refer": access.served and user.has_perm("referrals.handle_referral"),
        "may_assess": user.has_perm("referrals.add_doctorassessment"),
        "may_book_meeting": user.has_perm("teams.book_meeting"),
        "is_case_manager": client.case_manager_assignments.current().filter(user=user)
        .exists(),
        "may_close": access.served and user.has_perm("clients.change_client")
        and client.status == ClientStatus.ACTIVE,
        "discussions": visible_records(user, client, FeedbackDiscussion.objects.all())
        .select_related("holder"),
        "pending_meetings": visible_records(user, client, Meeting.objects.filter(
            ends_at__lt=timezone.now()).exclude(status="cancelled")
            .exclude(feedback_discussions__held_on__isnull=False)),
    }


def _responsibilities(client):
    assignments = client.case_manager_assignments.select_related("user").order_by(
        "-started_on", "-pk"
    )
    grants = ClientUserObjectPermission.objects.filter(content_object=client).select_related(
        "user"
    )
    return {
        "current_case_managers": [a for a in assignments if a.ended_on is None],
        "past_case_managers": [a for a in assignments if a.ended_on is not None],
        "team_members": [grant.user for grant in grants],
        "organisations": client.organisations.all(),
    }


def _consents(client):
    today = timezone.localdate()
    consents = list(
        Consent.objects.filter(client=client)
        .prefetch_related("category_rows", "sector_rows", "recipient_organisations")
    )
    for consent in consents:
        consent.in_force = consent.is_valid_on(today)
        consent.expiring = consent.expires_within(CONSENT_WARNING_DAYS, today)
    return {
        "consents_in_force": [c for c in consents if c.in_force],
        "consents_ended": [c for c in consents if not c.in_force],
        "bans": list(
            DisclosureBan.objects.filter(client=client).select_related("organisation")
        ),
    }


# --- Forms --------------------------------------------------------------------------------------

@sensitive_post_parameters("hetu")
@permission_required("clients.add_client", raise_exception=True)
@require_http_methods(["GET", "POST"])
def client_create(request):
    organisations = Organisation.objects.filter(pk__in=care_organisation_ids(request.user))
    if not organisations:
        raise PermissionDenied
    form = ClientForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        client = services.create_client(
            by=request.user,
            organisation=data.pop("organisation"),
            case_managers=data.pop("case_managers"),
            **data,
        )
        messages.success(request, _("Client added."))
        return redirect("clients:detail", pk=client.pk)
    already_in = any(error.code == "unique" for error in form.errors.as_data().get("hetu", []))
    return render(request, "clients/form.html", {
        "form": form, "client": None, "already_in": already_in,
        "take_on_form": TakeOnForm(organisations=organisations, initial={
            "hetu": form.data.get("hetu", ""), "organisation": form.data.get("organisation"),
        }) if already_in else None,
    })


@sensitive_post_parameters("hetu")
@permission_required("clients.add_client", raise_exception=True)
@require_POST
def client_take_on(request):
    organisations = Organisation.objects.filter(pk__in=care_organisation_ids(request.user))
    form = TakeOnForm(request.POST, organisations=organisations)
    if not form.is_valid():
        messages.error(request, _("The client could not be taken on. Check the code."))
        return redirect("clients:create")
    try:
        client = services.take_on_client(by=request.user, **form.cleaned_data)
    except Client.DoesNotExist:
        messages.error(request, _("No client has this personal identity code."))
        return redirect("clients:create")
    messages.success(request, _("The client is now also a client of %(organisation)s.")
                     % {"organisation": form.cleaned_data["organisation"]})
    return redirect("clients:detail", pk=client.pk)


@sensitive_post_parameters("hetu")
@permission_required("clients.change_client", raise_exception=True)
@require_http_methods(["GET", "POST"])
def client_edit(request, pk):
    client = get_client_for_user(request.user, pk)
    # The organisations the client is a client of keep the identity; others only read it.
    if not access_for(request.user, client).served:
        raise PermissionDenied
    form = ClientForm(request.POST or None, instance=client)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        services.update_client(
            client=client, by=request.user, case_managers=data.pop("case_managers"), **data
        )
        messages.success(request, _("Changes saved."))
        return redirect("clients:detail", pk=client.pk)
    log_access(request, client=client, categories=[DataCategory.IDENTITY],
               action=Action.CLIENT_EDIT)
    return render(request, "clients/form.html", {"form": form, "client": client})


@permission_required("clients.add_situationnote", raise_exception=True)
@require_http_methods(["GET", "POST"])
def note_create(request, pk):
    client = get_client_for_user(request.user, pk)
    membership = viewer_for(request.user).membership
    initial = {"category": request.GET.get("category")}
    form = SituationNoteForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.add_note(
            client=client, by=request.user, organisation=membership.organisation,
            **form.cleaned_data,
        )
        messages.success(request, _("Note added."))
        return redirect("clients:detail", pk=client.pk)
    identity_visible = access_for(request.user, client).can_view(DataCategory.IDENTITY)
    if identity_visible:
        log_access(request, client=client, categories=[DataCategory.IDENTITY],
                   action=Action.NOTE_FORM)
    return render(request, "clients/note_form.html", {
        "form": form, "client": client, "identity_visible": identity_visible,
        "organisation": membership.organisation,
    })


# --- Exports ------------------------------------------------------------------------------------

@require_GET
def client_summary_pdf(request, pk):
    """What the user may see of the client, printed: for a meeting or for the client."""
    client = get_client_for_user(request.user, pk)
    situation = _situation(request, client)
    pdf = render_pdf(request, "clients/summary_pdf.html", {
        "client": client, **situation, "generated_at": timezone.now(),
        "generated_by": request.user,
    })
    log_read(request, client=client, action=Action.SUMMARY_PDF, records=situation["notes"],
             identity=situation["identity_visible"])
    return pdf_response(pdf, f"asiakas-{client.pk}.pdf")


@require_GET
def notes_csv(request, pk):
    client = get_client_for_user(request.user, pk)
    situation = _situation(request, client)
    rows = [
        [
            timezone.localtime(note.created_at).strftime("%d.%m.%Y %H:%M"),
            note.get_category_display(), str(note.organisation), str(note.created_by), note.text,
        ]
        for section in situation["sections"] for note in section["notes"]
    ]
    header = [_("Written"), _("Category"), _("Organisation"), _("Written by"), _("Note")]
    log_read(request, client=client, action=Action.NOTES_CSV, records=situation["notes"])
    return csv_response(f"asiakas-{client.pk}-kirjaukset.csv", header, rows)


@permission_required("clients.change_client", raise_exception=True)
@require_http_methods(["GET", "POST"])
def handover(request, pk):
    """A case manager who cannot go on names their successor; nobody leaves a client alone."""
    client = get_client_for_user(request.user, pk)
    current = list(client.case_manager_assignments.current().select_related("user"))
    if request.user.pk not in {a.user_id for a in current}:
        raise PermissionDenied
    form = HandoverForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.hand_over(client=client, leaving=request.user,
                               successor=form.cleaned_data["successor"], by=request.user)
        except ValidationError as error:
            form.add_error("successor", error)
        else:
            messages.success(request, _("Handed over. You are no longer the client's case "
                                        "manager."))
            return redirect("home")
    log_access(request, client=client, categories=[DataCategory.IDENTITY],
               action=Action.HANDOVER)
    return render(request, "clients/handover.html", {
        "form": form, "client": client, "current": current, "identity_visible": True,
    })
