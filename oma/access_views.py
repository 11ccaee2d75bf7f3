"""Who has viewed my data: the client's page of the access and disclosure logs, by
organisation and role, never by person (consents/own_log.py states the rule)."""

from consents import own_log
from consents.own import render_own

from .session import client_required


@client_required
def who_viewed(request):
    return render_own(request, "oma/who_viewed.html", {
        "viewings": own_log.viewings(request.client, request.GET.get("page")),
        "disclosures": own_log.disclosures(request.client, request.GET.get("disclosures_page")),
    })
