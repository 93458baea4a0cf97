"""The cast: named people with fixed roles, the same in every test folder.

People in the dashboard and admin (Django users, password PASSWORD):
- alice: a moderator;
- bob: a moderator and lead (escalated cases are his);
- charlie: logged in, with no role (an outsider);
- olivia: an operator with every admin right (a superuser).

Partners on the API (DRF clients):
- dana: a fact-checking partner (her organisation covers SK and CZ) whose token has every scope;
- erin: a newsroom partner whose token reads only the calendar;
- frank: anonymous, no token;
- grace: a former partner whose token was revoked.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, User
from rest_framework.test import APIClient

from integrations.partners.models import Scope
from integrations.partners.services import (
    partner_organisation_save,
    partner_token_create,
    partner_token_revoke,
)

PASSWORD = "a-long-test-password-4711"  # noqa: S105 (a test account's)


def user_make(username: str, *groups: str, **fields) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, **fields)
    for name in groups:
        user.groups.add(Group.objects.get_or_create(name=name)[0])  # a flushed test DB lost it
    return user


@pytest.fixture
def alice(db) -> User:
    return user_make("alice", "moderators")


@pytest.fixture
def bob(db) -> User:
    return user_make("bob", "moderators", "leads")


@pytest.fixture
def charlie(db) -> User:
    return user_make("charlie")


@pytest.fixture
def olivia(db) -> User:
    return User.objects.create_superuser("olivia", "olivia@example.org", PASSWORD)


@pytest.fixture
def olivia_client(client, olivia):
    """The test client, logged in as olivia (the admin)."""
    client.force_login(olivia)
    return client


def client_with(raw: str | None) -> APIClient:
    """An API client presenting the bearer token `raw` (none when None)."""
    client = APIClient()
    if raw:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


@pytest.fixture
def dana_partner(db):
    """Dana's organisation: a fact-checker covering Slovakia and Czechia."""
    return partner_organisation_save(name="Dana Fact Check", countries=["SK", "CZ"])


@pytest.fixture
def dana(dana_partner) -> APIClient:
    _, raw = partner_token_create(name="Dana Fact Check", scopes=list(Scope.values), partner=dana_partner)
    return client_with(raw)


@pytest.fixture
def erin(db) -> APIClient:
    _, raw = partner_token_create(name="Erin's Newsroom", scopes=[Scope.CALENDAR_READ])
    return client_with(raw)


@pytest.fixture
def frank(db) -> APIClient:
    return client_with(None)


@pytest.fixture
def grace(db) -> APIClient:
    token, raw = partner_token_create(name="Grace Former Partner", scopes=list(Scope.values))
    partner_token_revoke(token=token)
    return client_with(raw)
