"""Show which decisions a policy version would change over recent cases, writing nothing."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from triage.decisions.models import PolicyVersion
from triage.decisions.services import policy_shadow_run


class Command(BaseCommand):
    help = "Shadow-run a policy version (usually a draft) over the last N days of cases; writes nothing."

    def add_arguments(self, parser):
        parser.add_argument("version", type=int, help="the policy version number (as listed in the admin)")
        parser.add_argument("--days", type=int, default=7, help="how many days of cases (default 7)")

    def handle(self, *args, version: int, days: int, **options):
        if days < 1:
            raise CommandError("--days must be at least 1.")
        policy = PolicyVersion.objects.filter(version=version).first()
        if policy is None:
            raise CommandError(f"No policy version {version}.")
        try:
            report = policy_shadow_run(policy_version_id=policy.pk, days=days)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        self.stdout.write(
            f"Policy v{report.policy_version} over {report.days} days: {report.cases_evaluated} cases, "
            f"{report.changed} would change, {report.unchanged} unchanged."
        )
        for change in report.changes:
            current = ", ".join(change.current) or "no decision"
            self.stdout.write(
                f"  case {change.case_id}: {current} → {', '.join(change.proposed)} "
                f"(rule {', '.join(change.proposed_rules) or 'none'})"
            )
