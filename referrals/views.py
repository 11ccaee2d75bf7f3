"""
Referrals and the health check loop, as the referrer, the nurse and the doctor meet it.

Every referral is loaded through consents.policy: the client first (404 for outsiders), then
the referral among the records the user may see; its health check and feedback likewise. Actions
of the health check belong to the organisation the referral was sent to, and only the
organisation that recorded the check gives its feedback; acknowledging belongs to the one the
feedback went to.
"""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from clients.models import CaseManagerAssignment
from consents.audit import render_rows, render_shown
from consents.models import Action
from consents.policy import (
    addressed_to_me,
    care_organisation_ids,
    client_for,
    get_record_for_user,
    organisation_of,
    written_by_me,
)
from consents.shown import shown_clients
from tyokyky.search import bound_search_form, redirect_to_search, search_query
from tyokyky.versions import version_of
from tyokyky.views import report_rule_broken

from . import services
from .forms import (
    AssessmentForm,
    BookingForm,
    CancelForm,
    FeedbackForm,
    HealthCheckForm,
    NoShowForm,
    ReferralForm,
    SelfReferralForm,
    ServiceFormSet,
    WorklistSearchForm,
)
from .models import (
    AWAITING_CHECK,
    DoctorAssessment,
    Feedback,
    HealthCheck,
    MissedAppointment,
    Referral,
    ReferralReason,
    SelfAssessment,
)
from .self_assessment import side_by_side

PAGE_SIZE = 25

LIST_RELATED = ["organisation", "recipient", "created_by", "health_check", "feedback"]


# --- Loading, with the policy -------------------------------------------------------------------

def _referral_for_user(request, pk) -> Referral:
    """
    The referral, if the user may see its client and the referral itself — or received its
    feedback: employment services sent a self-referral's feedback follow the loop through it
    without seeing the referral's contents (`contents_hidden`); a consent to see the feedback
    is not one to see the referral. Otherwise 404, whether or not it exists. `referral.shown`
    is its client as the user may see them.
    """
    return get_record_for_user(
        request.user,
        Referral.objects.select_related("organisation", "recipient", "created_by",
                                        "received_by"),
        pk, find=_referral_or_its_feedback)


def _referral_or_its_feedback(client, referrals) -> Referral | None:
    """The referral if the user may see it, else its bare self if feedback the user may see
    was sent to their organisation through it (`contents_hidden`), else None."""
    referral = client.first(referrals)
    if referral is not None:
        referral.contents_hidden = False
    elif client.visible(Feedback.objects.filter(
            referral__in=referrals, recipient__in=client.access.own_organisation_ids)).exists():
        referral = referrals.get()
        referral.contents_hidden = True
    return referral


def _as_recipient(request, pk) -> Referral:
    """A referral sent to the user's organisation: the health check's side of the loop."""
    referral = _referral_for_user(request, pk)
    if referral.recipient_id not in care_organisation_ids(request.user):
        raise PermissionDenied
    return referral


# --- Lists --------------------------------------------------------------------------------------

def _referral_list(request, referrals, *, template, action, url_name):
    if request.method == "POST":
        form = WorklistSearchForm(request.POST)
        if form.is_valid():
            return redirect_to_search(request, form, reverse(url_name))
    else:
        form, _searched = bound_search_form(request, WorklistSearchForm)
    referrals = form.filter(referrals, request.user) if form.is_valid() else referrals.none()
    # The client's municipality for the deadline flags, without handing the rows the client.
    referrals = referrals.select_related(*LIST_RELATED).annotate(
        client_municipality_id=F("client__municipality"))
    page = Paginator(referrals, PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    shown = shown_clients(request.user, [referral.client_id for referral in page])
    for referral in page:
        referral.shown_client = shown[referral.client_id]
    return render_rows(request, template, {"form": form, "page": page,
                                           "query": search_query(request)},
                       rows=list(shown.values()), action=action)


@permission_required("referrals.handle_referral", raise_exception=True)
@sensitive_post_parameters("q")
@require_http_methods(["GET", "POST"])
def worklist(request):
    """The nurse's worklist: referrals to my organisation's health check, oldest first."""
    referrals = addressed_to_me(request.user, Referral.objects.all(), "recipient").order_by(
        "created_at", "pk"
    ).annotate(missed=Exists(MissedAppointment.objects.filter(
        referral=OuterRef("pk"), organisation=OuterRef("recipient"))))  # the check's own record
    return _referral_list(request, referrals, template="referrals/worklist.html",
                          action=Action.REFERRAL_WORKLIST, url_name="referrals:worklist")


@permission_required("referrals.add_referral", raise_exception=True)
@sensitive_post_parameters("q")
@require_http_methods(["GET", "POST"])
def sent(request):
    """The referrer's list: where the referrals my organisation sent are now."""
    referrals = written_by_me(request.user, Referral.objects.filter(is_self_referral=False))
    return _referral_list(request, referrals.order_by("-created_at", "-pk"),
                          template="referrals/sent.html", action=Action.SENT_REFERRALS,
                          url_name="referrals:sent")


# --- Sending ------------------------------------------------------------------------------------

def _responsible_persons(client) -> str:
    """The case managers and own nurse the referrer may see, for the referral's text."""
    assignments = client.known(CaseManagerAssignment.objects.current().filter(
        client=client.instance))
    names = [str(assignment.user) for assignment in assignments.select_related("user")]
    if client.own_nurse:
        names.append(_("own nurse %(name)s") % {"name": client.own_nurse})
    return ", ".join(names)


def _proposed_reason(request) -> dict:
    """The reason a reminder's link chose (referrals/check_proposals.py), if it is one."""
    reason = request.GET.get("reason")
    return {"reason": reason} if reason in ReferralReason.values else {}


@permission_required("referrals.add_referral", raise_exception=True)
@require_http_methods(["GET", "POST"])
def referral_create(request, client_pk):
    client = client_for(request.user, client_pk)
    if not client.access.knows_client:  # a referral discloses who the client is
        raise PermissionDenied
    form = ReferralForm(request.POST or None, municipality=client.municipality or None,
                        initial={"responsible_persons": _responsible_persons(client),
                                 **_proposed_reason(request)})
    services_formset = ServiceFormSet(request.POST or None, prefix="services")
    existing = None
    if request.method == "POST" and form.is_valid() and services_formset.is_valid():
        fields = ("service", "organisation_name", "contact_person")
        rows = [{name: row[name] for name in fields}
                for row in services_formset.cleaned_data if row.get("service")]
        try:
            referral = services.send_referral(
                client=client.instance, by=request.user, organisation=organisation_of(request.user),
                services=rows, **form.cleaned_data,
            )
        except services.OpenReferralExists as error:
            existing = error.referral
            form.add_error(None, error)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Referral sent. You can follow it under Referrals."))
            return redirect("referrals:detail", pk=referral.pk)
    return render_shown(request, "referrals/referral_form.html", {
        "form": form, "services_formset": services_formset, "existing": existing,
    }, client=client, action=Action.REFERRAL_FORM)


# --- The referral and its steps -----------------------------------------------------------------

@require_GET
def referral_detail(request, pk):
    referral = _referral_for_user(request, pk)
    client = referral.shown
    check = client.first(HealthCheck.objects.filter(referral=referral).select_related(
        "nurse", "doctor", "organisation"))
    feedback = client.first(Feedback.objects.filter(referral=referral).select_related(
        "organisation", "recipient", "created_by", "acknowledged_by"))
    my_organisations = care_organisation_ids(request.user)
    is_recipient = referral.recipient_id in my_organisations
    return render_shown(request, "referrals/referral_detail.html", {
        "referral": referral,
        "services_in_use": [] if referral.contents_hidden else referral.services.all(),
        "check": check,
        "feedback": feedback,
        "check_hidden": check is None and referral.status not in AWAITING_CHECK
        and referral.status != "cancelled" and client.access.may_know_of_others,
        "is_recipient": is_recipient,
        "awaiting_check": referral.status in AWAITING_CHECK,
        "may_cancel": referral.status in AWAITING_CHECK
        and (is_recipient or referral.organisation_id in my_organisations),
        "may_acknowledge": feedback is not None and feedback.acknowledged_at is None
        and feedback.recipient_id in my_organisations,
        "missed": client.records(MissedAppointment.objects.filter(referral=referral)),
        "may_record_no_show": is_recipient and referral.no_show_open()
        and request.user.has_perm("referrals.handle_referral"),
        "may_correct_check": check is not None and client.may_edit(check)
        and request.user.has_perm("referrals.change_healthcheck"),
        **_self_assessment(client, referral, check),
    }, client=client, action=Action.REFERRAL)


def _self_assessment(client, referral, check=None) -> dict:
    """The client's own self-assessment of the referral as the policy lets the page show it
    (the health organisation's health data: consents.policy), beside the nurse's scores."""
    if getattr(referral, "contents_hidden", False):
        return {}
    assessment = client.first(SelfAssessment.objects.filter(referral=referral))
    return {"self_assessment": assessment, "self_scores": side_by_side(assessment, check)}


@permission_required("referrals.handle_referral", raise_exception=True)
@require_POST
def receive(request, pk):
    referral = _as_recipient(request, pk)
    try:
        services.receive_referral(referral=referral, by=request.user)
    except ValidationError as error:
        report_rule_broken(request, error)
    else:
        messages.success(request, _("Referral received."))
    return redirect("referrals:detail", pk=referral.pk)


@permission_required("referrals.handle_referral", raise_exception=True)
@require_http_methods(["GET", "POST"])
def book(request, pk):
    referral = _as_recipient(request, pk)
    form = BookingForm(request.POST or None, version=version_of(referral),
                       initial={"when": referral.booked_for} if referral.booked_for else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.book_health_check(referral=referral, by=request.user,
                                       when=form.cleaned_data["when"], version=form.version)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Health check booked."))
            return redirect("referrals:detail", pk=referral.pk)
    return render_shown(request, "referrals/book.html", {"form": form, "referral": referral},
                        client=referral.shown, action=Action.REFERRAL)


@require_http_methods(["GET", "POST"])
def cancel(request, pk):
    """Cancelling asks for a reason first; the referrer or the health check may cancel."""
    referral = _referral_for_user(request, pk)
    if not {referral.organisation_id, referral.recipient_id} & care_organisation_ids(
        request.user
    ):
        raise PermissionDenied
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.cancel_referral(referral=referral, by=request.user,
                                     reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Referral cancelled."))
            return redirect("referrals:detail", pk=referral.pk)
    return render_shown(request, "referrals/cancel.html", {"form": form, "referral": referral},
                        client=referral.shown, action=Action.REFERRAL)


@permission_required("referrals.handle_referral", raise_exception=True)
@require_http_methods(["GET", "POST"])
def no_show(request, pk):
    """The client did not arrive at the booked check (ei saapunut): asked first, then the
    referral waits for a new time and the no-show stays in its history."""
    referral = _as_recipient(request, pk)
    # A confirmation carries no field but its version: bound on every POST, even an empty one.
    form = NoShowForm(request.POST if request.method == "POST" else None,
                      version=version_of(referral))
    if request.method == "POST" and form.is_valid():
        try:
            services.record_no_show(referral=referral, by=request.user, version=form.version,
                                    note=form.cleaned_data["note"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Recorded: the client did not arrive. Book a new time "
                                        "for the health check."))
            return redirect("referrals:detail", pk=referral.pk)
    return render_shown(request, "referrals/no_show.html", {
        "form": form, "referral": referral, "open": referral.no_show_open(),
    }, client=referral.shown, action=Action.REFERRAL)


@permission_required("referrals.add_healthcheck", raise_exception=True)
@require_http_methods(["GET", "POST"])
def health_check(request, pk):
    """Record the referral's health check; once recorded, the organisation that recorded it
    corrects it here."""
    referral = _as_recipient(request, pk)
    check = referral.shown.first(HealthCheck.objects.filter(referral=referral))
    if check is not None:
        if not request.user.has_perm("referrals.change_healthcheck"):
            raise PermissionDenied
        referral.shown.for_editing(check)
    form = HealthCheckForm(request.POST or None, instance=check)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_health_check(
                referral=referral, by=request.user, organisation=organisation_of(request.user),
                nurse=request.user, version=form.version, **form.cleaned_data,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Health check recorded. Next: feedback."))
            return redirect("referrals:detail", pk=referral.pk)
    return render_shown(request, "referrals/health_check_form.html", {
        "form": form, "referral": referral, "correcting": check is not None,
        **_self_assessment(referral.shown, referral, check),
    }, client=referral.shown, action=Action.HEALTH_CHECK_FORM)


@permission_required("referrals.add_feedback", raise_exception=True)
@require_http_methods(["GET", "POST"])
def feedback(request, pk):
    referral = _as_recipient(request, pk)
    if referral.status in AWAITING_CHECK:
        messages.error(request, _("Record the health check before its feedback."))
        return redirect("referrals:detail", pk=referral.pk)
    check = referral.shown.first(HealthCheck.objects.filter(referral=referral))
    if check is None:
        raise Http404
    if not referral.shown.may_edit(check):  # the organisation that recorded it gives feedback
        raise PermissionDenied
    referral.health_check = check
    recipients = services.feedback_recipients(referral)
    form = FeedbackForm(request.POST or None, referral=referral, recipients=recipients)
    if request.method == "POST" and form.is_valid():
        try:
            services.send_feedback(referral=referral, by=request.user,
                                   organisation=organisation_of(request.user), **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Feedback given."))
            return redirect("referrals:detail", pk=referral.pk)
    return render_shown(request, "referrals/feedback_form.html", {
        "form": form, "referral": referral, "check": check,
    }, client=referral.shown, action=Action.FEEDBACK_FORM)


@require_POST
def acknowledge(request, pk):
    referral = _referral_for_user(request, pk)
    feedback = referral.shown.visible(Feedback.objects.filter(referral=referral)).first()
    if feedback is None:
        raise Http404
    try:
        with transaction.atomic():
            services.acknowledge_feedback(feedback=feedback, by=request.user)
    except ValidationError as error:
        report_rule_broken(request, error)
    else:
        messages.success(request, _("Feedback acknowledged. The referral is closed."))
    return redirect("referrals:detail", pk=referral.pk)


@permission_required("referrals.handle_referral", raise_exception=True)
@require_http_methods(["GET", "POST"])
def self_referral(request, client_pk):
    """The client came by themself: open the health check loop without a referral."""
    client = client_for(request.user, client_pk)
    organisation = organisation_of(request.user)
    form = SelfReferralForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            referral = services.start_self_referral(
                client=client.instance, by=request.user, organisation=organisation,
                booked_for=form.cleaned_data["when"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if form.cleaned_data["when"]:
                return redirect("referrals:detail", pk=referral.pk)
            return redirect("referrals:health_check", pk=referral.pk)
    return render_shown(request, "referrals/self_referral.html", {
        "form": form, "organisation": organisation,
    }, client=client, action=Action.REFERRAL_FORM)


# --- The doctor's assessment --------------------------------------------------------------------

@permission_required("referrals.add_doctorassessment", raise_exception=True)
@require_http_methods(["GET", "POST"])
def assessment_create(request, client_pk):
    client = client_for(request.user, client_pk)
    latest_check = client.first(HealthCheck.objects.all())
    form = AssessmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.record_assessment(
                client=client.instance, by=request.user, organisation=organisation_of(request.user),
                health_check=latest_check, **form.cleaned_data,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Assessment recorded."))
            return redirect("referrals:assessment", pk=assessment.pk)
    return render_shown(request, "referrals/assessment_form.html", {
        "form": form, "check": latest_check, "has_case_manager": _has_case_manager(client),
    }, client=client, action=Action.ASSESSMENT_FORM)


@permission_required("referrals.change_doctorassessment", raise_exception=True)
@require_http_methods(["GET", "POST"])
def assessment_edit(request, pk):
    """The doctor's organisation corrects its assessment; the earlier versions are kept."""
    client, assessment = _assessment_for_user(request, pk)
    client.for_editing(assessment)
    form = AssessmentForm(request.POST or None, instance=assessment)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_assessment(assessment=assessment, by=request.user,
                                       version=form.version, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Assessment saved."))
            return redirect("referrals:assessment", pk=assessment.pk)
    return render_shown(request, "referrals/assessment_form.html", {
        "form": form, "assessment": assessment,
        "check": client.first(HealthCheck.objects.filter(pk=assessment.health_check_id)),
        "has_case_manager": _has_case_manager(client),
    }, client=client, action=Action.ASSESSMENT_FORM)


def _has_case_manager(client) -> bool:
    return CaseManagerAssignment.objects.current().filter(client=client.instance).exists()


def _assessment_for_user(request, pk):
    """The assessment and its client, if the user may see it; 404 otherwise, whether or not
    it exists."""
    assessment = get_record_for_user(request.user, DoctorAssessment.objects.select_related(
        "organisation", "created_by", "health_check"), pk)
    return assessment.shown, assessment


@require_GET
def assessment_detail(request, pk):
    client, assessment = _assessment_for_user(request, pk)
    return render_shown(request, "referrals/assessment_detail.html", {
        "assessment": assessment, "has_case_manager": _has_case_manager(client),
        "may_edit": client.may_edit(assessment)
        and request.user.has_perm("referrals.change_doctorassessment"),
    }, client=client, action=Action.ASSESSMENT)
