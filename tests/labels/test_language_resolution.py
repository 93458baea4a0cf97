"""The content's language: the platform's BCP 47 tag first, else detected from the text."""

import pytest

from triage.decisions.labels import (
    content_language_resolve,
    creator_disclosure_mismatch,
    language_tag_normalize,
)


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("ur-PK", "ur"),
        ("pt-BR", "pt"),
        ("sk", "sk"),
        ("SK-sk", "sk"),
        ("en_US", "en"),
        ("es-419", "es"),
        ("sr-Latn-RS", "sr"),
        ("zh-Hant", "zh-hant"),
        ("zh-TW", "zh-hant"),
        ("zh-Hans-CN", "zh-hans"),
        ("zh", "zh-hans"),
        ("urd", "ur"),
        ("slo", "sk"),
        ("fil", "tl"),
        ("iw", "he"),
        ("und", None),
        ("zxx", None),
        ("", None),
        (None, None),
        ("english", None),
        ("e", None),
        ("../../etc/passwd", None),
    ],
)
def test_bcp47_tags_normalise_to_the_label_language(tag, expected):
    assert language_tag_normalize(tag) == expected


def test_a_declared_language_wins_over_the_text():
    assert content_language_resolve(declared="ur-PK", text="This caption is in English, quite clearly.") == (
        "ur",
        "declared",
    )


SENTENCES = {
    "sk": "Dobrý deň, v sobotu sa konajú parlamentné voľby a volebné miestnosti budú otvorené do večera.",
    "ur": "انتخابات کے نتائج کا اعلان کل کیا جائے گا اور تمام ووٹروں سے پرامن رہنے کی اپیل کی گئی ہے۔",
    "hi": "चुनाव के नतीजे कल घोषित किए जाएंगे और सभी मतदाताओं से शांति बनाए रखने की अपील की गई है।",
    "es": "Las elecciones se celebrarán el próximo domingo y los colegios electorales abrirán a las nueve.",
    "de": "Die Wahl findet am kommenden Sonntag statt, und die Wahllokale öffnen um acht Uhr morgens.",
    "fr": "Les élections auront lieu dimanche prochain et les bureaux de vote ouvriront à huit heures.",
    "pl": "Wybory odbędą się w najbliższą niedzielę, a lokale wyborcze zostaną otwarte o siódmej rano.",
    "pt": "As eleições serão realizadas no próximo domingo e as seções eleitorais abrem às oito horas.",
    "it": "Le elezioni si terranno domenica prossima e i seggi elettorali apriranno alle sette del mattino.",
    "ro": "Alegerile vor avea loc duminica viitoare, iar secțiile de votare se vor deschide la ora șapte.",
    "id": (
        "Pemilihan umum akan diadakan pada hari Minggu depan di seluruh Indonesia, "
        "dan warga diminta datang ke TPS."
    ),
    "en": "The primary election is next Tuesday and polling places will open at seven in the morning.",
}


@pytest.mark.parametrize(("language", "sentence"), sorted(SENTENCES.items()))
def test_the_language_is_detected_from_a_real_sentence(language, sentence):
    assert content_language_resolve(declared=None, text=sentence) == (language, "detected")


def test_an_unusable_tag_falls_through_to_detection():
    assert content_language_resolve(declared="und", text=SENTENCES["sk"]) == ("sk", "detected")


@pytest.mark.parametrize("text", [None, "", "ok", "Ahoj!", "😀😀😀 123 456", "Vote Tuesday"])
def test_too_little_text_is_undetermined_not_guessed(text):
    assert content_language_resolve(declared=None, text=text) == (None, "undetermined")


def test_detection_reads_a_bounded_prefix_of_long_text():
    text = SENTENCES["de"] + " " + "x" * 1_000_000
    assert content_language_resolve(declared=None, text=text) == ("de", "detected")


def test_a_disclosure_in_another_language_gives_the_note():
    assert (
        creator_disclosure_mismatch(disclosure_language="en", content_language="ur-PK")
        == "creator disclosure in en, content in ur"
    )


@pytest.mark.parametrize(
    ("disclosure", "content"),
    [("ur", "ur-PK"), ("en-GB", "en-US"), (None, "ur"), ("en", None), ("und", "ur")],
)
def test_no_note_when_languages_match_or_one_is_unknown(disclosure, content):
    assert creator_disclosure_mismatch(disclosure_language=disclosure, content_language=content) is None
