"""Who may use the dashboard.

Two groups, created by migration 0002: `moderators` review cases; `leads` also see and act on
escalated cases. Staff users count as both (an operator can always step in).
"""

from __future__ import annotations

MODERATORS_GROUP = "moderators"
LEADS_GROUP = "leads"


def _groups(user) -> set[str]:
    # Cached on the user object: a page asks several times per request.
    cached = getattr(user, "_dashboard_groups", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        user._dashboard_groups = cached
    return cached


def user_is_moderator(user) -> bool:
    """Return whether the user may see the dashboard (a moderator, a lead or staff)."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_staff or bool(_groups(user) & {MODERATORS_GROUP, LEADS_GROUP})


def user_is_lead(user) -> bool:
    """Return whether the user sees escalations (a lead or staff)."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_staff or LEADS_GROUP in _groups(user)
