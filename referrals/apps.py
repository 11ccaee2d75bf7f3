from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "referrals"
    verbose_name = _("Referrals and health checks")

    def ready(self):
        # The referral part of the client page, and the events on its timeline.
        from . import sections, timeline  # noqa: F401 (registers)
