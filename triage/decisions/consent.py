"""Consent bound to who declared it: an authorized likeness covers only its declaring party's uploads.

An `AuthorizedLikeness` records the declaring party's accounts per platform. A submission whose
uploader (`content.author`: id or handle) is one of them is covered; anyone else's disclosed AI
likeness of the same person is "disclosed, not authorized": labelled, and in a silence window a
human decides.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from elections.models import AuthorizedLikeness, Person
from triage.models import Submission

from .inputs_media import MEDIA_LIKENESS_KINDS


def _folded(value: str) -> str:
    return value.strip().lstrip("@").casefold()


def uploader_keys(submission: Submission) -> tuple[str, set[str]]:
    """(platform slug, {id, handle}) of a submission's uploader, folded for comparison."""
    author = submission.author if isinstance(submission.author, dict) else {}
    keys = {_folded(str(author[k])) for k in ("id", "handle") if author.get(k)}
    keys.discard("")
    return submission.platform.slug, keys


def likeness_accounts_cover(likeness: AuthorizedLikeness, uploaders: list[tuple[str, set[str]]]) -> bool:
    accounts = likeness.accounts if isinstance(likeness.accounts, dict) else {}
    for slug, keys in uploaders:
        declared = {_folded(n) for n in accounts.get(slug) or [] if isinstance(n, str)}
        if keys & declared:
            return True
    return False


@dataclass(frozen=True)
class Consent:
    covered: list[Person] = field(default_factory=list)  # authorized, and uploaded by the declaring party
    not_authorized: list[Person] = field(default_factory=list)  # authorized, uploaded by someone else


def consent_for_uploaders(
    *, people: list[Person], media_type: str, on: datetime, submissions: list[Submission]
) -> Consent:
    """Split the matched people into those whose consent covers these uploads and those it doesn't."""
    if not people:
        return Consent()
    kinds = MEDIA_LIKENESS_KINDS.get(media_type, set())
    day = on.date()
    likenesses = list(
        AuthorizedLikeness.objects.filter(person__in=people, kind__in=kinds, valid_from__lte=day).exclude(
            valid_to__lt=day
        )
    )
    uploaders = [uploader_keys(s) for s in submissions]
    covered, not_authorized = [], []
    for person in people:
        own = [lk for lk in likenesses if lk.person_id == person.pk]
        if not own:
            continue
        if any(likeness_accounts_cover(lk, uploaders) for lk in own):
            covered.append(person)
        else:
            not_authorized.append(person)
    return Consent(covered=covered, not_authorized=not_authorized)
