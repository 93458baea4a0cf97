"""Two moderators pressing "take" on the same case at the same instant: exactly one gets it."""

import threading

import pytest
from django.db import connection

from triage.audit.models import AuditEvent
from triage.moderation.models import CaseLock
from triage.moderation.services import CaseLockedError, case_lock_take


@pytest.mark.django_db(transaction=True)
def test_simultaneous_takes_give_the_case_to_one_moderator(alice, bob, cases):
    if connection.vendor != "postgresql":
        # The in-memory SQLite test database locks whole tables across threads: not a race to test.
        pytest.skip("concurrent writers need PostgreSQL")
    case = cases["slovak"]
    start = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def take(user) -> None:
        try:
            start.wait(timeout=10)
            case_lock_take(case_id=case.pk, user=user)
            outcomes[user.username] = "taken"
        except CaseLockedError:
            outcomes[user.username] = "refused"
        finally:
            connection.close()  # each thread has its own connection

    threads = [threading.Thread(target=take, args=(user,)) for user in (alice, bob)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes.values()) == ["refused", "taken"]
    winner = next(name for name, outcome in outcomes.items() if outcome == "taken")
    assert CaseLock.objects.get(case=case).user.username == winner
    assert AuditEvent.objects.filter(case=case, action="case.review_taken").count() == 1
