"""Operators manage banks in the admin: counts per bank, items searchable and filterable."""

import pytest

from triage.evidence.banks.services import bank_add_file


@pytest.fixture
def operator(django_user_model):
    return django_user_model.objects.create_superuser("olga", "olga@example.org", "a-long-passphrase")


@pytest.mark.django_db
def test_the_bank_list_shows_purpose_and_item_count(client, operator, debunked_bank, banked_photos):
    for path in banked_photos[:3]:
        bank_add_file(bank=debunked_bank, path=path)
    client.force_login(operator)

    page = client.get("/admin/banks/fingerprintbank/").content.decode()

    assert "debunked-2026" in page
    assert '<td class="field-item_count">3</td>' in page


@pytest.mark.django_db
def test_banked_items_are_found_by_name_and_filtered_by_purpose(
    client, operator, debunked_bank, banked_photos
):
    bank_add_file(bank=debunked_bank, path=banked_photos[0], original_name="rally-crowd.jpg")
    bank_add_file(bank=debunked_bank, path=banked_photos[1], original_name="ballot-box.jpg")
    client.force_login(operator)

    found = client.get("/admin/banks/bankeditem/", {"q": "rally"}).content.decode()
    filtered = client.get("/admin/banks/bankeditem/", {"bank__purpose__exact": "synthetic"}).content.decode()

    assert "rally-crowd.jpg" in found and "ballot-box.jpg" not in found
    assert "rally-crowd.jpg" not in filtered


@pytest.mark.django_db
def test_an_item_page_opens_without_the_binary_fingerprint(client, operator, debunked_bank, banked_photos):
    item = bank_add_file(bank=debunked_bank, path=banked_photos[0])
    client.force_login(operator)

    response = client.get(f"/admin/banks/bankeditem/{item.pk}/change/")

    assert response.status_code == 200
    assert "fingerprint_version" in response.content.decode()
    assert 'name="fingerprint"' not in response.content.decode()
