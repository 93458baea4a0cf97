"""Re-decide the open cases with the active policy version now, instead of at their next trigger."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from triage.decisions.services import cases_redecide_with_active_policy


class Command(BaseCommand):
    help = (
        "Queue every live case (not merged, no moderator's decision current) for re-decision with "
        "the active policy version. Only changed outcomes are written and sent to platforms."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=200, help="cases per task (default 200)")

    def handle(self, *args, batch_size: int, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        try:
            queued = cases_redecide_with_active_policy(batch_size=batch_size)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        self.stdout.write(f"{queued} cases queued for re-decision with the active policy.")
