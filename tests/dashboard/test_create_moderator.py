"""`manage.py create_moderator`: a user in the moderators group (and leads with --lead) who can log in."""

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from triage.audit.models import AuditEvent


@pytest.mark.django_db
def test_creates_a_moderator_who_can_log_in(client, monkeypatch, capsys):
    monkeypatch.setenv("MORATORIUM_MODERATOR_PASSWORD", "correct-horse-battery-9")
    call_command("create_moderator", "dana")
    assert "dana can log in to the dashboard as a moderator." in capsys.readouterr().out
    user = User.objects.get(username="dana")
    assert set(user.groups.values_list("name", flat=True)) == {"moderators"}
    assert client.login(username="dana", password="correct-horse-battery-9")
    assert client.get("/").status_code == 200
    assert AuditEvent.objects.filter(action="moderator.created", inputs__user_id=user.pk).exists()


@pytest.mark.django_db
def test_lead(monkeypatch):
    monkeypatch.setenv("MORATORIUM_MODERATOR_PASSWORD", "correct-horse-battery-9")
    call_command("create_moderator", "erin", "--lead")
    assert set(User.objects.get(username="erin").groups.values_list("name", flat=True)) == {
        "moderators",
        "leads",
    }


@pytest.mark.django_db
def test_a_weak_password_is_refused(monkeypatch):
    monkeypatch.setenv("MORATORIUM_MODERATOR_PASSWORD", "123")
    with pytest.raises(CommandError, match="Password refused: This password is too short"):
        call_command("create_moderator", "frank")
    assert not User.objects.filter(username="frank").exists()


@pytest.mark.django_db
def test_without_a_terminal_or_the_variable_it_says_what_to_do(monkeypatch):
    monkeypatch.delenv("MORATORIUM_MODERATOR_PASSWORD", raising=False)
    monkeypatch.setattr("os.isatty", lambda fd: False)
    with pytest.raises(CommandError, match="Set MORATORIUM_MODERATOR_PASSWORD"):
        call_command("create_moderator", "gina")
