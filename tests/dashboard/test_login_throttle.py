"""Sign-in throttling on the dashboard and the admin: per account and per address, with a clear
message, an audit record, and a lock that lifts when the window passes (the clock is moved)."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from triage.audit.models import AuditEvent
from triage.moderation.models import LoginFailure

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOGINS = {"dashboard": "/accounts/login/", "admin": "/admin/login/"}


@pytest.fixture
def limits(settings):
    settings.LOGIN_THROTTLE_WINDOW_SECONDS = 900
    settings.LOGIN_FAILURES_PER_ACCOUNT = 5
    settings.LOGIN_FAILURES_PER_ADDRESS = 8
    settings.CLOCK_NOW = timezone.now()
    return settings


@pytest.fixture
def staff(db):
    return User.objects.create_user(username="erin", password=PASSWORD, is_staff=True)


def sign_in(client, site, username, password, address="203.0.113.7"):
    return client.post(LOGINS[site], {"username": username, "password": password}, REMOTE_ADDR=address)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.parametrize("site", ["dashboard", "admin"])
def test_after_five_wrong_passwords_the_right_one_is_refused_until_the_window_passes(
    client, staff, limits, site
):
    for _ in range(5):
        assert sign_in(client, site, "erin", "guess").status_code == 200
    answer = sign_in(client, site, "erin", PASSWORD)

    assert not signed_in(client)
    assert "Too many failed sign-ins for this account" in answer.content.decode()
    assert "locked for 15 more minutes" in answer.content.decode()
    locked = AuditEvent.objects.get(action="auth.login_locked")
    assert locked.inputs["account"] == "erin"
    assert locked.inputs["site"] == site

    limits.CLOCK_NOW = limits.CLOCK_NOW + timedelta(minutes=15, seconds=1)
    sign_in(client, site, "erin", PASSWORD)
    assert signed_in(client)


def test_the_account_is_locked_from_every_address(client, staff, limits):
    for n in range(5):
        sign_in(client, "dashboard", "ERIN", "guess", address=f"198.51.100.{n}")

    sign_in(client, "dashboard", "erin", PASSWORD, address="192.0.2.99")

    assert not signed_in(client)


def test_one_address_trying_many_accounts_is_locked_out(client, staff, limits):
    for n in range(8):
        sign_in(client, "dashboard", f"user{n}", "guess")

    answer = sign_in(client, "dashboard", "erin", PASSWORD)

    assert not signed_in(client)
    assert "Too many failed sign-ins for this address" in answer.content.decode()
    sign_in(client, "dashboard", "erin", PASSWORD, address="203.0.113.8")
    assert signed_in(client)


def test_a_successful_sign_in_forgives_earlier_mistakes_and_nothing_stored_names_anyone(
    client, staff, limits
):
    for _ in range(4):
        sign_in(client, "dashboard", "erin", "guess")
    sign_in(client, "dashboard", "erin", PASSWORD)
    assert signed_in(client)
    client.logout()

    for _ in range(4):
        sign_in(client, "dashboard", "erin", "guess", address="203.0.113.9")
    sign_in(client, "dashboard", "erin", PASSWORD, address="203.0.113.9")
    assert signed_in(client)
    stored = " ".join(f"{f.scope} {f.key}" for f in LoginFailure.objects.all())
    assert "erin" not in stored and "203.0.113.7" not in stored


def test_behind_the_proxy_the_forwarded_address_is_counted(client, staff, limits):
    limits.USE_X_FORWARDED_FOR = True
    for n in range(8):
        client.post(
            LOGINS["dashboard"],
            {"username": f"user{n}", "password": "guess"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR=f"10.9.9.{n}, 203.0.113.50",  # the first entry is the client's to forge
        )

    client.post(
        LOGINS["dashboard"],
        {"username": "erin", "password": PASSWORD},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.51",
    )
    assert signed_in(client)  # another client behind the same proxy is not locked out
