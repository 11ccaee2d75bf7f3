"""
The doctor's worklist and the assessment that answers a team meeting (meetings/doctor.py).

Both are for those who record doctor's assessments. A meeting's assessment page is the named
doctor's only, while the question waits: anyone else gets 404, whether or not the meeting
exists. The client comes through consents.policy (the named doctor is on the client's team
while the question waits), and the team's questions and the nurse's check are shown as the
policy lets the doctor see them.
"""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from clients.models import CaseManagerAssignment
from consents.audit import render_rows, render_shown
from consents.models import Action
from consents.policy import client_for, organisation_of
from referrals import services as referral_services
from referrals.forms import AssessmentForm
from referrals.models import HealthCheck

from .doctor import waiting_decisions, worklist_items, worklist_rows
from .models import Meeting

PAGE_SIZE = 25


@permission_required("referrals.add_doctorassessment", raise_exception=True)
@require_GET
def worklist(request):
    """What waits for the doctor's assessment, the oldest first."""
    page = Paginator(worklist_rows(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    items = worklist_items(request.user, page)
    return render_rows(request, "meetings/doctor_worklist.html", {"page": page, "items": items},
                       rows=[item.shown_client for item in items if item.shown_client],
                       action=Action.DOCTOR_WORKLIST)


def _waiting_decision(request, pk):
    """The decision of meeting `pk` naming the user, still unanswered; 404 otherwise."""
    decision = waiting_decisions().filter(meeting_id=pk, doctor=request.user).select_related(
        "meeting", "meeting__team").first()
    if decision is None:
        raise Http404
    return decision


@permission_required("referrals.add_doctorassessment", raise_exception=True)
@require_http_methods(["GET", "POST"])
def assessment(request, pk):
    """The assessment that answers the team meeting's questions; saving it takes the meeting
    off the worklist and the doctor off the client's team (unless they are on it otherwise)."""
    decision = _waiting_decision(request, pk)
    meeting = decision.meeting
    client = client_for(request.user, meeting.client_id)
    check = client.first(HealthCheck.objects.select_related("nurse", "doctor"))
    form = AssessmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            recorded = referral_services.record_assessment(
                client=client.instance, by=request.user,
                organisation=organisation_of(request.user), health_check=check,
                meeting=meeting, **form.cleaned_data,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Assessment recorded. The team meeting's questions "
                                        "are answered."))
            return redirect("referrals:assessment", pk=recorded.pk)
    return render_shown(request, "meetings/doctor_assessment_form.html", {
        "form": form, "check": check, "meeting": meeting,
        "decision": client.fields(decision, source_id=meeting.organisation_id),
        # The summary is the meeting's print: offered when the doctor may open the meeting.
        "summary_available": client.visible(Meeting.objects.filter(pk=meeting.pk)).exists(),
        "has_case_manager": CaseManagerAssignment.objects.current().filter(
            client=client.instance).exists(),
    }, client=client, action=Action.ASSESSMENT_FORM)
