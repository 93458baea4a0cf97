"""Label texts are data now: every test here reads them from the database (seeded by migrations)."""

import pytest

from triage.labels.texts import label_texts_cache_clear


@pytest.fixture(autouse=True)
def _label_texts(db):
    # The per-process cache would otherwise carry one test's edits (rolled back) into the next.
    label_texts_cache_clear()
    yield
    label_texts_cache_clear()
