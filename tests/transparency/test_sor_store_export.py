"""Stored statements are exported as JSON and CSV by command, by admin action and by selector."""

import csv
import io
import json
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.utils import timezone

from integrations.platforms.services import platform_create
from integrations.transparency.export import CSV_COLUMNS
from integrations.transparency.models import StatementOfReasons
from integrations.transparency.selectors import statements_of_reasons_list
from integrations.transparency.services import statements_for_decision
from tests.kit.callbacks import make_case, make_decision, make_submission

pytestmark = pytest.mark.django_db


@pytest.fixture
def stored(db):
    """Two valid statements (videoshare, chatapp) and one invalid one (media never stored)."""
    videoshare, chatapp = platform_create(slug="videoshare")[0], platform_create(slug="chatapp")[0]
    case = make_case()
    make_submission(platform=videoshare, case=case, content_id="post-9", event_ids=["evt-1"])
    make_submission(platform=chatapp, case=case, content_id="msg-77", event_ids=["c-1"])
    statements_for_decision(decision_id=make_decision(case=case).pk)
    broken = make_case(with_media=False)
    make_submission(platform=videoshare, case=broken, content_id="post-2", event_ids=["evt-2"])
    statements_for_decision(decision_id=make_decision(case=broken).pk)
    return StatementOfReasons.objects.all()


def test_the_selector_lists_valid_statements_by_platform_and_time(stored):
    now = timezone.now()

    assert statements_of_reasons_list().count() == 2
    assert [s.platform.slug for s in statements_of_reasons_list(platform="chatapp")] == ["chatapp"]
    assert statements_of_reasons_list(since=now + timedelta(minutes=1)).count() == 0
    assert statements_of_reasons_list(until=now - timedelta(days=1)).count() == 0
    assert statements_of_reasons_list(valid=False).get().errors == {"media_type": ["This field is required."]}


def test_the_command_exports_json_to_a_file(stored, tmp_path, capsys):
    out = tmp_path / "sor.json"

    call_command("export_statements", "--since", timezone.now().date().isoformat(), "--output", str(out))

    body = json.loads(out.read_text())
    assert sorted(s["puid"] for s in body["statements"]) == sorted(s.puid for s in stored.filter(valid=True))
    err = capsys.readouterr().err
    assert "2 statement(s) exported" in err
    assert "1 invalid statement(s) not exported" in err


def test_the_command_exports_csv_in_the_dumps_columns(stored, capsys):
    call_command("export_statements", "--format", "csv", "--platform", "videoshare")

    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert len(rows) == 2
    record = dict(zip(CSV_COLUMNS, rows[1], strict=True))
    assert (
        record["decision_visibility"]
        == '["DECISION_VISIBILITY_CONTENT_DISABLED","DECISION_VISIBILITY_CONTENT_LABELLED"]'
    )
    assert record["source_type"] == "SOURCE_TRUSTED_FLAGGER"


def test_the_command_refuses_a_bad_date(stored):
    with pytest.raises(CommandError, match="--since: 'yesterday' is not a date"):
        call_command("export_statements", "--since", "yesterday")


def test_a_moderator_exports_from_the_admin(stored, client):
    admin = get_user_model().objects.create_superuser("alice", password="pw-alice-123")
    client.force_login(admin)

    answer = client.post(
        "/admin/transparency/statementofreasons/",
        {"action": "export_csv", "_selected_action": [s.pk for s in stored]},
    )

    assert answer.status_code == 200
    assert answer["Content-Type"] == "text/csv"
    assert answer.content.decode().count("\n") == 3  # header and the two valid statements
