"""The default policy Moratorium ships (version 2, loaded by migration 0006_default_policy_v2).

Friction rules (labels, holds) are tried in list order and the first match decides; rules marked
`"also": true` add escalations and reviews on top, and nothing a creator declares can remove them
(docs/policy.md). The plain-words description in docs/policy.md is generated from this data
(`manage.py policy_describe --write`; tests/policy/test_policy_doc.py fails when they differ).

The thresholds are data: an operator changes them in a new version, not in code.
"""

SILENCE_REVIEW_MINUTES = 30
POST_SILENCE_REVIEW_MINUTES = 120
REVIEW_MINUTES = 240
# "Several users": this many user reports for an election reason (each webhook event counts).
ELECTION_USER_REPORTS = 3
# "Spreading fast": views + shares per hour over the last hour.
FAST_SPREAD_PER_HOUR = 1000

UNCONFIRMED = ["uncertain", "pending"]
# Absence of evidence: no verdict yet, an uncertain one, or checks that found nothing either way.
NOT_CONFIRMED = ["no_signal", "uncertain", "pending"]
NOT_SILENCE = ["normal", "election_period"]
# The calendar's online coverage of a silence law: "no" (Italy, Australia) is the only value that
# does not lead to a hold; partial and uncertain coverage are held, the cautious reading.
COVERS_ONLINE = ["yes", "partial", "uncertain"]


def _hold(minutes: int, reason: str) -> dict:
    return {"type": "removal_hold", "review_deadline_minutes": minutes, "hold_reason": reason}


def _label(kind: str) -> dict:
    return {"type": "label", "kind": kind}


IN_SILENCE_ONLINE = {"phase": {"equals": "silence"}, "silence_covers_online": {"in": COVERS_ONLINE}}
IN_SILENCE_OFFLINE_ONLY = {"phase": {"equals": "silence"}, "silence_covers_online": {"equals": "no"}}
AFTER_SILENCE_HOLD = {
    "previous_hold_reason": {"in": ["silence", "post_silence"]},
    "phase": {"in": NOT_SILENCE},
}

DEFAULT_RULES = {
    "schema": 1,
    "description": "Moratorium's default policy, version 2 (docs/policy.md).",
    "rules": [
        # --- friction: the first of these that applies decides the label and any hold ---------
        {
            "name": "authentic_evidence_to_human",
            "description": "Evidence of authenticity (trusted capture provenance, or a match with an "
            "authentic recording) is never labelled as AI and never held as unverified, not even "
            "after a silence window: a human looks within 4 hours (the liar's dividend).",
            "when": {"verdict": {"equals": "authentic_evidence"}},
            "actions": [{"type": "no_action"}],
            "review_deadline_minutes": REVIEW_MINUTES,
        },
        {
            "name": "post_silence_keep_hold_likely",
            "description": "Likely synthetic media held because of a silence window stays held after "
            "the window closes, labelled 'likely AI', and a human decides within 2 hours: nothing is "
            "released silently.",
            "when": {**AFTER_SILENCE_HOLD, "verdict": {"equals": "likely_synthetic"}},
            "actions": [_hold(POST_SILENCE_REVIEW_MINUTES, "post_silence"), _label("likely_ai_generated")],
        },
        {
            "name": "post_silence_keep_hold_fact_checked",
            "description": "Fact-checked media held because of a silence window stays held after the "
            "window closes, with the fact-checkers' label, and a human decides within 2 hours.",
            "when": {**AFTER_SILENCE_HOLD, "fact_checked": {"bool": True}},
            "actions": [
                _hold(POST_SILENCE_REVIEW_MINUTES, "post_silence"),
                _label("disputed_by_fact_checkers"),
            ],
        },
        {
            "name": "post_silence_keep_hold",
            "description": "Any other hold placed because of a silence window stays after the window "
            "closes, labelled 'unverified', and a human decides within 2 hours.",
            "when": AFTER_SILENCE_HOLD,
            "actions": [_hold(POST_SILENCE_REVIEW_MINUTES, "post_silence"), _label("unverified")],
        },
        {
            "name": "authorized_likeness_disclosed",
            "description": "An authorized AI likeness uploaded by one of the accounts of the party "
            "that declared it, and disclosed: 'AI-generated, disclosed', no hold, even in a silence "
            "window (the Pakistan case).",
            "when": {"consent": {"bool": True}, "creator_disclosed": {"bool": True}},
            "actions": [_label("ai_generated_disclosed")],
        },
        {
            "name": "silence_hold_fact_checked",
            "description": "In a silence window that covers online media, media independent "
            "fact-checkers rated false or manipulated (or matching a debunked bank) is held for a "
            "human within 30 minutes, with the fact-checkers' label.",
            "when": {**IN_SILENCE_ONLINE, "fact_checked": {"bool": True}},
            "actions": [_hold(SILENCE_REVIEW_MINUTES, "silence"), _label("disputed_by_fact_checkers")],
        },
        {
            "name": "silence_hold_disclosed_not_authorized",
            "description": "In a silence window that covers online media, a disclosed AI likeness of a "
            "registered public figure uploaded by someone other than the party that authorized it "
            "('disclosed, not authorized') is held for a human within 30 minutes, labelled "
            "'AI-generated, disclosed'.",
            "when": {**IN_SILENCE_ONLINE, "disclosed_not_authorized": {"bool": True}},
            "actions": [_hold(SILENCE_REVIEW_MINUTES, "silence"), _label("ai_generated_disclosed")],
        },
        {
            "name": "silence_hold_likely_synthetic",
            "description": "In a silence window that covers online media, likely synthetic media "
            "presenting a registered public figure without consent is held for a human within 30 "
            "minutes, labelled 'likely AI' (the Slovakia case).",
            "when": {
                **IN_SILENCE_ONLINE,
                "verdict": {"equals": "likely_synthetic"},
                "public_figure_without_consent": {"bool": True},
            },
            "actions": [_hold(SILENCE_REVIEW_MINUTES, "silence"), _label("likely_ai_generated")],
        },
        {
            "name": "silence_hold_unconfirmed_public_figure",
            "description": "In a silence window that covers online media, media presenting a "
            "registered public figure without consent is held labelled 'unverified' for a human "
            "within 30 minutes when nothing confirms it either way (no signal, uncertain, or still "
            "being checked): never released on absence of evidence.",
            "when": {
                **IN_SILENCE_ONLINE,
                "verdict": {"in": NOT_CONFIRMED},
                "public_figure_without_consent": {"bool": True},
            },
            "actions": [_hold(SILENCE_REVIEW_MINUTES, "silence"), _label("unverified")],
        },
        {
            "name": "silence_hold_unconfirmed_trusted_report",
            "description": "In a silence window that covers online media, unconfirmed media reported "
            "for an election reason (voter suppression, election misinformation) by a trusted "
            "flagger or an authority is held labelled 'unverified' for a human within 30 minutes.",
            "when": {
                **IN_SILENCE_ONLINE,
                "verdict": {"in": NOT_CONFIRMED},
                "election_report_trusted": {"bool": True},
            },
            "actions": [_hold(SILENCE_REVIEW_MINUTES, "silence"), _label("unverified")],
        },
        {
            "name": "silence_hold_unconfirmed_user_reports",
            "description": f"In a silence window that covers online media, unconfirmed media reported "
            f"for an election reason by {ELECTION_USER_REPORTS} or more users is held labelled "
            "'unverified' for a human within 30 minutes.",
            "when": {
                **IN_SILENCE_ONLINE,
                "verdict": {"in": NOT_CONFIRMED},
                "election_user_reports": {"gte": ELECTION_USER_REPORTS},
            },
            "actions": [_hold(SILENCE_REVIEW_MINUTES, "silence"), _label("unverified")],
        },
        {
            "name": "silence_hold_unconfirmed_fast_spread",
            "description": f"In a silence window that covers online media, unconfirmed media spreading "
            f"at {FAST_SPREAD_PER_HOUR} or more views and shares an hour is held labelled "
            "'unverified' for a human within 30 minutes.",
            "when": {
                **IN_SILENCE_ONLINE,
                "verdict": {"in": NOT_CONFIRMED},
                "reach_velocity": {"gte": FAST_SPREAD_PER_HOUR},
            },
            "actions": [_hold(SILENCE_REVIEW_MINUTES, "silence"), _label("unverified")],
        },
        {
            "name": "silence_offline_only_likely_synthetic",
            "description": "In a silence window whose law does not cover online media (Italy, "
            "Australia), likely synthetic media presenting a registered public figure without "
            "consent is labelled 'likely AI', not held, and a human reviews within 30 minutes.",
            "when": {
                **IN_SILENCE_OFFLINE_ONLY,
                "verdict": {"equals": "likely_synthetic"},
                "public_figure_without_consent": {"bool": True},
            },
            "actions": [_label("likely_ai_generated")],
            "review_deadline_minutes": SILENCE_REVIEW_MINUTES,
        },
        {
            "name": "silence_offline_only_unconfirmed",
            "description": "In a silence window whose law does not cover online media, unconfirmed "
            "media presenting a registered public figure without consent is labelled 'unverified', "
            "not held, and a human reviews within 30 minutes.",
            "when": {
                **IN_SILENCE_OFFLINE_ONLY,
                "verdict": {"in": NOT_CONFIRMED},
                "public_figure_without_consent": {"bool": True},
            },
            "actions": [_label("unverified")],
            "review_deadline_minutes": SILENCE_REVIEW_MINUTES,
        },
        {
            "name": "disclosed_by_provenance",
            "description": "Signed provenance or metadata declares AI generation: 'AI-generated, disclosed'.",
            "when": {"verdict": {"equals": "disclosed_synthetic"}},
            "actions": [_label("ai_generated_disclosed")],
        },
        {
            "name": "fact_checked_label",
            "description": "Independent fact-checkers rated it false or manipulated (or it matches a "
            "debunked bank): the fact-checkers' label, naming them, with the link to their review.",
            "when": {"fact_checked": {"bool": True}},
            "actions": [_label("disputed_by_fact_checkers")],
        },
        {
            "name": "disclosed_by_creator",
            "description": "The creator labelled it as AI: 'AI-generated, disclosed'.",
            "when": {
                "creator_disclosed": {"bool": True},
                "verdict": {"in": ["likely_synthetic", *NOT_CONFIRMED]},
            },
            "actions": [_label("ai_generated_disclosed")],
        },
        {
            "name": "satire_likely_synthetic",
            "description": "Claimed satire or parody outside a silence window, likely synthetic: the "
            "'likely AI' label only (the claim is recorded, not verified).",
            "when": {
                "satire_claim": {"bool": True},
                "phase": {"in": NOT_SILENCE},
                "verdict": {"equals": "likely_synthetic"},
            },
            "actions": [_label("likely_ai_generated")],
        },
        {
            "name": "satire_unconfirmed",
            "description": "Claimed satire or parody outside a silence window, uncertain: at most "
            "'unverified'.",
            "when": {
                "satire_claim": {"bool": True},
                "phase": {"in": NOT_SILENCE},
                "verdict": {"equals": "uncertain"},
            },
            "actions": [_label("unverified")],
        },
        {
            "name": "unconfirmed_trusted_report_review",
            "description": "Outside a silence hold, unconfirmed media reported for an election reason "
            "by a trusted flagger or an authority goes to the review queue (4 hours), labelled "
            "'unverified' at most.",
            "when": {"verdict": {"in": NOT_CONFIRMED}, "election_report_trusted": {"bool": True}},
            "actions": [_label("unverified")],
            "review_deadline_minutes": REVIEW_MINUTES,
        },
        {
            "name": "unconfirmed_user_reports_review",
            "description": f"Outside a silence hold, unconfirmed media reported for an election reason "
            f"by {ELECTION_USER_REPORTS} or more users goes to the review queue, labelled "
            "'unverified' at most.",
            "when": {
                "verdict": {"in": NOT_CONFIRMED},
                "election_user_reports": {"gte": ELECTION_USER_REPORTS},
            },
            "actions": [_label("unverified")],
            "review_deadline_minutes": REVIEW_MINUTES,
        },
        {
            "name": "unconfirmed_fast_spread_review",
            "description": f"Outside a silence hold, unconfirmed media spreading at "
            f"{FAST_SPREAD_PER_HOUR} or more views and shares an hour goes to the review queue, "
            "labelled 'unverified' at most.",
            "when": {"verdict": {"in": NOT_CONFIRMED}, "reach_velocity": {"gte": FAST_SPREAD_PER_HOUR}},
            "actions": [_label("unverified")],
            "review_deadline_minutes": REVIEW_MINUTES,
        },
        {
            "name": "unconfirmed_public_figure_review",
            "description": "Outside a silence hold, unconfirmed media presenting a registered public "
            "figure without consent goes to the review queue (4 hours), with no label yet.",
            "when": {
                "verdict": {"in": NOT_CONFIRMED},
                "public_figure_without_consent": {"bool": True},
            },
            "actions": [{"type": "no_action"}],
            "review_deadline_minutes": REVIEW_MINUTES,
        },
        {
            "name": "likely_synthetic_label",
            "description": "Likely synthetic: the 'likely AI' label.",
            "when": {"verdict": {"equals": "likely_synthetic"}},
            "actions": [_label("likely_ai_generated")],
        },
        {
            "name": "uncertain_label",
            "description": "Uncertain: never called fake; at most 'unverified'.",
            "when": {"verdict": {"equals": "uncertain"}},
            "actions": [_label("unverified")],
        },
        {
            "name": "nothing_to_do",
            "description": "Otherwise (no signal, or checks still running): no action yet.",
            "when": {},
            "actions": [{"type": "no_action"}],
        },
        # --- additive: every one of these that applies adds to the friction chosen above ------
        {
            "name": "escalate_voter_suppression_likely",
            "also": True,
            "description": "Also: likely synthetic and reported as voter suppression is escalated to "
            "the lead, whatever else applies (a satire or AI tick never removes it; the United "
            "States robocall case).",
            "when": {
                "verdict": {"equals": "likely_synthetic"},
                "report_reasons": {"equals": "voter_suppression"},
            },
            "actions": [{"type": "escalate", "reason": "voter_suppression"}],
        },
        {
            "name": "escalate_voter_suppression_fact_checked",
            "also": True,
            "description": "Also: fact-checked media reported as voter suppression is escalated to the lead.",
            "when": {"fact_checked": {"bool": True}, "report_reasons": {"equals": "voter_suppression"}},
            "actions": [{"type": "escalate", "reason": "voter_suppression"}],
        },
        {
            "name": "review_uncertain",
            "also": True,
            "description": "Also: an uncertain verdict is reviewed by a human within 4 hours.",
            "when": {"verdict": {"equals": "uncertain"}},
            "review_deadline_minutes": REVIEW_MINUTES,
        },
        {
            "name": "review_disclosed_not_authorized",
            "also": True,
            "description": "Also: a disclosed AI likeness uploaded by someone other than the party "
            "that authorized it is reviewed by a human within 4 hours.",
            "when": {"disclosed_not_authorized": {"bool": True}},
            "review_deadline_minutes": REVIEW_MINUTES,
        },
        {
            "name": "review_language_fallback",
            "also": True,
            "description": "Also: when the content's language was not declared by the platform nor "
            "read from its text (labels in the audience country's language, or English), a human "
            "checks the label's language within 4 hours.",
            "when": {"language_fallback": {"bool": True}},
            "review_deadline_minutes": REVIEW_MINUTES,
        },
    ],
}
