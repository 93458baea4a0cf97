"""The case's media is streamed from storage to moderators only, never from a public URL."""

import pytest


@pytest.mark.django_db
def test_alice_gets_the_image_with_headers_that_keep_it_inert(client, alice, cases, settings):
    case = cases["slovak"]
    client.force_login(alice)
    response = client.get(f"/cases/{case.pk}/media/{case.media_item_id}/")
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert body == case.media_item.file.open("rb").read()
    assert body.startswith(b"\x89PNG")
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert "sandbox" in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_media_of_another_case_is_not_served_through_this_one(client, alice, cases):
    client.force_login(alice)
    slovak, routine = cases["slovak"], cases["routine"]
    assert client.get(f"/cases/{slovak.pk}/media/{routine.media_item_id}/").status_code == 404


@pytest.mark.django_db
def test_a_file_missing_from_storage_is_a_404_not_a_500(client, alice, cases):
    from django.core.files.storage import default_storage

    case = cases["routine"]
    default_storage.delete(case.media_item.file.name)
    client.force_login(alice)
    assert client.get(f"/cases/{case.pk}/media/{case.media_item_id}/").status_code == 404


@pytest.mark.django_db
def test_the_case_page_links_media_only_through_the_checked_view(client, alice, cases, settings):
    case = cases["slovak"]
    client.force_login(alice)
    html = client.get(f"/cases/{case.pk}/").content.decode()
    assert f'src="/cases/{case.pk}/media/{case.media_item_id}/"' in html
    assert case.media_item.file.name not in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("header", "span"),
    [("bytes=0-99", (0, 99)), ("bytes=100-", (100, None)), ("bytes=-50", (-50, None))],
)
def test_players_can_seek_with_byte_ranges(client, alice, cases, header, span):
    case = cases["slovak"]
    whole = case.media_item.file.open("rb").read()
    client.force_login(alice)
    response = client.get(f"/cases/{case.pk}/media/{case.media_item_id}/", HTTP_RANGE=header)
    assert response.status_code == 206
    start, end = span
    expected = whole[start:] if end is None else whole[start : end + 1]
    assert b"".join(response.streaming_content) == expected
    first = len(whole) + start if start < 0 else start
    assert response["Content-Range"] == f"bytes {first}-{first + len(expected) - 1}/{len(whole)}"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_a_range_past_the_end_is_416(client, alice, cases):
    case = cases["slovak"]
    client.force_login(alice)
    response = client.get(f"/cases/{case.pk}/media/{case.media_item_id}/", HTTP_RANGE="bytes=99999999-")
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{case.media_item.size_bytes}"


@pytest.mark.django_db
def test_a_range_it_does_not_understand_gets_the_whole_file(client, alice, cases):
    case = cases["slovak"]
    client.force_login(alice)
    response = client.get(f"/cases/{case.pk}/media/{case.media_item_id}/", HTTP_RANGE="bytes=0-1,5-9")
    assert response.status_code == 200
    assert response["Accept-Ranges"] == "bytes"
