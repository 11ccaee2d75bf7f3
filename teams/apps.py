from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class TeamsConfig(AppConfig):
    name = "teams"
    verbose_name = _("Organisations and people")

    def ready(self):
        from . import admin_log, roles, signals  # noqa: F401 (connects the receivers)

        admin_log.connect()

        # Every app: permissions of later apps exist only after their own post_migrate.
        post_migrate.connect(roles.ensure_role_groups, dispatch_uid="teams.ensure_role_groups")
