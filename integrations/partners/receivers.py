"""A partner's fact-check changes what the policy sees: re-decide the case."""

from django.dispatch import receiver

from triage.signals import fact_check_recorded


@receiver(fact_check_recorded, dispatch_uid="partners.redecide_on_fact_check")
def redecide_on_fact_check(sender, *, case_id: int, **kwargs) -> None:
    # The existing path for "the evidence of a case changed": a policy decision enqueued on commit
    # (a moderator's current decision still stands; the policy writes nothing for the same outcome).
    from triage.decisions.receivers import case_decide_enqueue

    case_decide_enqueue(case_id=case_id, trigger="fact_checked")
