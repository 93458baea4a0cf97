"""Keep materialized windows in step with every save path (admin, shell, imports).

The services recompute explicitly inside `recompute_deferred()`; these handlers cover any
other save of an election, a phase, a rule or a country's zones.
"""

from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Country, Election, ElectionPhase, SilenceRule
from .services import country_windows_recompute, election_windows_recompute, recompute_is_deferred


@receiver(post_save, sender=Election, dispatch_uid="elections.election_saved")
def _election_saved(sender, instance: Election, raw: bool = False, **kwargs) -> None:
    if not raw and not recompute_is_deferred():
        election_windows_recompute(election=instance)


@receiver(post_save, sender=ElectionPhase, dispatch_uid="elections.phase_saved")
@receiver(post_delete, sender=ElectionPhase, dispatch_uid="elections.phase_deleted")
def _phase_changed(sender, instance: ElectionPhase, raw: bool = False, **kwargs) -> None:
    if raw or recompute_is_deferred() or _deleting_elections(kwargs.get("origin")):
        return
    election = Election.objects.filter(pk=instance.election_id).first()
    if election is not None:  # gone when the phase is deleted along with its election
        election_windows_recompute(election=election)


def _deleting_elections(origin) -> bool:
    """Tell whether a phase goes because its election is being deleted.

    The collector deletes phases before their election, so the election row still exists
    here; recomputing would re-create windows pointing at an election about to vanish.
    """
    if isinstance(origin, Election):
        return True
    return isinstance(origin, QuerySet) and origin.model is Election


@receiver(post_save, sender=SilenceRule, dispatch_uid="elections.rule_saved")
@receiver(post_delete, sender=SilenceRule, dispatch_uid="elections.rule_deleted")
def _rule_changed(sender, instance: SilenceRule, raw: bool = False, **kwargs) -> None:
    if raw or recompute_is_deferred():
        return
    country = Country.objects.filter(pk=instance.country_id).first()
    if country is not None:
        country_windows_recompute(country=country)


@receiver(post_save, sender=Country, dispatch_uid="elections.country_saved")
def _country_saved(sender, instance: Country, created: bool, raw: bool = False, **kwargs) -> None:
    # A country's zones decide which windows exist; a new country has no elections yet.
    if not raw and not created and not recompute_is_deferred():
        country_windows_recompute(country=instance)
