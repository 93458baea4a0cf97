"""Query strings and headers an attacker controls get an answer, never a 500."""

import pytest


@pytest.mark.django_db
@pytest.mark.parametrize("case", ["²", "١٢", "9" * 5000, "-1", ""])
def test_the_dead_letters_page_ignores_a_case_filter_that_is_no_case_id(client, alice, case):
    client.force_login(alice)
    assert client.get("/deliveries/dead/", {"case": case}).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    "header", ["bytes=" + "9" * 5000 + "-", "bytes=0-" + "9" * 5000, "bytes=-" + "9" * 5000, "bytes=²-"]
)
def test_a_range_header_with_absurd_numbers_is_answered(client, alice, cases, header):
    case = cases["slovak"]
    client.force_login(alice)
    response = client.get(f"/cases/{case.pk}/media/{case.media_item_id}/", HTTP_RANGE=header)
    assert response.status_code in (200, 206, 416)
    if response.status_code == 206:
        size = case.media_item.size_bytes
        assert int(response["Content-Length"]) <= size
