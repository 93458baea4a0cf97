"""Build a DSA statement of reasons from one of Moratorium's decisions.

The input is plain data (a `SorDecision`, or a mapping with the same keys), so the decision model
that comes later only has to fill it in. One statement is filed per platform that restricts the
content: pass `submission_ref` to make the puid unique per platform submission.

Nothing that identifies a person goes into the statement (DSA art. 24(5)): no names of the people
depicted, no uploader or reporter identities, no URLs of the content; only codes, dates, the media
type, the audience countries and the language.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import UTC, date, datetime

from triage.decisions.labels.resolve import language_tag_normalize

from . import schema

CATEGORY_ELECTIONS = "STATEMENT_CATEGORY_NEGATIVE_EFFECTS_ON_CIVIC_DISCOURSE_OR_ELECTIONS"

# Our action types → the database's visibility restrictions. A removal hold keeps the content from
# being distributed until a human decides: access is disabled, not (yet) removed.
ACTION_VISIBILITY = {
    "remove": "DECISION_VISIBILITY_CONTENT_REMOVED",
    "removal_hold": "DECISION_VISIBILITY_CONTENT_DISABLED",
    "reduce_distribution": "DECISION_VISIBILITY_CONTENT_DEMOTED",
    "label": "DECISION_VISIBILITY_CONTENT_LABELLED",
}
NON_RESTRICTING_ACTIONS = {"escalate", "no_action"}

MEDIA_CONTENT_TYPE = {
    "audio": "CONTENT_TYPE_AUDIO",
    "image": "CONTENT_TYPE_IMAGE",
    "video": "CONTENT_TYPE_VIDEO",
}
SYNTHETIC_VERDICTS = {"likely_synthetic", "disclosed_synthetic", "synthetic"}

# Policy reasons → category_specification keywords.
REASON_KEYWORDS = {
    "misinformation": "KEYWORD_MISINFORMATION_DISINFORMATION",
    "voter_suppression": "KEYWORD_MISINFORMATION_DISINFORMATION",
    "undisclosed_synthetic": "KEYWORD_MISINFORMATION_DISINFORMATION",
    "non_consensual_likeness": "KEYWORD_NON_CONSENSUAL_MATERIAL_DEEPFAKE",
    "impersonation": "KEYWORD_IMPERSONATION_ACCOUNT_HIJACKING",
    "silence_violation": "KEYWORD_VIOLATION_NATIONAL_LAW",
    "coordinated_campaign": "KEYWORD_COORDINATED_HARM",
}

# Who reported the content → source_type. Moratorium's own checks and the platform's classifiers
# and moderators act on the platform's own initiative.
REPORTER_SOURCE_TYPE = {
    "trusted_flagger": "SOURCE_TRUSTED_FLAGGER",
    "user_report": "SOURCE_ARTICLE_16",
    "platform_classifier": "SOURCE_VOLUNTARY",
    "platform_moderator": "SOURCE_VOLUNTARY",
    "moratorium": "SOURCE_VOLUNTARY",
    "fact_checker": "SOURCE_TYPE_OTHER_NOTIFICATION",
    "authority": "SOURCE_TYPE_OTHER_NOTIFICATION",
    "other": "SOURCE_TYPE_OTHER_NOTIFICATION",
}
AUTOMATED_REPORTERS = {"platform_classifier", "moratorium"}
DECIDERS = ("policy", "moderator")

DEFAULT_TERMS_GROUND = "Terms of service: synthetic and manipulated media during elections"
PHASE_TEXT = {
    "silence": "during the pre-election silence period",
    "election_period": "during the election period",
    "normal": "outside any election period",
}
VERDICT_TEXT = {
    "likely_synthetic": "likely synthetic (AI-generated or AI-altered)",
    "disclosed_synthetic": "synthetic, as disclosed by its creator",
    "synthetic": "synthetic",
    "altered": "altered or edited",
    "uncertain": "of uncertain authenticity",
    "authentic_evidence": "showing evidence of authenticity",
    "satire": "presented as satire or parody",
}
MEASURE_TEXT = {
    "DECISION_VISIBILITY_CONTENT_REMOVED": "content removed",
    "DECISION_VISIBILITY_CONTENT_DISABLED": "distribution withheld until a human reviewer decides",
    "DECISION_VISIBILITY_CONTENT_DEMOTED": "distribution reduced",
    "DECISION_VISIBILITY_CONTENT_LABELLED": "label added",
}
_CODE_RE = re.compile(r"^[a-z0-9_]{1,64}$")
_PUID_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")


class SorInputError(ValueError):
    """The decision can't be turned into a statement; `errors` maps input fields to messages."""

    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        detail = "; ".join(f"{name}: {' '.join(messages)}" for name, messages in errors.items())
        super().__init__(f"Invalid decision for a statement of reasons: {detail}")


@dataclass
class SorDecision:
    """What a statement of reasons is built from.

    decision_id: our decision's id (becomes the puid, with `submission_ref` if given).
    decided_at, content_date: when the decision applied and when the content was posted
        (datetime, date or ISO 8601 string; datetimes are taken in UTC).
    media_type: "audio" | "image" | "video".
    actions: the decision's actions, e.g. [{"type": "removal_hold", "review_deadline": "…"},
        {"type": "label", "kind": "likely_ai_generated"}]; types: remove, removal_hold,
        reduce_distribution, label (restrictions), escalate, no_action (not restrictions).
    reporter_kind: trusted_flagger | user_report | platform_classifier | platform_moderator |
        moratorium | fact_checker | authority | other.
    decided_by: "policy" (automated) or "moderator" (a human).
    verdict: {"label": "likely_synthetic", "confidence": 0.9, ...}.
    reasons: policy reason codes (see REASON_KEYWORDS), e.g. ["voter_suppression"].
    phase, phase_country: "normal" | "election_period" | "silence", and the country that set it.
    audience_countries: ISO 3166-1 alpha-2 codes; those in the EU/EEA become territorial_scope.
    content_language: BCP 47 tag or ISO 639-1 code, if known.
    terms_ground / terms_explanation / terms_url: the platform's terms relied on.
    legal_ground / legal_explanation: set both to file on the illegal-content ground instead.
    automated_checks: whether automated checks informed a moderator's decision (Moratorium's
        always do, so a moderator's decision is "partially automated").
    """

    decision_id: str
    decided_at: datetime | date | str
    content_date: datetime | date | str
    media_type: str
    actions: list[Mapping]
    reporter_kind: str
    decided_by: str
    verdict: Mapping = field(default_factory=dict)
    reasons: list[str] = field(default_factory=list)
    phase: str = "normal"
    phase_country: str | None = None
    audience_countries: list[str] = field(default_factory=list)
    content_language: str | None = None
    terms_ground: str = DEFAULT_TERMS_GROUND
    terms_explanation: str | None = None
    terms_url: str | None = None
    legal_ground: str | None = None
    legal_explanation: str | None = None
    submission_ref: str | None = None
    automated_checks: bool = True
    # The decision amends an earlier one after an internal complaint (DSA art. 20): its outcome,
    # "upheld" | "reversed" | "modified"; said in the facts.
    appeal_outcome: str | None = None


def _as_date(value, name: str, errors: dict) -> date | None:
    if isinstance(value, datetime):
        return (value.astimezone(UTC) if value.tzinfo else value).date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            errors.setdefault(name, []).append(f"{value!r} is not an ISO 8601 date or datetime.")
            return None
        return _as_date(parsed, name, errors)
    errors.setdefault(name, []).append("Give a date, a datetime or an ISO 8601 string.")
    return None


REQUIRED_INPUTS = (
    "decision_id",
    "decided_at",
    "content_date",
    "media_type",
    "actions",
    "reporter_kind",
    "decided_by",
)


def _coerce(decision) -> SorDecision:
    if isinstance(decision, SorDecision):
        return decision
    if not isinstance(decision, Mapping):
        raise SorInputError({"decision": ["Give a SorDecision or a mapping of its fields."]})
    known = {f.name for f in fields(SorDecision)}
    errors = {name: ["Unknown field."] for name in decision if name not in known}
    for name in REQUIRED_INPUTS:
        if decision.get(name) is None or decision.get(name) == "":
            errors.setdefault(name, []).append("This field is required.")
    if errors:
        raise SorInputError(errors)
    return SorDecision(**decision)


def _facts(d: SorDecision, verdict_label: str, reason_codes: list[str], restrictions: list[str]) -> str:
    parts = []
    verdict_text = VERDICT_TEXT.get(verdict_label, verdict_label.replace("_", " ") or "not stated")
    confidence = d.verdict.get("confidence") if d.verdict else None
    sentence = f"The {d.media_type} was assessed as {verdict_text}"
    if isinstance(confidence, int | float) and 0 <= confidence <= 1:
        sentence += f" (confidence {confidence:.2f})"
    parts.append(sentence + ".")
    if reason_codes:
        parts.append("Policy reasons: " + ", ".join(code.replace("_", " ") for code in reason_codes) + ".")
    phase_text = PHASE_TEXT.get(d.phase, "")
    if phase_text:
        where = f" in {d.phase_country.upper()}" if d.phase_country and d.phase != "normal" else ""
        parts.append(f"The decision was taken {phase_text}{where}.")
    parts.append("Measures: " + "; ".join(MEASURE_TEXT[r] for r in restrictions) + ".")
    parts.append(
        "Decided automatically by policy." if d.decided_by == "policy" else "Decided by a human moderator."
    )
    if d.appeal_outcome in ("upheld", "reversed", "modified"):
        parts.append(
            "This statement amends an earlier one: after an internal complaint, "
            f"the decision was {d.appeal_outcome}."
        )
    return " ".join(parts)[: schema.MAX_LENGTHS["decision_facts"]]


def _explanation(d: SorDecision, verdict_label: str) -> str:
    verdict_text = VERDICT_TEXT.get(verdict_label, verdict_label.replace("_", " ") or "not stated")
    phase_text = PHASE_TEXT.get(d.phase, "")
    return (
        "The terms restrict synthetic or manipulated media that may mislead people about elections"
        f"{' ' + phase_text if d.phase != 'normal' and phase_text else ''}. "
        f"This {d.media_type} was assessed as {verdict_text}."
    )


def statement_of_reasons_build(*, decision: SorDecision | Mapping) -> dict:
    """Return the statement of reasons for a decision that restricts content.

    Raises SorInputError (a ValueError with field-level `errors`) when the decision is incomplete
    or restricts nothing (escalate or no_action alone need no statement). The result is meant to
    pass `statement_of_reasons_validate`; run it before filing.
    """
    d = _coerce(decision)
    errors: dict[str, list[str]] = {}

    puid_source = f"{d.decision_id}_{d.submission_ref}" if d.submission_ref else str(d.decision_id)
    puid = _PUID_UNSAFE.sub("-", puid_source).strip("-")[: schema.MAX_LENGTHS["puid"]]
    if not puid:
        errors.setdefault("decision_id", []).append("Needs at least one letter or digit.")

    for name in ("actions", "reasons", "audience_countries"):
        if not isinstance(getattr(d, name), list | tuple):
            errors.setdefault(name, []).append("Must be a list.")
    if d.verdict is not None and not isinstance(d.verdict, Mapping):
        errors.setdefault("verdict", []).append('Must be a mapping such as {"label": "likely_synthetic"}.')
    if errors:
        raise SorInputError(errors)

    visibility: list[str] = []
    review_deadlines: list[date] = []
    for index, action in enumerate(d.actions):
        kind = action.get("type") if isinstance(action, Mapping) else None
        if kind in ACTION_VISIBILITY:
            if ACTION_VISIBILITY[kind] not in visibility:
                visibility.append(ACTION_VISIBILITY[kind])
            if kind == "removal_hold" and action.get("review_deadline"):
                deadline = _as_date(action["review_deadline"], f"actions[{index}].review_deadline", errors)
                if deadline:
                    review_deadlines.append(deadline)
        elif kind not in NON_RESTRICTING_ACTIONS:
            allowed = ", ".join([*ACTION_VISIBILITY, *sorted(NON_RESTRICTING_ACTIONS)])
            errors.setdefault(f"actions[{index}].type", []).append(f"{kind!r} is not one of: {allowed}.")
    if not visibility and not any(name.startswith("actions") for name in errors):
        errors.setdefault("actions", []).append(
            "The decision restricts nothing (no remove, removal_hold, reduce_distribution or label): "
            "no statement of reasons is due."
        )

    if d.media_type not in MEDIA_CONTENT_TYPE:
        errors.setdefault("media_type", []).append(f"{d.media_type!r} is not one of: audio, image, video.")
    if d.reporter_kind not in REPORTER_SOURCE_TYPE:
        allowed = ", ".join(REPORTER_SOURCE_TYPE)
        errors.setdefault("reporter_kind", []).append(f"{d.reporter_kind!r} is not one of: {allowed}.")
    if d.decided_by not in DECIDERS:
        errors.setdefault("decided_by", []).append(f"{d.decided_by!r} is not one of: policy, moderator.")
    if bool(d.legal_ground) != bool(d.legal_explanation):
        errors.setdefault("legal_ground", []).append("Give legal_ground and legal_explanation together.")
    applied = _as_date(d.decided_at, "decided_at", errors)
    posted = _as_date(d.content_date, "content_date", errors)
    if errors:
        raise SorInputError(errors)

    verdict_label = str((d.verdict or {}).get("label") or "")
    content_type = [MEDIA_CONTENT_TYPE[d.media_type]]
    if verdict_label in SYNTHETIC_VERDICTS:
        content_type.append("CONTENT_TYPE_SYNTHETIC_MEDIA")
    reason_codes = [r for r in dict.fromkeys(d.reasons or []) if isinstance(r, str) and _CODE_RE.match(r)]
    keywords = list(dict.fromkeys(REASON_KEYWORDS[r] for r in reason_codes if r in REASON_KEYWORDS))

    if d.decided_by == "policy":
        automated_decision = "AUTOMATED_DECISION_FULLY"
    elif d.automated_checks:
        automated_decision = "AUTOMATED_DECISION_PARTIALLY"
    else:
        automated_decision = "AUTOMATED_DECISION_NOT_AUTOMATED"

    facts = _facts(d, verdict_label, reason_codes, visibility)
    sor: dict = {
        "decision_visibility": visibility,
        "decision_ground": None,
        "content_type": content_type,
        "category": CATEGORY_ELECTIONS,
        "content_date": posted.isoformat(),
        "application_date": applied.isoformat(),
        "decision_facts": facts,
        "source_type": REPORTER_SOURCE_TYPE[d.reporter_kind],
        "automated_detection": "Yes" if d.reporter_kind in AUTOMATED_REPORTERS else "No",
        "automated_decision": automated_decision,
        "puid": puid,
    }
    if d.legal_ground:
        sor["decision_ground"] = "DECISION_GROUND_ILLEGAL_CONTENT"
        sor["illegal_content_legal_ground"] = d.legal_ground[:500]
        sor["illegal_content_explanation"] = d.legal_explanation[:2000]
    else:
        sor["decision_ground"] = "DECISION_GROUND_INCOMPATIBLE_CONTENT"
        sor["incompatible_content_ground"] = (d.terms_ground or DEFAULT_TERMS_GROUND)[:500]
        sor["incompatible_content_explanation"] = (d.terms_explanation or _explanation(d, verdict_label))[
            :2000
        ]
    if d.terms_url:
        sor["decision_ground_reference_url"] = d.terms_url
    if keywords:
        sor["category_specification"] = keywords
    countries = {c.upper() for c in d.audience_countries if isinstance(c, str)}
    scope = sorted(countries & set(schema.EUROPEAN_COUNTRY_CODES))
    if scope:
        sor["territorial_scope"] = scope
    if d.content_language:
        language = (language_tag_normalize(d.content_language) or "").split("-")[0].upper()
        if language in schema.LANGUAGE_CODES:
            sor["content_language"] = language
    if review_deadlines:
        sor["end_date_visibility_restriction"] = max(review_deadlines).isoformat()
    return sor
