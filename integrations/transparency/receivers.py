"""Store statements of reasons when a decision is made."""

from django.dispatch import receiver

from triage.signals import decision_made

from . import services


@receiver(decision_made, dispatch_uid="transparency.statements")
def store_statements(sender, decision_id: int, **kwargs) -> None:
    services.statements_for_decision(decision_id=decision_id)
