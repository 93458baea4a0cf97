"""The first-look mode: SQLite, no broker. What bin/demo runs must work end to end there."""

import pytest

from tests.test_settings import run_django


@pytest.fixture(scope="module")
def embedded_data_dir(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("embedded")
    migrated = run_django(["migrate", "--noinput"], {}, data_dir)
    assert migrated.returncode == 0, migrated.stderr
    return data_dir


def test_demo_setup_prints_the_login_and_can_run_twice(embedded_data_dir):
    for _ in range(2):
        result = run_django(["demo_setup"], {}, embedded_data_dir)
        assert result.returncode == 0, result.stderr
        assert "Demo login: demo / moratorium-demo" in result.stdout


def test_every_periodic_task_runs_without_a_broker(embedded_data_dir):
    result = run_django(["run_periodic_tasks", "--once"], {}, embedded_data_dir)
    assert result.returncode == 0, result.stderr
    failures = [line for line in result.stderr.splitlines() if "Error" in line or "Traceback" in line]
    assert failures == []


def test_the_queue_finds_a_subject_with_diacritics_in_any_case(embedded_data_dir):
    """Found walking the demo: searching "Šimečka" found nothing on SQLite, which keeps JSON text
    with its non-ASCII letters escaped (PostgreSQL's jsonb::text has the letters)."""
    assert run_django(["demo_setup"], {}, embedded_data_dir).returncode == 0
    script = (
        "from triage.moderation.selectors import QueueFilters, queue_cases\n"
        "from triage.models import Submission\n"
        "case = Submission.objects.get(content_id='demo-sk').case_id\n"
        "for text in ('Šimečka', 'šimečka', 'michal šimečka', 'ŠIMEČKA', 'Khan', 'Nobody'):\n"
        "    found = list(queue_cases(filters=QueueFilters(queue='all', q=text), can_see_escalations=True)"
        ".values_list('pk', flat=True))\n"
        "    print(text, found == [case], bool(found))\n"
    )
    result = run_django(["shell", "-c", script], {}, embedded_data_dir)
    assert result.returncode == 0, result.stderr
    lines = {line.rsplit(" ", 2)[0]: line.rsplit(" ", 2)[1:] for line in result.stdout.splitlines() if line}
    for text in ("Šimečka", "šimečka", "michal šimečka", "ŠIMEČKA"):
        assert lines[text] == ["True", "True"], (text, result.stdout)
    assert lines["Khan"] == ["False", "True"]  # the Pakistani case, not the Slovak one
    assert lines["Nobody"] == ["False", "False"]


def test_every_dashboard_page_renders_on_sqlite(embedded_data_dir):
    """Found walking the demo: the calendar answered 500 on SQLite (DISTINCT ON)."""
    assert run_django(["demo_setup"], {}, embedded_data_dir).returncode == 0
    script = (
        "from django.contrib.auth import get_user_model\n"
        "from django.test import Client\n"
        "client = Client(HTTP_HOST='127.0.0.1')\n"
        "client.force_login(get_user_model().objects.get(username='demo'))\n"
        "for path in ('/', '/?queue=all&q=demo-sk', '/cases/1/', '/elections/', '/overview/', '/registry/',\n"
        "             '/reports/', '/deliveries/dead/'):\n"
        "    print(path, client.get(path).status_code)\n"
    )
    result = run_django(["shell", "-c", script], {}, embedded_data_dir)
    assert result.returncode == 0, result.stderr
    answers = dict(line.split(" ") for line in result.stdout.splitlines() if line.startswith("/"))
    assert answers and set(answers.values()) == {"200"}, answers
