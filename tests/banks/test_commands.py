"""bank_add and bank_match, as an analyst runs them."""

import json
import os
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from tests.kit.worker import ROOT, database_url_for
from triage.evidence.banks.models import BankedItem, FingerprintBank

from . import media


def bank_add(*args):
    out, err = StringIO(), StringIO()
    call_command("bank_add", *[str(a) for a in args], stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_bank_add_creates_the_bank_and_shows_progress(banked_photos, banked_speech):
    out, err = bank_add(
        "--bank", "election-fakes", "--purpose", "synthetic", banked_photos[0], banked_speech[0]
    )

    bank = FingerprintBank.objects.get(name="election-fakes")
    assert bank.purpose == "synthetic"
    assert sorted(bank.items.values_list("media_type", flat=True)) == ["audio", "image"]
    assert "1/2" in err and "2/2" in err
    assert "2 added, 0 skipped as duplicates, 0 failed" in out


@pytest.mark.django_db
def test_bank_add_skips_files_already_banked(banked_photos, tmp_path):
    twin = tmp_path / "same-bytes-other-name.png"
    twin.write_bytes(banked_photos[0].read_bytes())
    bank_add("--bank", "election-fakes", "--purpose", "debunked", banked_photos[0])

    out, _ = bank_add("--bank", "election-fakes", banked_photos[0], twin, banked_photos[1])

    assert "1 added, 2 skipped as duplicates" in out
    assert BankedItem.objects.filter(bank__name="election-fakes").count() == 2


@pytest.mark.django_db
def test_bank_add_reports_unparseable_files_and_adds_the_rest(banked_photos, tmp_path):
    junk = tmp_path / "notes.txt"
    junk.write_text("not media at all")

    with pytest.raises(CommandError, match="1 file"):
        bank_add("--bank", "election-fakes", "--purpose", "debunked", junk, banked_photos[0])

    assert list(BankedItem.objects.values_list("original_name", flat=True)) == [banked_photos[0].name]


@pytest.mark.django_db
def test_bank_add_refuses_a_purpose_other_than_the_banks(banked_photos):
    FingerprintBank.objects.create(name="official", purpose="authentic")

    with pytest.raises(CommandError, match="exists with purpose 'authentic', not 'synthetic'"):
        bank_add("--bank", "official", "--purpose", "synthetic", banked_photos[0])


@pytest.mark.django_db
def test_bank_add_needs_a_purpose_for_a_new_bank(banked_photos):
    with pytest.raises(CommandError, match="give a purpose"):
        bank_add("--bank", "brand-new", banked_photos[0])


@pytest.mark.django_db
def test_bank_add_explains_an_invalid_bank_name(banked_photos):
    with pytest.raises(CommandError, match="invalid bank: name: .*letters, numbers, underscores or hyphens"):
        bank_add("--bank", "Fake robocalls!", "--purpose", "debunked", banked_photos[0])
    assert not FingerprintBank.objects.exists()


@pytest.mark.django_db
def test_bank_match_json_lists_each_file_with_its_matches(banked_photos, unrelated_photos, tmp_path):
    bank_add("--bank", "official", "--purpose", "authentic", banked_photos[0])
    copy = media.resized(banked_photos[0], tmp_path)
    out = StringIO()

    call_command("bank_match", str(copy), str(unrelated_photos[0]), "--json", stdout=out)

    result = json.loads(out.getvalue())
    assert [entry["file"] for entry in result] == [str(copy), str(unrelated_photos[0])]
    [match] = result[0]["matches"]
    assert {k: match[k] for k in ("bank", "purpose", "item")} == {
        "bank": "official",
        "purpose": "authentic",
        "item": {"sha256": BankedItem.objects.get().sha256, "original_name": banked_photos[0].name},
    }
    assert isinstance(match["distance"], int)
    assert result[1]["matches"] == []


@pytest.mark.django_db
def test_bank_match_prints_matches_for_people(banked_speech, tmp_path):
    bank_add("--bank", "debunked", "--purpose", "debunked", banked_speech[0])
    out = StringIO()

    call_command("bank_match", str(media.to_mp3(banked_speech[0], tmp_path)), stdout=out)

    assert f"debunked (debunked): {banked_speech[0].name} distance" in out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_the_commands_exit_non_zero_when_a_file_fails(banked_photos, tmp_path):
    junk = tmp_path / "broken.mp4"
    junk.write_bytes(b"\x00\x00\x00\x18ftypmp42" + os.urandom(2000))
    env = {**os.environ, "DATABASE_URL": database_url_for(connection.settings_dict)}

    def manage(*args):
        return subprocess.run(
            [sys.executable, "manage.py", *map(str, args)], cwd=ROOT, env=env, capture_output=True, text=True
        )

    added = manage("bank_add", "--bank", "fakes", "--purpose", "synthetic", banked_photos[0], junk)
    matched = manage("bank_match", "--json", junk, banked_photos[0])

    assert added.returncode == 1
    assert f"failed: {junk}: unparseable" in added.stderr
    assert matched.returncode == 1
    result = json.loads(matched.stdout)
    assert result[0]["error"].startswith("unparseable")
    assert result[1]["matches"][0]["distance"] == 0
