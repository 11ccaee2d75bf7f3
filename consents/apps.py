from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsentsConfig(AppConfig):
    name = "consents"
    verbose_name = _("Consents and access")

    def ready(self):
        # The access rules' conclusions follow every change of what the rules read.
        from . import reach

        reach.connect()
