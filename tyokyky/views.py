"""Project-wide views: the liveness check and the language switch."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.utils.translation import check_for_language
from django.views import i18n
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from kombu import Connection


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
