"""The label texts Moratorium ships, loaded into LabelText (by migrations 0002/0003, idempotently).

`label_texts_seed()` loads them again where they are missing: tests call it after a
transactional test flushed the tables. Version 1 of every translation is the shipped catalog
(locale/<lang>/LC_MESSAGES/django.po), a draft; version 2 of a few texts is the revision issue 13
asked for (plural forms, no calques, the spoken "AI" in full). English is the reviewed source.
"""

from pathlib import Path

from django.conf import settings
from django.utils import timezone


def _catalogs():
    # deferred: a module-level import here forms an import cycle
    from babel.messages.pofile import read_po

    for path in sorted(Path(settings.LOCALE_PATHS[0]).glob("*/LC_MESSAGES/django.po")):
        with path.open("rb") as handle:
            yield path.parent.parent.name, read_po(handle)


def _key(context):
    # "label:likely_ai_generated" -> ("likely_ai_generated", "visual"); "audio:subjects" -> spoken.
    if not context or ":" not in context:
        return None
    prefix, kind = context.split(":", 1)
    channel = {"label": "visual", "audio": "spoken"}.get(prefix)
    return (kind, channel) if channel else None


def seed_shipped(LabelText):
    now = timezone.now()
    english = {}
    rows = []
    for language, catalog in _catalogs():
        for message in catalog:
            key = _key(message.context)
            if key is None or not message.id or not message.string or message.fuzzy:
                continue
            kind, channel = key
            english[key] = message.id
            rows.append(
                LabelText(
                    kind=kind,
                    language=language,
                    channel=channel,
                    version=1,
                    text=message.string,
                    source_text=message.id,
                    status="draft",
                    note="shipped catalog draft, written by a non-native writer",
                )
            )
    for (kind, channel), text in sorted(english.items()):
        rows.append(
            LabelText(
                kind=kind,
                language="en",
                channel=channel,
                version=1,
                text=text,
                source_text=text,
                status="reviewed",
                reviewed_at=now,
                note="English source text",
            )
        )
    LabelText.objects.bulk_create(rows, ignore_conflicts=True)


# Version 2 (issue 13) ----------------------------------------------------------------------

REVISED_NOTE = "revised draft (issue 13): plural forms, no calque, AI spoken in full"

# (kind, channel) -> language -> text or {"text": …, "plural_forms": {category: text}}.
REVISED = {
    ("subjects", "visual"): {
        "sk": {
            "text": "Uvádzané osoby: %(names)s.",
            "plural_forms": {
                "one": "Uvádzaná osoba: %(names)s.",
                "few": "Uvádzané osoby: %(names)s.",
                "many": "Uvádzané osoby: %(names)s.",
                "other": "Uvádzané osoby: %(names)s.",
            },
        },
        "cs": {
            "text": "Připisováno osobám: %(names)s.",
            "plural_forms": {
                "one": "Připisováno osobě: %(names)s.",
                "few": "Připisováno osobám: %(names)s.",
                "many": "Připisováno osobám: %(names)s.",
                "other": "Připisováno osobám: %(names)s.",
            },
        },
        "pl": {
            "text": "Przypisywane osobom: %(names)s.",
            "plural_forms": {
                "one": "Przypisywane osobie: %(names)s.",
                "few": "Przypisywane osobom: %(names)s.",
                "many": "Przypisywane osobom: %(names)s.",
                "other": "Przypisywane osobom: %(names)s.",
            },
        },
        "ar": {"text": "يُنسب إلى: %(names)s.", "plural_forms": {}},
        "ur": {"text": "یہ مواد %(names)s سے منسوب ہے۔", "plural_forms": {}},
    },
    ("subjects", "spoken"): {
        "en": {
            "text": "The voices are presented as those of %(names)s.",
            "plural_forms": {
                "one": "The voice is presented as that of %(names)s.",
                "other": "The voices are presented as those of %(names)s.",
            },
        },
        "sk": {
            "text": "Hlasy sa pripisujú osobám %(names)s.",
            "plural_forms": {
                "one": "Hlas sa pripisuje osobe %(names)s.",
                "few": "Hlasy sa pripisujú osobám %(names)s.",
                "many": "Hlasy sa pripisujú osobám %(names)s.",
                "other": "Hlasy sa pripisujú osobám %(names)s.",
            },
        },
        "cs": {
            "text": "Hlasy jsou připisovány osobám %(names)s.",
            "plural_forms": {
                "one": "Hlas je připisován osobě %(names)s.",
                "few": "Hlasy jsou připisovány osobám %(names)s.",
                "many": "Hlasy jsou připisovány osobám %(names)s.",
                "other": "Hlasy jsou připisovány osobám %(names)s.",
            },
        },
        "pl": {
            "text": "Głosy są przypisywane osobom %(names)s.",
            "plural_forms": {
                "one": "Głos jest przypisywany osobie %(names)s.",
                "few": "Głosy są przypisywane osobom %(names)s.",
                "many": "Głosy są przypisywane osobom %(names)s.",
                "other": "Głosy są przypisywane osobom %(names)s.",
            },
        },
        "ar": {
            "text": "تُنسب الأصوات إلى %(names)s.",
            "plural_forms": {
                "one": "يُنسب الصوت إلى %(names)s.",
                "two": "يُنسب الصوتان إلى %(names)s.",
                "few": "تُنسب الأصوات إلى %(names)s.",
                "many": "تُنسب الأصوات إلى %(names)s.",
                "other": "تُنسب الأصوات إلى %(names)s.",
            },
        },
        "ur": {
            "text": "یہ آوازیں %(names)s سے منسوب ہیں۔",
            "plural_forms": {
                "one": "یہ آواز %(names)s سے منسوب ہے۔",
                "other": "یہ آوازیں %(names)s سے منسوب ہیں۔",
            },
        },
    },
    ("ai_generated_disclosed", "spoken"): {
        "en": "Notice: this recording uses a voice made with artificial intelligence, "
        "as its creator disclosed.",
        "sk": "Upozornenie: táto nahrávka používa hlas vytvorený umelou inteligenciou, "
        "ako uviedol jej autor.",
        "cs": "Upozornění: tato nahrávka používá hlas vytvořený umělou inteligencí, jak uvedl její autor.",
        "pl": "Uwaga: to nagranie zawiera głos stworzony przy użyciu sztucznej inteligencji, "
        "co ujawnił jego autor.",
        "ur": "اطلاع: اس ریکارڈنگ میں مصنوعی ذہانت سے بنائی گئی آواز استعمال ہوئی ہے، "
        "جیسا کہ اس کے تخلیق کار نے بتایا ہے۔",
    },
    ("likely_ai_generated", "spoken"): {
        "en": "Notice: the voice in this recording may have been made with artificial intelligence. "
        "It has not been confirmed.",
        "sk": "Upozornenie: hlas v tejto nahrávke mohol byť vytvorený umelou inteligenciou. "
        "Nebolo to potvrdené.",
        "cs": "Upozornění: hlas v této nahrávce mohl být vytvořen umělou inteligencí. Nebylo to potvrzeno.",
        "pl": "Uwaga: głos w tym nagraniu mógł zostać stworzony przy użyciu sztucznej inteligencji. "
        "Nie zostało to potwierdzone.",
        "ur": "اطلاع: ہو سکتا ہے اس ریکارڈنگ کی آواز مصنوعی ذہانت سے بنائی گئی ہو۔ اس کی تصدیق نہیں ہوئی۔",
    },
}


# The other languages' spoken "AI" (or its local acronym), said in full in the same construction.
SPOKEN_AI_IN_FULL = {
    "de": ("mit KI", "mit künstlicher Intelligenz"),
    "es": ("con IA", "con inteligencia artificial"),
    "fr": ("avec l’IA", "avec l’intelligence artificielle"),
    "it": ("con l’IA", "con l’intelligenza artificiale"),
    "pt": ("com IA", "com inteligência artificial"),
    "ro": ("cu AI", "cu inteligență artificială"),
    "nl": ("met AI", "met kunstmatige intelligentie"),
    "hu": ("MI-vel", "mesterséges intelligenciával"),
    "id": ("dengan AI", "dengan kecerdasan buatan"),
    "ru": ("с помощью ИИ", "с помощью искусственного интеллекта"),
    "uk": ("за допомогою ШІ", "за допомогою штучного інтелекту"),
    "el": ("με ΤΝ", "με τεχνητή νοημοσύνη"),
    "hi": ("एआई से", "कृत्रिम बुद्धिमत्ता से"),
    "bn": ("এআই দিয়ে", "কৃত্রিম বুদ্ধিমত্তা দিয়ে"),
}


def _revised() -> dict:
    """REVISED, plus the spoken "AI" in full for the languages SPOKEN_AI_IN_FULL lists."""
    # deferred: a module-level import here forms an import cycle
    from django.utils import translation

    # deferred: a module-level import here forms an import cycle
    from .kinds import AUDIO_SCRIPTS, LabelKind

    revised = {key: dict(value) for key, value in REVISED.items()}
    for kind in (LabelKind.AI_GENERATED_DISCLOSED, LabelKind.LIKELY_AI_GENERATED):
        for language, (acronym, in_full) in SPOKEN_AI_IN_FULL.items():
            with translation.override(language):
                shipped = str(AUDIO_SCRIPTS[kind])
            if acronym in shipped:
                revised[(kind.value, "spoken")][language] = shipped.replace(acronym, in_full)
    return revised


def seed_revised(LabelText):
    now = timezone.now()
    for (kind, channel), by_language in _revised().items():
        english = by_language.get("en")
        source = english if isinstance(english, str) else (english or {}).get("text")
        if source is None:
            source = (
                LabelText.objects.filter(kind=kind, channel=channel, language="en")
                .order_by("-version")
                .values_list("text", flat=True)
                .first()
            )
        for language, value in by_language.items():
            value = {"text": value, "plural_forms": {}} if isinstance(value, str) else value
            previous = LabelText.objects.filter(kind=kind, channel=channel, language=language).order_by(
                "-version"
            )
            version = (previous.values_list("version", flat=True).first() or 0) + 1
            is_source = language == "en"
            LabelText.objects.create(
                kind=kind,
                language=language,
                channel=channel,
                version=version,
                text=value["text"],
                plural_forms=value["plural_forms"],
                source_text=source or "",
                status="reviewed" if is_source else "draft",
                reviewed_at=now if is_source else None,
                note="English source text, revised (issue 13)" if is_source else REVISED_NOTE,
            )


def label_texts_seed(*, apps=None) -> bool:
    """Load the shipped texts unless some are there; return whether it loaded them."""
    if apps is not None:
        LabelText = apps.get_model("labels", "LabelText")
    else:
        # deferred: a module-level import here forms an import cycle
        from .models import LabelText
    if LabelText.objects.exists():
        return False
    seed_shipped(LabelText)
    seed_revised(LabelText)
    return True
