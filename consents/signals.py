"""What happens to consents and bans that other apps act on."""

from django.dispatch import Signal

# Sent inside the transaction that records a disclosure ban, so that the receivers' changes
# commit or roll back with it: ban_recorded.send(sender=DisclosureBan, ban=…). The outbox
# withholds what still waits to be sent to the banned organisation or sector (work/signals.py).
ban_recorded = Signal()
