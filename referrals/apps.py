from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "referrals"
    verbose_name = _("Referrals and health checks")

    def ready(self):
        # The referral part of the client page, the events on its timeline, what falls due.
        from . import check_proposals, sections, timeline, work  # noqa: F401 (registers)
