"""
Logging the request for the data package and each copy of it.

A copy logs as every print and export does (consents.audit.log_shown): one access-log row with
the categories it showed, and a disclosure row for each other organisation whose data it showed
under a consent. The request and every copy are logged even when they showed no category — a
client whose name the organisation does not see, with nothing of theirs it may see: a row with
no categories still says that the package was asked for and handed over.
"""

from axes.helpers import get_client_ip_address

from consents.audit import log_shown
from consents.models import AccessLogEntry
from consents.policy import viewer_for


def showed_anything(shown) -> bool:
    handed = shown.handed_out
    return bool(handed.identity) or any(categories for _r, _s, categories in handed.records)


def log_package(request, shown, action: str) -> None:
    """The request or a copy of the package: logged with what it showed, or with nothing."""
    if showed_anything(shown):
        log_shown(request, shown, action)
        return
    membership = viewer_for(request.user).membership
    AccessLogEntry.objects.create(
        client=shown.instance, categories=[], action=action, user=request.user,
        organisation_id=membership.organisation_id if membership else None,
        role=membership.role if membership else "",
        ip_address=get_client_ip_address(request) or None,
    )
