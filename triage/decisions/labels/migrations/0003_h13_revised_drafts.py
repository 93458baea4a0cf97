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

REVISED_NOTE = "revised draft (issue 13): plural forms, no calque, AI spoken in full"


def revise(apps, schema_editor):
    from triage.decisions.labels.seed import seed_revised

    seed_revised(apps.get_model("labels", "LabelText"))


def unrevise(apps, schema_editor):
    apps.get_model("labels", "LabelText").objects.filter(note__startswith="revised draft (issue 13)").delete()
    apps.get_model("labels", "LabelText").objects.filter(
        note="English source text, revised (issue 13)"
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("labels", "0002_h13_seed_shipped_drafts")]

    operations = [migrations.RunPython(revise, unrevise)]
