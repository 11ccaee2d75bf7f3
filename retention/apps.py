from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RetentionConfig(AppConfig):
    """Retention periods per controller, and destruction only with the controller's approval."""

    name = "retention"
    verbose_name = _("Retention")
