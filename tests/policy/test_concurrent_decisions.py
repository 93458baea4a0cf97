"""Two tasks deciding the same case at once: the case lock serialises them into one decision."""

import threading

import pytest
from django.db import connection

from tests.policy import factories
from triage.decisions.models import Decision
from triage.decisions.services import case_decide_by_policy

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("default_policy")]


def test_concurrent_evaluations_of_one_case_write_one_decision():
    case = factories.case(countries=["US"], language="en", reason="voter_suppression")
    factories.verdict(case, "likely_synthetic")
    start = threading.Barrier(4)
    results, errors = [], []

    def decide():
        try:
            start.wait(timeout=10)
            results.append(case_decide_by_policy(case_id=case.pk, trigger="verdict"))
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=decide) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert len([r for r in results if r is not None]) == 1
    assert Decision.objects.filter(case=case).count() == 1
