"""Banking a stored MediaItem, and matching one, as the checks and the dashboard do."""

import hashlib

import pytest
from django.core.files.base import ContentFile

from triage.evidence.banks.services import bank_add_media_item, bank_match_file, bank_match_media_item
from triage.models import MediaItem

from . import media


def _media_item(path, media_type, mime_type):
    data = path.read_bytes()
    sha256 = hashlib.sha256(data).hexdigest()
    item = MediaItem(
        sha256=sha256,
        media_type=media_type,
        mime_type=mime_type,
        size_bytes=len(data),
        original_name=path.name,
    )
    item.file.save(f"{sha256[:2]}/{sha256}", ContentFile(data), save=False)
    item.save()
    return item


@pytest.mark.django_db
def test_a_banked_media_item_is_named_in_matches_of_its_copies(debunked_bank, banked_speech, tmp_path):
    recording = _media_item(banked_speech[4], "audio", "audio/wav")
    banked = bank_add_media_item(
        bank=debunked_bank, media_item_id=recording.pk, notes="case 12: fake robocall"
    )

    [match] = bank_match_file(path=media.to_opus(banked_speech[4], tmp_path), media_type="audio")

    assert banked.media_item_id == recording.pk
    assert banked.notes == "case 12: fake robocall"
    assert match.media_item_id == recording.pk
    assert match.as_json()["item"] == {"sha256": recording.sha256, "original_name": banked_speech[4].name}


@pytest.mark.django_db
def test_a_new_media_item_matches_an_authentic_bank(db, banked_photos, tmp_path):
    from triage.evidence.banks.models import FingerprintBank
    from triage.evidence.banks.services import bank_add_file

    official = FingerprintBank.objects.create(name="ministry-photos", purpose="authentic")
    bank_add_file(bank=official, path=banked_photos[3], notes="press office original")
    upload = _media_item(media.jpeg_low_quality(banked_photos[3], tmp_path), "image", "image/jpeg")

    [match] = bank_match_media_item(media_item_id=upload.pk)

    assert (match.bank, match.purpose) == ("ministry-photos", "authentic")
