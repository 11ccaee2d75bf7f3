from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Team meetings")

    def ready(self):
        # The participants' way onto the client's team, the meeting part of the client page,
        # the meetings on its timeline and on My work; requests from health checks;
        # the named doctor's worklist.
        from . import access, doctor, intake, sections, timeline, work  # noqa: F401 (registers)
