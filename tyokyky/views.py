"""Project-wide views: the liveness check, the language switch, long PDFs to wait for, the
public notices; and what every app's views report the same way."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import check_for_language, get_language
from django.views import i18n
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseStopPolling
from kombu import Connection

from . import documents
from .models import DocumentState, Notice, NoticeKind, RenderedDocument


def _database_reachable() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except DatabaseError:
        return False


def _broker_reachable() -> bool:
    broker = Connection(
        settings.CELERY_BROKER_URL,
        transport_options=settings.CELERY_BROKER_TRANSPORT_OPTIONS,
        connect_timeout=2,
    )
    try:
        broker.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception:
        return False
    finally:
        broker.release()


@login_not_required
@never_cache
@require_GET
def health(request):
    """Liveness for the load balancer and compose: 200 when the database and broker answer."""
    checks = {"database": _database_reachable(), "broker": _broker_reachable()}
    body = {name: "ok" if ok else "unavailable" for name, ok in checks.items()}
    return JsonResponse(body, status=200 if all(checks.values()) else 503)


@login_not_required
@require_POST
def set_language(request):
    """Django's language switch, also remembered on the user for e-mails in their language."""
    response = i18n.set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and check_for_language(language):
        request.user.language = language
        request.user.save(update_fields=["language"])
    return response


# --- Long PDFs, rendered in the background (tyokyky/documents.py) ------------------------------


def _own_document(request, pk, queryset=RenderedDocument.objects, **conditions):
    """The user's own document until it expires: anyone else's answers 404, as none at all."""
    return get_object_or_404(queryset, pk=pk, user=request.user,
                             expires_at__gt=timezone.now(), **conditions)


@never_cache
@require_GET
def document(request, pk):
    """Where the user waits for a long PDF: htmx asks every second (204 while nothing has
    changed), a link asks again without JavaScript; then the download link."""
    own = RenderedDocument.objects.defer("content", "shown").filter(pk=pk, user=request.user)
    if request.htmx and own.filter(expires_at__lte=timezone.now()).exists():
        # The user's own, expired while the page waited: it stops asking and says so.
        return render(request, "documents/_status.html", {"document": None},
                      status=HttpResponseStopPolling.status_code)
    document = _own_document(request, pk, own)
    if request.htmx and request.GET.get("seen") == document.phase:
        return HttpResponse(status=204)
    kind = documents.KINDS[document.kind]
    context = {"document": document, "label": kind.label,
               "again_url": reverse(kind.url_name, args=[document.object_id])}
    if not request.htmx:
        return render(request, "documents/document.html", context)
    response = render(request, "documents/_status.html", context)
    if document.state != DocumentState.PENDING:
        response.status_code = HttpResponseStopPolling.status_code
    return response


@never_cache
@require_GET
def document_download(request, pk):
    """The PDF, to its asker only, while the access policy still lets them see all of it."""
    return documents.hand_over(request, _own_document(request, pk, state=DocumentState.DONE))


# --- The public notices, linked from every page's footer --------------------------------------


def _notice(request, kind):
    """The notice in the active language, or in Finnish, the default, when that has none."""
    language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    notices = {notice.language: notice for notice in Notice.objects.filter(
        kind=kind, language__in=[language, settings.LANGUAGE_CODE])}
    notice = notices.get(language) or notices.get(settings.LANGUAGE_CODE)
    if notice is None:
        raise Http404
    return render(request, "notices/notice.html", {"notice": notice})


@login_not_required
@require_GET
def privacy_notice(request):
    """The privacy notice: open to anyone, the clients whose data the service holds above all."""
    return _notice(request, NoticeKind.PRIVACY)


@login_not_required
@require_GET
def accessibility_statement(request):
    """The accessibility statement (Act 306/2019, section 15): open to anyone."""
    return _notice(request, NoticeKind.ACCESSIBILITY)


# --- For every app's views ----------------------------------------------------------------------


def report_rule_broken(request, error):
    """A rule of the service path refused the change (a ValidationError) and the view answers
    with a redirect: each of the error's messages shown to the user, not only the first."""
    for message in error.messages:
        messages.error(request, message)
