"""
The client's own words to the staff: the work-ability self-assessment before the health check,
and the short feedback after a team meeting (issue 17).

Each page finds its referral or meeting among the client's own (`request.client.own`): any
other id is 404, whether or not it exists. What a page shows is handed out for the access log
(`records`, `hand_out`), and `render_own` writes it as the client's own read.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from clients.records import DataCategory
from consents.own import render_own
from meetings.client_feedback import (
    ALREADY_GIVEN,
    give_meeting_feedback,
    meetings_for_feedback,
    with_feedback_given,
)
from meetings.models import FEEDBACK_QUESTIONS, MeetingFeedback
from referrals.models import WORK_ABILITY_SCORES, Referral, SelfAssessment
from referrals.self_assessment import open_for_self_assessment, save_self_assessment

from .assessment_forms import QUESTIONS, MeetingFeedbackForm, SelfAssessmentForm
from .session import client_required

PAGE_SIZE = 20


def _page(request, rows):
    return Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))


# --- Before the health check ------------------------------------------------------------------

@client_required
def self_assessments(request):
    """The client's referrals to a health check: those still waiting, where they can fill in
    or change their self-assessment, and the ones they answered before."""
    own = request.client
    waiting = own.records(open_for_self_assessment().select_related("recipient")
                          .order_by("created_at", "pk"))
    answered = _page(request, own.own(SelfAssessment.objects.select_related(
        "referral__recipient").order_by("-submitted_at", "-pk")))
    own.hand_out(answered.object_list)
    filled = set(own.own(SelfAssessment.objects.filter(referral__in=[r.pk for r in waiting]))
                 .values_list("referral_id", flat=True))
    return render_own(request, "oma/self_assessments.html", {
        "waiting": [(referral, referral.pk in filled) for referral in waiting],
        "answered": answered,
    })


def _own_referral(request, pk) -> Referral:
    """The client's own referral, else 404 (another client's, or none)."""
    referral = request.client.own(Referral.objects.select_related("recipient")).filter(
        pk=pk).first()
    if referral is None:
        raise Http404
    return referral


@client_required
@require_http_methods(["GET", "POST"])
def self_assessment(request, pk):
    """Fill in or change the self-assessment for one referral, until the check is recorded;
    after that, the answers as they were sent."""
    own = request.client
    referral = _own_referral(request, pk)
    own.hand_out([referral])
    existing = SelfAssessment.objects.filter(referral=referral).first()
    is_open = open_for_self_assessment().filter(pk=referral.pk).exists()
    if existing is None and not is_open:
        raise Http404
    form = SelfAssessmentForm(request.POST or None, instance=existing) if is_open else None
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            save_self_assessment(referral=referral, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Thank you! Your self-assessment was saved. The nurse "
                                        "will see it before your health check."))
            return redirect("oma:self_assessments")
    if existing is not None:
        own.hand_out([existing])
    return render_own(request, "oma/self_assessment.html", {
        "referral": referral, "assessment": existing, "form": form, "is_open": is_open,
        "scores": [(QUESTIONS[name], getattr(existing, name, None))
                   for name in WORK_ABILITY_SCORES],
    })


# --- After a meeting ------------------------------------------------------------------------

@client_required
def meeting_feedback_list(request):
    """The meetings the client took part in, newest first: answer the ones not answered yet."""
    own = request.client
    meetings = _page(request, with_feedback_given(own.own(meetings_for_feedback()))
                     .order_by("-starts_at", "-pk"))
    own.hand_out(meetings.object_list, DataCategory.EMPLOYMENT)
    return render_own(request, "oma/meeting_feedback_list.html", {"meetings": meetings})


@client_required
@require_http_methods(["GET", "POST"])
def meeting_feedback(request, pk):
    """The questionnaire on one meeting the client took part in; once answered, the answers."""
    own = request.client
    meeting = own.own(meetings_for_feedback()).filter(pk=pk).first()
    if meeting is None:
        raise Http404
    own.hand_out([meeting], DataCategory.EMPLOYMENT)
    given = MeetingFeedback.objects.filter(client=own.instance, meeting=meeting).first()
    form = MeetingFeedbackForm(request.POST or None)
    if request.method == "POST":
        if given is not None:
            form.is_valid()
            form.add_error(None, ALREADY_GIVEN)
        elif form.is_valid():
            try:
                give_meeting_feedback(client=own.instance, meeting=meeting, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Thank you for your feedback!"))
                return redirect("oma:meeting_feedback_list")
    return render_own(request, "oma/meeting_feedback.html", {
        "meeting": meeting, "given": given, "form": form,
        "answers": [(question, getattr(given, name)) for name, question in FEEDBACK_QUESTIONS]
        if given else [],
    })
