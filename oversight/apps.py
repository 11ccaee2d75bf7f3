from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OversightConfig(AppConfig):
    """The data protection officer's view: the logs searched, unusual access flagged."""

    name = "oversight"
    verbose_name = _("Data protection oversight")
