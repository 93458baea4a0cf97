"""Label texts are data now: every test here reads them from the database (seeded by migrations)."""

import pytest

from triage.decisions.labels.seed import label_texts_seed
from triage.decisions.labels.texts import label_texts_cache_clear


@pytest.fixture(autouse=True)
def _label_texts(db):
    label_texts_seed()  # idempotent; transactional tests elsewhere may have flushed the migration's rows
    # The per-process cache would otherwise carry one test's edits (rolled back) into the next.
    label_texts_cache_clear()
    yield
    label_texts_cache_clear()
