"""
Draws from the seeded random generator. They take `rng.random()` and do the arithmetic
themselves: `random.randint` and `random.choices` are several times slower, and the generator
draws millions of times.
"""

from bisect import bisect_left

from .words import LAST_NAMES


def cumulative(weights) -> list[float]:
    total, result = 0.0, []
    for weight in weights:
        total += weight
        result.append(total)
    return result


class Weights:
    """Values with weights, for drawing many times: {value: weight}."""

    def __init__(self, weights: dict):
        self.values = list(weights)
        self.cumulative = cumulative(weights.values())


def weighted(rng, weights: Weights):
    return weights.values[bisect_left(weights.cumulative, rng.random() * weights.cumulative[-1])]


def between(rng, low: int, high: int) -> int:
    """rng.randint(low, high), several times faster."""
    return low + int(rng.random() * (high - low + 1))


def one_of(rng, items):
    return items[int(rng.random() * len(items))]


def score(rng, mean: float) -> int:
    """A 0-10 score of the health check's scales, around the mean."""
    return min(10, max(0, round(rng.gauss(mean, 2))))


# Common surnames far more often: a search for Korhonen finds many, as it would.
LAST_NAME_WEIGHTS = Weights({name: 1 / (rank + 20) for rank, name in enumerate(LAST_NAMES)})


def last_name(rng) -> str:
    return weighted(rng, LAST_NAME_WEIGHTS)
