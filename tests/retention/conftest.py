import pytest

from .world import build_world


@pytest.fixture
def world(db):
    """Two controllers' records of a client closed in January 2026 (tests/retention/world.py)."""
    return build_world()
