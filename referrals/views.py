"""
Referrals and the health check loop, as the referrer, the nurse and the doctor meet it.

Every referral is loaded through consents.policy: the client first (404 for outsiders), then
the referral among the records the user may see. Actions of the health check belong to the
organisation the referral was sent to; acknowledging belongs to the one the feedback went to.
"""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from clients.models import CaseManagerAssignment
from consents.audit import log_list_access, log_read
from consents.models import Action, DataCategory
from consents.policy import (
    access_for,
    addressed_to_me,
    care_organisation_ids,
    get_client_for_user,
    viewer_for,
    visible_records,
    written_by_me,
)
from tyokyky.search import bound_search_form, redirect_to_search, search_query

from . import services
from .forms import (
    AssessmentForm,
    BookingForm,
    CancelForm,
    FeedbackForm,
    HealthCheckForm,
    ReferralForm,
    SelfReferralForm,
    ServiceFormSet,
    WorklistSearchForm,
)
from .models import AWAITING_CHECK, DoctorAssessment, Feedback, HealthCheck, Referral

PAGE_SIZE = 25

LIST_RELATED = ["client", "client__municipality", "organisation", "recipient", "created_by",
                "health_check", "feedback"]


# --- Loading, with the policy -------------------------------------------------------------------

def _referral_for_user(request, pk) -> Referral:
    """
    The referral, if the user may see its client and the referral itself — or its feedback:
    employment services who received a self-referral's feedback follow the loop through it
    without seeing the referral's contents (`contents_hidden`). Otherwise 404.
    """
    client_id = get_object_or_404(Referral.objects.values_list("client_id", flat=True), pk=pk)
    client = get_client_for_user(request.user, client_id)
    referrals = Referral.objects.filter(pk=pk).select_related(
        "organisation", "recipient", "created_by", "received_by"
    )
    referral = visible_records(request.user, client, referrals).first()
    if referral is not None:
        referral.contents_hidden = False
    elif _visible(request, client, Feedback, referral_id=pk).exists():
        referral = referrals.get()
        referral.contents_hidden = True
    else:
        raise Http404
    referral.client = client
    return referral


def _as_recipient(request, pk) -> Referral:
    """A referral sent to the user's organisation: the health check's side of the loop."""
    referral = _referral_for_user(request, pk)
    if referral.recipient_id not in care_organisation_ids(request.user):
        raise PermissionDenied
    return referral


def _organisation(request):
    """The organisation the user writes as: their first care membership's."""
    return viewer_for(request.user).membership.organisation


def _visible(request, client, model, **filters):
    return visible_records(request.user, client, model.objects.filter(**filters))


def _sees_identity(request, client) -> bool:
    return access_for(request.user, client).can_view(DataCategory.IDENTITY)


def _form_error(form, error: ValidationError):
    """A rule of the service path broken: show it on the form, nothing saved."""
    form.add_error(None, error)


# --- Lists --------------------------------------------------------------------------------------

def _referral_list(request, referrals, *, template, action, url_name):
    if request.method == "POST":
        form = WorklistSearchForm(request.POST)
        if form.is_valid():
            return redirect_to_search(request, form, reverse(url_name))
    else:
        form, _searched = bound_search_form(request, WorklistSearchForm)
    referrals = form.filter(referrals) if form.is_valid() else referrals.none()
    page = Paginator(referrals.select_related(*LIST_RELATED), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    log_list_access(request, clients=[referral.client for referral in page],
                    categories=[DataCategory.IDENTITY], action=action)
    return render(request, template, {"form": form, "page": page, "query": search_query(request)})


@permission_required("referrals.handle_referral", raise_exception=True)
@sensitive_post_parameters("q")
@require_http_methods(["GET", "POST"])
def worklist(request):
    """The nurse's worklist: referrals to my organisation's health check, oldest first."""
    referrals = addressed_to_me(request.user, Referral.objects.all(), "recipient").order_by(
        "created_at", "pk"
    )
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
    names = [
        str(assignment.user)
        for assignment in CaseManagerAssignment.objects.current().filter(client=client)
        .select_related("user")
    ]
    if client.own_nurse:
        names.append(_("own nurse %(name)s") % {"name": client.own_nurse})
    return ", ".join(names)


@permission_required("referrals.add_referral", raise_exception=True)
@require_http_methods(["GET", "POST"])
def referral_create(request, client_pk):
    client = get_client_for_user(request.user, client_pk)
    if not access_for(request.user, client).served:
        raise PermissionDenied
    form = ReferralForm(request.POST or None, client=client,
                        initial={"responsible_persons": _responsible_persons(client)})
    services_formset = ServiceFormSet(request.POST or None, prefix="services")
    existing = None
    if request.method == "POST" and form.is_valid() and services_formset.is_valid():
        fields = ("service", "organisation_name", "contact_person")
        rows = [{name: row[name] for name in fields}
                for row in services_formset.cleaned_data if row.get("service")]
        try:
            referral = services.send_referral(
                client=client, by=request.user, organisation=_organisation(request),
                services=rows, **form.cleaned_data,
            )
        except services.OpenReferralExists as error:
            existing = error.referral
            _form_error(form, error)
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Referral sent. You can follow it under Referrals."))
            return redirect("referrals:detail", pk=referral.pk)
    log_read(request, client=client, action=Action.REFERRAL_FORM,
             identity=_sees_identity(request, client))
    return render(request, "referrals/referral_form.html", {
        "form": form, "services_formset": services_formset, "client": client,
        "existing": existing, "identity_visible": True,
    })


# --- The referral and its steps -----------------------------------------------------------------

@require_GET
def referral_detail(request, pk):
    referral = _referral_for_user(request, pk)
    client = referral.client
    check = _visible(request, client, HealthCheck, referral=referral).select_related(
        "nurse", "doctor", "organisation"
    ).first()
    feedback = _visible(request, client, Feedback, referral=referral).select_related(
        "organisation", "recipient", "created_by", "acknowledged_by"
    ).first()
    my_organisations = care_organisation_ids(request.user)
    is_recipient = referral.recipient_id in my_organisations
    context = {
        "referral": referral,
        "client": client,
        "identity_visible": _sees_identity(request, client),
        "services_in_use": [] if referral.contents_hidden else referral.services.all(),
        "check": check,
        "feedback": feedback,
        "check_hidden": check is None and referral.status not in AWAITING_CHECK
        and referral.status != "cancelled",
        "is_recipient": is_recipient,
        "awaiting_check": referral.status in AWAITING_CHECK,
        "may_cancel": referral.status in AWAITING_CHECK
        and (is_recipient or referral.organisation_id in my_organisations),
        "may_acknowledge": feedback is not None and feedback.acknowledged_at is None
        and feedback.recipient_id in my_organisations,
    }
    log_read(request, client=client, action=Action.REFERRAL,
             identity=_sees_identity(request, client),
             records=[record for record in (check, feedback) if record]
             + ([] if referral.contents_hidden else [referral]))
    return render(request, "referrals/referral_detail.html", context)


@permission_required("referrals.handle_referral", raise_exception=True)
@require_POST
def receive(request, pk):
    referral = _as_recipient(request, pk)
    try:
        services.receive_referral(referral=referral, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("Referral received."))
    return redirect("referrals:detail", pk=referral.pk)


@permission_required("referrals.handle_referral", raise_exception=True)
@require_http_methods(["GET", "POST"])
def book(request, pk):
    referral = _as_recipient(request, pk)
    form = BookingForm(request.POST or None,
                       initial={"when": referral.booked_for} if referral.booked_for else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.book_health_check(referral=referral, by=request.user,
                                       when=form.cleaned_data["when"])
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Health check booked."))
            return redirect("referrals:detail", pk=referral.pk)
    log_read(request, client=referral.client, action=Action.REFERRAL,
             identity=_sees_identity(request, referral.client))
    return render(request, "referrals/book.html", {"form": form, "referral": referral,
                                                    "client": referral.client,
                                                    "identity_visible": True})


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
            _form_error(form, error)
        else:
            messages.success(request, _("Referral cancelled."))
            return redirect("referrals:detail", pk=referral.pk)
    log_read(request, client=referral.client, action=Action.REFERRAL,
             identity=_sees_identity(request, referral.client))
    return render(request, "referrals/cancel.html", {
        "form": form, "referral": referral, "client": referral.client,
        "identity_visible": _sees_identity(request, referral.client),
    })


@permission_required("referrals.add_healthcheck", raise_exception=True)
@require_http_methods(["GET", "POST"])
def health_check(request, pk):
    referral = _as_recipient(request, pk)
    form = HealthCheckForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_health_check(
                referral=referral, by=request.user, organisation=_organisation(request),
                nurse=request.user, **form.cleaned_data,
            )
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Health check recorded. Next: feedback."))
            return redirect("referrals:detail", pk=referral.pk)
    log_read(request, client=referral.client, action=Action.HEALTH_CHECK_FORM, identity=True,
             records=[referral])
    return render(request, "referrals/health_check_form.html", {
        "form": form, "referral": referral, "client": referral.client, "identity_visible": True,
    })


@permission_required("referrals.add_feedback", raise_exception=True)
@require_http_methods(["GET", "POST"])
def feedback(request, pk):
    referral = _as_recipient(request, pk)
    if referral.status in AWAITING_CHECK:
        messages.error(request, _("Record the health check before its feedback."))
        return redirect("referrals:detail", pk=referral.pk)
    check = get_object_or_404(HealthCheck, referral=referral)
    referral.health_check = check
    recipients = services.feedback_recipients(referral)
    form = FeedbackForm(request.POST or None, referral=referral, recipients=recipients)
    if request.method == "POST" and form.is_valid():
        try:
            services.send_feedback(referral=referral, by=request.user,
                                   organisation=_organisation(request), **form.cleaned_data)
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Feedback given."))
            return redirect("referrals:detail", pk=referral.pk)
    log_read(request, client=referral.client, action=Action.FEEDBACK_FORM, identity=True,
             records=[referral, check])
    return render(request, "referrals/feedback_form.html", {
        "form": form, "referral": referral, "client": referral.client, "check": check,
        "identity_visible": True,
    })


@require_POST
def acknowledge(request, pk):
    referral = _referral_for_user(request, pk)
    feedback = get_object_or_404(Feedback, referral=referral)
    try:
        with transaction.atomic():
            services.acknowledge_feedback(feedback=feedback, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("Feedback acknowledged. The referral is closed."))
    return redirect("referrals:detail", pk=referral.pk)


@permission_required("referrals.handle_referral", raise_exception=True)
@require_http_methods(["GET", "POST"])
def self_referral(request, client_pk):
    """The client came by themself: open the health check loop without a referral."""
    client = get_client_for_user(request.user, client_pk)
    organisation = _organisation(request)
    form = SelfReferralForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            referral = services.start_self_referral(
                client=client, by=request.user, organisation=organisation,
                booked_for=form.cleaned_data["when"],
            )
        except ValidationError as error:
            _form_error(form, error)
        else:
            if form.cleaned_data["when"]:
                return redirect("referrals:detail", pk=referral.pk)
            return redirect("referrals:health_check", pk=referral.pk)
    log_read(request, client=client, action=Action.REFERRAL_FORM,
             identity=_sees_identity(request, client))
    return render(request, "referrals/self_referral.html", {
        "form": form, "client": client, "organisation": organisation,
        "identity_visible": _sees_identity(request, client),
    })


# --- The doctor's assessment --------------------------------------------------------------------

@permission_required("referrals.add_doctorassessment", raise_exception=True)
@require_http_methods(["GET", "POST"])
def assessment_create(request, client_pk):
    client = get_client_for_user(request.user, client_pk)
    latest_check = _visible(request, client, HealthCheck).first()
    form = AssessmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.record_assessment(
                client=client, by=request.user, organisation=_organisation(request),
                health_check=latest_check, **form.cleaned_data,
            )
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Assessment recorded."))
            return redirect("referrals:assessment", pk=assessment.pk)
    has_case_manager = CaseManagerAssignment.objects.current().filter(client=client).exists()
    log_read(request, client=client, action=Action.ASSESSMENT_FORM,
             identity=_sees_identity(request, client),
             records=[latest_check] if latest_check else [])
    return render(request, "referrals/assessment_form.html", {
        "form": form, "client": client, "check": latest_check,
        "has_case_manager": has_case_manager, "identity_visible": _sees_identity(request, client),
    })


@require_GET
def assessment_detail(request, pk):
    client_id = get_object_or_404(DoctorAssessment.objects.values_list("client_id", flat=True),
                                  pk=pk)
    client = get_client_for_user(request.user, client_id)
    assessment = _visible(request, client, DoctorAssessment, pk=pk).select_related(
        "organisation", "created_by", "health_check"
    ).first()
    if assessment is None:
        raise Http404
    has_case_manager = CaseManagerAssignment.objects.current().filter(client=client).exists()
    log_read(request, client=client, action=Action.ASSESSMENT,
             identity=_sees_identity(request, client),
             records=[assessment])
    return render(request, "referrals/assessment_detail.html", {
        "assessment": assessment, "client": client, "has_case_manager": has_case_manager,
        "identity_visible": _sees_identity(request, client),
    })
