"""
The leader's page: the controller's destruction proposals, and approving or rejecting one.

What a proposal shows is chosen to be enough to decide and nothing more: its reference, the
client's number, the day the file was closed and the day the period ended, the record types and
how many. No name, no personal identity code, no content: the leader decides whether the
controller still needs records of a file whose period has passed, not who the person is; a
staff member who must check a file finds it by the client's number. The leader reads no client
data through the access policy, so the page writes no access-log row; each destruction leaves a
Tombstone instead.
"""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import services
from .forms import ApproveForm, ProposalFilterForm, RejectForm
from .models import ProposalState

PER_PAGE = 25
PERMISSION = "retention.approve_destruction"


@require_http_methods(["GET"])
@permission_required(PERMISSION, raise_exception=True)
def proposals(request):
    form = ProposalFilterForm(request.GET or None)
    state, number = ProposalState.PROPOSED, None
    if form.is_valid():
        state = form.cleaned_data["state"] or state
        number = form.cleaned_data["number"]
    rows = services.proposals_for(request.user).filter(state=state).select_related(
        "organisation", "decided_by")
    if number:
        rows = rows.filter(Q(pk=number) | Q(client_id=number))
    rows = rows.order_by("due_on", "pk")
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    query = "&".join(f"{name}={value}" for name, value in (
        ("state", state), ("number", number or "")) if value)
    return render(request, "retention/proposals.html", {
        "form": form, "page": page, "state": ProposalState(state), "query": query,
        "states": ProposalState,
    })


def _proposal(request, pk):
    """The proposal, if it is one of the user's organisations'; 404 otherwise, whether or not
    it exists."""
    proposal = services.proposals_for(request.user).select_related("organisation").filter(
        pk=pk).first()
    if proposal is None:
        raise Http404
    return proposal


def _decide(request, pk, *, form_class, decide, template, done):
    proposal = _proposal(request, pk)
    form = form_class(request.POST if request.method == "POST" else None)
    if request.method == "POST" and proposal.state == ProposalState.PROPOSED and form.is_valid():
        try:
            decide(proposal, form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, done % {"reference": proposal.reference})
            return redirect("retention:proposals")
    return render(request, template, {"proposal": proposal, "form": form,
                                      "states": ProposalState})


@require_http_methods(["GET", "POST"])
@permission_required(PERMISSION, raise_exception=True)
def approve(request, pk):
    return _decide(
        request, pk, form_class=ApproveForm, template="retention/approve.html",
        decide=lambda proposal, data: services.approve(proposal=proposal, by=request.user),
        done=_("Destruction of %(reference)s approved. The records are destroyed tonight."))


@require_http_methods(["GET", "POST"])
@permission_required(PERMISSION, raise_exception=True)
def reject(request, pk):
    return _decide(
        request, pk, form_class=RejectForm, template="retention/reject.html",
        decide=lambda proposal, data: services.reject(proposal=proposal, by=request.user,
                                                      reason=data["reason"]),
        done=_("The records of %(reference)s are kept. You will be asked again in five "
               "years."))
