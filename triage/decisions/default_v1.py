"""Version 1 of the default policy, as it shipped (first match only), kept verbatim.

Migration 0002 loads it as version 1; migration 0006_default_policy_v2 replaces it with the
current default (triage/decisions/default.py) when an installation still runs it unchanged, and the
shadow run in docs/policy.md compares the two over the scenario cases.
"""

SILENCE_REVIEW_MINUTES = 30
POST_SILENCE_REVIEW_MINUTES = 120
REVIEW_MINUTES = 240

UNCONFIRMED = ["uncertain", "pending"]
NOT_SILENCE = ["normal", "election_period"]

DEFAULT_RULES_V1 = {
    "schema": 1,
    "description": "Moratorium's default policy (docs/policy.md).",
    "rules": [
        {
            "name": "post_silence_keep_hold_likely",
            "description": "Likely synthetic media held because of a silence window stays held after "
            "the window closes, and a human decides: nothing is released silently.",
            "when": {
                "previous_hold_reason": {"in": ["silence", "post_silence"]},
                "phase": {"in": NOT_SILENCE},
                "verdict": {"equals": "likely_synthetic"},
            },
            "actions": [
                {
                    "type": "removal_hold",
                    "review_deadline_minutes": POST_SILENCE_REVIEW_MINUTES,
                    "hold_reason": "post_silence",
                },
                {"type": "label", "kind": "likely_ai_generated"},
            ],
        },
        {
            "name": "post_silence_keep_hold",
            "description": "A hold placed because of a silence window stays after the window closes, "
            "and a human decides: nothing is released silently.",
            "when": {
                "previous_hold_reason": {"in": ["silence", "post_silence"]},
                "phase": {"in": NOT_SILENCE},
            },
            "actions": [
                {
                    "type": "removal_hold",
                    "review_deadline_minutes": POST_SILENCE_REVIEW_MINUTES,
                    "hold_reason": "post_silence",
                },
                {"type": "label", "kind": "unverified"},
            ],
        },
        {
            "name": "authentic_evidence_to_human",
            "description": "Evidence of authenticity is never labelled as AI; a human looks "
            "(the liar's dividend: real recordings dismissed as fakes).",
            "when": {"verdict": {"equals": "authentic_evidence"}},
            "actions": [{"type": "no_action"}],
            "review_deadline_minutes": REVIEW_MINUTES,
        },
        {
            "name": "authorized_likeness_disclosed",
            "description": "A declared authorized likeness, disclosed by its creator: the disclosed "
            "label, no hold.",
            "when": {"consent": {"bool": True}, "creator_disclosed": {"bool": True}},
            "actions": [{"type": "label", "kind": "ai_generated_disclosed"}],
        },
        {
            "name": "silence_hold_likely_synthetic",
            "description": "In a silence window, likely synthetic media presenting a registered public "
            "figure without consent is held until a human decides, within minutes.",
            "when": {
                "phase": {"equals": "silence"},
                "verdict": {"equals": "likely_synthetic"},
                "public_figure_without_consent": {"bool": True},
            },
            "actions": [
                {
                    "type": "removal_hold",
                    "review_deadline_minutes": SILENCE_REVIEW_MINUTES,
                    "hold_reason": "silence",
                },
                {"type": "label", "kind": "likely_ai_generated"},
            ],
        },
        {
            "name": "silence_hold_unconfirmed",
            "description": "In a silence window, unconfirmed media (uncertain, or still being checked) "
            "presenting a registered public figure without consent is held too, labelled unverified.",
            "when": {
                "phase": {"equals": "silence"},
                "verdict": {"in": UNCONFIRMED},
                "public_figure_without_consent": {"bool": True},
            },
            "actions": [
                {
                    "type": "removal_hold",
                    "review_deadline_minutes": SILENCE_REVIEW_MINUTES,
                    "hold_reason": "silence",
                },
                {"type": "label", "kind": "unverified"},
            ],
        },
        {
            "name": "disclosed_by_provenance",
            "description": "Provenance or metadata declares AI generation: the disclosed label.",
            "when": {"verdict": {"equals": "disclosed_synthetic"}},
            "actions": [{"type": "label", "kind": "ai_generated_disclosed"}],
        },
        {
            "name": "disclosed_by_creator",
            "description": "The creator labelled it as AI: the disclosed label.",
            "when": {
                "creator_disclosed": {"bool": True},
                "verdict": {"in": ["likely_synthetic", *UNCONFIRMED, "no_signal"]},
            },
            "actions": [{"type": "label", "kind": "ai_generated_disclosed"}],
        },
        {
            "name": "satire_likely_synthetic",
            "description": "Claimed satire or parody outside a silence window: a label only.",
            "when": {
                "satire_claim": {"bool": True},
                "phase": {"in": NOT_SILENCE},
                "verdict": {"equals": "likely_synthetic"},
            },
            "actions": [{"type": "label", "kind": "likely_ai_generated"}],
        },
        {
            "name": "satire_unconfirmed",
            "description": "Claimed satire or parody, not confirmed synthetic, outside silence: at most "
            "the unverified label.",
            "when": {
                "satire_claim": {"bool": True},
                "phase": {"in": NOT_SILENCE},
                "verdict": {"equals": "uncertain"},
            },
            "actions": [{"type": "label", "kind": "unverified"}],
        },
        {
            "name": "likely_synthetic_voter_suppression",
            "description": "Likely synthetic and reported as voter suppression: the likely-AI label "
            "and an escalation to the lead.",
            "when": {
                "verdict": {"equals": "likely_synthetic"},
                "report_reasons": {"equals": "voter_suppression"},
            },
            "actions": [
                {"type": "label", "kind": "likely_ai_generated"},
                {"type": "escalate", "reason": "voter_suppression"},
            ],
        },
        {
            "name": "likely_synthetic_label",
            "description": "Likely synthetic: the likely-AI label.",
            "when": {"verdict": {"equals": "likely_synthetic"}},
            "actions": [{"type": "label", "kind": "likely_ai_generated"}],
        },
        {
            "name": "uncertain_review",
            "description": "Uncertain: never labelled fake; at most 'unverified', and a human reviews.",
            "when": {"verdict": {"equals": "uncertain"}},
            "actions": [{"type": "label", "kind": "unverified"}],
            "review_deadline_minutes": REVIEW_MINUTES,
        },
        {
            "name": "nothing_to_do",
            "description": "No signal, or checks still running outside silence: no action yet.",
            "when": {},
            "actions": [{"type": "no_action"}],
        },
    ],
}
