"""`confirm_election_date`: an expected election's date was fixed; confirm it, or move it first."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from elections.dates import election_date_confirm
from elections.models import Election


class Command(BaseCommand):
    help = (
        "Confirm an election's date (status becomes 'scheduled'), or move it to the announced voting "
        "days with --date (repeat for a multi-day vote). The windows are recomputed and the change is "
        "written to the audit log. The election is given by id or by its exact name."
    )

    def add_arguments(self, parser):
        parser.add_argument("election", help="the election's id or exact name")
        parser.add_argument(
            "--date",
            action="append",
            dest="dates",
            metavar="YYYY-MM-DD",
            help="the announced voting day (repeat for each day); omit to confirm as is",
        )
        parser.add_argument("--reason", required=True, help="who fixed the date and how you know")
        parser.add_argument("--source", default="", help="URL of the announcement (added to the sources)")
        parser.add_argument("--user", default="", help="username of the operator making the change")

    def handle(self, *args, **options):
        key = options["election"].strip()
        matches = Election.objects.filter(pk=int(key)) if key.isdigit() else Election.objects.filter(name=key)
        if matches.count() != 1:
            found = ", ".join(f"{e.pk}: {e.name} ({e.round})" for e in matches[:5])
            raise CommandError(
                f"{key!r} names {matches.count()} elections{': ' + found if found else ''}; give the id."
            )
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"--user {options['user']!r} is not a user")
        try:
            result = election_date_confirm(
                election=matches.get(),
                voting_days=options["dates"],
                reason=options["reason"],
                source_url=options["source"],
                user=user,
            )
        except ValidationError as exc:
            details = "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in exc.message_dict.items())
            raise CommandError(details) from None
        election = result.election
        days = ", ".join(election.voting_days)
        if result.moved:
            self.stdout.write(
                f"Moved {election.name} from {', '.join(result.previous_days)} to {days} and confirmed it; "
                f"{result.windows} silence window(s) recomputed."
            )
        else:
            self.stdout.write(f"Confirmed {election.name} on {days}; {result.windows} silence window(s).")
