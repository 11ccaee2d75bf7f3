"""
The client's employment situation and support network (issue 16): the writes, and the client
page's part that shows them.

Both are client records (clients.records.ClientRecord) of the organisation that writes them:
it alone edits them, and others see them only under the client's consent for their category
(employment; benefits for the source of income; social for the support network), never under
a disclosure ban. The page gets them through the ShownClient, so the access log records them.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone

from clients.models import EmploymentSituation, SupportContact
from tyokyky.versions import EditConflict, check_version, lock, version_of

from .sections import section

SITUATION_FIELDS = ("jobseeker_status", "jobseeker_since", "income_source",
                    "employment_plan_in_force")
CONTACT_FIELDS = ("name", "kind", "phone", "email", "organisation_name", "note")


# --- Writes -------------------------------------------------------------------------------------

def current_situation(client, organisation) -> EmploymentSituation | None:
    """The organisation's own current record of the client's employment situation."""
    return EmploymentSituation.objects.filter(client=client, organisation=organisation).first()


def save_employment_situation(*, client, organisation, by, version=None,
                              **values) -> EmploymentSituation:
    """
    Record the client's employment situation as the user's organisation knows it now: its one
    current row, created the first time and updated afterwards, the earlier situations kept in
    the row's history. From a form, not over a change saved after the form's `version`.
    """
    with transaction.atomic():
        situation = current_situation(client, organisation)
        if situation is None:
            situation = EmploymentSituation(client=client, organisation=organisation,
                                            created_by=by)
        else:
            lock(situation)
            check_version(situation, version)
        for name in SITUATION_FIELDS:
            setattr(situation, name, values.get(name, getattr(situation, name)))
        situation.updated_by, situation.updated_at = by, timezone.now()
        situation._history_user = by
        situation.full_clean(validate_unique=False)
        try:
            with transaction.atomic():
                situation.save()
        except IntegrityError:
            # Someone in the organisation recorded the first situation a moment ago: theirs
            # stands, and the form shows it (a conflict, as for any later change).
            existing = current_situation(client, organisation)
            raise EditConflict(existing, since=0, current=version_of(existing)) from None
    return situation


def add_support_contact(*, client, organisation, by, **values) -> SupportContact:
    """A person of the client's support network, as the user's organisation records them."""
    contact = SupportContact(client=client, organisation=organisation, created_by=by,
                             **{name: values.get(name, "") for name in CONTACT_FIELDS})
    contact._history_user = by
    contact.full_clean()
    contact.save()
    return contact


@transaction.atomic
def update_support_contact(*, contact, by, version=None, **values) -> SupportContact:
    """Correct a contact of one's own organisation; not over a change saved meanwhile."""
    lock(contact)
    check_version(contact, version)
    for name in CONTACT_FIELDS:
        setattr(contact, name, values.get(name, getattr(contact, name)))
    contact.updated_at = timezone.now()
    contact._history_user = by
    contact.full_clean()
    contact.save()
    return contact


@transaction.atomic
def remove_support_contact(*, contact, by) -> None:
    """Take a contact off the support network; the history keeps who they were and who
    removed them. Meetings they were invited to keep them as participants."""
    contact._history_user = by
    contact.delete()


# --- The client page ----------------------------------------------------------------------------

@section
def employment_and_network(request, client) -> dict:
    """The employment situations and the support network the user may see, with the number
    of hidden ones for the placeholders, and what the user may change."""
    situations = client.records(EmploymentSituation.objects.select_related(
        "organisation", "updated_by"))
    contacts = client.records(SupportContact.objects.select_related("organisation"))
    mine = client.access.own_organisation_ids
    user = request.user
    for contact in contacts:
        contact.may_edit = contact.organisation_id in mine and user.has_perm(
            "clients.change_supportcontact")
    return {
        "employment_situations": [client.fields(situation) for situation in situations],
        "employment_hidden": client.hidden_counts(EmploymentSituation.objects.all()).get(
            EmploymentSituation.CATEGORY.value, 0),
        "may_record_employment": bool(mine) and user.has_perm(
            "clients.change_employmentsituation"),
        "support_contacts": contacts,
        "support_contacts_hidden": client.hidden_counts(SupportContact.objects.all()).get(
            SupportContact.CATEGORY.value, 0),
        "may_add_contact": bool(mine) and user.has_perm("clients.add_supportcontact"),
    }
