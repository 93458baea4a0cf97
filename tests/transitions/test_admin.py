"""Operators see each transition and its batches in the admin, read-only."""

import pytest
from django.urls import reverse

from tests.kit.silence import SK_OPENS, make_case
from triage.decisions.transitions import window_transitions_run

pytestmark = pytest.mark.django_db


def test_transitions_are_listed_and_shown_read_only(admin_client, slovak_election):
    make_case("SK")
    [opened] = window_transitions_run(now=SK_OPENS)

    listing = admin_client.get(reverse("admin:policy_windowtransition_changelist"))
    assert listing.status_code == 200
    assert "2030 Slovak parliamentary election" in listing.content.decode()
    page = admin_client.get(reverse("admin:policy_windowtransition_change", args=[opened.pk]))
    assert page.status_code == 200
    assert "pending" in page.content.decode()
    assert admin_client.get(reverse("admin:policy_windowtransition_add")).status_code == 403
