"""`rotate_partner_token PREFIX [--grace-minutes N]`: replace a token, printing the new one once."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from integrations.partners.models import PartnerToken
from integrations.partners.services import partner_token_rotate


class Command(BaseCommand):
    help = "Rotate a partner token: a new secret (shown once); the old one stops now or after a grace."

    def add_arguments(self, parser):
        parser.add_argument("prefix", help="the token's prefix as the admin shows it, e.g. mor_Jx0a")
        parser.add_argument("--grace-minutes", type=int, default=0)

    def handle(self, *args, prefix, grace_minutes, **options):
        tokens = list(PartnerToken.objects.filter(prefix=prefix, revoked_at__isnull=True))
        if len(tokens) != 1:
            raise CommandError(f"{len(tokens)} active tokens have the prefix {prefix!r}; give exactly one.")
        try:
            new, raw = partner_token_rotate(token=tokens[0], grace=timedelta(minutes=max(grace_minutes, 0)))
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(f"New token for {new.name}, expires {new.expires_at:%Y-%m-%d}.")
        self.stdout.write("Store it now: it is shown only this once.")
        self.stdout.write(raw)
