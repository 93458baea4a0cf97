"""The policy side of the test kit: the shipped default policy active, and a view-only policy user."""

import pytest


@pytest.fixture
def default_policy(db):
    """The shipped default policy, active (transactional tests elsewhere flush the migration's row)."""
    from triage.decisions.default import DEFAULT_RULES
    from triage.decisions.models import PolicyVersion

    policy = PolicyVersion.objects.filter(status="active").first()
    if policy is None:
        policy = PolicyVersion.objects.create(version=1, status="active", rules=DEFAULT_RULES)
    return policy


@pytest.fixture
def policy_viewer(client):
    """A staff user who may only view policy versions, logged in on `client`."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission

    viewer = get_user_model().objects.create_user("vic", password="pw-vic-123", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_policyversion"))
    client.force_login(viewer)
    return viewer
