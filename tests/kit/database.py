"""The test database's flush between transactional tests: DELETE, not TRUNCATE.

pytest-django empties every table after each transactional test (Django's `flush`). PostgreSQL's
TRUNCATE gives every table and index a new file, which cost 1.2-1.5 s a test for the 58 tables on
the CI machine under load; DELETE of the few rows a test wrote costs ~0.06 s for all of them (the
measurements: docs/benchmarks.md, "The test suite"). Django creates every foreign key DEFERRABLE
INITIALLY DEFERRED and flush runs its statements in one transaction, so deleting the tables in any
order leaves no dangling reference at commit. The audit log refuses DELETE (its append-only
trigger), so it alone is still truncated; nothing references it. Sequences are not reset, as
before; a test that asks for that (`reset_sequences=True`) gets Django's own TRUNCATE.
"""

from __future__ import annotations

from django.db.backends.postgresql.operations import DatabaseOperations

APPEND_ONLY_TABLES = frozenset({"audit_auditevent"})  # its trigger refuses DELETE

_sql_flush_by_truncate = DatabaseOperations.sql_flush


def _sql_flush_by_delete(self, style, tables, *, reset_sequences=False, allow_cascade=False):
    if reset_sequences or allow_cascade:
        return _sql_flush_by_truncate(
            self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
        )
    deleted = [table for table in tables if table not in APPEND_ONLY_TABLES]
    truncated = [table for table in tables if table in APPEND_ONLY_TABLES]
    delete_from = f"{style.SQL_KEYWORD('DELETE')} {style.SQL_KEYWORD('FROM')}"
    sql = [f"{delete_from} {style.SQL_FIELD(self.quote_name(table))};" for table in deleted]
    return sql + (_sql_flush_by_truncate(self, style, truncated) if truncated else [])


def pytest_configure(config) -> None:
    DatabaseOperations.sql_flush = _sql_flush_by_delete  # type: ignore[method-assign]
