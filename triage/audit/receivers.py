"""Audit records for what other layers announce by signal (they never import triage).

Connected in AuditConfig.ready(). Each receiver runs synchronously inside the sender's
transaction, so the audit record and the change it records land together or not at all.
"""

from django.dispatch import receiver

from elections.dates import election_date_confirmed

from .models import ActorKind
from .services import audit_record


@receiver(election_date_confirmed, dispatch_uid="audit-election-date-confirmed")
def record_election_date_confirmed(
    sender, *, election, previous_days, voting_days, moved, reason, source_url, user, at, **kwargs
):
    audit_record(
        action="election.date_moved" if moved else "election.date_confirmed",
        actor_kind=ActorKind.OPERATOR,
        actor_user=user,
        inputs={
            "election_id": election.pk,
            "election": election.name,
            "country": election.country_id,
            "previous_days": previous_days,
            "reason": reason,
            "source_url": source_url,
        },
        outcome={"voting_days": voting_days, "status": election.status, "confirmed_at": at},
    )
