"""
The staff's view of Oma Työkyky's requests to move a time: marking one handled. Its URL is
in the staff's URL space (oma/staff_urls.py), not the client's: a client session meets it as
anyone without a staff login does.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from consents.policy import client_for

from . import holding
from .models import MoveRequest


@require_POST
def mark_handled(request, pk):
    """The holding organisation's staff who may open the client's page mark the request
    handled; anyone else, and a request already handled, gets 404 as for no request at all."""
    client_id = MoveRequest.objects.filter(pk=pk).values_list("client_id", flat=True).first()
    if client_id is None:
        raise Http404
    client = client_for(request.user, client_id)
    held = holding.held_request(client, pk)
    if held is None:
        raise Http404
    holding.mark_handled(held)
    messages.success(request, _("The request to move the time was marked handled."))
    return redirect("clients:detail", pk=client.pk)
