"""
Printed documents (PDFs): short ones rendered in the request, long ones by a worker.

The one rule: a document of more than INLINE_ROWS rows (a plan's actions, a process's events)
is rendered in the background. At that size a plan takes about a second of CPU, under two
seconds with both cores busy (BENCH_ACTIONS=100 bench/large_plan_pdf.py): a wait the user barely
notices. A longer one would hold a web worker: a plan of 500 actions once took 41 s in the
request, past gunicorn's 30 s.

A background document is a RenderedDocument row, written in the request and nudged to a worker
after commit. A worker claims it with a lease (SKIP LOCKED) and fills in the PDF; a worker
killed mid-render leaves the lease to run out, and the beat's sweep nudges the row again, as it
does a row whose nudge never reached the broker. With the broker down the request renders the
row itself, through the same claim, so nobody waits on a queue that no worker reads. The row
is kept KEEP for the one user who asked for it, then deleted with its bytes.

Each app registers its kinds (`register`, from its AppConfig.ready). A kind builds the document
for a user through the app's access policy, in the request, in the worker and at the download
again, which hands the PDF over only if a document built and rendered now would show all that
it shows (the built document's `deliver`, which also writes the access log). Nothing of the
client goes into URLs or logs: a document is named by a random id, and logged by id and kind.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from typing import Protocol

from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.module_loading import import_string

from .celery import publish_once
from .models import DocumentState, RenderedDocument
from .pdf import pdf_response, render_pdf

log = logging.getLogger(__name__)

INLINE_ROWS = 100
KEEP = timedelta(hours=1)
# Longer than any render (a 500-action plan takes a few seconds) and than the task's time
# limit (tyokyky/tasks.py), so that a worker still rendering is never raced.
LEASE = timedelta(minutes=2)
MAX_ATTEMPTS = 3
# A new row's own nudge is probably on its way: the sweep leaves it alone this long.
NUDGE_GRACE = timedelta(seconds=30)


class Document(Protocol):
    """A document built for one user, ready to render (see consents.documents)."""

    template: str
    context: dict
    language: str
    filename: str
    rows: int

    def handed_out(self) -> dict:
        """After rendering: what the document showed, kept with it for the download."""

    def deliver(self, request, kept: dict | None = None) -> None:
        """The document goes to the user: write the access log. `kept` is what a document
        rendered earlier showed; Http404 unless this one, rendered now, shows all of it."""


@dataclass(frozen=True)
class Kind:
    name: str
    label: str
    build: str  # dotted path of (user, object id) -> Document, raising Http404 for outsiders
    url_name: str  # the view that asks for the document, given the object id

    def document(self, user, object_id) -> Document:
        return import_string(self.build)(user, object_id)


KINDS: dict[str, Kind] = {}


def register(name: str, *, label, build: str, url_name: str) -> None:
    KINDS[name] = Kind(name=name, label=label, build=build, url_name=url_name)


def render_html(document: Document) -> str:
    with translation.override(document.language):
        return render_to_string(document.template, document.context)


def render(document: Document) -> bytes:
    with translation.override(document.language):
        return render_pdf(None, document.template, document.context)


def respond(request, kind: str, object_id):
    """The answer to a view that prints a document: the PDF itself when it is short, otherwise
    a redirect to the page where the user waits for it."""
    document = KINDS[kind].document(request.user, object_id)
    if document.rows <= INLINE_ROWS:
        pdf = render(document)
        document.deliver(request)
        return pdf_response(pdf, document.filename)
    return redirect("document", pk=ask(user=request.user, kind=kind, object_id=object_id).pk)


def hand_over(request, document: RenderedDocument):
    """The PDF of a rendered document to the user who asked for it, built and rendered again
    for the check: 404 if the policy no longer shows them all it shows, and its bytes go."""
    try:
        now = KINDS[document.kind].document(request.user, document.object_id)
        render_html(now)
        now.deliver(request, document.shown)
    except Http404:
        document.delete()
        raise
    return pdf_response(bytes(document.content), now.filename)


def ask(*, user, kind: str, object_id) -> RenderedDocument:
    """A document to render for the user: the same one if it is already waiting (a second
    click, a reload), else a new row, nudged to a worker once it is committed."""
    now = timezone.now()
    waiting = RenderedDocument.objects.filter(
        user=user, kind=kind, object_id=object_id, state=DocumentState.PENDING,
        expires_at__gt=now).defer("content").first()
    if waiting is not None:
        return waiting
    document = RenderedDocument.objects.create(user=user, kind=kind, object_id=object_id,
                                               created_at=now, expires_at=now + KEEP)
    transaction.on_commit(partial(nudge, document.pk))
    return document


def nudge(document_id) -> None:
    """Ask a worker to render the document; with the broker unreachable, render it here."""
    from .tasks import render_document

    if not publish_once(render_document, str(document_id)):
        log.warning("documents: the broker is unreachable; rendering %s here", document_id)
        render_waiting(document_id)


def _claim(document_id, now) -> RenderedDocument | None:
    with transaction.atomic():
        document = (
            RenderedDocument.objects.select_for_update(skip_locked=True)
            .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lte=now),
                    pk=document_id, state=DocumentState.PENDING, expires_at__gt=now)
            .first()
        )
        if document is None:
            return None
        if document.attempts >= MAX_ATTEMPTS:
            document.state = DocumentState.FAILED
            document.claimed_until = None
            document.save(update_fields=["state", "claimed_until"])
            return None
        document.attempts += 1
        document.claimed_until = now + LEASE
        document.save(update_fields=["attempts", "claimed_until"])
    return document


def render_waiting(document_id, now=None) -> bool:
    """Render one waiting document unless another worker holds it; True when it is done.
    Safe to run twice: only a pending row under this worker's lease is filled in."""
    document = _claim(document_id, now or timezone.now())
    if document is None:
        return False
    waiting = RenderedDocument.objects.filter(pk=document.pk, state=DocumentState.PENDING)
    try:
        built = KINDS[document.kind].document(document.user, document.object_id)
        pdf = render(built)
        shown = built.handed_out()
    except Http404:
        # The user may no longer see what they asked for: trying again will not change that.
        waiting.update(state=DocumentState.FAILED, claimed_until=None)
        return False
    except Exception as error:
        # Not the message: it may quote the document's content. The kind and id only.
        log.error("documents: rendering %s (%s) failed: %s", document.pk, document.kind,
                  type(error).__name__)
        final = document.attempts >= MAX_ATTEMPTS
        waiting.update(state=DocumentState.FAILED if final else DocumentState.PENDING,
                       claimed_until=None)
        return False
    return bool(waiting.update(state=DocumentState.DONE, content=pdf, shown=shown,
                               finished_at=timezone.now(), claimed_until=None))


def sweep(now=None) -> list:
    """The beat's round: delete what has expired, bytes and all, and nudge each document that
    waits with no worker on it — its nudge lost with the broker, or its worker killed."""
    now = now or timezone.now()
    RenderedDocument.objects.filter(expires_at__lte=now).delete()
    stranded = list(
        RenderedDocument.objects.filter(state=DocumentState.PENDING,
                                        created_at__lte=now - NUDGE_GRACE)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lte=now))
        .values_list("pk", flat=True)
    )
    for document_id in stranded:
        nudge(document_id)
    return stranded
