from django.apps import AppConfig


class CasesConfig(AppConfig):
    """The client's case as staff work on it: search, the new client, the client page with the
    parts other apps register (cases/sections.py), the own card, notes, case managers."""

    name = "cases"

    def ready(self):
        # The case managers' periods, closing and reopening on the client's timeline.
        from . import timeline  # noqa: F401 (registers)
