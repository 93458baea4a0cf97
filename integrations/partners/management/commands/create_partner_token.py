"""`create_partner_token NAME --scopes ...`: issue a partner API token and print it once."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from integrations.partners.models import Scope
from integrations.partners.services import partner_token_create


class Command(BaseCommand):
    help = "Create a bearer token for a partner fact-checker (printed once; only its hash is stored)."

    def add_arguments(self, parser):
        parser.add_argument("name", help="the partner holding the token, e.g. 'Demagog.sk'")
        parser.add_argument(
            "--scopes",
            nargs="+",
            default=list(Scope.values),
            metavar="SCOPE",
            help=f"one or more of {', '.join(Scope.values)} (default: all)",
        )

    def handle(self, *args, name: str, scopes: list[str], **options):
        try:
            token, raw = partner_token_create(name=name, scopes=scopes)
        except ValidationError as exc:
            raise CommandError(
                "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in exc.message_dict.items())
            ) from None
        self.stdout.write(f"Token for {token.name} (scopes: {', '.join(token.scopes)}).")
        self.stdout.write("Store it now: it is shown only this once.")
        self.stdout.write(raw)
