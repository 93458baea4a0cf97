"""The case page: safe media, the verdict in plain words, every report, the decision and its history."""

import io
import math
import struct
import wave

import pytest
from django.utils import timezone
from django.utils.html import escape

from triage.decisions.models import PolicyVersion

from .conftest import SK_LABEL, decision_make


@pytest.fixture
def page(client, bob, cases):
    client.force_login(bob)

    def get(name: str) -> str:
        response = client.get(f"/cases/{cases[name].pk}/")
        assert response.status_code == 200
        return response.content.decode()

    return get


@pytest.mark.django_db
def test_images_are_blurred_until_revealed(page):
    html = page("slovak")
    assert '<div class="media-frame blurred"><img' in html
    assert "Click to show the image" in html


@pytest.mark.django_db
def test_audio_is_never_autoplayed_and_starts_muted(client, bob, platform):
    from .conftest import case_make, media_item_store

    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:  # half a second of a 440 Hz tone
        out.setnchannels(1), out.setsampwidth(2), out.setframerate(8000)
        out.writeframes(
            b"".join(struct.pack("<h", int(8000 * math.sin(i / 8000 * 440 * 6.2832))) for i in range(4000))
        )
    wav = buffer.getvalue()
    case = case_make(
        platform=platform,
        media=media_item_store(wav, media_type="audio", mime_type="audio/wav"),
        countries=["PK"],
        content_id="ur-1",
    )
    client.force_login(bob)
    html = client.get(f"/cases/{case.pk}/").content.decode()
    assert '<audio controls preload="metadata" muted' in html
    assert "autoplay" not in html.split("<audio", 1)[1].split(">", 1)[0]


@pytest.mark.django_db
def test_the_verdict_with_reasons_and_failed_checks_flagged(page):
    html = page("slovak")
    assert "Verdict: Likely synthetic" in html and "confidence 0.90" in html
    assert "The acme detector scored it 0.93 (synthetic)." in html
    assert 'class="failed-check"' in html and "timed out after 20 s" in html


@pytest.mark.django_db
def test_every_report_with_what_the_platform_sent(page):
    html = page("slovak")
    assert "VideoShare" in html and "post-sk" in html
    assert 'href="https://videoshare.example/p/post-sk" rel="noopener noreferrer nofollow"' in html
    assert "Trusted flagger" in html and "Synthetic media" in html and "Party Leader" in html


@pytest.mark.django_db
def test_the_current_decision_with_its_label_in_the_content_language(page):
    html = page("slovak")
    current = html[html.index('id="current-decision"') :]
    current = current[: current.index("</section>")]
    assert "Removal hold" in current and SK_LABEL in current and ">sk<" in current
    assert 'class="countdown"' in current


@pytest.mark.django_db
def test_an_english_fallback_is_flagged(client, bob, cases):
    case = cases["routine"]
    decision_make(
        case=case,
        actions=[
            {
                "type": "label",
                "kind": "unverified",
                "language": "en",
                "text": "Under review.",
                "fallback": True,
            }
        ],
        notes=["label shown in English: no lb translation"],
    )
    client.force_login(bob)
    html = client.get(f"/cases/{case.pk}/").content.decode()
    assert (
        '<span class="badge warn">English fallback</span> label shown in English: no lb translation' in html
    )


@pytest.mark.django_db
def test_history_lists_superseded_decisions(page, cases):
    decision_make(case=cases["routine"], actions=[{"type": "no_action"}])
    html = page("routine")
    history = html[html.index('id="history"') :]
    assert "No action" in history and "Label: Unverified (under review)" in history


@pytest.mark.django_db
def test_reach_totals_velocity_and_sparkline(page, cases):
    from triage.models import ReachSample

    case = cases["slovak"]
    start = timezone.now() - timezone.timedelta(hours=2)
    for minutes, views in [(0, 100), (60, 3000), (90, 7000), (120, 12000)]:
        ReachSample.objects.create(
            case=case, at=start + timezone.timedelta(minutes=minutes), views=views, shares=0,
            case_views=views, case_shares=0,
        )  # fmt: skip
    html = page("slovak")
    reach = html[html.index('id="reach"') :]
    assert "12000 views" in reach
    assert "9000 views/hour lately" in reach
    assert '<polyline fill="none"' in reach


@pytest.mark.django_db
def test_the_audit_trail_of_the_case(client, alice, cases):
    from triage.audit.services import audit_record

    case = cases["slovak"]
    audit_record(action="case.decided", actor_kind="policy", case=case, outcome={"status": "awaiting_review"})
    client.force_login(alice)
    html = client.get(f"/cases/{case.pk}/").content.decode()
    audit = html[html.index('id="audit"') :]
    assert "case.decided" in audit and "Policy" in audit


@pytest.mark.django_db
def test_a_merged_case_id_leads_to_the_case_it_joined(client, alice, cases):
    from triage.models import Case

    live = cases["routine"]
    merged = Case.objects.create(merged_into=live, status="merged")
    client.force_login(alice)
    response = client.get(f"/cases/{merged.pk}/")
    assert response.status_code == 302 and response["Location"] == f"/cases/{live.pk}/"


@pytest.mark.django_db
def test_an_unknown_case_is_a_404(client, alice, db):
    client.force_login(alice)
    assert client.get("/cases/999999/").status_code == 404


@pytest.mark.django_db
def test_the_next_and_previous_cases_follow_the_queue_order(page, cases):
    html = page("later_hold")
    assert f'id="previous-case" href="/cases/{cases["slovak"].pk}/"' in html
    assert f'id="next-case" href="/cases/{cases["american"].pk}/"' in html  # bob is a lead


@pytest.mark.django_db
def test_a_label_in_english_fallback_is_flagged_on_the_action(client, bob, cases):
    case = cases["routine"]
    decision_make(
        case=case,
        actions=[
            {
                "type": "label",
                "kind": "unverified",
                "language": "en",
                "text": "Under review.",
                "fallback": True,
            }
        ],
    )
    client.force_login(bob)
    html = client.get(f"/cases/{case.pk}/").content.decode()
    current = html[html.index('id="current-decision"') :]
    assert '<span class="badge warn">English fallback</span>' in current[: current.index("</section>")]


@pytest.mark.django_db
def test_notes_to_platforms_name_rules_by_their_descriptions(client, alice, cases):
    """Found walking the demo: "also applied: escalate_voter_suppression_likely" on the case page."""
    rule = next(r for r in PolicyVersion.objects.get(status="active").rules["rules"] if r.get("description"))
    routine = cases["routine"]
    decision_make(
        case=routine,
        actions=[{"type": "label", "kind": "unverified"}],
        minutes=60,
        notes=[f"also applied: {rule['name']}", "creator disclosure in en, content in de"],
    )
    client.force_login(alice)
    html = client.get(f"/cases/{routine.pk}/").content.decode()
    notes = html[html.index("<h2>Notes to platforms</h2>") :]
    notes = notes[: notes.index("</ul>")]
    assert rule["name"] not in notes
    assert "also applied:" in notes and "creator disclosure in en, content in de" in notes
    assert escape(rule["description"]) in notes
