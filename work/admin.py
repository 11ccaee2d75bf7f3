import re

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import MessageState, OutboxMessage

# A phone number or an e-mail address inside a server's answer.
PHONE_OR_ADDRESS = re.compile(r"\+?\d[\d \-]{4,}\d|[\w.+-]+@[\w.-]+")


def mask(recipient: str) -> str:
    """Enough to tell two messages apart, not enough to know whom: the last two characters."""
    return f"•••{recipient[-2:]}" if len(recipient) > 4 else "•••"


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """
    Outgoing e-mail and text messages as the administrator sees them: above all what could not
    be delivered and why (the server's answer), so that it can be sent again. The body is not
    shown. A message to a client (a reminder) is client data: its address or number and any
    number in the server's answer are masked, and a search by address finds only messages to
    staff — the administrator reads no client data, not even whether someone is a client.
    """

    list_display = ["created_at", "channel", "recipient", "subject", "state", "attempts",
                    "reason", "sent_at"]
    list_filter = ["state", "channel"]
    search_fields = ["to"]
    fields = ["channel", "recipient", "subject", "state", "attempts", "next_attempt_at",
              "reason", "created_at", "sent_at"]
    readonly_fields = fields

    @admin.display(description=_("recipient"))
    def recipient(self, message):
        return mask(message.to) if message.to_client else message.to

    @admin.display(description=_("reason"))
    def reason(self, message):
        return PHONE_OR_ADDRESS.sub("•••", message.last_error) if message.to_client else (
            message.last_error)

    def lookup_allowed(self, lookup, value, request=None):
        """Only the list's own filters: a filter on the address, the key or the answer in the
        query string would tell, one character at a time, whom a client's reminder went to."""
        return lookup.split("__")[0] in {"state", "channel"}

    def get_search_results(self, request, queryset, search_term):
        if search_term:
            queryset = queryset.filter(to_client=False)
        return super().get_search_results(request, queryset, search_term)
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
