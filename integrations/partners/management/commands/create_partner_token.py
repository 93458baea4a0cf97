"""`create_partner_token NAME --scopes ...`: issue a partner API token and print it once."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from integrations.partners.models import PartnerOrganisation, Scope
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
        parser.add_argument("--partner", help="the organisation (create_partner); default: one named NAME")
        parser.add_argument("--expires-days", type=int, help="default: PARTNER_TOKEN_TTL_DAYS")

    def handle(self, *args, name: str, scopes: list[str], partner=None, expires_days=None, **options):
        organisation = None
        if partner:
            organisation = PartnerOrganisation.objects.filter(name=partner).first()
            if organisation is None:
                raise CommandError(f"No partner organisation {partner!r}: create it with create_partner.")
        expires_at = timezone.now() + timedelta(days=expires_days) if expires_days else None
        try:
            token, raw = partner_token_create(
                name=name, scopes=scopes, partner=organisation, expires_at=expires_at
            )
        except ValidationError as exc:
            raise CommandError(
                "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in exc.message_dict.items())
            ) from None
        self.stdout.write(f"Token for {token.name} (scopes: {', '.join(token.scopes)}).")
        self.stdout.write(f"Organisation: {token.partner.name}; expires {token.expires_at:%Y-%m-%d}.")
        self.stdout.write("Store it now: it is shown only this once.")
        self.stdout.write(raw)
