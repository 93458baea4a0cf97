"""The decisions that must hold on real-looking input, as data (issue 11).

Each row is one piece of content reported through the real webhook, fetched and checked by the
real worker, and decided by the active default policy; `callback` names the decision callback the
platform must receive (checked on a loopback platform server), and `v1` what version 1 of the
default policy decides on the same inputs (the shadow run in docs/policy.md, generated from here).

Summaries of actions: "removal_hold@SK,IT" (the countries a hold names, or "@global"),
"label:<kind>/<language>/<direction>", "escalate:<reason>", "reduce_distribution", "no_action".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SK_TEXT = "Voľby sa presúvajú na pondelok. V sobotu nechoďte voliť, volebné miestnosti budú zatvorené."
SK_CLAIM = "Michal Šimečka: voľby sme už vyhrali, kúpili sme hlasy v rómskych osadách."
UR_SPEECH = "میں عمران خان ہوں۔ ہم نے انتخاب جیت لیا ہے۔"
EN_ROBOCALL = "What a bunch of malarkey. Save your vote for November. Voting this Tuesday only helps them."
IT_SPEECH = "Domani non si vota, le elezioni sono rinviate a lunedì."
AFP = {
    "rating": "false",
    "fact_checker": "AFP Fact Check",
    "published_at": "2023-09-29",
    "url": "https://factcheck.afp.com/doc.afp.com.33WY9LF",
}
LOW_REACH = {"views": 40, "shares": 2, "window_minutes": 60}
PTI = {"videoshare": ["pti-official"]}


@dataclass(frozen=True)
class Callback:
    """What the platform's callback must say (the parts a scenario is about)."""

    phase: str
    verdict: str | None  # None: still pending
    actions: list[str]
    rules: list[str]
    notes: tuple[str, ...] = ()  # each a substring of some note
    text: tuple[str, ...] = ()  # each a substring of the label's text
    covers_online: str | None = None  # phase_reason.covers_online, when in silence
    fact_checkers: tuple[str, ...] = ()  # verdict.fact_checks[*].fact_checker
    reasons: tuple[str, ...] = ()  # each a substring of some verdict reason
    review: bool | None = None  # the case awaits a human


@dataclass(frozen=True)
class Scenario:
    id: str
    behaviour: str  # "seed", "1" … "7": the numbered behaviour it shows
    why: str  # plain words, for the docs table
    voice: str  # espeak-ng voice
    speech: str
    callback: Callback
    v1: str  # version 1's outcome on the same inputs: "<actions> (<rules>)"
    audience: tuple[str, ...] = ("SK",)
    silence: dict[str, str] = field(default_factory=dict)  # country → covers_online ("yes" | "no")
    people: tuple[tuple[str, str, tuple[str, ...]], ...] = ()  # (name, country, aliases)
    likeness: tuple[str, dict] | None = None  # (person, accounts per platform) of an authorized voice
    detector: float | None = None  # the loopback detector's score; None: no detector configured
    bank: str | None = None  # "authentic" or "debunked": the original recording is banked first
    bank_fact_check: dict | None = None  # the debunked item's metadata["fact_check"]
    forge_ai_tag: bool = False  # an XMP chunk declaring trainedAlgorithmicMedia, added by anyone
    content: dict[str, Any] = field(default_factory=dict)
    report: dict[str, str] = field(
        default_factory=lambda: {"source": "user_report", "reason": "synthetic_media"}
    )
    more_reports: tuple[dict[str, str], ...] = ()  # further reports (events) about the same content
    reach: dict[str, int] = field(default_factory=lambda: dict(LOW_REACH))
    record_fact_check: dict | None = None  # recorded by a partner after the first decision


SIMECKA = ("Michal Šimečka", "SK", ("Šimečka", "Michal Simecka"))
KHAN = ("Imran Khan", "PK", ("عمران خان",))
BIDEN = ("Joe Biden", "US", ())
MELONI = ("Giorgia Meloni", "IT", ())

SCENARIOS: list[Scenario] = [
    # --- the case study's three cases ---------------------------------------------------------
    Scenario(
        id="seed_slovakia",
        behaviour="seed",
        why="Slovakia: an undisclosed cloned voice of a party leader in the silence window",
        voice="sk",
        speech=SK_CLAIM,
        silence={"SK": "yes"},
        people=(SIMECKA,),
        detector=0.97,
        content={
            "language": "sk",
            "subjects": ["Michal Šimečka"],
            "text": "Nahrávka Šimečku o kupovaní hlasov",
        },
        callback=Callback(
            phase="silence",
            verdict="likely_synthetic",
            actions=["removal_hold@SK", "label:likely_ai_generated/sk/ltr"],
            rules=["silence_hold_likely_synthetic"],
            text=("Michal Šimečka",),
            covers_online="yes",
            notes=("silence in SK covers online media",),
        ),
        v1="removal_hold, label:likely_ai_generated (silence_hold_likely_synthetic)",
    ),
    Scenario(
        id="seed_pakistan",
        behaviour="seed",
        why="Pakistan: the party's declared AI voice of its leader, uploaded by the party's account",
        voice="ur",
        speech=UR_SPEECH,
        audience=("PK",),
        people=(KHAN,),
        likeness=("Imran Khan", PTI),
        detector=0.97,
        content={
            "language": "ur",
            "subjects": ["Imran Khan"],
            "text": "عمران خان کا پیغام",
            "author": {"id": "7001", "handle": "@pti-official"},
            "creator_disclosure": {
                "ai_label": True,
                "text": "AI-generated voice of Imran Khan",
                "language": "en",
            },
        },
        callback=Callback(
            phase="normal",
            verdict="likely_synthetic",
            actions=["label:ai_generated_disclosed/ur/rtl"],
            rules=["authorized_likeness_disclosed"],
            text=("عمران خان",),
            notes=("creator disclosure in en, content in ur",),
            review=False,
        ),
        v1="label:ai_generated_disclosed (authorized_likeness_disclosed)",
    ),
    Scenario(
        id="seed_united_states",
        behaviour="seed",
        why="United States: a robocall with a cloned president's voice, reported as voter suppression",
        voice="en-us",
        speech=EN_ROBOCALL,
        audience=("US",),
        people=(BIDEN,),
        detector=0.97,
        content={"language": "en", "subjects": ["Joe Biden"], "text": "Robocall recording"},
        report={"source": "trusted_flagger", "reason": "voter_suppression"},
        callback=Callback(
            phase="normal",
            verdict="likely_synthetic",
            actions=["label:likely_ai_generated/en/ltr", "escalate:voter_suppression"],
            rules=["likely_synthetic_label", "escalate_voter_suppression_likely"],
        ),
        v1="label:likely_ai_generated, escalate:voter_suppression (likely_synthetic_voter_suppression)",
    ),
    # --- 1. fresh media in a silence window is never released on absence of evidence ----------
    Scenario(
        id="fresh_clip_in_silence",
        behaviour="1",
        why="A fresh Slovak clip of a candidate nobody banked, no detector, trusted flagger, in the silence",
        voice="sk",
        speech=SK_TEXT,
        silence={"SK": "yes"},
        people=(SIMECKA,),
        content={"language": "sk", "subjects": ["Michal Šimečka"], "text": "Šimečka: voľby sa presúvajú"},
        report={"source": "trusted_flagger", "reason": "voter_suppression"},
        reach={"views": 5000, "shares": 300, "window_minutes": 60},
        callback=Callback(
            phase="silence",
            verdict="no_signal",
            actions=["removal_hold@SK", "label:unverified/sk/ltr"],
            rules=["silence_hold_unconfirmed_public_figure"],
            review=True,
        ),
        v1="no_action (nothing_to_do)",
    ),
    Scenario(
        id="fresh_clip_outside_silence",
        behaviour="1",
        why="The same fresh clip with no silence window in force: review queue, 'unverified' at most",
        voice="sk",
        speech=SK_TEXT,
        people=(SIMECKA,),
        content={"language": "sk", "subjects": ["Michal Šimečka"], "text": "Šimečka: voľby sa presúvajú"},
        report={"source": "trusted_flagger", "reason": "voter_suppression"},
        reach={"views": 5000, "shares": 300, "window_minutes": 60},
        callback=Callback(
            phase="normal",
            verdict="no_signal",
            actions=["label:unverified/sk/ltr"],
            rules=["unconfirmed_trusted_report_review"],
            review=True,
        ),
        v1="no_action (nothing_to_do)",
    ),
    Scenario(
        id="trusted_report_in_silence",
        behaviour="1",
        why="No registered person named, but an authority reports election misinformation in the silence",
        voice="sk",
        speech=SK_TEXT,
        silence={"SK": "yes"},
        content={"language": "sk", "subjects": [], "text": "Voľby sa presúvajú na pondelok"},
        report={"source": "authority", "reason": "election_misinformation"},
        callback=Callback(
            phase="silence",
            verdict="no_signal",
            actions=["removal_hold@SK", "label:unverified/sk/ltr"],
            rules=["silence_hold_unconfirmed_trusted_report"],
        ),
        v1="no_action (nothing_to_do)",
    ),
    Scenario(
        id="several_users_in_silence",
        behaviour="1",
        why="Three users report election misinformation in the silence (threshold: 3)",
        voice="sk",
        speech=SK_TEXT,
        silence={"SK": "yes"},
        content={"language": "sk", "subjects": [], "text": "Voľby sa presúvajú na pondelok"},
        report={"source": "user_report", "reason": "election_misinformation"},
        more_reports=(
            {"source": "user_report", "reason": "election_misinformation"},
            {"source": "user_report", "reason": "voter_suppression"},
        ),
        callback=Callback(
            phase="silence",
            verdict="no_signal",
            actions=["removal_hold@SK", "label:unverified/sk/ltr"],
            rules=["silence_hold_unconfirmed_user_reports"],
        ),
        v1="no_action (nothing_to_do)",
    ),
    Scenario(
        id="one_user_in_silence",
        behaviour="1",
        why="Counter-case: one user report, nobody named, slow spread, no signal in the silence: no action",
        voice="sk",
        speech=SK_TEXT,
        silence={"SK": "yes"},
        content={"language": "sk", "subjects": [], "text": "Voľby sa presúvajú na pondelok"},
        report={"source": "user_report", "reason": "election_misinformation"},
        callback=Callback(
            phase="silence", verdict="no_signal", actions=["no_action"], rules=["nothing_to_do"]
        ),
        v1="no_action (nothing_to_do)",
    ),
    Scenario(
        id="fast_spread_in_silence",
        behaviour="1",
        why="Nobody named, one user report, but 5,300 views and shares an hour in the silence",
        voice="sk",
        speech=SK_TEXT,
        silence={"SK": "yes"},
        content={"language": "sk", "subjects": [], "text": "Voľby sa presúvajú na pondelok"},
        reach={"views": 5000, "shares": 300, "window_minutes": 60},
        callback=Callback(
            phase="silence",
            verdict="no_signal",
            actions=["removal_hold@SK", "label:unverified/sk/ltr"],
            rules=["silence_hold_unconfirmed_fast_spread"],
        ),
        v1="no_action (nothing_to_do)",
    ),
    # --- 2. escalation and review add up; a self-declaration switches nothing off ------------
    Scenario(
        id="satire_with_voter_suppression_report",
        behaviour="2",
        why="A satire tick on a cloned voice reported as voter suppression: labelled AND escalated",
        voice="en-us",
        speech=EN_ROBOCALL,
        audience=("US",),
        people=(BIDEN,),
        detector=0.97,
        content={
            "language": "en",
            "subjects": ["Joe Biden"],
            "text": "Just a parody",
            "creator_disclosure": {"satire": True, "language": "en"},
        },
        report={"source": "trusted_flagger", "reason": "voter_suppression"},
        callback=Callback(
            phase="normal",
            verdict="likely_synthetic",
            actions=["label:likely_ai_generated/en/ltr", "escalate:voter_suppression"],
            rules=["satire_likely_synthetic", "escalate_voter_suppression_likely"],
            notes=("satire or parody claimed by the creator",),
        ),
        v1="label:likely_ai_generated (satire_likely_synthetic)",
    ),
    Scenario(
        id="satire_without_report",
        behaviour="2",
        why="Counter-case: the same satire tick with no voter-suppression report: the label only",
        voice="en-us",
        speech="Hello, this is a parody of the president, for the comedy hour.",
        audience=("US",),
        people=(BIDEN,),
        detector=0.97,
        content={
            "language": "en",
            "subjects": ["Joe Biden"],
            "text": "Just a parody",
            "creator_disclosure": {"satire": True, "language": "en"},
        },
        callback=Callback(
            phase="normal",
            verdict="likely_synthetic",
            actions=["label:likely_ai_generated/en/ltr"],
            rules=["satire_likely_synthetic"],
            notes=("satire or parody claimed by the creator",),
        ),
        v1="label:likely_ai_generated (satire_likely_synthetic)",
    ),
    Scenario(
        id="satire_in_silence",
        behaviour="2",
        why="A satire tick on a cloned candidate's voice inside the silence: still held",
        voice="sk",
        speech=SK_CLAIM,
        silence={"SK": "yes"},
        people=(SIMECKA,),
        detector=0.97,
        content={
            "language": "sk",
            "subjects": ["Michal Šimečka"],
            "text": "Satira",
            "creator_disclosure": {"satire": True, "language": "sk"},
        },
        callback=Callback(
            phase="silence",
            verdict="likely_synthetic",
            actions=["removal_hold@SK", "label:likely_ai_generated/sk/ltr"],
            rules=["silence_hold_likely_synthetic"],
            notes=("satire or parody claimed by the creator",),
        ),
        v1="removal_hold, label:likely_ai_generated (silence_hold_likely_synthetic)",
    ),
    Scenario(
        id="ai_tick_with_voter_suppression_report",
        behaviour="2",
        why="A creator's AI tick on a voice reported as voter suppression: disclosed label, still escalated",
        voice="en-us",
        speech=EN_ROBOCALL,
        audience=("US",),
        people=(BIDEN,),
        detector=0.97,
        content={
            "language": "en",
            "subjects": ["Joe Biden"],
            "text": "AI voice",
            "creator_disclosure": {"ai_label": True, "language": "en"},
        },
        report={"source": "trusted_flagger", "reason": "voter_suppression"},
        callback=Callback(
            phase="normal",
            verdict="likely_synthetic",
            actions=["label:ai_generated_disclosed/en/ltr", "escalate:voter_suppression"],
            rules=["disclosed_by_creator", "escalate_voter_suppression_likely"],
        ),
        v1="label:ai_generated_disclosed (disclosed_by_creator)",
    ),
    # --- 4. the liar's dividend --------------------------------------------------------------
    Scenario(
        id="authentic_recording_with_forged_ai_tag",
        behaviour="4",
        why="An official recording from the authentic bank, re-posted with a forged XMP 'AI' tag",
        voice="en-us",
        speech="This is the official recording of the address tonight, as broadcast.",
        audience=("US",),
        people=(BIDEN,),
        bank="authentic",
        forge_ai_tag=True,
        content={"language": "en", "subjects": ["Joe Biden"], "text": "Proof it's AI, look at the tag"},
        callback=Callback(
            phase="normal",
            verdict="authentic_evidence",
            actions=["no_action"],
            rules=["authentic_evidence_to_human"],
            reasons=("CONFLICT: unsigned metadata claims AI generation",),
            review=True,
        ),
        v1="no_action (authentic_evidence_to_human)",
    ),
    Scenario(
        id="forged_ai_tag_alone",
        behaviour="4",
        why="Counter-case: the same AI tag on a recording nobody banked as authentic: disclosed",
        voice="en-us",
        speech="A recording with an AI tag and nothing else known about it.",
        audience=("US",),
        forge_ai_tag=True,
        content={"language": "en", "subjects": [], "text": "AI voice"},
        callback=Callback(
            phase="normal",
            verdict="disclosed_synthetic",
            actions=["label:ai_generated_disclosed/en/ltr"],
            rules=["disclosed_by_provenance"],
        ),
        v1="label:ai_generated_disclosed (disclosed_by_provenance)",
    ),
    Scenario(
        id="authentic_recording_in_silence",
        behaviour="4",
        why="An authentic-bank recording of a candidate in the silence, a detector calling it fake",
        voice="sk",
        speech="Toto je oficiálny záznam prejavu predsedu strany.",
        silence={"SK": "yes"},
        people=(SIMECKA,),
        detector=0.97,
        bank="authentic",
        content={"language": "sk", "subjects": ["Michal Šimečka"], "text": "Deepfake!"},
        callback=Callback(
            phase="silence",
            verdict="authentic_evidence",
            actions=["no_action"],
            rules=["authentic_evidence_to_human"],
            review=True,
        ),
        v1="no_action (authentic_evidence_to_human)",
    ),
    # --- 3. fact-checked media is its own signal ----------------------------------------------
    Scenario(
        id="debunked_bank_match",
        behaviour="3",
        why="A clip matching a debunked bank item rated false by a fact-checker, no silence",
        voice="en-us",
        speech="The polling stations will open a day later this year, everyone is saying so.",
        audience=("US",),
        bank="debunked",
        bank_fact_check=AFP,
        content={"language": "en", "subjects": [], "text": "They moved the vote"},
        callback=Callback(
            phase="normal",
            verdict="uncertain",
            actions=["label:disputed_by_fact_checkers/en/ltr"],
            rules=["fact_checked_label", "review_uncertain"],
            text=("Disputed by independent fact-checkers.", "AFP Fact Check", AFP["url"]),
            fact_checkers=("AFP Fact Check",),
        ),
        v1="label:unverified (uncertain_review)",
    ),
    Scenario(
        id="debunked_in_silence_reported_as_voter_suppression",
        behaviour="3",
        why="A debunked clip in the Slovak silence, reported as voter suppression: held and escalated",
        voice="sk",
        speech=SK_TEXT,
        silence={"SK": "yes"},
        bank="debunked",
        bank_fact_check={**AFP, "fact_checker": "Demagog.sk", "url": "https://demagog.sk/review/42"},
        content={"language": "sk", "subjects": [], "text": "Voľby sa presúvajú"},
        report={"source": "user_report", "reason": "voter_suppression"},
        callback=Callback(
            phase="silence",
            verdict="uncertain",
            actions=[
                "removal_hold@SK",
                "label:disputed_by_fact_checkers/sk/ltr",
                "escalate:voter_suppression",
            ],
            rules=[
                "silence_hold_fact_checked",
                "escalate_voter_suppression_fact_checked",
                "review_uncertain",
            ],
            text=("Demagog.sk", "https://demagog.sk/review/42"),
            fact_checkers=("Demagog.sk",),
        ),
        v1="label:unverified (uncertain_review)",
    ),
    Scenario(
        id="fact_check_recorded_by_a_partner",
        behaviour="3",
        why="A fresh clip no bank knows, then a partner records a fact-checker's 'manipulated' rating",
        voice="en-us",
        speech="Breaking, the election commission has cancelled the vote in the county.",
        audience=("US",),
        content={"language": "en", "subjects": [], "text": "Vote cancelled"},
        record_fact_check={
            "rating": "manipulated",
            "fact_checker": "PolitiFact",
            "published_at": "2024-01-23T10:00:00+00:00",
            "url": "https://www.politifact.com/factchecks/2024/jan/23/example/",
        },
        callback=Callback(
            phase="normal",
            verdict="no_signal",
            actions=["label:disputed_by_fact_checkers/en/ltr"],
            rules=["fact_checked_label"],
            text=("PolitiFact", "https://www.politifact.com/factchecks/2024/jan/23/example/"),
            fact_checkers=("PolitiFact",),
        ),
        v1="no_action (nothing_to_do)",
    ),
    # --- 7. silence scope and territory ------------------------------------------------------
    Scenario(
        id="italian_silence_does_not_cover_online",
        behaviour="7",
        why="The same cloned candidate in Italy's silence, whose law does not cover online media",
        voice="it",
        speech=IT_SPEECH,
        audience=("IT",),
        silence={"IT": "no"},
        people=(MELONI,),
        detector=0.97,
        content={"language": "it", "subjects": ["Giorgia Meloni"], "text": "Meloni: si vota lunedì"},
        callback=Callback(
            phase="silence",
            verdict="likely_synthetic",
            actions=["label:likely_ai_generated/it/ltr"],
            rules=["silence_offline_only_likely_synthetic"],
            covers_online="no",
            notes=("silence in IT does not cover online media",),
            review=True,
        ),
        v1="removal_hold, label:likely_ai_generated (silence_hold_likely_synthetic)",
    ),
    Scenario(
        id="slovak_and_italian_silence_at_once",
        behaviour="7",
        why="A clip shown in Slovakia and Italy, both silent: the hold names Slovakia only",
        voice="sk",
        speech=SK_CLAIM,
        audience=("IT", "SK"),
        silence={"SK": "yes", "IT": "no"},
        people=(SIMECKA,),
        detector=0.97,
        content={"language": "sk", "subjects": ["Michal Šimečka"], "text": "Nahrávka Šimečku"},
        callback=Callback(
            phase="silence",
            verdict="likely_synthetic",
            actions=["removal_hold@SK", "label:likely_ai_generated/sk/ltr"],
            rules=["silence_hold_likely_synthetic"],
            covers_online="yes",
            notes=("silence in SK covers online media", "silence in IT does not cover online media"),
        ),
        v1="removal_hold, label:likely_ai_generated (silence_hold_likely_synthetic)",
    ),
    # --- 5. the content's own language -------------------------------------------------------
    Scenario(
        id="declared_language",
        behaviour="5",
        why="A Pakistani post the platform declares English: the label is in English, no fallback",
        voice="en-us",
        speech="A message from Imran Khan to his supporters.",
        audience=("PK",),
        people=(KHAN,),
        detector=0.97,
        content={
            "language": "en",
            "subjects": ["Imran Khan"],
            "text": "A message from Imran Khan to supporters",
        },
        callback=Callback(
            phase="normal",
            verdict="likely_synthetic",
            actions=["label:likely_ai_generated/en/ltr"],
            rules=["likely_synthetic_label"],
            text=("Imran Khan",),
            review=False,
        ),
        v1="label:likely_ai_generated (likely_synthetic_label)",
    ),
    Scenario(
        id="short_roman_urdu_caption",
        behaviour="5",
        why="No declared language, a short Roman-Urdu caption: an Urdu label, the name in Urdu script",
        voice="ur",
        speech=UR_SPEECH,
        audience=("PK",),
        people=(KHAN,),
        detector=0.97,
        content={"language": "", "subjects": ["Imran Khan"], "text": "Khan sahab ka paigham suno"},
        callback=Callback(
            phase="normal",
            verdict="likely_synthetic",
            actions=["label:likely_ai_generated/ur/rtl"],
            rules=["likely_synthetic_label", "review_language_fallback"],
            text=("عمران خان",),
            notes=("likely transliterated ur",),
            review=True,
        ),
        v1="label:likely_ai_generated (likely_synthetic_label)",
    ),
    Scenario(
        id="no_text_no_language",
        behaviour="5",
        why="No declared language and no text at all: the audience country's language (PK → ur)",
        voice="ur",
        speech=UR_SPEECH,
        audience=("PK",),
        people=(KHAN,),
        detector=0.97,
        content={"language": "", "subjects": ["Imran Khan"], "text": ""},
        callback=Callback(
            phase="normal",
            verdict="likely_synthetic",
            actions=["label:likely_ai_generated/ur/rtl"],
            rules=["likely_synthetic_label", "review_language_fallback"],
            notes=("content language not declared (no text)",),
            review=True,
        ),
        v1="label:likely_ai_generated (likely_synthetic_label)",
    ),
    # --- 6. consent bound to who declared it -------------------------------------------------
    Scenario(
        id="stranger_with_the_same_voice",
        behaviour="6",
        why="Someone else's disclosed AI voice of Imran Khan: 'disclosed, not authorized', reviewed",
        voice="ur",
        speech=UR_SPEECH,
        audience=("PK",),
        people=(KHAN,),
        likeness=("Imran Khan", PTI),
        detector=0.97,
        content={
            "language": "ur",
            "subjects": ["Imran Khan"],
            "text": "عمران خان کا پیغام",
            "author": {"id": "99", "handle": "khan-fan-2024"},
            "creator_disclosure": {"ai_label": True, "text": "AI voice", "language": "en"},
        },
        callback=Callback(
            phase="normal",
            verdict="likely_synthetic",
            actions=["label:ai_generated_disclosed/ur/rtl"],
            rules=["disclosed_by_creator", "review_disclosed_not_authorized"],
            notes=("disclosed, not authorized",),
            review=True,
        ),
        v1="label:ai_generated_disclosed (disclosed_by_creator)",
    ),
    Scenario(
        id="stranger_with_the_same_voice_in_silence",
        behaviour="6",
        why="The stranger's disclosed AI voice during a Pakistani silence: held, a human decides",
        voice="ur",
        speech=UR_SPEECH,
        audience=("PK",),
        silence={"PK": "yes"},
        people=(KHAN,),
        likeness=("Imran Khan", PTI),
        detector=0.97,
        content={
            "language": "ur",
            "subjects": ["Imran Khan"],
            "text": "عمران خان کا پیغام",
            "author": {"id": "99", "handle": "khan-fan-2024"},
            "creator_disclosure": {"ai_label": True, "text": "AI voice", "language": "en"},
        },
        callback=Callback(
            phase="silence",
            verdict="likely_synthetic",
            actions=["removal_hold@PK", "label:ai_generated_disclosed/ur/rtl"],
            rules=["silence_hold_disclosed_not_authorized", "review_disclosed_not_authorized"],
            notes=("disclosed, not authorized",),
        ),
        v1="removal_hold, label:likely_ai_generated (silence_hold_likely_synthetic)",
    ),
    Scenario(
        id="authorized_uploader_in_silence",
        behaviour="6",
        why="Counter-case: the party's own account posts the declared voice in the silence: not held",
        voice="ur",
        speech=UR_SPEECH,
        audience=("PK",),
        silence={"PK": "yes"},
        people=(KHAN,),
        likeness=("Imran Khan", PTI),
        detector=0.97,
        content={
            "language": "ur",
            "subjects": ["Imran Khan"],
            "text": "عمران خان کا پیغام",
            "author": {"id": "7001", "handle": "pti-official"},
            "creator_disclosure": {"ai_label": True, "text": "AI voice", "language": "ur"},
        },
        callback=Callback(
            phase="silence",
            verdict="likely_synthetic",
            actions=["label:ai_generated_disclosed/ur/rtl"],
            rules=["authorized_likeness_disclosed"],
            review=False,
        ),
        v1="label:ai_generated_disclosed (authorized_likeness_disclosed)",
    ),
]


def action_summary(action: dict) -> str:
    kind = action.get("type")
    if kind == "removal_hold":
        return "removal_hold@" + (",".join(action["countries"]) if action.get("countries") else "global")
    if kind == "label":
        return f"label:{action['kind']}/{action['language']}/{action.get('direction')}"
    if kind == "escalate":
        return f"escalate:{action['reason']}"
    return kind


def brief(actions: list[dict], rules: list[str]) -> str:
    """Actions and rules the way the shadow table in docs/policy.md shows them."""
    parts = [f"{a['type']}:{a['kind']}" if a.get("kind") else a["type"] for a in actions]
    parts = [
        f"{p}:{a['reason']}" if a.get("type") == "escalate" else p
        for p, a in zip(parts, actions, strict=True)
    ]
    return f"{', '.join(parts)} ({', '.join(rules) or 'no rule'})"


def v2_brief(scenario: Scenario) -> str:
    """The expected callback of a scenario, in the shadow table's words."""
    out = []
    for summary in scenario.callback.actions:
        if summary.startswith("removal_hold"):
            out.append("removal_hold")
        elif summary.startswith("label:"):
            out.append("label:" + summary.split(":", 1)[1].split("/", 1)[0])
        else:
            out.append(summary)
    return f"{', '.join(out)} ({', '.join(scenario.callback.rules)})"


def shadow_table() -> str:
    """The docs' shadow run of version 1 against version 2 over these scenarios (markdown)."""
    lines = [
        "| scenario | behaviour | version 1 | version 2 |",
        "|---|---|---|---|",
    ]
    for s in SCENARIOS:
        lines.append(f"| `{s.id}`: {s.why} | {s.behaviour} | {s.v1} | {v2_brief(s)} |")
    return "\n".join(lines) + "\n"
