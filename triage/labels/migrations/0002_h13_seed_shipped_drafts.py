"""Seed the label texts from the shipped catalogs (locale/<lang>/LC_MESSAGES/django.po).

Every translation becomes version 1, a draft: none was reviewed by a native speaker. The English
msgids are the source texts, seeded as reviewed (they are the source, nobody translates them).
Also creates the `election_ops` group with the permission to review label texts.
"""

from pathlib import Path

from django.conf import settings
from django.db import migrations
from django.utils import timezone

ELECTION_OPS_GROUP = "election_ops"


def _catalogs():
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


def seed(apps, schema_editor):
    LabelText = apps.get_model("labels", "LabelText")
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


def unseed(apps, schema_editor):
    apps.get_model("labels", "LabelText").objects.filter(version=1).delete()


def election_ops_group(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations ran; the group needs them now.
    config = apps.get_app_config("labels")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=ELECTION_OPS_GROUP)
    codenames = ["review_labeltext", "view_labeltext", "add_labeltext", "change_labeltext"]
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="labels", codename__in=codenames)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("labels", "0001_h13_label_texts"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(seed, unseed),
        migrations.RunPython(election_ops_group, migrations.RunPython.noop),
    ]
