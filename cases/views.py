"""
Client list, page, notes and exports. Every client comes from consents.policy as a ShownClient:
the pages show what it hands out, and the access log records that.
"""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods

from clients.models import CaseManagerAssignment, ClientStatus, SituationNote
from clients.records import DataCategory
from clients.timeline import events_for
from consents.audit import log_shown, render_rows, render_shown
from consents.models import Action, Consent, DisclosureBan
from consents.policy import (
    care_organisation_ids,
    client_for,
    in_shown_order,
    organisation_of,
    searchable_clients,
    visible_clients,
)
from consents.shown import client_rows
from teams.models import Organisation
from tyokyky import keyset
from tyokyky.exports import csv_response
from tyokyky.pdf import pdf_response, render_pdf
from tyokyky.search import bound_search_form, redirect_to_search, search_query

from . import services
from .forms import ClientForm, ClientSearchForm, HandoverForm, OwnCardForm, SituationNoteForm
from .sections import sections_for

PAGE_SIZE = 25
LIST_CURSOR = "clients:list"  # the signing salt of the list's cursors

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
    clients = in_shown_order(clients).select_related("municipality").prefetch_related(
        CURRENT_CASE_MANAGERS)
    # By keyset, never OFFSET and COUNT: a common surname matches tens of thousands.
    page = keyset.page(clients, size=PAGE_SIZE,
                       after=keyset.cursor_pk(request.GET.get("after"), salt=LIST_CURSOR),
                       before=keyset.cursor_pk(request.GET.get("before"), salt=LIST_CURSOR))
    page.rows = rows = client_rows(request.user, page.rows)
    return render_rows(request, "clients/list.html", {
        "form": form,
        "page": page,
        "rows": rows,
        **_page_links(request, page),
        "may_add": _may_add_clients(request.user),
    }, rows=rows, action=Action.CLIENT_LIST)


def _page_links(request, page) -> dict:
    """The list's other pages: the search's key and a signed row id, nothing of a client's
    name (the row's place in the order is looked up again, see tyokyky/keyset.py)."""
    def link(**cursor):
        parameters = [search_query(request)] if search_query(request) else []
        parameters += [urlencode({name: keyset.cursor(pk, salt=LIST_CURSOR)})
                       for name, pk in cursor.items()]
        return reverse("clients:list") + ("?" + "&".join(parameters) if parameters else "")

    return {
        "next_url": link(after=page.next_pk) if page.next_pk else None,
        "previous_url": link(before=page.previous_pk) if page.previous_pk else None,
        "first_url": None if page.is_first else link(),
    }


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

def _situation(client):
    """Notes by category as the user may see them, with the number of hidden ones as the
    placeholders' numbers where the user may know of them."""
    notes = client.records(SituationNote.objects.select_related("organisation", "created_by"))
    hidden = client.hidden_counts(SituationNote.objects.all())
    sections = [
        {
            "category": category,
            "notes": [note for note in notes if note.category == category],
            "hidden": hidden.get(category.value, 0),
        }
        for category in DataCategory
    ]
    return {"sections": sections, "notes": notes}


@require_GET
def client_detail(request, pk):
    client = client_for(request.user, pk)
    access = client.access
    context = {**_situation(client), "timeline": events_for(client)}
    context.update(_responsibilities(request, client))
    context["may_edit"] = bool(access.writes_card or access.own_card) and (
        request.user.has_perm("clients.change_client"))
    # The client's card as the user's own organisation wrote it — a new client's, or the one
    # typed at a visit when the client was already in Työkyky — looks the same either way.
    context["own_writing"] = bool(access.writes_card or access.own_card)
    context["may_add_note"] = request.user.has_perm("clients.add_situationnote")
    context.update(_case_actions(request, client))
    context.update(sections_for(request, client))
    return render_shown(request, "clients/detail.html", context, client=client,
                        action=Action.CLIENT_PAGE)


def _case_actions(request, client):
    """What the user may do with the client's case here: hand it over, close it."""
    user, access, instance = request.user, client.access, client.instance
    return {
        "may_hand_over": instance.case_manager_assignments.current().filter(user=user).exists()
        and (instance.status == ClientStatus.ACTIVE or not client.sees_card),
        "may_close": user.has_perm("clients.change_client") and (
            (access.writes_card and instance.status == ClientStatus.ACTIVE)
            or (access.own_card is not None and not access.keeps_client)),
        # Whoever may close the client reopens them when they come back.
        "may_reopen": user.has_perm("clients.change_client") and access.writes_card
        and instance.status == ClientStatus.CLOSED,
    }


def _responsibilities(request, client):
    """Who works with the client, the consents and bans: with the client's card; a card of
    one's own shows one's own organisation's part only."""
    instance, mine = client.instance, care_organisation_ids(request.user)
    # Plain filters, not the client's related managers: those would hand each row the raw
    # client, whose card a template could then print past the policy.
    assignments = client.known(CaseManagerAssignment.objects.filter(client=instance)
                               .select_related("user").order_by("-started_on", "-pk"))
    consents = client.known(Consent.objects.filter(client=instance).prefetch_related(
        "category_rows", "sector_rows", "recipient_organisations",
        "confirmations__organisation"), "recorded_by_organisation")
    bans = client.known(DisclosureBan.objects.filter(client=instance)
                        .select_related("organisation"), "recorded_by_organisation")
    bans = list(bans)
    for ban in bans:  # only the organisation that recorded the client's wish lifts it
        ban.may_lift = ban.lifted_at is None and ban.recorded_by_organisation_id in mine
    today = timezone.localdate()
    consents = list(consents)
    for consent in consents:
        consent.client_municipality_id = instance.municipality_id  # its deadlines' key
        consent.in_force = consent.is_valid_on(today)
        consent.expiring = consent.is_expiring(today)
    return {
        "current_case_managers": [a for a in assignments if a.ended_on is None],
        "past_case_managers": [a for a in assignments if a.ended_on is not None],
        "team_members": [grant.user for grant in client.team_grants()],
        "relationships": list(client.relationships()),
        "consents_in_force": [c for c in consents if c.in_force],
        "consents_ended": [c for c in consents if not c.in_force],
        "bans": bans,
    }


# --- Forms --------------------------------------------------------------------------------------

@sensitive_post_parameters("hetu")
@permission_required("clients.add_client", raise_exception=True)
@require_http_methods(["GET", "POST"])
def client_create(request):
    """
    Writing a client in at their visit or from their application. The answer is the same
    whether or not the code is already in Työkyky (cases.services.add_client).
    """
    organisations = Organisation.objects.filter(pk__in=care_organisation_ids(request.user))
    if not organisations:
        raise PermissionDenied
    form = ClientForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        client = services.add_client(
            by=request.user, organisation=data.pop("organisation"),
            case_managers=data.pop("case_managers"), **data,
        )
        messages.success(request, _("Client added."))
        return redirect("clients:detail", pk=client.pk)
    return render(request, "clients/form.html", {"form": form, "editing": False})


@sensitive_post_parameters("hetu")
@permission_required("clients.change_client", raise_exception=True)
@require_http_methods(["GET", "POST"])
def client_edit(request, pk):
    """The card's writer edits the client's card; an organisation that typed its own card at
    the client's visit edits that. Others read what they are shown (only the writer edits)."""
    client = client_for(request.user, pk)
    access = client.access
    if access.writes_card:
        form = ClientForm(request.POST or None, instance=client.instance)
    elif access.own_card is not None:
        form = OwnCardForm(request.POST or None, instance=access.own_card)
    else:
        raise PermissionDenied
    client.hand_out_identity()  # the form shows the card
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            if access.writes_card:
                services.update_client(client=client.instance, by=request.user,
                                       case_managers=data.pop("case_managers"),
                                       version=form.version, **data)
            else:
                services.update_card(relationship=access.own_card, by=request.user,
                                     version=form.version, **data)
        except ValidationError as error:  # someone saved the card after the form was opened
            form.add_error(None, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("clients:detail", pk=client.pk)
    return render_shown(request, "clients/form.html", {"form": form, "editing": True},
                        client=client, action=Action.CLIENT_EDIT)


@permission_required("clients.add_situationnote", raise_exception=True)
@require_http_methods(["GET", "POST"])
def note_create(request, pk):
    client = client_for(request.user, pk)
    organisation = organisation_of(request.user)
    initial = {"category": request.GET.get("category")}
    form = SituationNoteForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.add_note(
            client=client.instance, by=request.user, organisation=organisation,
            **form.cleaned_data,
        )
        messages.success(request, _("Note added."))
        return redirect("clients:detail", pk=client.pk)
    return render_shown(request, "clients/note_form.html", {
        "form": form, "organisation": organisation,
    }, client=client, action=Action.NOTE_FORM)


# --- Exports ------------------------------------------------------------------------------------

@require_GET
def client_summary_pdf(request, pk):
    """What the user may see of the client, printed: for a meeting or for the client."""
    client = client_for(request.user, pk)
    pdf = render_pdf(request, "clients/summary_pdf.html", {
        "client": client, **_situation(client), "generated_at": timezone.now(),
        "generated_by": request.user,
    })
    log_shown(request, client, Action.SUMMARY_PDF)
    return pdf_response(pdf, f"asiakas-{client.pk}.pdf")


@require_GET
def notes_csv(request, pk):
    client = client_for(request.user, pk)
    rows = [
        [
            timezone.localtime(note.created_at).strftime("%d.%m.%Y %H:%M"),
            note.get_category_display(), str(note.organisation), str(note.created_by), note.text,
        ]
        for section in _situation(client)["sections"] for note in section["notes"]
    ]
    header = [_("Written"), _("Category"), _("Organisation"), _("Written by"), _("Note")]
    log_shown(request, client, Action.NOTES_CSV)
    return csv_response(f"asiakas-{client.pk}-kirjaukset.csv", header, rows)


@permission_required("clients.change_client", raise_exception=True)
@require_http_methods(["GET", "POST"])
def handover(request, pk):
    """A case manager who cannot go on names their successor; nobody leaves a client alone."""
    client = client_for(request.user, pk)
    current = _responsibilities(request, client)["current_case_managers"]
    if request.user.pk not in {a.user_id for a in current}:
        raise PermissionDenied
    form = HandoverForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.hand_over(client=client.instance, leaving=request.user,
                               successor=form.cleaned_data["successor"], by=request.user)
        except ValidationError as error:
            form.add_error("successor", error)
        else:
            messages.success(request, _("Handed over. You are no longer the client's case "
                                        "manager."))
            return redirect("home")
    return render_shown(request, "clients/handover.html", {"form": form, "current": current},
                        client=client, action=Action.HANDOVER)

