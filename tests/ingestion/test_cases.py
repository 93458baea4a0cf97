"""One case per media item and audience, gathering every submission from every platform."""

import pytest

from tests.ingestion.helpers import folded, get_status_signed, make_wav, picked_up, post_signed, sample_event
from triage.intake.fetch import submission_process
from triage.intake.selectors import case_resolve
from triage.models import Case, CaseStatus, MediaItem, Submission

pytestmark = pytest.mark.django_db


def _report(client, platform, secret, event):
    response = post_signed(client, platform, secret, event)
    assert response.status_code == 202, response.content
    answer = response.json()
    submission_process(submission_id=answer["submission_id"])
    return answer


def test_reuploads_across_platforms_land_in_one_case_with_summed_reach(client, make_platform, media_server):
    videoshare, vs_secret = make_platform("videoshare")
    chirp, chirp_secret = make_platform("chirp")
    wav = make_wav(frequency=523)
    urls = [media_server.add(f"/upload-{n}.wav", wav, content_type="audio/wav") for n in range(3)]

    first = _report(
        client, videoshare, vs_secret, sample_event("e1", content_id="v-1", media_url=urls[0], views=1000)
    )
    second = _report(
        client, videoshare, vs_secret, sample_event("e2", content_id="v-2", media_url=urls[1], views=200)
    )
    third = _report(
        client, chirp, chirp_secret, sample_event("c1", content_id="c-77", media_url=urls[2], views=30)
    )

    case = Case.objects.get(media_item=MediaItem.objects.get(), merged_into__isnull=True)
    assert case.pk == first["case_id"]
    assert (case.submission_count, case.total_views, case.total_shares) == (3, 1230, 900)
    assert set(Submission.objects.values_list("case_id", flat=True)) == {case.pk}
    for answer in (second, third):
        merged = Case.objects.get(pk=answer["case_id"])
        assert (merged.status, merged.merged_into_id) == (CaseStatus.MERGED, case.pk)
        assert case_resolve(case_id=merged.pk) == case
    assert list(case.reach_samples.values_list("case_views", flat=True)) == [1000, 1000, 1200, 1230]


def test_a_merged_case_id_still_resolves_for_the_platform(client, make_platform, media_server):
    platform, secret = make_platform("videoshare")
    wav = make_wav(frequency=330)
    first = _report(
        client,
        platform,
        secret,
        sample_event("e1", content_id="p1", media_url=media_server.add("/1.wav", wav)),
    )
    second = _report(
        client,
        platform,
        secret,
        sample_event("e2", content_id="p2", media_url=media_server.add("/2.wav", wav)),
    )
    assert second["case_id"] != first["case_id"]

    status = get_status_signed(client, platform, secret, "e2").json()
    assert status["case_id"] == first["case_id"]
    replay = post_signed(client, platform, secret, sample_event("e2", content_id="p2")).json()
    assert (replay["duplicate"], replay["case_id"]) == (True, first["case_id"])


def test_the_same_media_for_another_audience_is_another_case(client, make_platform, media_server):
    platform, secret = make_platform("videoshare")
    wav = make_wav(frequency=660)
    sk = _report(
        client,
        platform,
        secret,
        sample_event("e1", content_id="p1", media_url=media_server.add("/1.wav", wav)),
    )
    cz = _report(
        client, platform, secret,
        sample_event("e2", content_id="p2", media_url=media_server.add("/2.wav", wav), countries=["CZ"]),
    )  # fmt: skip
    assert sk["case_id"] != cz["case_id"]
    assert Case.objects.filter(media_item__isnull=False, merged_into__isnull=True).count() == 2
    assert Case.objects.get(pk=cz["case_id"]).audience_countries == ["CZ"]


def test_a_reach_update_after_a_merge_adds_to_the_live_case(client, make_platform, media_server):
    platform, secret = make_platform("videoshare")
    wav = make_wav(frequency=770)
    first = _report(
        client,
        platform,
        secret,
        sample_event("e1", content_id="p1", media_url=media_server.add("/1.wav", wav), views=100),
    )
    _report(
        client,
        platform,
        secret,
        sample_event("e2", content_id="p2", media_url=media_server.add("/2.wav", wav), views=10),
    )

    folded(post_signed(client, platform, secret, sample_event("e3", content_id="p2", views=5000)).json())

    case = Case.objects.get(pk=first["case_id"])
    assert case.total_views == 5100
    assert case.reach_samples.last().case_views == 5100


def test_the_platform_default_audience_applies_when_an_event_names_none(client, make_platform):
    platform, secret = make_platform("localnews", default_countries=["sk", "cz"])
    event = sample_event()
    del event["audience"]
    answer = picked_up(post_signed(client, platform, secret, event).json())
    assert Case.objects.get(pk=answer["case_id"]).audience_countries == ["CZ", "SK"]
