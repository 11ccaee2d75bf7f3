from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import MessageState, OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """
    Outgoing e-mail as the administrator sees it: above all what could not be delivered and
    why (the mail server's answer), so that an address can be corrected and the message sent
    again. Messages carry nothing of the client; the body is not shown here all the same.
    """

    list_display = ["created_at", "to", "subject", "state", "attempts", "last_error", "sent_at"]
    list_filter = ["state"]
    search_fields = ["to"]
    fields = ["to", "subject", "state", "attempts", "next_attempt_at", "last_error",
              "created_at", "sent_at"]
    readonly_fields = fields
    ordering = ["-created_at"]
    actions = ["send_again"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Send the selected undelivered e-mails again"),
                  permissions=["change"])
    def send_again(self, request, queryset):
        from .outbox import nudge

        count = queryset.filter(state=MessageState.PARKED).update(
            state=MessageState.PENDING, attempts=0, last_error="",
            next_attempt_at=timezone.now())
        nudge()
        self.message_user(request, ngettext(
            "%(count)d e-mail will be sent again.",
            "%(count)d e-mails will be sent again.", count) % {"count": count},
            messages.SUCCESS)
