"""Labels and spoken disclosures render in every shipped language, with English as a flagged fallback."""

import pytest

from triage.decisions.labels import LANGUAGES, LabelKind, audio_disclosure_script, label_render

REQUIRED = ["sk", "ur", "en", "hi", "es", "fr", "de", "pl", "pt", "id", "ro", "it"]
NON_ENGLISH = sorted(code for code in LANGUAGES if code != "en")

# Words an "unverified" text must never contain: it says "not checked yet", not "fake".
FAKE_WORDS = {
    "en": ["fake", "false", "deepfake", "hoax"],
    "sk": ["falo", "podvrh"],
    "cs": ["faleš", "podvrh"],
    "es": ["falso", "falsa"],
    "fr": ["faux", "fausse", "truqu"],
    "de": ["fälsch", "gefälscht", "fake"],
    "pl": ["fałsz", "podrób"],
    "pt": ["falso", "falsa"],
    "it": ["falso", "falsa"],
    "ro": ["fals"],
    "id": ["palsu"],
    "nl": ["nep", "vals"],
    "hu": ["hamis"],
    "el": ["ψεύτικ", "ψευδ"],
    "ru": ["фейк", "поддел", "ложн"],
    "uk": ["фейк", "підробл", "неправдив"],
    "tr": ["sahte"],
    "ur": ["جعلی"],
    "ar": ["مزيف", "مزور"],
    "hi": ["नकली", "फ़र्ज़ी", "फर्जी"],
    "bn": ["ভুয়া", "জাল"],
}


def test_the_twelve_required_languages_ship():
    assert set(REQUIRED) <= set(LANGUAGES)


@pytest.mark.parametrize("language", sorted(LANGUAGES))
@pytest.mark.parametrize("kind", LabelKind.values)
def test_every_kind_renders_in_every_shipped_language(kind, language):
    rendered = label_render(kind=kind, language=language)
    english = label_render(kind=kind, language="en")

    assert rendered.text.strip()
    assert rendered.language == language
    assert rendered.fallback is False
    assert rendered.needs_native_review is LANGUAGES[language].needs_native_review
    if language != "en":
        assert rendered.text != english.text


@pytest.mark.parametrize("language", sorted(LANGUAGES))
@pytest.mark.parametrize("kind", LabelKind.values)
def test_every_kind_has_a_spoken_disclosure_in_every_shipped_language(kind, language):
    script = audio_disclosure_script(kind=kind, language=language)
    english = audio_disclosure_script(kind=kind, language="en")

    assert script.strip()
    assert script != label_render(kind=kind, language=language).text
    if language != "en":
        assert script != english


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_unverified_never_calls_content_fake(language):
    texts = [
        label_render(kind=LabelKind.UNVERIFIED, language=language).text,
        audio_disclosure_script(kind=LabelKind.UNVERIFIED, language=language),
    ]
    for text in texts:
        for word in FAKE_WORDS[language]:
            assert word not in text.lower(), f"{language} unverified text says {word!r}: {text}"


def test_likely_ai_generated_says_may_have_been_not_is():
    text = label_render(kind=LabelKind.LIKELY_AI_GENERATED, language="en").text
    assert "may have been" in text
    assert "is AI" not in text and "is fake" not in text


def test_draft_translations_are_flagged_for_native_review_and_english_is_not():
    assert label_render(kind=LabelKind.UNVERIFIED, language="en").needs_native_review is False
    assert label_render(kind=LabelKind.UNVERIFIED, language="sk").needs_native_review is True


def test_a_language_without_a_catalog_falls_back_to_english_flagged():
    rendered = label_render(kind=LabelKind.LIKELY_AI_GENERATED, language="ja-JP")

    assert rendered.language == "en"
    assert rendered.requested_language == "ja"
    assert rendered.fallback is True
    assert rendered.text == label_render(kind=LabelKind.LIKELY_AI_GENERATED, language="en").text
    assert rendered.notes == ["label shown in English: no ja translation"]


def test_an_unknown_content_language_falls_back_to_english_flagged():
    for language in (None, "", "not a tag!", "und"):
        rendered = label_render(kind=LabelKind.UNVERIFIED, language=language)
        assert rendered.language == "en"
        assert rendered.fallback is True
        assert rendered.notes == ["label shown in English: content language unknown"]


def test_regional_tags_render_in_the_base_language():
    rendered = label_render(kind=LabelKind.UNVERIFIED, language="pt-BR")
    assert rendered.language == "pt"
    assert rendered.fallback is False


def test_an_unknown_kind_is_a_clear_error():
    with pytest.raises(
        ValueError, match="Unknown label kind 'deepfake'; expected one of: ai_generated_disclosed"
    ):
        label_render(kind="deepfake", language="en")


def test_subjects_are_named_untranslated_after_the_label():
    rendered = label_render(
        kind=LabelKind.LIKELY_AI_GENERATED, language="sk", subjects=["Michal Šimečka", " Michal  Šimečka "]
    )
    assert rendered.text.endswith("Uvádzaná osoba: Michal Šimečka.")
    assert rendered.text.count("Šimečka") == 1


def test_names_in_right_to_left_labels_are_isolated():
    rendered = label_render(kind=LabelKind.AI_GENERATED_DISCLOSED, language="ur", subjects=["Imran Khan"])
    assert rendered.rtl is True
    assert "\u2068Imran Khan\u2069" in rendered.text


def test_spoken_disclosure_names_the_voice_it_presents():
    script = audio_disclosure_script(
        kind=LabelKind.AI_GENERATED_DISCLOSED, language="en", subjects=["Imran Khan"]
    )
    assert script == (
        "Notice: this recording uses a voice made with artificial intelligence, as its creator disclosed. "
        "The voice is presented as that of Imran Khan."
    )


def test_a_disclosure_in_another_language_is_noted_and_the_label_stays_in_the_contents():
    """The Pakistan case: an English overlay on Urdu audio."""
    rendered = label_render(
        kind=LabelKind.AI_GENERATED_DISCLOSED,
        language="ur-PK",
        disclosure={"language": "en", "text": "4th authorized AI voice of Imran Khan"},
    )
    assert rendered.language == "ur"
    assert "creator disclosure in en, content in ur" in rendered.notes


def test_a_disclosure_in_the_contents_language_adds_no_note():
    rendered = label_render(
        kind=LabelKind.AI_GENERATED_DISCLOSED, language="ur", disclosure={"language": "ur"}
    )
    assert not [note for note in rendered.notes if note.startswith("creator disclosure")]


def test_a_rendered_label_serialises_to_plain_data():
    data = label_render(kind=LabelKind.UNVERIFIED, language="de").as_dict()
    assert data["kind"] == "unverified"
    assert data["language"] == "de"
    assert set(data) == {
        "kind",
        "language",
        "requested_language",
        "text",
        "fallback",
        "needs_native_review",
        "rtl",
        "notes",
    }


def test_a_disclosure_that_is_not_a_mapping_is_a_clear_error():
    with pytest.raises(ValueError, match="disclosure must be a mapping"):
        label_render(kind=LabelKind.AI_GENERATED_DISCLOSED, language="ur", disclosure="en")
