"""The label review screen: election-ops see every text beside its English source and its spoken
rendering, mark texts reviewed or retired, and move texts in and out as PO or CSV, all or nothing."""

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from triage.audit.models import AuditEvent
from triage.decisions.labels.csvio import label_texts_csv
from triage.decisions.labels.models import LabelText
from triage.decisions.labels.seed import label_texts_seed
from triage.decisions.labels.texts import label_texts_cache_clear

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _texts():
    label_texts_seed()
    label_texts_cache_clear()
    yield
    label_texts_cache_clear()


@pytest.fixture
def olga(db) -> User:
    """In election ops: may review label texts."""
    user = User.objects.create_user(username="olga", password=PASSWORD)
    group, _ = Group.objects.get_or_create(name="election_ops")
    group.permissions.add(Permission.objects.get(codename="review_labeltext"))
    user.groups.add(group)
    return user


def newest(kind, channel, language):
    return (
        LabelText.objects.filter(kind=kind, channel=channel, language=language).order_by("-version").first()
    )


def test_only_election_ops_may_open_the_screen(client, alice, olga):
    url = reverse("labels:review")
    assert client.get(url).status_code == 302  # to the login
    client.force_login(alice)  # a moderator
    assert client.get(url).status_code == 403
    client.force_login(olga)
    assert client.get(url).status_code == 200


def test_every_text_is_beside_its_english_source_with_a_playable_spoken_rendering(client, olga):
    client.force_login(olga)
    page = client.get(reverse("labels:review"), {"language": "ur"}).content.decode()

    assert "Under review. This content has not been verified yet." in page
    assert "زیرِ جائزہ۔ اس مواد کی ابھی تصدیق نہیں ہوئی۔" in page
    assert 'dir="rtl"' in page and 'lang="ur"' in page
    audio_src = page.split('<audio controls preload="none" src="')[1].split('"')[0]
    response = client.get(audio_src)
    assert response.status_code == 200 and response["Content-Type"] == "audio/wav"


def test_marking_reviewed_and_retiring_is_audited_and_shown(client, olga):
    client.force_login(olga)
    row = newest("unverified", "visual", "sk")

    client.post(reverse("labels:review-status", args=[row.pk]), {"status": "reviewed"})
    page = client.get(reverse("labels:review"), {"language": "sk"}).content.decode()
    row.refresh_from_db()
    assert row.status == "reviewed" and row.reviewed_by == olga
    assert "by olga" in page
    client.post(reverse("labels:review-status", args=[row.pk]), {"status": "retired"})
    assert [e.action for e in AuditEvent.objects.filter(action__startswith="label_text.").order_by("id")] == [
        "label_text.reviewed",
        "label_text.retired",
    ]
    assert client.post(reverse("labels:review-status", args=[row.pk]), {"status": "gone"}).status_code == 400


def test_a_csv_round_trip_imports_a_translator_s_change_as_a_new_draft(client, olga):
    client.force_login(olga)
    exported = client.get(reverse("labels:review-export", args=["csv"]), {"language": "sk"})
    assert exported["Content-Disposition"] == 'attachment; filename="label-texts-sk.csv"'
    text = exported.content.decode()
    edited = text.replace(
        "Preveruje sa. Tento obsah zatiaľ nebol overený.", "Overuje sa. Obsah ešte nebol overený."
    )

    response = client.post(
        reverse("labels:review-import"),
        {"language": "sk", "file": SimpleUploadedFile("sk.csv", edited.encode())},
    )

    assert response.status_code == 302
    row = newest("unverified", "visual", "sk")
    assert (row.text, row.status, row.created_by) == ("Overuje sa. Obsah ešte nebol overený.", "draft", olga)
    assert AuditEvent.objects.get(action="label_text.imported").outcome["new_versions"][0]["id"] == row.pk


def test_an_import_with_a_bad_line_imports_nothing_and_names_the_line(client, olga):
    client.force_login(olga)
    before = LabelText.objects.count()
    csv = label_texts_csv(language="sk")
    lines = csv.splitlines()
    lines[1] = lines[1].replace("ai_generated_disclosed", "deepfake", 1)  # line 2: an unknown kind
    lines.append("subjects,visual,sk,,,Bez mien.,draft,,9")  # a duplicate and no %(names)s

    response = client.post(
        reverse("labels:review-import"),
        {"language": "sk", "file": SimpleUploadedFile("sk.csv", "\n".join(lines).encode())},
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "Nothing was imported or saved." in page
    assert "line 2: kind: Unknown kind &#x27;deepfake&#x27;" in page
    assert f"line {len(lines)}: the same text as line" in page
    assert LabelText.objects.count() == before


def test_a_po_round_trip_keeps_the_plural_forms_of_the_language(client, olga):
    client.force_login(olga)
    po = client.get(reverse("labels:review-export", args=["po"]), {"language": "sk"}).content.decode()
    assert 'msgctxt "label:subjects"' in po and "msgstr[2]" in po  # Slovak: one, few, other
    assert "Plural-Forms: nplurals=3;" in po
    edited = po.replace('msgstr[1] "Uvádzané osoby: %(names)s."', 'msgstr[1] "Uvedené osoby: %(names)s."', 1)
    assert edited != po

    response = client.post(
        reverse("labels:review-import"),
        {"language": "sk", "file": SimpleUploadedFile("sk.po", edited.encode())},
    )

    assert response.status_code == 302
    row = newest("subjects", "visual", "sk")
    assert row.plural_forms["few"] == "Uvedené osoby: %(names)s."
    assert row.plural_forms["one"] == "Uvádzaná osoba: %(names)s."
    assert LabelText.objects.filter(created_by=olga).count() == 1  # only what changed


def test_a_new_draft_written_on_the_screen_is_validated_field_by_field(client, olga):
    client.force_login(olga)
    bad = client.post(
        reverse("labels:review-edit"),
        {"language": "sk", "kind": "subjects", "channel": "visual", "text": "Bez mien."},
    )
    assert bad.status_code == 400 and "keep %(names)s exactly once" in bad.content.decode()
    client.post(
        reverse("labels:review-edit"),
        {"language": "sk", "kind": "unverified", "channel": "spoken", "text": "Upozornenie: preveruje sa."},
    )
    assert newest("unverified", "spoken", "sk").text == "Upozornenie: preveruje sa."
