from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = _("Support plans and follow-up")

    def ready(self):
        from . import documents, sections, signals  # noqa: F401 (registers, connects)
