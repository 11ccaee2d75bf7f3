"""Client list, page and forms. Every client is loaded through consents.policy."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from consents.policy import care_organisation_ids, get_client_for_user, visible_clients
from teams.models import Organisation
from tyokyky.search import recall_search, remember_search

from . import services
from .forms import ClientForm, ClientSearchForm
from .models import CaseManagerAssignment

PAGE_SIZE = 25

CURRENT_CASE_MANAGERS = Prefetch(
    "case_manager_assignments",
    queryset=CaseManagerAssignment.objects.current().select_related("user"),
    to_attr="current_case_managers",
)


@sensitive_post_parameters("q")
@require_http_methods(["GET", "POST"])
def client_list(request):
    if request.method == "POST":
        return _search(request)
    form = ClientSearchForm(
        recall_search(request, request.GET.get("search")) or ClientSearchForm.DEFAULTS
    )
    clients = visible_clients(request.user).none()
    if form.is_valid():
        clients = form.filter(visible_clients(request.user))
    clients = clients.select_related("municipality").prefetch_related(CURRENT_CASE_MANAGERS)
    page = Paginator(clients, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "clients/list.html", {
        "form": form,
        "page": page,
        "search_key": request.GET.get("search", ""),
        "may_add": _may_add_clients(request.user),
    })


def _search(request):
    """POST of the search form: keep it in the session and show it under a key, or open the
    client whose whole personal identity code was typed."""
    form = ClientSearchForm(request.POST)
    if not form.is_valid():
        return render(request, "clients/list.html", {
            "form": form, "page": None, "may_add": _may_add_clients(request.user),
        })
    if form.full_hetu:
        client = visible_clients(request.user).filter(hetu=form.full_hetu).first()
        if client is not None:
            return redirect("clients:detail", pk=client.pk)
        messages.info(request, _("No client you may see has this personal identity code."))
        return redirect("clients:list")
    key = remember_search(request, {name: request.POST.get(name, "") for name in form.fields})
    return redirect(f"{reverse('clients:list')}?search={key}")


def client_detail(request, pk):
    client = get_client_for_user(request.user, pk)
    assignments = client.case_manager_assignments.select_related("user").order_by(
        "-started_on", "-pk"
    )
    return render(request, "clients/detail.html", {
        "client": client,
        "current_case_managers": [a for a in assignments if a.ended_on is None],
        "past_case_managers": [a for a in assignments if a.ended_on is not None],
        "organisations": client.organisations.all(),
        "may_edit": request.user.has_perm("clients.change_client"),
    })


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
    return render(request, "clients/form.html", {"form": form, "client": None})


@sensitive_post_parameters("hetu")
@permission_required("clients.change_client", raise_exception=True)
@require_http_methods(["GET", "POST"])
def client_edit(request, pk):
    client = get_client_for_user(request.user, pk)
    form = ClientForm(request.POST or None, instance=client)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        services.update_client(
            client=client, by=request.user, case_managers=data.pop("case_managers"), **data
        )
        messages.success(request, _("Changes saved."))
        return redirect("clients:detail", pk=client.pk)
    return render(request, "clients/form.html", {"form": form, "client": client})


def _may_add_clients(user) -> bool:
    return user.has_perm("clients.add_client") and bool(care_organisation_ids(user))
