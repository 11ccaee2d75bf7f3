"""
The access policy: the one place that decides who may see which client data.

Every view that shows client data asks here — `get_client_for_user` to load one client (404 for
anyone who may not see them, so an outsider cannot even learn the client exists), `can_view` per
data category, `visible_clients` to filter a list.

The rules today (the consent categories are layered on top of these):
- only a user with a care role in an active organisation sees client data; the admin role
  manages the system and reads no client data unless the person also holds a care role;
- they see the clients of the organisations they work in as care staff, the clients they are a
  current case manager or own nurse of, and clients granted to them one by one (guardian).
"""

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from clients.models import CaseManagerAssignment, Client
from teams.models import Membership

from .models import ClientGroupObjectPermission, ClientUserObjectPermission, DataCategory

GRANT_CODENAME = "view_client"


def care_organisation_ids(user) -> frozenset[int]:
    """The organisations the user works in with a care role; kept on the user for the request."""
    if not user.is_authenticated:
        return frozenset()
    if not hasattr(user, "_care_organisation_ids"):
        user._care_organisation_ids = frozenset(
            Membership.objects.active().care().filter(user=user)
            .values_list("organisation_id", flat=True)
        )
    return user._care_organisation_ids


def visible_clients(user) -> QuerySet[Client]:
    """The clients whose data the user may see at all, for lists and searches."""
    organisation_ids = care_organisation_ids(user)
    if not organisation_ids:
        return Client.objects.none()
    client = OuterRef("pk")
    served_by_my_organisation = Exists(
        Client.organisations.through.objects.filter(
            client_id=client, organisation_id__in=organisation_ids
        )
    )
    my_case = Exists(CaseManagerAssignment.objects.current().filter(client_id=client, user=user))
    granted_to_me = Exists(
        ClientUserObjectPermission.objects.filter(
            content_object_id=client, user=user, permission__codename=GRANT_CODENAME
        )
    )
    granted_to_my_group = Exists(
        ClientGroupObjectPermission.objects.filter(
            content_object_id=client, group__user=user, permission__codename=GRANT_CODENAME
        )
    )
    return Client.objects.filter(
        served_by_my_organisation | my_case | Q(own_nurse=user) | granted_to_me
        | granted_to_my_group
    )


def can_view(user, client: Client, category: DataCategory) -> bool:
    """May the user see this category of the client's data? Every category, for now."""
    return _may_see_client(user, client.pk)


def get_client_for_user(user, pk) -> Client:
    """The client, if the user may see them at all; otherwise 404, as if they did not exist."""
    client = visible_clients(user).filter(pk=pk).first()
    _visibility(user)[int(pk)] = client is not None
    if client is None:
        raise Http404
    return client


def _visibility(user) -> dict[int, bool]:
    """What this request already knows of the user's clients, so a page asks the database once."""
    if not hasattr(user, "_client_visibility"):
        user._client_visibility = {}
    return user._client_visibility


def _may_see_client(user, pk: int) -> bool:
    known = _visibility(user)
    if pk not in known:
        known[pk] = visible_clients(user).filter(pk=pk).exists()
    return known[pk]
