"""Create a dashboard user: `python manage.py create_moderator alice [--lead]`.

The password is read from MORATORIUM_MODERATOR_PASSWORD if set (for scripts), otherwise prompted
for twice. It is checked against the password validators in settings.
"""

import getpass
import os

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from triage.moderation.services import moderator_create

PASSWORD_ENV = "MORATORIUM_MODERATOR_PASSWORD"  # noqa: S105 (the variable's name, not a password)


class Command(BaseCommand):
    help = "Create (or update) a moderator who can log in to the dashboard; --lead also sees escalations."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--lead", action="store_true", help="also add the user to the leads group")

    def handle(self, *args, username: str, lead: bool, **options):
        password = os.environ.get(PASSWORD_ENV)
        if not password:
            if not os.isatty(0):
                raise CommandError(f"Set {PASSWORD_ENV} or run the command in a terminal to be prompted.")
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The passwords do not match.")
        user_model = get_user_model()
        try:
            validate_password(password, user=user_model(username=username))
        except ValidationError as exc:
            raise CommandError("Password refused: " + " ".join(exc.messages)) from None
        user = moderator_create(username=username, password=password, lead=lead)
        role = "lead" if lead else "moderator"
        self.stdout.write(
            self.style.SUCCESS(f"{user.get_username()} can log in to the dashboard as a {role}.")
        )
