"""Label texts are versioned data with a review status; labels read them, drafts flagged, English last."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone

from triage.audit.models import AuditEvent
from triage.decisions.engine import rules_validate
from triage.decisions.labels import LANGUAGES, LabelKind, audio_disclosure_render, label_render
from triage.decisions.labels.models import LabelText, TextStatus
from triage.decisions.labels.services import label_text_retire, label_text_review, label_text_write
from triage.decisions.labels.texts import label_texts_cache_clear

KINDS_AND_SUBJECTS = [*LabelKind.values, "subjects"]


@pytest.fixture
def reviewer():
    return get_user_model().objects.create_user("reviewer-sk", password="x")


def newest(kind, channel, language):
    return (
        LabelText.objects.filter(kind=kind, channel=channel, language=language).order_by("-version").first()
    )


def test_the_shipped_catalogs_are_seeded_as_drafts_and_english_as_the_reviewed_source():
    for code in LANGUAGES:
        for kind in KINDS_AND_SUBJECTS:
            for channel in ("visual", "spoken"):
                first = LabelText.objects.get(kind=kind, channel=channel, language=code, version=1)
                assert first.status == (TextStatus.REVIEWED if code == "en" else TextStatus.DRAFT)
                assert first.source_text
    assert LabelText.objects.get(
        kind="likely_ai_generated", channel="visual", language="sk", version=1
    ).text.startswith("Toto mohlo byť vytvorené pomocou AI.")


def test_a_reviewed_text_is_shown_unflagged_and_wins_over_a_newer_draft(reviewer):
    row = newest("unverified", "visual", "sk")
    label_text_review(text_id=row.pk, user=reviewer)
    label_text_write(kind="unverified", channel="visual", language="sk", text="Novší návrh.", user=reviewer)

    rendered = label_render(kind="unverified", language="sk")

    assert rendered.text == row.text
    assert rendered.needs_native_review is False
    assert not [n for n in rendered.notes if "draft" in n]


def test_an_edit_is_a_new_draft_version_the_labels_use_at_once_flagged(reviewer):
    label_render(kind="unverified", language="sk")  # warm the cache
    before = newest("unverified", "visual", "sk")

    row = label_text_write(
        kind="unverified",
        channel="visual",
        language="sk",
        text="Overuje sa. Obsah zatiaľ nebol overený.",
        user=reviewer,
    )
    rendered = label_render(kind="unverified", language="sk")

    assert row.version == before.version + 1 and row.status == TextStatus.DRAFT
    assert rendered.text == "Overuje sa. Obsah zatiaľ nebol overený."
    assert rendered.needs_native_review is True
    assert "label text in sk is an unreviewed draft: no native speaker has checked it yet" in rendered.notes
    # The same text again is no change and no version.
    assert label_text_write(kind="unverified", channel="visual", language="sk", text=row.text) is None


def test_another_process_s_change_is_seen_after_the_cache_interval(settings):
    settings.LABEL_TEXT_CACHE_SECONDS = 0
    label_render(kind="unverified", language="sk")
    # A change made elsewhere sends no signal here: only the stamp tells.
    LabelText.objects.filter(pk=newest("unverified", "visual", "sk").pk).update(
        text="Zmenené inde.", changed_at=timezone.now()
    )

    assert label_render(kind="unverified", language="sk").text == "Zmenené inde."


def test_the_policy_can_keep_drafts_off_a_language(reviewer):
    rendered = label_render(kind="unverified", language="ur", drafts={"default": True, "ur": False})

    assert rendered.language == "en" and rendered.fallback is True
    assert rendered.notes == [
        "label shown in English: the ur text is an unreviewed draft "
        "and the policy shows only reviewed ur texts"
    ]
    # Once reviewed, the Urdu text is shown even under that policy.
    label_text_review(text_id=newest("unverified", "visual", "ur").pk, user=reviewer)
    reviewed = label_render(kind="unverified", language="ur", drafts={"ur": False})
    assert (reviewed.language, reviewed.fallback, reviewed.needs_native_review) == ("ur", False, False)


def test_a_retired_text_is_never_shown(reviewer):
    for row in LabelText.objects.filter(kind="unverified", channel="visual", language="ro"):
        label_text_retire(text_id=row.pk, user=reviewer)

    rendered = label_render(kind="unverified", language="ro")

    assert (rendered.language, rendered.fallback) == ("en", True)
    assert rendered.notes == ["label shown in English: no ro translation"]


def test_every_change_is_audited_with_who_did_it(reviewer):
    row = label_text_write(
        kind="unverified", channel="spoken", language="hu", text="Figyelem.", user=reviewer
    )
    label_text_review(text_id=row.pk, user=reviewer)
    label_text_retire(text_id=row.pk, user=reviewer)

    events = list(AuditEvent.objects.filter(action__startswith="label_text.").order_by("at", "id"))
    assert [e.action for e in events] == ["label_text.drafted", "label_text.reviewed", "label_text.retired"]
    assert {e.actor_user_id for e in events} == {reviewer.pk}
    assert events[1].outcome["status"] == "reviewed" and events[2].inputs["previous_status"] == "reviewed"
    row.refresh_from_db()
    assert row.reviewed_by == reviewer and row.reviewed_at is not None


def test_bad_texts_are_refused_field_by_field():
    with pytest.raises(ValidationError) as caught:
        label_text_write(kind="subjects", channel="visual", language="sk", text="Bez mien.")
    assert "keep %(names)s exactly once" in str(caught.value.message_dict["text"])
    with pytest.raises(ValidationError) as caught:
        label_text_write(
            kind="subjects",
            channel="visual",
            language="ur",
            text="%(names)s",
            plural_forms={"few": "%(names)s"},
        )
    assert "ur has no plural category 'few'" in str(caught.value.message_dict["text"])
    with pytest.raises(ValidationError) as caught:
        label_text_write(kind="deepfake", channel="aural", language="xx", text="x")
    assert set(caught.value.message_dict) == {"kind", "channel", "language"}


def test_the_policy_s_label_drafts_setting_is_validated():
    base = {"schema": 1, "rules": [{"name": "r", "when": {}, "actions": [{"type": "no_action"}]}]}
    assert rules_validate({**base, "label_drafts": {"default": True, "ur": False}}) == {}
    errors = rules_validate({**base, "label_drafts": {"xx": False, "sk": "no"}})
    assert len(errors["label_drafts"]) == 2


def test_the_cache_can_be_cleared_explicitly():
    label_texts_cache_clear()
    assert label_render(kind="unverified", language="sk").language == "sk"


# Plurals and lists of names, by each language's rules ---------------------------------------------

TWO = ["Michal Šimečka", "Zuzana Čaputová"]
NBSP = "\u00a0"  # CLDR's Slovak and Czech lists keep the one-letter "a" off a line's end


@pytest.mark.parametrize(
    ("language", "one", "two"),
    [
        ("sk", "Uvádzaná osoba: Michal Šimečka.", f"Uvádzané osoby: Michal Šimečka a{NBSP}Zuzana Čaputová."),
        (
            "pl",
            "Przypisywane osobie: Michal Šimečka.",
            "Przypisywane osobom: Michal Šimečka i Zuzana Čaputová.",
        ),
        (
            "cs",
            "Připisováno osobě: Michal Šimečka.",
            f"Připisováno osobám: Michal Šimečka a{NBSP}Zuzana Čaputová.",
        ),
        ("en", "Presented as: Michal Šimečka.", "Presented as: Michal Šimečka and Zuzana Čaputová."),
    ],
)
def test_two_names_read_right_on_the_visual_label(language, one, two):
    assert label_render(kind="unverified", language=language, subjects=TWO[:1]).text.endswith(one)
    assert label_render(kind="unverified", language=language, subjects=TWO).text.endswith(two)


def test_the_spoken_line_agrees_with_the_number_of_voices():
    def spoken(language, names):
        return audio_disclosure_render(kind="unverified", language=language, subjects=names).text

    assert spoken("sk", TWO[:1]).endswith("Hlas sa pripisuje osobe Michal Šimečka.")
    assert spoken("sk", TWO).endswith(f"Hlasy sa pripisujú osobám Michal Šimečka a{NBSP}Zuzana Čaputová.")
    assert "hlas osoby" not in spoken("sk", TWO)
    assert spoken("pl", TWO).endswith("Głosy są przypisywane osobom Michal Šimečka i Zuzana Čaputová.")
    assert spoken("en", TWO).endswith(
        "The voices are presented as those of Michal Šimečka and Zuzana Čaputová."
    )


def test_arabic_has_a_dual_and_urdu_a_plural_with_the_names_isolated():
    names = ["Imran Khan", "Maryam Nawaz"]
    fsi, pdi = "\u2068", "\u2069"
    ar_one = audio_disclosure_render(kind="unverified", language="ar", subjects=names[:1]).text
    ar_two = audio_disclosure_render(kind="unverified", language="ar", subjects=names).text
    ar_three = audio_disclosure_render(
        kind="unverified", language="ar", subjects=[*names, "Nawaz Sharif"]
    ).text
    assert ar_one.endswith(f"يُنسب الصوت إلى {fsi}Imran Khan{pdi}.")
    assert ar_two.endswith(f"يُنسب الصوتان إلى {fsi}Imran Khan{pdi} و{fsi}Maryam Nawaz{pdi}.")
    assert "تُنسب الأصوات إلى" in ar_three

    ur_one = audio_disclosure_render(kind="unverified", language="ur", subjects=names[:1]).text
    ur_two = audio_disclosure_render(kind="unverified", language="ur", subjects=names).text
    assert ur_one.endswith(f"یہ آواز {fsi}Imran Khan{pdi} سے منسوب ہے۔")
    assert ur_two.endswith(f"یہ آوازیں {fsi}Imran Khan{pdi} اور {fsi}Maryam Nawaz{pdi} سے منسوب ہیں۔")
    visual = label_render(kind="unverified", language="ur", subjects=names[:1]).text
    assert "پیش کردہ شخصیت" not in visual


ACRONYMS = ["AI", "KI", "IA", "MI-", "ИИ", "ШІ", "ΤΝ", "एआई", "এআই", "اے آئی"]


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_the_spoken_disclosure_says_ai_in_full(language):
    for kind in ("ai_generated_disclosed", "likely_ai_generated"):
        script = audio_disclosure_render(kind=kind, language=language).text
        assert not [a for a in ACRONYMS if f" {a}" in script or f"’{a}" in script], script


def test_with_the_table_emptied_labels_read_the_shipped_catalogs_as_before():
    LabelText.objects.all().delete()

    rendered = label_render(kind="unverified", language="sk", subjects=["Michal Šimečka"])

    assert (
        rendered.text == "Preveruje sa. Tento obsah zatiaľ nebol overený. Prezentované ako: Michal Šimečka."
    )
    assert (rendered.language, rendered.needs_native_review) == ("sk", True)
    assert label_render(kind="unverified", language="ja").notes == [
        "label shown in English: no ja translation"
    ]
