"""
Pages by keyset: a page begins after (or ends before) a row named by its id — never at an
OFFSET, and never with a COUNT over every match (at national scale, 28,000 "Korhonen"s).

A link carries the row's id only, signed (django.core.signing) so that it cannot be made up.
The row's place in the order — its sort key, which may be a name — is looked up again through
the very queryset the page lists: an id the user may not see, or one no longer in the list,
is not found and the page starts from the beginning. So no sort key travels in a URL, and the
values compared are those of a row the same queryset shows the user.

The queryset's own order_by is the order followed: its keys must be non-null, all in one
direction, and end in a unique one (the pk), as consents.policy.in_shown_order's do.
"""

from dataclasses import dataclass

from django.core import signing
from django.db.models import F, Field, Func, OrderBy, QuerySet, Value
from django.db.models.lookups import GreaterThan, LessThan


def cursor(pk: int, *, salt: str) -> str:
    """The signed id of a row, for a link of the list named by `salt`."""
    return signing.Signer(salt=salt).sign(str(pk))


def cursor_pk(value: str | None, *, salt: str) -> int | None:
    """The row id of a cursor made by cursor(), or None for a missing or forged one."""
    if not value:
        return None
    try:
        return int(signing.Signer(salt=salt).unsign(value))
    except (signing.BadSignature, ValueError):
        return None


@dataclass
class Page:
    """One page of rows: the id of the last row when more follow, of the first when rows come
    before it. Iterates over its rows, so a template loops over the page itself."""

    rows: list
    next_pk: int | None = None
    previous_pk: int | None = None
    is_first: bool = True

    def __iter__(self):
        return iter(self.rows)

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, index):
        return self.rows[index]


def page(rows: QuerySet, *, size: int, after: int | None = None,
         before: int | None = None) -> Page:
    """The rows after the row `after` (or before `before`), at most `size`: one query for the
    rows, a row more than shown to know whether more follow, and one for the cursor row's
    sort key when there is a cursor."""
    keys = _sort_keys(rows)
    if before is not None:
        beyond = _beyond(rows, keys, before, backwards=True)
        if beyond is not None:
            return _backwards(beyond, size)
    beyond = _beyond(rows, keys, after) if after is not None else None
    found = list((rows if beyond is None else beyond)[:size + 1])
    more = len(found) > size
    found = found[:size]
    return Page(found, next_pk=found[-1].pk if more else None,
                previous_pk=found[0].pk if beyond is not None and found else None,
                is_first=beyond is None)


def _backwards(beyond: QuerySet, size: int) -> Page:
    found = list(beyond.reverse()[:size + 1])
    more = len(found) > size
    found = found[:size][::-1]
    # The cursor row itself follows these, so there is always a next page.
    return Page(found, next_pk=found[-1].pk if found else None,
                previous_pk=found[0].pk if more else None, is_first=not more)


def _sort_keys(rows: QuerySet) -> list[tuple[object, bool]]:
    """The queryset's ordering as (expression, descending) pairs."""
    if not rows.query.order_by or not rows.query.standard_ordering:
        raise ValueError("A keyset page needs the queryset's order_by.")
    keys = []
    for item in rows.query.order_by:
        if isinstance(item, str):
            keys.append((F(item.lstrip("-")), item.startswith("-")))
        elif isinstance(item, OrderBy):
            keys.append((item.expression, item.descending))
        else:
            keys.append((item, False))
    if len({descending for _key, descending in keys}) > 1:
        raise ValueError("A keyset page needs its keys in one direction.")
    return keys


def _beyond(rows: QuerySet, keys, pk: int, backwards: bool = False) -> QuerySet | None:
    """The rows after (before) the row `pk` in the order of `keys`, or None when the row is
    not among `rows` — a forged or hidden id, or one gone from the list."""
    names = [f"keyset_{n}" for n in range(len(keys))]
    expressions = {name: expression for name, (expression, _d) in zip(names, keys, strict=True)}
    values = (rows.select_related(None).prefetch_related(None).order_by()
              .annotate(**expressions).filter(pk=pk).values_list(*names).first())
    if values is None or None in values:
        return None
    return rows.alias(**expressions).filter(
        _row_beyond(names, values, descending=keys[0][1] != backwards))


class _Row(Func):
    template = "ROW(%(expressions)s)"
    output_field = Field()


def _row_beyond(names, values, *, descending: bool):
    """(k1, k2, …) > (v1, v2, …) — one comparison of rows, so that each key, which may be
    an expression over the policy's rules, is worked out once per row, not once per OR."""
    comparison = LessThan if descending else GreaterThan
    return comparison(_Row(*map(F, names)), _Row(*map(Value, values)))
