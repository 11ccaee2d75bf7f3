"""
Editing the client's employment situation and support network, from the client page.

Each organisation edits its own records only (ShownClient.for_editing: 403 for another's);
anyone who may not know of the client gets 404 from consents.policy.client_for, and every form
page writes the access log through render_shown.
"""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from clients.models import SupportContact
from consents.audit import render_shown
from consents.models import Action
from consents.policy import client_for, get_record_for_user, organisation_of

from . import client_data
from .client_data_forms import EmploymentSituationForm, SupportContactForm


def _organisation(request):
    """The organisation the user writes for; without one, nothing to write."""
    organisation = organisation_of(request.user)
    if organisation is None:
        raise PermissionDenied
    return organisation


@permission_required("clients.change_employmentsituation", raise_exception=True)
@require_http_methods(["GET", "POST"])
def employment_edit(request, pk):
    """The client's employment situation as the user's organisation records it now."""
    client = client_for(request.user, pk)
    organisation = _organisation(request)
    current = client_data.current_situation(client.instance, organisation)
    if current is not None:
        client.for_editing(current)
    form = EmploymentSituationForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        try:
            client_data.save_employment_situation(
                client=client.instance, organisation=organisation, by=request.user,
                version=form.version,
                **{name: form.cleaned_data[name] for name in client_data.SITUATION_FIELDS})
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Employment situation saved."))
            return redirect("clients:detail", pk=client.pk)
    return render_shown(request, "clients/employment_form.html", {
        "form": form, "organisation": organisation, "current": current,
    }, client=client, action=Action.EMPLOYMENT_FORM)


@permission_required("clients.add_supportcontact", raise_exception=True)
@require_http_methods(["GET", "POST"])
def contact_create(request, pk):
    """Add a person to the client's support network, as the user's organisation."""
    client = client_for(request.user, pk)
    organisation = _organisation(request)
    form = SupportContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        client_data.add_support_contact(
            client=client.instance, organisation=organisation, by=request.user,
            **{name: form.cleaned_data[name] for name in client_data.CONTACT_FIELDS})
        messages.success(request, _("Contact added to the support network."))
        return redirect("clients:detail", pk=client.pk)
    return render_shown(request, "clients/support_contact_form.html", {
        "form": form, "organisation": organisation, "editing": False,
    }, client=client, action=Action.SUPPORT_CONTACT_FORM)


def _contact_for_editing(request, pk) -> SupportContact:
    """The contact, 404 unless the user may see it, 403 unless their organisation wrote it."""
    contact = get_record_for_user(request.user, SupportContact.objects.all(), pk)
    contact.shown.for_editing(contact)
    return contact


@permission_required("clients.change_supportcontact", raise_exception=True)
@require_http_methods(["GET", "POST"])
def contact_edit(request, pk):
    contact = _contact_for_editing(request, pk)
    client = contact.shown
    form = SupportContactForm(request.POST or None, instance=contact)
    if request.method == "POST" and form.is_valid():
        try:
            client_data.update_support_contact(
                contact=contact, by=request.user, version=form.version,
                **{name: form.cleaned_data[name] for name in client_data.CONTACT_FIELDS})
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("clients:detail", pk=client.pk)
    return render_shown(request, "clients/support_contact_form.html", {
        "form": form, "organisation": contact.organisation, "editing": True,
        "contact": contact,
    }, client=client, action=Action.SUPPORT_CONTACT_FORM)


@permission_required("clients.delete_supportcontact", raise_exception=True)
@require_http_methods(["GET", "POST"])
def contact_remove(request, pk):
    """Removing asks first: the page names the person, the button removes them."""
    contact = _contact_for_editing(request, pk)
    client = contact.shown
    if request.method == "POST":
        client_data.remove_support_contact(contact=contact, by=request.user)
        messages.success(request, _("Contact removed from the support network."))
        return redirect("clients:detail", pk=client.pk)
    return render_shown(request, "clients/support_contact_remove.html", {
        "contact": contact,
    }, client=client, action=Action.SUPPORT_CONTACT_FORM)
