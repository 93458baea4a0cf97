"""The suite's root: the test kit's plugins and one media directory per session.

The suite runs against the database named by DATABASE_URL (PostgreSQL in CI; the README's test
command sets it). Shared fixtures and helpers live in tests/kit/ (see its __init__).
"""

from pathlib import Path

import pytest

# The test kit (tests/kit/): its fixtures are everyone's.
pytest_plugins = [
    "tests.kit.database",
    "tests.kit.worker",
    "tests.kit.actors",
    "tests.kit.media",
    "tests.kit.callbacks",
    "tests.kit.silence",
    "tests.kit.policy",
]


@pytest.fixture(scope="session")
def shared_media_root(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def _media_root(settings, shared_media_root):
    """Store media under one session directory that a worker process can read too, and read no
    bank index snapshot a run on this machine left (tests/banks/test_vote_snapshot.py sets one)."""
    settings.MEDIA_ROOT = shared_media_root
    settings.BANKS_INDEX_DIR = ""
