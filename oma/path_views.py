"""
The client's own service path in Oma Työkyky: who their case managers are and how to reach
them, their coming times (and asking to move one), their support plan (their own words first,
marking their own actions done), the feedback of their health check and the process summary.

Every page reads only `request.client`'s own rows (consents/own.py) and hands them out, so that
`render_own` logs what the page showed as the client's own read. An id of anyone else's row is
answered 404, as an id of nothing.
"""

from types import SimpleNamespace

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from clients.models import CaseManagerAssignment
from clients.records import DataCategory
from consents.models import Action
from consents.own import OwnClient, log_own_read, render_own
from consents.policy import organisation_of
from plans import services as plan_services
from plans.models import Goal, GoalProgress, PlanAction, PlanStatus, SupportPlan
from plans.views import process_context
from referrals.models import Feedback
from teams.models import Membership
from tyokyky import documents
from tyokyky.pdf import pdf_response

from . import moving
from .path_forms import MoveRequestForm
from .session import client_required

PER_PAGE = 20

# --- Case managers ------------------------------------------------------------------------------


def _roles(users) -> dict:
    """Each person's role in each organisation, to say who they are ("nurse, health centre")."""
    roles = {}
    for membership in Membership.objects.active().filter(user__in=users):
        key = (membership.user_id, membership.organisation_id)
        roles.setdefault(key, membership.get_role_display())
    return roles


@client_required
@require_GET
def contacts(request):
    """The client's current case managers and own nurse, and how to reach them at work."""
    own = request.client
    assignments = list(own.own(CaseManagerAssignment.objects.current().select_related(
        "user", "organisation")).order_by("started_on", "pk"))
    own.hand_out(assignments, DataCategory.IDENTITY)  # who works with them: shown with the card
    nurse = own.own_nurse
    roles = _roles([a.user for a in assignments] + ([nurse] if nurse else []))
    people = [SimpleNamespace(person=a.user, organisation=a.organisation, since=a.started_on,
                              role=roles.get((a.user_id, a.organisation_id), ""))
              for a in assignments]
    nurse_organisation = organisation_of(nurse) if nurse else None
    return render_own(request, "oma/contacts.html", {
        "case_managers": people,
        "nurse": nurse, "nurse_organisation": nurse_organisation,
        "nurse_role": roles.get((nurse.pk, nurse_organisation.pk), "")
        if nurse and nurse_organisation else "",
    })


# --- Coming times and asking to move one --------------------------------------------------------


@client_required
@require_GET
def appointments(request):
    """The client's coming meetings, feedback discussions and health checks, soonest first."""
    page = Paginator(moving.coming_times(request.client), PER_PAGE).get_page(
        request.GET.get("page"))
    return render_own(request, "oma/appointments.html", {"page": page})


@client_required
@require_http_methods(["GET", "POST"])
def move_request(request, kind, pk):
    """The client asks to move one of their coming times: a reason and the times that would
    suit; the one who holds the time is told. One open request per time."""
    time = moving.coming_time(request.client, kind, pk)
    if time is None:
        raise Http404
    form = MoveRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            moving.ask_to_move(client_id=request.client.pk, time=time, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your request was sent. The person who booked the "
                                        "time will contact you."))
            return redirect("oma:appointments")
    return render_own(request, "oma/move_request.html", {"form": form, "time": time})


# --- The support plan ---------------------------------------------------------------------------


def _own_plans(own: OwnClient) -> list:
    """The client's plans in use (one per organisation), with goals, actions and case
    managers, handed out for the log."""
    return own.records(SupportPlan.objects.filter(status=PlanStatus.ACTIVE).select_related(
        "organisation").prefetch_related(
        "case_managers",
        Prefetch("goals", queryset=Goal.objects.order_by("pk")),
        Prefetch("actions", queryset=PlanAction.objects.select_related("responsible")),
    ).order_by("created_at", "pk"))


@client_required
@require_GET
def plan(request):
    """The plan in the client's own words first: the plain-language part, the goals as they
    said them, then each goal's progress and the actions — their own ones to mark done."""
    return render_own(request, "oma/plan.html", {
        "plans": _own_plans(request.client), "reached": GoalProgress.REACHED,
    })


def _own_action(own: OwnClient, pk) -> PlanAction:
    """An action of the client's own plan that the plan gives to the client; 404 otherwise."""
    action = own.own(PlanAction.objects.filter(plan__status=PlanStatus.ACTIVE,
                                               client_responsible=True),
                     client_field="plan__client").filter(pk=pk).first()
    if action is None:
        raise Http404
    return action


@client_required
@require_POST
def action_done(request, pk):
    """The client marks an action of their own done (plans.services.mark_own_action_done)."""
    action = _own_action(request.client, pk)
    try:
        plan_services.mark_own_action_done(action=action)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Well done! The action is marked done."))
    return redirect("oma:plan")


# --- The feedback of the health check, and the process summary ----------------------------------


@client_required
@require_GET
def feedback(request):
    """The feedback of the client's health checks: what was found that matters for work, and
    the next steps, newest first — the feedback the nurse always gives the client."""
    own = request.client
    page = Paginator(own.own(Feedback.objects.select_related(
        "organisation", "referral__health_check__nurse")), PER_PAGE // 2).get_page(
        request.GET.get("page"))
    own.hand_out(page.object_list)
    checks = [getattr(row.referral, "health_check", None) for row in page.object_list]
    own.hand_out([check for check in checks if check is not None])
    return render_own(request, "oma/feedback.html", {"page": page})


class OwnReader(OwnClient):
    """The client as the process summary's builder reads a client (the ShownClient's way):
    every record their own, their card theirs to see."""

    identity = True
    sees_card = True

    @property
    def name(self) -> str:
        return self.full_name

    def known(self, rows, organisation_field="organisation"):
        self.hand_out_identity()
        return rows

    def fields(self, record, **kwargs):
        return record

    def hand_out_identity(self):
        self.handed_out.add(DataCategory.IDENTITY.value)


@client_required
@require_GET
def process_pdf(request):
    """The summary of the client's process, printed for the client from the staff print's
    builder and template (plans.views.process_context), logged as the client's own read."""
    reader = OwnReader(request.client.instance)
    language = reader.language if reader.language in ("fi", "sv", "en") else "fi"
    context = process_context(reader, language)
    document = SimpleNamespace(template="plans/process_pdf.html", language=language,
                               context={**context, "generated_by": reader.full_name})
    pdf = documents.render(document)
    log_own_read(request, reader, Action.PROCESS_PDF)
    return pdf_response(pdf, "yhteenveto.pdf")
