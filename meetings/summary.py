"""
The doctor's summary of a team meeting (DESIGN.md step 5): only what the team gathered as
essential, and only the categories the doctor's organisation may see — of what the person
printing it may see — in the client's language, A4, tagged for accessibility (PDF/UA-1).
"""

from dataclasses import dataclass

from django.utils import timezone, translation

from clients.models import CaseManagerAssignment, SituationNote
from consents.audit import record_disclosure
from consents.models import Action, LegalBasis
from consents.policy import client_in_document, known_to
from consents.shown import ShownClient
from referrals.models import HealthCheck
from teams.models import Role, Sector, User
from tyokyky.pdf import render_pdf


@dataclass
class DoctorSummary:
    pdf: bytes
    document: ShownClient  # the client as the summary showed them, for the logs
    recipient: object  # the doctor's organisation


def doctors_organisation(meeting, decision):
    """Where the summary goes: the named doctor's organisation, else the health organisation
    of a doctor among the participants, else the coordinator's."""
    candidates = []
    if decision and decision.doctor_id:
        candidates.append(decision.doctor)
    candidates += [p.user for p in meeting.participants.select_related("user")
                   if p.user_id and p.user.memberships.active().filter(role=Role.DOCTOR)
                   .exists()]
    for person in candidates:
        membership = person.memberships.active().care().select_related("organisation").first()
        if membership and membership.organisation.sector == Sector.HEALTH:
            return membership.organisation
    return meeting.organisation


def build_doctor_summary(request, meeting) -> DoctorSummary:
    """The summary shows what both its maker and the doctor's organisation may see: notes,
    the last health check, and the meeting's decisions field by field."""
    instance = meeting.shown.instance
    decision = getattr(meeting, "decision", None)
    recipient = doctors_organisation(meeting, decision)
    document = client_in_document(request.user, instance, recipient)
    if decision:
        case_managers = decision.case_managers.all()
    else:  # the current ones, as far as both the maker and the doctor's organisation know
        known = document.known(CaseManagerAssignment.objects.current().filter(client=instance))
        known = known_to(document.recipient, known)
        case_managers = User.objects.filter(pk__in=known.values("user_id"))
    language = document.language if document.language in ("fi", "sv", "en") else "fi"
    with translation.override(language):
        pdf = render_pdf(request, "meetings/doctor_summary_pdf.html", {
            "meeting": document.fields(meeting), "client": document,
            "decision": document.fields(decision, source_id=meeting.organisation_id),
            "notes": document.records(SituationNote.objects.select_related("organisation",
                                                                           "created_by")),
            "check": document.first(HealthCheck.objects.all()),
            "recipient": recipient, "case_managers": case_managers,
            "generated_at": timezone.now(), "generated_by": request.user,
        })
    return DoctorSummary(pdf=pdf, document=document, recipient=recipient)


def log_sent_to_doctor(request, document):
    """The summary is printed for the doctor's organisation: a disclosure from each other
    organisation whose data it carries, under the consent that lets the doctor's organisation
    see it (the recipient's, not the maker's)."""
    recipient = document.recipient
    by_source: dict = {}
    for _record, source, categories in document.handed_out.records:
        if source not in recipient.own_organisation_ids and categories:
            by_source.setdefault(source, set()).update(categories)
    for source, categories in by_source.items():
        consent = next((recipient.consent_for(c, source) for c in sorted(categories)
                        if recipient.consent_for(c, source)), None)
        record_disclosure(user=request.user, client=document.instance, source_id=source,
                          recipient_id=next(iter(recipient.own_organisation_ids)),
                          categories=categories, action=Action.DOCTOR_SUMMARY_PDF,
                          legal_basis=LegalBasis.CONSENT, consent_id=consent)
