"""Operators set up partners from the command line: an organisation, a token, a rotation."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from integrations.partners.models import PartnerOrganisation, PartnerToken

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_an_organisation_its_token_and_a_rotation():
    assert "sees: CZ, SK, sk" in run(
        "create_partner", "Demagog.sk", "--countries", "sk", "CZ", "--languages", "SK"
    )
    printed = run("create_partner_token", "Demagog CI", "--partner", "Demagog.sk", "--expires-days", "30")
    raw = printed.strip().splitlines()[-1]
    token = PartnerToken.objects.get()
    assert token.partner == PartnerOrganisation.objects.get(name="Demagog.sk")
    assert raw.startswith(token.prefix) and raw not in str(PartnerToken.objects.values())  # only the hash
    rotated = run("rotate_partner_token", token.prefix).strip().splitlines()[-1]
    assert rotated != raw
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_bad_input_is_refused():
    with pytest.raises(CommandError, match="countries"):
        run("create_partner", "X", "--countries", "Slovakia")
    with pytest.raises(CommandError, match="No partner organisation"):
        run("create_partner_token", "X", "--partner", "Nobody")
