from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkConfig(AppConfig):
    """Reminders, notifications and My work. Each later step of the service path registers
    what falls due in it (work/due.py) and what it puts on My work (work/my_work.py)."""

    name = "work"
    verbose_name = _("Reminders and notifications")

    def ready(self):
        from . import due, signals  # noqa: F401 (registers the consent rule, connects)
