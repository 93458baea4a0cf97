"""Create a platform and print its signing secret, once."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from integrations.platforms.services import platform_create


class Command(BaseCommand):
    help = (
        "Create a platform that may post to /webhooks/<slug>/ and print its signing secret (shown only now)."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="URL name of the platform, e.g. videoshare")
        parser.add_argument("--name", default="", help="display name (default: the slug)")
        parser.add_argument("--callback-url", default="", help="where decisions are sent")
        parser.add_argument("--countries", default="", help="default audience countries, e.g. SK,CZ")
        parser.add_argument(
            "--allow-private-fetch",
            action="store_true",
            help="allow media URLs on private/loopback addresses (tests and on-site CDNs only)",
        )

    def handle(self, *args, slug, name, callback_url, countries, allow_private_fetch, **options):
        try:
            platform, secret = platform_create(
                slug=slug,
                name=name,
                callback_url=callback_url,
                default_countries=[c.strip() for c in countries.split(",") if c.strip()],
                allow_private_fetch=allow_private_fetch,
            )
        except ValidationError as exc:
            problems = "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in exc.message_dict.items())
            raise CommandError(problems) from exc
        self.stdout.write(f"Created platform {platform.slug}: webhook at /webhooks/{platform.slug}/")
        self.stdout.write("Signing secret (store it now; it is not shown again):")
        self.stdout.write(secret)
