"""`create_partner NAME --countries SK CZ --languages sk`: create or update a partner organisation."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from integrations.partners.services import partner_organisation_save


class Command(BaseCommand):
    help = "Create or update a partner fact-checking organisation and its scope (countries, languages)."

    def add_arguments(self, parser):
        parser.add_argument("name")
        parser.add_argument("--countries", nargs="*", default=[], metavar="CC", help="ISO 3166-1 alpha-2")
        parser.add_argument("--languages", nargs="*", default=[], metavar="LL", help="ISO 639-1")
        parser.add_argument("--url", default="", help="the organisation's site (JSON-LD author)")

    def handle(self, *args, name, countries, languages, url, **options):
        try:
            partner = partner_organisation_save(name=name, countries=countries, languages=languages, url=url)
        except ValidationError as exc:
            raise CommandError(
                "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in exc.message_dict.items())
            ) from None
        scope = ", ".join(partner.countries + partner.languages) or "nothing (only shared cases)"
        self.stdout.write(f"Partner {partner.name} (id {partner.pk}) sees: {scope}.")
