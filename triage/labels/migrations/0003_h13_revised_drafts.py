"""Version 2 of the texts a careful reading of the shipped drafts found wanting (issue 13).

- The "Presented as" line with plural forms by the language's rules (CLDR categories, chosen with
  Babel), so two names read right: Slovak "hlas osoby A, B" had one voice of one person for two.
- Calques and stiff phrases: Slovak and Czech "Prezentované/Prezentováno ako", Polish
  "Przedstawione jako", Urdu "پیش کردہ شخصیت", Arabic "يُقدَّم على أنه" (singular only) now say
  the content is *attributed to* the names, which claims nothing and agrees with any number.
- The spoken "AI", which a speech engine reads as a word or as letters of another language: the
  spoken scripts say "artificial intelligence" in full in the language.

All still drafts (English aside, the source): written by a non-native writer, for native review.
Version 1 stays, so the review screen shows what changed.
"""

from django.db import migrations
from django.utils import timezone

NOTE = "revised draft (issue 13): plural forms, no calque, AI spoken in full"

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
        "en": "Notice: this recording uses a voice made with artificial intelligence, as its creator disclosed.",
        "sk": "Upozornenie: táto nahrávka používa hlas vytvorený umelou inteligenciou, ako uviedol jej autor.",
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


def revise(apps, schema_editor):
    LabelText = apps.get_model("labels", "LabelText")
    now = timezone.now()
    for (kind, channel), by_language in REVISED.items():
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
                note="English source text, revised (issue 13)" if is_source else NOTE,
            )


def unrevise(apps, schema_editor):
    apps.get_model("labels", "LabelText").objects.filter(note__startswith="revised draft (issue 13)").delete()
    apps.get_model("labels", "LabelText").objects.filter(
        note="English source text, revised (issue 13)"
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("labels", "0002_h13_seed_shipped_drafts")]

    operations = [migrations.RunPython(revise, unrevise)]
