from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = _("Support plans and follow-up")

    def ready(self):
        # The plan PDFs, the client page's part, what falls due (reminders, My work).
        from . import documents, sections, work  # noqa: F401 (registers)
