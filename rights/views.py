"""
The client's right of access: the request page and the data package as PDF and JSON
(rights/package.py). Staff of an organisation that serves the client produce it when the
client asks; anyone who may not know of the client gets 404, as if there were none, and staff
who see the client on another ground (on the team from an organisation that does not serve
them) 403. The request and every copy are logged (rights/audit.py).
"""

import json

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from consents.documents import ClientDocument
from consents.models import Action
from consents.policy import client_for, organisation_of
from tyokyky import documents

from .audit import log_package, showed_anything
from .documents import KIND
from .package import build_package, package_language


def requested_client(user, client_pk, refuse=PermissionDenied):
    """The client whose package the user may produce: a client of their organisation (any
    basis). 404 for anyone the policy keeps from knowing of the client."""
    client = client_for(user, client_pk)
    if not client.access.served:
        raise refuse
    return client


@require_GET
def package(request, client_pk):
    """The client asks for their data: what the package holds, and the two copies of it."""
    client = requested_client(request.user, client_pk)
    response = render(request, "rights/package.html", {
        "client": client, "organisation": organisation_of(request.user),
        "language": package_language(client),
    })
    log_package(request, client, Action.DATA_PACKAGE_REQUEST)
    return response


class PackageDocument(ClientDocument):
    """The package as a printed document; its copy is logged even when it showed nothing.

    Besides the records and the card, it shows rows of the case (who else serves the client,
    case managers, consents, bans) that the policy may hide later — a ban on the organisation
    leaves it only its own. A PDF rendered in the background keeps them too, and goes at the
    download only if the package built now still shows every one of them."""

    def handed_out(self) -> dict:
        return {**super().handed_out(), "case": self.context["package"].case_keys}

    def deliver(self, request, kept: dict | None = None) -> None:
        if kept is not None and not set(kept.get("case", [])) <= set(
                self.context["package"].case_keys):
            raise Http404
        super().deliver(request, kept)
        if not showed_anything(self.client):
            log_package(request, self.client, self.action)


def package_document(user, client_pk) -> PackageDocument:
    """The package for the PDF, in the request, in the worker and at the download: 404 once the
    user's organisation no longer serves the client."""
    client = requested_client(user, client_pk, refuse=Http404)
    package = build_package(user, client)
    return PackageDocument(
        template="rights/package_pdf.html", client=client, action=Action.DATA_PACKAGE_PDF,
        context={"client": client, "package": package},
        filename=f"tietopaketti-{client.pk}.pdf", language=package.language, rows=package.rows,
    )


@require_GET
def package_pdf(request, client_pk):
    """The accessible PDF (PDF/UA-1); a long one is rendered in the background."""
    requested_client(request.user, client_pk)
    return documents.respond(request, KIND, client_pk)


@require_GET
def package_json(request, client_pk):
    """The package as JSON, in the shape rights/package.py documents."""
    client = requested_client(request.user, client_pk)
    package = build_package(request.user, client)
    body = json.dumps(package.as_json(), ensure_ascii=False, indent=2)
    log_package(request, client, Action.DATA_PACKAGE_JSON)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = (
        f'attachment; filename="tietopaketti-{client.pk}-{stamp}.json"')
    # Client data must not linger in shared caches or the browser's disk cache.
    response["Cache-Control"] = "no-store"
    return response
