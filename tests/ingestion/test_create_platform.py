"""`manage.py create_platform` and the admin's secret rotation."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from integrations.platforms.models import Platform
from tests.ingestion.helpers import post_signed, sample_event

pytestmark = pytest.mark.django_db


def test_create_platform_prints_a_working_secret_once(client):
    out = StringIO()
    call_command(
        "create_platform", "videoshare", "--callback-url", "https://videoshare.example/hook", stdout=out
    )
    secret = out.getvalue().strip().splitlines()[-1]
    platform = Platform.objects.get(slug="videoshare")
    assert secret.startswith("whsec_")
    assert platform.callback_url == "https://videoshare.example/hook"
    assert platform.allow_private_fetch is False
    assert post_signed(client, platform, secret, sample_event()).status_code == 202


def test_create_platform_can_allow_private_fetches_and_set_countries():
    call_command("create_platform", "lab", "--allow-private-fetch", "--countries", "sk,cz", stdout=StringIO())
    platform = Platform.objects.get(slug="lab")
    assert platform.allow_private_fetch is True
    assert platform.default_countries == ["SK", "CZ"]


def test_create_platform_refuses_a_taken_or_bad_slug():
    call_command("create_platform", "videoshare", stdout=StringIO())
    with pytest.raises(CommandError, match="slug"):
        call_command("create_platform", "videoshare", stdout=StringIO())
    with pytest.raises(CommandError, match="slug"):
        call_command("create_platform", "not a slug!", stdout=StringIO())


def test_an_admin_rotates_a_secret_and_sees_the_new_one(client):
    out = StringIO()
    call_command("create_platform", "videoshare", stdout=out)
    old_secret = out.getvalue().strip().splitlines()[-1]
    platform = Platform.objects.get()
    alice = get_user_model().objects.create_superuser("alice", "alice@example.org", "pw-alice-123")
    client.force_login(alice)

    response = client.post(
        "/admin/platforms/platform/",
        {"action": "rotate_secret", "_selected_action": [platform.pk]},
        follow=True,
    )

    shown = [str(m) for m in response.context["messages"]]
    assert len(shown) == 1 and "New signing secret for videoshare" in shown[0]
    new_secret = shown[0].rsplit(" ", 1)[-1]
    platform.refresh_from_db()
    assert platform.signing_secrets() == [new_secret, old_secret]
