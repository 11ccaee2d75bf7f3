"""What happens to a client that other apps act on."""

from django.dispatch import Signal

# Sent when an organisation starts to serve, on the client's visit, a client others already
# serve, after commit (cases.services.serve):
# relationship_started.send(sender=ClientRelationship, relationship=…). The people of the
# organisations already serving are told on their bell (work/signals.py).
relationship_started = Signal()
