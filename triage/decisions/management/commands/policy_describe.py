"""Print (or write into docs/policy.md) the plain-words description of a policy, generated from its data."""

from django.core.management.base import BaseCommand, CommandError

from triage.decisions.default import DEFAULT_RULES
from triage.decisions.describe import BEGIN, END, doc_block_replace, policy_doc_path, rules_markdown
from triage.decisions.models import PolicyVersion


class Command(BaseCommand):
    help = (
        "Describe a policy in plain words, generated from its rules: the shipped default, "
        "or --policy-version N. "
        "--write puts the default's description into docs/policy.md."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--policy-version",
            type=int,
            dest="policy_version",
            help="a stored policy version (default: the shipped default)",
        )
        parser.add_argument(
            "--write", action="store_true", help="write the default's text into docs/policy.md"
        )

    def handle(self, *args, policy_version: int | None, write: bool, **options):
        version = policy_version
        if version is not None and write:
            raise CommandError("--write documents the shipped default; leave out --policy-version.")
        rules = DEFAULT_RULES
        if version is not None:
            policy = PolicyVersion.objects.filter(version=version).first()
            if policy is None:
                raise CommandError(f"No policy version {version}.")
            rules = policy.rules
        text = rules_markdown(rules)
        if not write:
            self.stdout.write(text)
            return
        path = policy_doc_path()
        try:
            updated = doc_block_replace(path.read_text(), begin=BEGIN, end=END, body=text)
        except ValueError as exc:
            raise CommandError(f"{path}: {exc}") from None
        path.write_text(updated)
        self.stdout.write(f"Wrote the default policy's description into {path}.")
