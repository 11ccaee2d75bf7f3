"""
A printed document about one client, as tyokyky.documents renders and hands it over.

The document is built from the policy's ShownClient, so what it shows is remembered like a
page's (consents/shown.py). Handed over in the request that rendered it, it writes the access
log as a page does. Rendered earlier by a worker, it keeps what it showed — records, their
organisations and categories, and the client's identity: ids, no content — and at the download
the document is built and rendered again, for the user as the policy sees them now: the PDF goes
only if this one shows all that the kept one showed. A consent revoked, a ban recorded or the
client's team left since: 404, as for anything else the policy hides. The access log then
records what the PDF showed, under the consents in force at the download.
"""

from dataclasses import dataclass

from django.http import Http404

from .audit import log_shown
from .shown import HandedOut, ShownClient


def _entries(handed: HandedOut) -> set[tuple]:
    """(record, organisation, category) of what was handed out, one entry per category."""
    return {(_record_key(record), source, str(category))
            for record, source, categories in handed.records for category in categories}


def _record_key(record) -> str:
    if isinstance(record, str):  # a kept entry, already a key
        return record
    return f"{record._meta.label_lower}:{record.pk}"


@dataclass
class ClientDocument:
    """One client's document for one user: the template and its context, built through the
    policy by the app that prints it (e.g. plans.views.plan_document)."""

    template: str
    context: dict
    client: ShownClient
    action: str  # what the access log calls it (consents.models.Action)
    filename: str
    language: str
    rows: int  # how long it is: what decides whether it renders in the background

    def handed_out(self) -> dict:
        """What the rendered document showed, to keep with it (JSON)."""
        handed = self.client.handed_out
        return {"identity": handed.identity,
                "records": sorted([list(entry) for entry in _entries(handed)],
                                  key=lambda entry: [str(part) for part in entry])}

    def deliver(self, request, kept: dict | None = None) -> None:
        """The document goes to the user: log what it shows. With `kept`, the one rendered
        earlier goes instead, if this one (rendered just now) shows all that it showed."""
        if kept is not None:
            now = self.client.handed_out
            identity = kept.get("identity")
            entries = {tuple(entry) for entry in kept.get("records", [])}
            if (identity is not None and identity != now.identity) or not (
                    entries <= _entries(now)):
                raise Http404
            # The log records what the delivered PDF shows, not what this render showed.
            self.client.handed_out = HandedOut(identity=identity, records=[
                (key, source, frozenset([category])) for key, source, category in entries])
        log_shown(request, self.client, self.action)
