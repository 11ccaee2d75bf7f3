"""
Finding a client by name: each word typed matches the start of the first or the last name
("Korh" finds Korhonen; "Matti Korhonen" needs both words, in either name). A start of a name,
not any part of it, because the database finds starts by a btree range scan
(clients/migrations/0011) where any part needs a trigram scan many times the cost at national
scale — and a person types the start of the name they look for.
"""

from django.db.models import Q


def name_starts_with(word: str) -> Q:
    """The first or the last name begins with the word, in any case."""
    return Q(first_name__istartswith=word) | Q(last_name__istartswith=word)
