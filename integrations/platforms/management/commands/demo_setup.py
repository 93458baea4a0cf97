"""Prepare a first-look installation: a demo moderator account and demo data.

Idempotent: running it again keeps what exists. Each app's demo data is added by the
functions listed in DEMO_STEPS, so a new feature can add its own without touching this file.
"""

import os

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string

DEMO_USERNAME = "demo"
DEMO_PASSWORD_DEFAULT = "moratorium-demo"  # noqa: S105 - demo-only, printed at start; override with DEMO_PASSWORD

# Dotted paths to callables taking (stdout) that add demo data; each must be idempotent.
DEMO_STEPS: list[str] = [
    "integrations.platforms.demo.demo_case_study",  # the case study's three scenarios (docs/policy.md)
]


class Command(BaseCommand):
    help = "Create the demo login and demo data for a first look (idempotent)."

    def handle(self, *args, **options):
        password = os.environ.get("DEMO_PASSWORD", DEMO_PASSWORD_DEFAULT)
        user_model = get_user_model()
        user, created = user_model.objects.get_or_create(
            username=DEMO_USERNAME, defaults={"is_staff": True, "is_superuser": True}
        )
        if created:
            user.set_password(password)
            user.save()
        for step in DEMO_STEPS:
            import_string(step)(self.stdout)
        self.stdout.write(self.style.SUCCESS(f"Demo login: {DEMO_USERNAME} / {password}"))
