from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Notice


@admin.register(Notice)
class NoticeAdmin(SimpleHistoryAdmin):
    """
    The privacy notice and the accessibility statement in each language, as the administrators
    keep them up to date (the admin role's tyokyky.change_notice, teams/roles.py). The six rows
    come from a migration: none is added or deleted here, and which notice and language a row
    is stays as it was. Every change keeps its earlier version in the history.
    """

    list_display = ["title", "kind", "language", "updated_at"]
    list_filter = ["kind", "language"]
    search_fields = ["title", "body"]
    fields = ["kind", "language", "title", "body", "updated_at"]
    readonly_fields = ["kind", "language", "updated_at"]
    ordering = ["kind", "language"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

