from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OmaConfig(AppConfig):
    """Oma Työkyky: the client's own service."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "oma"
    verbose_name = _("Oma Työkyky")

    def ready(self):
        from work import outbox

        # The client's requests to move a time on the holding organisation's client page and
        # on the holder's My work; a staff login ends a client session.
        from . import sections, session, work  # noqa: F401 (registers)
        from .reminders import KEY_PREFIX, stale_reason

        # A reminder whose appointment was cancelled or moved while it waited is not sent.
        outbox.register_still_due(KEY_PREFIX, stale_reason)
