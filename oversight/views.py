"""
The data protection officer's pages: flags to review, the log search and its results and CSV,
a flag with its review, and the officer's e-mail choice.

Every page needs `oversight.view_logs` (the officer's role): 403 for everyone else. What an
officer sees is their own organisation's part of the logs (oversight/search.py). No page here
shows client data beyond the name and code of a client whom the officer searched by the code
they typed themself; other rows name the client by number. The officer reads no client page:
their role is no care role, so the access policy shows them no client (consents/policy.py).
"""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_POST

from clients.models import Client
from clients.records import DataCategory
from consents.models import Action, LegalBasis
from teams.models import Organisation, Role, User
from tyokyky.exports import csv_response
from tyokyky.forms import id_or_none

from . import search as logs
from .forms import PreferenceForm, ReviewForm, SearchForm
from .models import (
    AccessFlag,
    FlagRun,
    FlagState,
    LogKind,
    OfficerAction,
    OfficerLogEntry,
    OfficerPreference,
)

officer_required = permission_required("oversight.view_logs", raise_exception=True)

FLAG_PAGE_SIZE = 25
# A CSV holds at most this many rows (settings.OVERSIGHT_EXPORT_MAX_ROWS): a longer one is cut,
# and says so in its last line.


def _scope(request) -> frozenset[int]:
    return logs.officer_organisation_ids(request.user)


def _record(request, action, *, criteria=None, flag=None, rows=None):
    """The officer's own log: what they searched, exported or reviewed."""
    scope = sorted(_scope(request))
    OfficerLogEntry.objects.create(
        user=request.user, organisation_id=scope[0] if scope else None, action=action,
        log=criteria.log if criteria else "",
        criteria=criteria.logged() if criteria else {},
        client_id=criteria.client_id if criteria and criteria.by_hetu else None,
        flag=flag, rows=rows,
    )


def _flags(request):
    return AccessFlag.objects.filter(organisation_id__in=_scope(request)).select_related(
        "user", "organisation")


# --- Home ---------------------------------------------------------------------------------------

def _home(request, form, preference_form=None):
    scope = _scope(request)
    flags = _flags(request)
    preference = OfficerPreference.objects.filter(user=request.user).first()
    return render(request, "oversight/home.html", {
        "organisations": Organisation.objects.filter(pk__in=scope),
        "form": form,
        "open_flags": Paginator(flags.filter(state=FlagState.OPEN), FLAG_PAGE_SIZE).get_page(
            request.GET.get("page")),
        "reviewed_flags": flags.filter(state=FlagState.REVIEWED).select_related(
            "reviewed_by").order_by("-reviewed_at", "-pk")[:10],
        "preference_form": preference_form or PreferenceForm(instance=preference),
        "recent": OfficerLogEntry.objects.filter(organisation_id__in=scope).select_related(
            "user")[:10],
        "last_run": FlagRun.objects.order_by("-checked_until").first(),
    })


@officer_required
@require_GET
def home(request):
    return _home(request, SearchForm(initial={"log": LogKind.ACCESS}))


# --- Search -------------------------------------------------------------------------------------

def _results_url(key, cursor=None, first=None) -> str:
    url = f"{reverse('oversight:results')}?search={key}"
    if cursor is not None:
        url += f"&after={cursor}&n={first}"
    return url


@sensitive_post_parameters("hetu")
@officer_required
@require_POST
def search(request):
    """The search form, POSTed: the code never reaches a URL; the criteria go to the session
    (with the client's id, not the code) and the results page reads them from there."""
    form = SearchForm(request.POST)
    if not form.is_valid():
        return _home(request, form)
    criteria = form.criteria()
    key = logs.remember(request, criteria)
    _record(request, OfficerAction.SEARCH, criteria=criteria)
    return redirect(_results_url(key))


def _recalled(request, key):
    criteria = logs.recall(request, key)
    if criteria is None:
        messages.info(request, _("The search has expired. Search again."))
    return criteria


def _described(criteria: logs.Criteria, searched) -> list[tuple[str, str]]:
    """The criteria as the officer reads them."""
    described = [(_("Log"), LogKind(criteria.log).label)]
    users = {user.pk: user for user in User.objects.filter(
        pk__in=[pk for pk in (criteria.user_id, criteria.target_user_id) if pk])}
    if criteria.user_id:
        label = _("Changed by") if criteria.log == LogKind.ADMINISTRATION else _("User")
        described.append((label, str(users.get(criteria.user_id, "–"))))
    if criteria.target_user_id:
        described.append((_("Concerning"), str(users.get(criteria.target_user_id, "–"))))
    if criteria.organisation_id:
        organisation = Organisation.objects.filter(pk=criteria.organisation_id).first()
        described.append((_("Organisation"), str(organisation or "–")))
    if criteria.by_hetu:
        described.append((_("Client"), searched["label"] if searched else _(
            "the personal identity code you entered")))
    zone = timezone.get_default_timezone()
    if criteria.since:
        described.append((_("From"), criteria.since.astimezone(zone).strftime(
            "%d.%m.%Y %H:%M")))
    if criteria.until:  # the last moment in it: the bound itself is not
        described.append((_("To"), (criteria.until - logs.MICROSECOND).astimezone(
            zone).strftime("%d.%m.%Y %H:%M")))
    return described


def _searched_client(criteria: logs.Criteria, found_any: bool):
    """The client the officer named by the code they typed — their name and code, shown only
    when the search found rows in the officer's scope (so that it tells nothing of a person
    unknown to the officer's organisation). A plain label, not the client record."""
    if not (criteria.by_hetu and criteria.client_id and found_any):
        return None
    client = Client.objects.filter(pk=criteria.client_id).values(
        "first_name", "last_name", "hetu").first()
    if client is None:
        return None
    return {"label": f"{client['first_name']} {client['last_name']} ({client['hetu']})"}


def _client_reference(criteria, searched, client_id) -> str:
    if searched:
        return searched["label"]
    return _("Client no. {number}").format(number=client_id)


def _categories(values) -> str:
    labels = dict(DataCategory.choices)
    return ", ".join(str(labels.get(value, value)) for value in values)


def _action_label(value) -> str:
    return str(dict(Action.choices).get(value, value))


def _role_label(value) -> str:
    return str(dict(Role.choices).get(value, value))


def _basis_label(value) -> str:
    return str(dict(LegalBasis.choices).get(value, value))


def _rows_for_page(criteria, searched, rows) -> list[dict]:
    """Each log row as the results table and the CSV show it."""
    shown = []
    for entry in rows:
        if criteria.log == LogKind.ADMINISTRATION:
            shown.append({
                "at": entry.at, "user": entry.actor or _("System"),
                "action": entry.get_action_display(), "subject": entry.subject,
                "label": entry.label, "target": entry.target_user or "–",
                "changes": ", ".join(sorted(entry.changes)),
            })
            continue
        row = {
            "at": entry.at, "user": entry.user, "action": _action_label(entry.action),
            "action_code": entry.action, "categories": _categories(entry.categories),
            "client_reference": _client_reference(criteria, searched, entry.client_id),
        }
        if criteria.log == LogKind.ACCESS:
            row.update(organisation=entry.organisation or "–", role=_role_label(entry.role))
        else:
            row.update(organisation=entry.source_organisation,
                       recipient=entry.recipient_organisation or "–",
                       basis=_basis_label(entry.legal_basis))
        shown.append(row)
    return shown


@officer_required
@require_GET
def results(request):
    """One page of a search's rows: newest first, 50 at a time, "next" by the last row's time
    and id. No count of all matching rows: over millions of rows that alone would take
    seconds."""
    key = request.GET.get("search")
    criteria = _recalled(request, key)
    if criteria is None:
        return redirect("oversight:overview")
    after = logs.Cursor.parse(request.GET["after"]) if request.GET.get("after") else None
    first = (id_or_none(request.GET.get("n")) or 1) if after else 1
    current = logs.page(logs.entries(criteria, _scope(request)), after, first)
    searched = _searched_client(criteria, bool(current.rows))
    return render(request, "oversight/results.html", {
        "criteria": criteria, "described": _described(criteria, searched),
        "rows": _rows_for_page(criteria, searched, current.rows), "page": current,
        "search_key": key,
        "next_url": _results_url(key, current.next_cursor, current.last + 1)
        if current.next_cursor else None,
        "first_url": _results_url(key) if after else None,
        "max_rows": logs.export_limit(),
    })


@officer_required
@require_POST
def export(request):
    """The search as CSV, at most OVERSIGHT_EXPORT_MAX_ROWS rows (newest first); a longer
    result is cut and its last line says so. The export is in the officer's own log."""
    criteria = _recalled(request, request.POST.get("search"))
    if criteria is None:
        return redirect("oversight:overview")
    limit = logs.export_limit()
    entries = list(logs.entries(criteria, _scope(request))[:limit + 1])
    cut = len(entries) > limit
    entries = entries[:limit]
    searched = _searched_client(criteria, bool(entries))
    shown = _rows_for_page(criteria, searched, entries)
    _record(request, OfficerAction.EXPORT, criteria=criteria, rows=len(shown))
    zone = timezone.get_default_timezone()

    def when(row):
        return row["at"].astimezone(zone).strftime("%d.%m.%Y %H:%M:%S")

    if criteria.log == LogKind.ADMINISTRATION:
        header = [_("Time"), _("Changed by"), _("What"), _("Object type"), _("Object"),
                  _("Concerning"), _("Changed fields")]
        lines = [[when(r), r["user"], r["action"], r["subject"], r["label"], r["target"],
                  r["changes"]] for r in shown]
    elif criteria.log == LogKind.DISCLOSURE:
        header = [_("Time"), _("User"), _("From organisation"), _("To organisation"),
                  _("Legal basis"), _("What"), _("Categories"), _("Client")]
        lines = [[when(r), r["user"], r["organisation"], r["recipient"], r["basis"],
                  r["action"], r["categories"], r["client_reference"]] for r in shown]
    else:
        header = [_("Time"), _("User"), _("Organisation"), _("Role"), _("What"),
                  _("Categories"), _("Client")]
        lines = [[when(r), r["user"], r["organisation"], r["role"], r["action"],
                  r["categories"], r["client_reference"]] for r in shown]
    if cut:
        lines.append([_("Only the newest {limit} rows are in this file. Narrow the search to "
                        "get the rest.").format(limit=limit)])
    name = f"tietosuoja-{criteria.log}-{timezone.localdate():%Y%m%d}.csv"
    return csv_response(name, header, lines)


# --- Flags --------------------------------------------------------------------------------------

def _flag(request, pk) -> AccessFlag:
    """A flag of the officer's own organisation; any other answers 404."""
    return get_object_or_404(_flags(request).select_related("reviewed_by"), pk=pk)


@officer_required
@require_GET
def flag_detail(request, pk):
    flag = _flag(request, pk)
    return render(request, "oversight/flag.html", {
        "flag": flag, "form": ReviewForm(),
        "history": flag.history.select_related("history_user").order_by("-history_date")[:20],
    })


@officer_required
@require_POST
def flag_review(request, pk):
    """Marking a flag reviewed, with the officer's note (kept in the flag's history)."""
    flag = _flag(request, pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        return render(request, "oversight/flag.html", {
            "flag": flag, "form": form,
            "history": flag.history.select_related("history_user").order_by(
                "-history_date")[:20],
        })
    flag.state = FlagState.REVIEWED
    flag.reviewed_by = request.user
    flag.reviewed_at = timezone.now()
    flag.note = form.cleaned_data["note"]
    flag._history_user = request.user
    flag.save(update_fields=["state", "reviewed_by", "reviewed_at", "note"])
    _record(request, OfficerAction.FLAG_REVIEW, flag=flag)
    messages.success(request, _("The flag is marked reviewed."))
    return redirect("oversight:overview")


@officer_required
@require_POST
def flag_rows(request, pk):
    """The flag's window as a search of the access log: the user's rows in it."""
    flag = _flag(request, pk)
    criteria = logs.Criteria(log=LogKind.ACCESS, user_id=flag.user_id,
                             since=flag.window_start,
                             until=flag.window_end + logs.MICROSECOND)
    key = logs.remember(request, criteria)
    _record(request, OfficerAction.SEARCH, criteria=criteria, flag=flag)
    return redirect(_results_url(key))


@officer_required
@require_POST
def preferences(request):
    preference = OfficerPreference.objects.filter(user=request.user).first()
    form = PreferenceForm(request.POST, instance=preference or OfficerPreference(
        user=request.user))
    if form.is_valid():
        form.save()
        messages.success(request, _("Your choice is saved."))
        return redirect("oversight:overview")
    return _home(request, SearchForm(initial={"log": LogKind.ACCESS}), preference_form=form)
