"""
My work, support plans, feedback discussions, closing a client, notifications (steps 7-9).
Every client is loaded through consents.policy; plans and discussions are its records, read by
whom the policy lets see them and changed only by the organisation that wrote them.
"""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, Prefetch, When
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from clients.models import CaseManagerAssignment, ClientStatus, SupportContact
from clients.timeline import events_for
from consents.audit import render_shown
from consents.documents import ClientDocument
from consents.models import Action
from consents.policy import (
    care_organisation_ids,
    client_for,
    get_record_for_user,
    organisation_of,
)
from meetings.models import Meeting
from tyokyky import documents
from tyokyky.forms import id_or_none
from tyokyky.versions import versions_of
from tyokyky.views import report_rule_broken

from . import services
from .forms import (
    ActionForm,
    ActionStatusForm,
    CloseForm,
    DiscussionForm,
    FollowUpDoneForm,
    FollowUpForm,
    GoalForm,
    GoalNoteForm,
    PlanForm,
    ReopenForm,
)
from .models import (
    ActionStatus,
    FeedbackDiscussion,
    FollowUp,
    Goal,
    GoalNote,
    PlanAction,
    SupportPlan,
)

# --- The support plan ---------------------------------------------------------------------------


def _plan_for_user(client):
    """The client's plan in use that the user may see: their own organisation's first."""
    mine = client.access.own_organisation_ids
    return client.first(SupportPlan.objects.filter(status="active").prefetch_related(
        "case_managers").order_by(Case(When(organisation__in=mine, then=0), default=1), "pk"))


def _known_case_managers(client) -> list[int]:
    """The client's current case managers the user may know of, for a form's first values."""
    return list(client.known(CaseManagerAssignment.objects.current().filter(
        client=client.instance)).values_list("user_id", flat=True))


@require_GET
def plan(request, client_pk):
    return _plan_page(request, client_for(request.user, client_pk))


def _plan_page(request, client, action_form=None):
    """The plan page; `action_form` bound when a people search without JavaScript comes back
    to it (teams.people.PeoplePickerFormMixin)."""
    current = _plan_for_user(client)
    actions = follow_ups = versions = []
    if current is not None:
        actions = list(current.actions.select_related("responsible"))
        action_versions = versions_of(actions)
        for action in actions:  # each status form carries the version it was opened on
            action.version = action_versions.get(action.pk, 0)
        follow_ups = list(current.follow_ups.select_related("done_by", "responsible"))
        versions = _distinct_versions(current.history.select_related("history_user")[:40])
    may_write = request.user.has_perm("plans.change_supportplan")
    return render_shown(request, "plans/plan.html", {
        "plan": current, "actions": actions, "follow_ups": follow_ups,
        "versions": versions, "goals": _goals(current),
        "action_form": action_form or ActionForm(), "follow_up_form": FollowUpForm(),
        "goal_form": GoalForm(),
        "action_statuses": ActionStatus.choices,
        "may_edit": may_write and (current is None or client.may_edit(current)),
    }, client=client, action=Action.PLAN)


def _goals(current) -> list:
    """The plan's goals with their dated notes, newest first: part of the plan the policy
    handed out, never loaded on their own."""
    if current is None:
        return []
    return list(current.goals.prefetch_related(Prefetch(
        "notes", queryset=GoalNote.objects.select_related("written_by"))))


def _distinct_versions(history) -> list:
    """Versions as a reader sees them: one saved change of the plan and of its case managers
    together is one version."""
    versions, previous = [], None
    for version in history:
        shown = (version.short_term_goals, version.long_term_goals, version.plain_language,
                 version.follow_up_weeks, version.history_user_id)
        if shown != previous:
            versions.append(version)
        previous = shown
    return versions[:20]


@permission_required("plans.add_supportplan", raise_exception=True)
@require_http_methods(["GET", "POST"])
def plan_edit(request, client_pk):
    """Write the plan with the client, or a new version of it: only the organisation that
    wrote the plan updates it; others with a consent read it."""
    client = client_for(request.user, client_pk)
    current = _plan_for_user(client)
    if current is not None:
        if not request.user.has_perm("plans.change_supportplan"):
            raise PermissionDenied
        client.for_editing(current)
    initial = {} if current else {"case_managers": _known_case_managers(client)}
    form = PlanForm(request.POST or None, instance=current, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        case_managers = list(data.pop("case_managers"))
        try:
            if current is None:
                services.create_plan(client=client.instance, by=request.user,
                                     organisation=organisation_of(request.user),
                                     case_managers=case_managers, version=form.version,
                                     **data)
            else:
                services.update_plan(plan=current, by=request.user,
                                     case_managers=case_managers, version=form.version,
                                     **data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Plan saved."))
            return redirect("plans:plan", client_pk=client.pk)
    return render_shown(request, "plans/plan_form.html", {"form": form, "plan": current},
                        client=client, action=Action.PLAN)


def _editable_plan(request, client_pk):
    """The plan in use, for a change: 404 for a plan the user may not see (whether or not it
    exists), then 403 for one they may read but not change."""
    client = client_for(request.user, client_pk)
    current = _plan_for_user(client)
    if current is None:
        raise Http404
    _for_change(request, client, current)
    return client, current


def _for_change(request, client, current):
    """403 for a plan the user may read but not change."""
    if not request.user.has_perm("plans.change_supportplan"):
        raise PermissionDenied
    client.for_editing(current)


def _editable_part(request, model, pk):
    """An action or a follow-up of the plan in use, for a change, and its client: like
    _editable_plan, 404 for one of a plan the user may not see, whether or not it exists."""
    part = get_record_for_user(request.user, model.objects.all(), pk,
                               client_field="plan__client", find=_of_plan_in_use)
    _for_change(request, part.shown, part.plan)
    return part.shown, part


def _of_plan_in_use(client, parts):
    """The part, if it belongs to the plan in use that the user sees (_plan_for_user)."""
    current = _plan_for_user(client)
    part = parts.filter(plan=current).first() if current is not None else None
    if part is not None:
        part.plan = current
    return part


def _add_to_plan(request, client_pk, form_class, add, done: str):
    """A row added to the plan in use from the plan page's small forms: by the plan's
    organisation only, the errors shown back on the plan page."""
    client, current = _editable_plan(request, client_pk)
    form = form_class(request.POST)
    if getattr(form, "searching_people", False):
        return _plan_page(request, client, action_form=form)
    if form.is_valid():
        add(plan=current, by=request.user, **form.cleaned_data)
        messages.success(request, done)
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("plans:plan", client_pk=client.pk)


@require_POST
def action_add(request, client_pk):
    return _add_to_plan(request, client_pk, ActionForm, services.add_action, _("Action added."))


@require_POST
def goal_add(request, client_pk):
    """A goal of the plan in use, often an interim goal."""
    return _add_to_plan(request, client_pk, GoalForm, services.add_goal, _("Goal added."))


@require_http_methods(["GET", "POST"])
def goal_follow(request, pk):
    """Follow a goal with the client: its progress now, and a dated note of where it stands."""
    client, goal = _editable_part(request, Goal, pk)
    form = GoalNoteForm(request.POST if request.method == "POST" else None,
                        initial={"progress": goal.progress})
    if request.method == "POST" and form.is_valid():
        try:
            services.follow_goal(goal=goal, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Goal followed up."))
            return redirect("plans:plan", client_pk=client.pk)
    return render_shown(request, "plans/goal_follow.html", {
        "form": form, "goal": goal, "notes": goal.notes.select_related("written_by"),
    }, client=client, action=Action.PLAN)


@require_POST
def action_status(request, pk):
    client, action = _editable_part(request, PlanAction, pk)
    form = ActionStatusForm(request.POST)
    if form.is_valid():
        try:
            services.set_action_status(action=action, by=request.user, version=form.version,
                                       **form.cleaned_data)
        except ValidationError as error:
            # Someone changed the action after the plan page was opened: their change, and
            # the user's own choice kept for saving again.
            form.add_error(None, error)
            return render_shown(request, "plans/action_status.html", {
                "form": form, "plan_action": action,
            }, client=client, action=Action.PLAN)
        messages.success(request, _("Action updated."))
    return redirect("plans:plan", client_pk=client.pk)


@require_POST
def follow_up_add(request, client_pk):
    return _add_to_plan(request, client_pk, FollowUpForm, services.add_follow_up,
                        _("Follow-up date added."))


@require_http_methods(["GET", "POST"])
def follow_up_done(request, pk):
    client, follow_up = _editable_part(request, FollowUp, pk)
    form = FollowUpDoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.complete_follow_up(follow_up=follow_up, by=request.user,
                                        **form.cleaned_data)
        except ValidationError as error:
            report_rule_broken(request, error)
        else:
            messages.success(request, _("Follow-up recorded."))
        return redirect("plans:plan", client_pk=client.pk)
    return render_shown(request, "plans/follow_up_done.html", {
        "form": form, "follow_up": follow_up,
    }, client=client, action=Action.PLAN)


@require_GET
def plan_pdf(request, client_pk):
    """The plan printed for the client; a long one is rendered in the background."""
    return documents.respond(request, "plans.plan", client_pk)


def plan_document(user, client_pk) -> ClientDocument:
    """The plan printed for the client, in the client's language: built through the policy
    in the request, in the worker and at the download alike (tyokyky/documents.py)."""
    client = client_for(user, client_pk)
    current = _plan_for_user(client)
    if current is None:
        raise Http404
    actions = list(current.actions.select_related("responsible"))
    return ClientDocument(
        template="plans/plan_pdf.html", client=client, action=Action.PLAN_PDF,
        context={"client": client, "plan": current, "actions": actions,
                 "goals": _goals(current),
                 "follow_ups": current.follow_ups.filter(done_on__isnull=True),
                 "generated_at": timezone.now(), "generated_by": user},
        filename=f"suunnitelma-{client.pk}.pdf", language=_language(client), rows=len(actions),
    )


def _language(client) -> str:
    """The client's language of service as the user may know it, else Finnish."""
    return client.language if client.language in ("fi", "sv", "en") else "fi"


# --- Feedback discussions -----------------------------------------------------------------------


def _default_holder(meeting, client):
    """Who the meeting named to hold the discussion, else the client's first case manager."""
    decision = getattr(meeting, "decision", None) if meeting else None
    if decision and decision.feedback_discussion_holder_id:
        return decision.feedback_discussion_holder_id
    known = _known_case_managers(client)
    return known[0] if known else None


def _support_network(client):
    """The client's support network as the user may see it (social information, handed out
    for the access log), to choose who was present."""
    contacts = client.records(SupportContact.objects.order_by("name", "pk"))
    return SupportContact.objects.filter(pk__in=[c.pk for c in contacts]).order_by("name", "pk")


@permission_required("plans.add_feedbackdiscussion", raise_exception=True)
@require_http_methods(["GET", "POST"])
def discussion_create(request, client_pk):
    """Book or record the feedback discussion that follows a team meeting: the user's
    organisation's own, which only it changes — another organisation's, even one the user may
    read, is never the form's starting point."""
    client = client_for(request.user, client_pk)
    meeting = None
    meeting_pk = id_or_none(request.POST.get("meeting") or request.GET.get("meeting"))
    if meeting_pk:
        meeting = client.first(Meeting.objects.filter(pk=meeting_pk))
    existing = client.first(FeedbackDiscussion.objects.filter(
        meeting=meeting, organisation__in=care_organisation_ids(request.user))) if meeting else None
    form = DiscussionForm(request.POST or None, instance=existing,
                          contacts=_support_network(client),
                          initial={"holder": _default_holder(meeting, client)})
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            services.record_feedback_discussion(
                client=client.instance, by=request.user, organisation=organisation_of(request.user),
                meeting=meeting, version=form.version,
                invite=form.cleaned_data.get("invite_contacts") or [], **data,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Feedback discussion saved."))
            return redirect("clients:detail", pk=client.pk)
    return render_shown(request, "plans/discussion_form.html", {
        "form": form, "meeting": meeting,
    }, client=client, action=Action.FEEDBACK_DISCUSSION)


@require_GET
def discussion_detail(request, pk):
    discussion = get_record_for_user(request.user, FeedbackDiscussion.objects.select_related(
        "holder", "meeting"), pk)
    return render_shown(request, "plans/discussion_detail.html", {"discussion": discussion},
                        client=discussion.shown, action=Action.FEEDBACK_DISCUSSION)


# --- Closing a client ---------------------------------------------------------------------------


@permission_required("clients.change_client", raise_exception=True)
@require_http_methods(["GET", "POST"])
def close_client(request, client_pk):
    """The client goes on: a reason, the final feedback discussion, and out of every list."""
    client = client_for(request.user, client_pk)
    access = client.access
    # The writer of the card closes the client; an organisation that knows the client by its
    # own card ends its own relationship with them.
    ends_own = access.own_card is not None and not access.keeps_client
    if not (access.writes_card or ends_own):
        raise PermissionDenied
    known = _known_case_managers(client)
    form = CloseForm(request.POST or None, initial={"holder": known[0] if known else None})
    if ends_own:
        del form.fields["follow_up_months"]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        close = services.end_relationship if ends_own else services.close_client
        # Only the client's closing keeps a follow-up period; an organisation ending its own
        # relationship is not asked for one.
        follow_up = {} if ends_own else {"follow_up_months": data["follow_up_months"]}
        try:
            close(
                client=client.instance, by=request.user, organisation=organisation_of(request.user),
                reason=data["reason"], closed_on=data["closed_on"],
                final_discussion={name: data[name] for name in (
                    "holder", "client_present", "others_present", "reviewed")},
                **follow_up,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if ends_own:
                messages.success(request, _("Client closed in your organisation."))
                return redirect("clients:list")
            messages.success(request, _("Client closed. Print the summary of the process for "
                                        "the client's next service."))
            return redirect("clients:detail", pk=client.pk)
    return render_shown(request, "plans/close.html", {"form": form}, client=client,
                        action=Action.CLOSE_CLIENT)


@permission_required("clients.change_client", raise_exception=True)
@require_http_methods(["GET", "POST"])
def reopen_client(request, client_pk):
    """A closed client who comes back is reopened with their history, by whoever may close
    them: the writer of the client's card. Asked on a page of its own first (no JavaScript)."""
    client = client_for(request.user, client_pk)
    if not client.access.writes_card:
        raise PermissionDenied
    if client.instance.status != ClientStatus.CLOSED:
        messages.info(request, _("The client is open."))
        return redirect("clients:detail", pk=client.pk)
    # The case managers at the closing, as far as the user may know of them (the policy):
    # another organisation's, under a ban, is neither shown nor named again by a tick.
    last = list(client.known(CaseManagerAssignment.objects.filter(
        client=client.instance, ended_on=client.instance.closed_on)).values_list(
        "user_id", flat=True))
    # Bound on every POST: one with no case manager ticked sends no field at all.
    form = ReopenForm(request.POST if request.method == "POST" else None,
                      initial={"case_managers": last})
    if request.method == "POST" and form.is_valid():
        try:
            services.reopen_client(client=client.instance, by=request.user,
                                   case_managers=list(form.cleaned_data["case_managers"]))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Client reopened. The earlier plans and discussions "
                                        "stay in the client's history; write a new plan."))
            return redirect("clients:detail", pk=client.pk)
    return render_shown(request, "plans/reopen.html", {"form": form}, client=client,
                        action=Action.CLOSE_CLIENT)


@require_GET
def process_pdf(request, client_pk):
    """The client's process for the client to take onward; a long one in the background."""
    return documents.respond(request, "plans.process", client_pk)


def process_document(user, client_pk) -> ClientDocument:
    """The client's process — events, plan, decisions — built like plan_document."""
    client = client_for(user, client_pk)
    language = _language(client)
    context = process_context(client, language)
    return ClientDocument(
        template="plans/process_pdf.html", client=client, action=Action.PROCESS_PDF,
        context={**context, "generated_by": user},
        filename=f"prosessi-{client.pk}.pdf", language=language,
        rows=len(context["timeline"]) + sum(len(plan.actions.all())
                                            for plan in context["plans"]),
    )


def process_context(client, language) -> dict:
    """What the process summary shows, read through `client`: the policy's ShownClient for
    staff, or the client's own reader in Oma Työkyky (oma/path_views.py), so that one builder
    and one template serve both."""
    assignments = client.known(CaseManagerAssignment.objects.filter(
        client=client.instance).select_related("user", "organisation"))
    with translation.override(language):  # the events' labels
        timeline = events_for(client)
    plans = client.records(SupportPlan.objects.prefetch_related("actions", "case_managers",
                                                                "goals"))
    return {
        "client": client, "timeline": timeline, "plans": plans,
        "meetings": [client.fields(meeting) for meeting in client.records(
            Meeting.objects.select_related("decision"))],
        "discussions": client.records(FeedbackDiscussion.objects.filter(
            held_on__isnull=False)),
        "case_managers": assignments, "generated_at": timezone.now(),
    }
