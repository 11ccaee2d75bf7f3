"""What the meetings tell the apps above them (plans): they listen, meetings import none of them.

`decisions_recorded(sender=MeetingDecision, decision=…, by=…)` is sent inside the transaction
that saved the decisions, so that what the listeners write (the booked feedback discussion, the
follow-up dates) is committed with the decisions or not at all.
"""

from django.dispatch import Signal

decisions_recorded = Signal()
