from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = _("Support plans and follow-up")

    def ready(self):
        # The plan PDFs, the client page's part, its timeline events, what falls due, and
        # what a team meeting's decisions start (the booked discussion, the follow-up).
        from . import documents, follow_through, sections, timeline, work  # noqa: F401
