"""The audit log only grows: the app offers no way to edit or delete it, and PostgreSQL refuses too."""

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError

from triage.audit.models import ActorKind, AppendOnlyError, AuditEvent
from triage.audit.services import audit_record

pytestmark = pytest.mark.django_db


def a_recorded_step() -> AuditEvent:
    return audit_record(
        action="case.decided",
        actor_kind=ActorKind.POLICY,
        inputs={"verdict": "likely_synthetic"},
        policy_version=1,
    )


def test_a_step_is_recorded_with_its_inputs_and_policy_version():
    event = a_recorded_step()
    stored = AuditEvent.objects.get(pk=event.pk)
    assert (stored.action, stored.actor_kind, stored.policy_version) == ("case.decided", "policy", 1)
    assert stored.inputs == {"verdict": "likely_synthetic"}


def test_an_event_cannot_be_changed_or_deleted_through_the_app():
    event = a_recorded_step()
    event.action = "case.forgotten"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(action="x")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_postgresql_refuses_raw_updates_and_deletes():
    event = a_recorded_step()
    for statement in (
        "UPDATE audit_auditevent SET action = 'x' WHERE id = %s",
        "DELETE FROM audit_auditevent WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).action == "case.decided"
