from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "referrals"
    verbose_name = _("Referrals and health checks")

    def ready(self):
        from . import timeline  # noqa: F401 (registers the events on the client timeline)
