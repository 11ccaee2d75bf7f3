"""
The doctor's summary of a team meeting (DESIGN.md step 5): only what the team gathered as
essential, and only the categories the doctor's organisation may see — of what the person
printing it may see — in the client's language, A4, tagged for accessibility (PDF/UA-1).
"""

from dataclasses import dataclass

from django.utils import timezone, translation

from clients.models import SituationNote
from consents.audit import record_category, record_disclosure
from consents.models import Action, DataCategory, LegalBasis
from consents.policy import access_for, covering_consents, organisation_access, visible_to_both
from referrals.models import HealthCheck
from tyokyky.pdf import render_pdf

from .models import Role, Sector, User


@dataclass
class DoctorSummary:
    pdf: bytes
    records: list  # what it carries, for the access and disclosure logs
    identity_shown: bool
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
    client = meeting.client
    decision = getattr(meeting, "decision", None)
    recipient = doctors_organisation(meeting, decision)
    notes = list(visible_to_both(request.user, recipient, client, SituationNote.objects.all())
                 .select_related("organisation", "created_by"))
    check = visible_to_both(request.user, recipient, client, HealthCheck.objects.all()).first()
    identity = organisation_access(client, recipient).can_view(DataCategory.IDENTITY) and (
        access_for(request.user, client).can_view(DataCategory.IDENTITY)
    )
    case_managers = decision.case_managers.all() if decision else User.objects.filter(
        case_manager_assignments__client=client, case_manager_assignments__ended_on__isnull=True
    )
    language = client.language if client.language in ("fi", "sv", "en") else "fi"
    with translation.override(language):
        pdf = render_pdf(request, "teams/doctor_summary_pdf.html", {
            "meeting": meeting, "client": client, "decision": decision, "notes": notes,
            "check": check, "identity_visible": identity, "recipient": recipient,
            "case_managers": case_managers, "generated_at": timezone.now(),
            "generated_by": request.user,
        })
    return DoctorSummary(pdf=pdf, records=[meeting, *notes, *([check] if check else [])],
                         identity_shown=identity, recipient=recipient)


def log_sent_to_doctor(request, client, recipient, records):
    """The summary is printed for the doctor's organisation: a disclosure from each other
    organisation whose records it carries, under the consent that allows it."""
    by_source: dict = {}
    for record in records:
        if record.organisation_id != recipient.pk:
            by_source.setdefault(record.organisation, set()).add(record_category(record))
    basis = covering_consents(request.user, client) if by_source else {}
    for source, categories in by_source.items():
        consent = next((basis[c] for c in categories if c in basis), None)
        record_disclosure(user=request.user, client=client, source=source, recipient=recipient,
                          categories=categories, action=Action.DOCTOR_SUMMARY_PDF,
                          legal_basis=LegalBasis.CONSENT, consent=consent)
