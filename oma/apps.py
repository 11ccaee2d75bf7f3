from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OmaConfig(AppConfig):
    """Oma Työkyky: the client's own service."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "oma"
    verbose_name = _("Oma Työkyky")

    def ready(self):
        from . import session  # noqa: F401  (a staff login ends a client session)
