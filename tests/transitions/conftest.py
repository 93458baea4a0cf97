import pytest


@pytest.fixture(autouse=True)
def _empty_calendar(empty_calendar):
    """Only the windows a transition test creates can transition (tests/kit/silence.py)."""
