from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Room


@admin.register(Room)
class RoomAdmin(SimpleHistoryAdmin):
    list_display = ["name", "municipality", "address", "is_active"]
    list_filter = ["is_active", "municipality"]
    search_fields = ["name", "address"]
