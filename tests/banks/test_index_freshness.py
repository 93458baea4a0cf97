"""The in-process match index follows the database: additions, edits and removals show at once."""

import pytest

from triage.evidence.banks.services import bank_add_file, bank_match_file


@pytest.mark.django_db
def test_matches_follow_additions_edits_and_removals(debunked_bank, banked_photos):
    assert bank_match_file(path=banked_photos[0], media_type="image") == []

    item = bank_add_file(bank=debunked_bank, path=banked_photos[0], original_name="viral.jpg")
    assert [m.item["original_name"] for m in bank_match_file(path=banked_photos[0])] == ["viral.jpg"]

    item.original_name = "viral-fake-rally-photo.jpg"
    item.save()
    assert [m.item["original_name"] for m in bank_match_file(path=banked_photos[0])] == [
        "viral-fake-rally-photo.jpg"
    ]

    item.delete()
    assert bank_match_file(path=banked_photos[0]) == []
