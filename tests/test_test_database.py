"""The flush between transactional tests (tests/kit/database.py) empties every table, the audit log too."""

import pytest
from django.core.management import call_command
from django.core.management.color import no_style
from django.core.management.sql import sql_flush
from django.db import connection

from triage.audit.services import audit_record


@pytest.mark.django_db(transaction=True)
def test_the_flush_deletes_every_row_and_truncates_only_the_audit_log(alice, make_platform):
    statements = sql_flush(no_style(), connection, reset_sequences=False)  # as between tests
    if connection.vendor == "postgresql":
        assert [s for s in statements if s.startswith("TRUNCATE")] == ['TRUNCATE "audit_auditevent";']
        assert len([s for s in statements if s.startswith("DELETE FROM")]) == len(statements) - 1
    make_platform("videoshare")
    audit_record(action="test.flushed", inputs={"by": "alice"})
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)

    call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)

    with connection.cursor() as cursor:
        filled = []
        for table in tables:
            cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {connection.ops.quote_name(table)})")  # noqa: S608
            if cursor.fetchone()[0]:
                filled.append(table)
    assert filled == []
