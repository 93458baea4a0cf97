"""Ship the default policy's version 2 (issue 11) as a new version.

Where version 1 of the default policy is still active and unchanged, version 2 becomes the active
version (version 1 is retired and kept: every decision records the version that made it). Where an
operator has changed or replaced the policy, version 2 is added as a draft to review, shadow-run and
activate (docs/policy.md "Version 2 of the default policy"). Open cases are not re-decided here:
each takes the new version at its next trigger, or on request (`manage.py policy_redecide`).
"""

from django.db import migrations
from django.utils import timezone

DESCRIPTION = "Moratorium's default policy, version 2 (docs/policy.md)."


def load_v2(apps, schema_editor):
    from triage.decisions.default import DEFAULT_RULES
    from triage.decisions.default_v1 import DEFAULT_RULES_V1

    PolicyVersion = apps.get_model("policy", "PolicyVersion")
    if PolicyVersion.objects.filter(rules=DEFAULT_RULES).exists():
        return
    active = PolicyVersion.objects.filter(status="active").first()
    latest = PolicyVersion.objects.order_by("-version").first()
    number = (latest.version if latest else 0) + 1
    if active is None and latest is None:
        # A fresh database without version 1 (it is loaded by 0002): nothing to compare with.
        PolicyVersion.objects.create(
            version=number, status="active", rules=DEFAULT_RULES, description=DESCRIPTION,
            activated_at=timezone.now(),
        )  # fmt: skip
        return
    if active is not None and active.rules == DEFAULT_RULES_V1:
        active.status = "retired"
        active.save(update_fields=["status"])
        PolicyVersion.objects.create(
            version=number, status="active", rules=DEFAULT_RULES, description=DESCRIPTION,
            activated_at=timezone.now(),
        )  # fmt: skip
        return
    PolicyVersion.objects.create(
        version=number, status="draft", rules=DEFAULT_RULES,
        description=DESCRIPTION + " Added as a draft: the active policy was changed by an operator.",
    )  # fmt: skip


def unload_v2(apps, schema_editor):
    PolicyVersion = apps.get_model("policy", "PolicyVersion")
    v2 = PolicyVersion.objects.filter(description__startswith=DESCRIPTION, decisions__isnull=True).first()
    if v2 is None:
        return
    was_active = v2.status == "active"
    v2.delete()
    if was_active:
        previous = PolicyVersion.objects.filter(status="retired").order_by("-version").first()
        if previous is not None:
            previous.status = "active"
            previous.save(update_fields=["status"])


class Migration(migrations.Migration):
    dependencies = [("policy", "0005_fact_checks")]

    operations = [migrations.RunPython(load_v2, unload_v2)]
