from django.apps import AppConfig


class ReportingConfig(AppConfig):
    """The knowledge-management dashboard: aggregates of every step, no client shown."""

    name = "reporting"
