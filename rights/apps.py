from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RightsConfig(AppConfig):
    """The client's rights over their data: the data package of GDPR article 15."""

    name = "rights"
    verbose_name = _("The client's rights")

    def ready(self):
        # The data package's PDF (a long one renders in the background) and its part of the
        # client page.
        from . import documents, sections  # noqa: F401 (registers)
