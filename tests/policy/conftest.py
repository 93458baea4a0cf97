import pytest


@pytest.fixture
def default_policy(db):
    """The shipped default policy, active (transactional tests elsewhere flush the migration's row)."""
    from triage.policy.default import DEFAULT_RULES
    from triage.policy.models import PolicyVersion

    policy = PolicyVersion.objects.filter(status="active").first()
    if policy is None:
        policy = PolicyVersion.objects.create(version=1, status="active", rules=DEFAULT_RULES)
    return policy
