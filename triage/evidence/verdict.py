"""Fuse check results into one verdict, with precedence for stronger evidence.

A pure function of the results and the detector policies: no database, no clock, so the rules are
tested as a table (tests/checks/test_verdict_rules.py). In order of precedence:

1. A valid signed C2PA manifest declaring AI generation → `disclosed_synthetic`, naming who
   signed it (it wins over everything below).
2. Trusted capture provenance (C2PA chaining to the trust list, declaring a capture) or a match in an
   authentic bank → `authentic_evidence`. Detector votes never turn this into "synthetic": when they
   disagree the reasons say so and a human decides. Unsigned AI metadata (an ID3, XMP, EXIF or PNG
   tag anyone can write) never outranks it either (the liar's dividend: tag a real recording "AI"
   and call it fake): the reasons name the conflicting tag and a human decides.
   Otherwise, unsigned XMP, a generator signature declaring AI or an open generator's invisible
   watermark → `disclosed_synthetic`.
3. Detector votes, TrueMedia-style: each detector's score at or above its own threshold is a vote;
   a trusted detector's vote counts double, times its weight. Two or more votes, outnumbering the
   detectors that found little → `likely_synthetic`. A match in the known-synthetic bank is
   likewise substantial evidence.
4. Any other signal (a single vote, disagreement, untrusted capture claims, tampered provenance, a
   debunked-bank match, a check that failed) → `uncertain`: never labelled fake automatically.
5. Nothing at all → `no_signal`.

Provenance that fails validation (tampered) is always the first reason, whatever the label.
Confidence is how strongly the evidence supports the label, in [0, 1].
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

AI_SOURCE_TYPES = frozenset(
    {
        "trainedAlgorithmicMedia",
        "compositeWithTrainedAlgorithmicMedia",
        "algorithmicMedia",
        "compositeSynthetic",
    }
)
CAPTURE_SOURCE_TYPES = frozenset({"digitalCapture", "computationalCapture", "negativeFilm", "positiveFilm"})
# TrueMedia's "uncertain" band sat between 0.33 and the 0.5 threshold: two thirds of the threshold.
UNCERTAIN_BAND = 2 / 3


@dataclass(frozen=True)
class Finding:
    """One check's outcome as fusion sees it."""

    kind: str
    ok: bool  # False when the check failed or timed out
    label: str = ""
    score: float | None = None
    evidence: Mapping[str, Any] = field(default_factory=dict)
    error: str = ""


@dataclass(frozen=True)
class DetectorPolicy:
    name: str
    threshold: float = 0.5
    weight: int = 1
    trusted: bool = False

    @property
    def vote_weight(self) -> int:
        return self.weight * (2 if self.trusted else 1)


@dataclass
class VerdictOutcome:
    label: str
    confidence: float
    reasons: list[str]
    failed_checks: list[str]
    tampered_provenance: bool = False
    votes_for: int = 0
    votes_against: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {"label": self.label, "confidence": round(self.confidence, 2), "reasons": self.reasons}


def _who_signed(c2pa: Mapping[str, Any]) -> str:
    signer = c2pa.get("signer") or "an unnamed signer"
    parts = [f"signed by {signer}"]
    if c2pa.get("issuer") and c2pa.get("issuer") != signer:
        parts.append(f"(certificate issued to {c2pa['issuer']})")
    if c2pa.get("claim_generator"):
        parts.append(f"with {c2pa['claim_generator']}")
    return " ".join(parts)


def fuse(findings: Iterable[Finding], detectors: Mapping[str, DetectorPolicy]) -> VerdictOutcome:
    """Return the verdict for one media item's findings."""
    findings = list(findings)
    failed = sorted(f.kind for f in findings if not f.ok)
    by_kind = {f.kind: f for f in findings if f.ok}
    lead: list[str] = []  # reasons that come first whatever the label
    notes: list[str] = []  # context that follows the label's own reasons

    # --- provenance -----------------------------------------------------------------------------
    c2pa = dict(by_kind["c2pa"].evidence) if "c2pa" in by_kind else {}
    state = c2pa.get("validation_state")
    dsts = set(c2pa.get("digital_source_types") or [])
    c2pa_valid = state in ("valid", "trusted")
    tampered = state == "invalid"
    if tampered:
        codes = ", ".join(c2pa.get("failures") or []) or "no code given"
        lead.append(
            f"WARNING: the C2PA provenance FAILED validation ({codes}): the file was altered after "
            f"signing or the manifest is forged. It was {_who_signed(c2pa)}."
        )
    elif state == "unparseable":
        notes.append("The file could not be parsed for C2PA provenance (malformed or hostile file).")
    elif state == "not_checked":
        notes.append("The file points at a remote C2PA manifest, which was not fetched (not checked).")

    ai_disclosures: list[tuple[float, str]] = []
    signed_ai = c2pa_valid and bool(dsts & AI_SOURCE_TYPES)
    if signed_ai:
        trust = "on the trust list" if state == "trusted" else "valid but not on the trust list"
        ai_disclosures.append(
            (
                0.97 if state == "trusted" else 0.9,
                f"C2PA provenance ({trust}) declares {', '.join(sorted(dsts & AI_SOURCE_TYPES))}; "
                f"it was {_who_signed(c2pa)}.",
            )
        )
    meta = by_kind.get("metadata")
    markers = list(meta.evidence.get("markers") or []) if meta else []
    for marker in markers:
        if not marker.get("declares_ai"):
            continue
        by = f" by {marker['generator']}" if marker.get("generator") else ""
        if marker.get("source") == "xmp":
            ai_disclosures.append(
                (0.85, f"XMP metadata declares {marker['value']} (IPTC DigitalSourceType){by}.")
            )
        else:
            where = {
                "exif_software": "EXIF Software",
                "id3": f"ID3 frame '{marker['key']}'",
            }.get(marker.get("source"), f"PNG text chunk '{marker['key']}'")
            ai_disclosures.append((0.8, f"{where} names a generator: {marker.get('generator')}."))
    capture_markers = [m for m in markers if m.get("declares_capture")]
    # An open generator's invisible watermark: strong evidence of where the pixels came from, but the
    # payloads are public, so (like an unsigned tag) it never outranks evidence of authenticity.
    watermark = by_kind.get("watermark")
    for mark in list(watermark.evidence.get("watermarks") or []) if watermark else []:
        ai_disclosures.append(
            (
                0.8,
                f"An invisible {mark.get('generator')} watermark is embedded in the pixels "
                f"(invisible-watermark DWT-DCT, {mark.get('bits_matched')}/{mark.get('bits')} bits).",
            )
        )

    # --- banks ------------------------------------------------------------------------------------
    fingerprint = by_kind.get("fingerprint")
    matches = list(fingerprint.evidence.get("matches") or []) if fingerprint else []

    def describe(match: Mapping[str, Any]) -> str:
        item = match.get("item") or {}
        name = item.get("original_name") or (item.get("sha256") or "")[:12]
        return f"'{name}' in bank {match.get('bank')} (distance {match.get('distance')})"

    authentic_matches = [m for m in matches if m.get("purpose") == "authentic"]
    synthetic_matches = [m for m in matches if m.get("purpose") == "synthetic"]
    debunked_matches = [m for m in matches if m.get("purpose") == "debunked"]

    # --- detector votes ---------------------------------------------------------------------------
    votes_for = votes_against = 0
    vote_lines: list[str] = []
    high: list[str] = []
    unsure: list[str] = []
    low: list[str] = []
    for f in findings:
        if not f.kind.startswith("detector:") or not f.ok or f.score is None:
            continue
        name = f.kind.split(":", 1)[1]
        policy = detectors.get(name) or DetectorPolicy(name=name)
        if f.score >= policy.threshold:
            votes_for += policy.vote_weight
            high.append(
                f"{name} ({f.score:.2f} ≥ {policy.threshold:.2f}{', trusted' if policy.trusted else ''})"
            )
        elif f.score >= policy.threshold * UNCERTAIN_BAND:
            unsure.append(f"{name} ({f.score:.2f})")
        else:
            votes_against += policy.vote_weight
            low.append(f"{name} ({f.score:.2f})")
    if high:
        vote_lines.append(f"Detectors voting synthetic: {', '.join(high)}.")
    if unsure:
        vote_lines.append(f"Detectors unsure: {', '.join(unsure)}.")
    if low:
        vote_lines.append(f"Detectors finding little evidence of synthesis: {', '.join(low)}.")
    detectors_ran = bool(high or unsure or low)

    if failed:
        notes.append(
            f"These checks failed or timed out and the verdict was made without them: {', '.join(failed)}."
        )

    def outcome(label: str, confidence: float, reasons: list[str]) -> VerdictOutcome:
        return VerdictOutcome(
            label=label,
            confidence=max(0.0, min(1.0, confidence)),
            reasons=lead + reasons + notes,
            failed_checks=failed,
            tampered_provenance=tampered,
            votes_for=votes_for,
            votes_against=votes_against,
        )

    trusted_capture = state == "trusted" and bool(dsts & CAPTURE_SOURCE_TYPES)
    # 1. Disclosed as synthetic by signed provenance, or (without authentic evidence) by metadata.
    if ai_disclosures and (signed_ai or not (trusted_capture or authentic_matches)):
        ai_disclosures.sort(key=lambda d: -d[0])
        reasons = [text for _, text in ai_disclosures]
        if authentic_matches:
            reasons.append(
                "It also matches authentic media ("
                + "; ".join(describe(m) for m in authentic_matches)
                + "): likely an AI edit of an authentic original."
            )
        return outcome("disclosed_synthetic", ai_disclosures[0][0], reasons + vote_lines)

    # 2. Evidence of authenticity (an unsigned AI tag beside it is a conflict for a human).
    if trusted_capture or authentic_matches:
        reasons = []
        confidence = 0.0
        if trusted_capture:
            reasons.append(
                f"C2PA provenance on the trust list declares a capture "
                f"({', '.join(sorted(dsts & CAPTURE_SOURCE_TYPES))}); it was {_who_signed(c2pa)}."
            )
            confidence = 0.9
        if authentic_matches:
            reasons.append(
                "Matches authentic media: " + "; ".join(describe(m) for m in authentic_matches) + "."
            )
            confidence = 0.95 if trusted_capture else 0.85
        if ai_disclosures:
            reasons.append(
                "CONFLICT: unsigned metadata claims AI generation ("
                + " ".join(text for _, text in ai_disclosures)
                + ") but such tags can be written by anyone and never outrank this evidence of "
                "authenticity; a human should look."
            )
            confidence -= 0.2
        if votes_for:
            reasons.append(
                "Detectors disagree with this evidence; detector votes alone never override it, "
                "so a human should look."
            )
            confidence -= 0.2
        return outcome("authentic_evidence", confidence, reasons + vote_lines)

    # 3. Votes agreeing (or a known-synthetic bank match).
    if synthetic_matches:
        reasons = [
            "Matches known synthetic media: " + "; ".join(describe(m) for m in synthetic_matches) + "."
        ]
        confidence = 0.9 if votes_against < 2 else 0.7
        return outcome("likely_synthetic", confidence, reasons + vote_lines)
    if votes_for >= 2 and votes_for > votes_against:
        confidence = min(0.9, 0.55 + 0.1 * votes_for) - 0.1 * votes_against
        return outcome(
            "likely_synthetic",
            confidence,
            [f"Detectors agree: {votes_for} vote(s) for synthetic against {votes_against}."] + vote_lines,
        )

    # 4. Some signal, but not enough or not agreeing.
    reasons = []
    if votes_for:
        reasons.append(
            f"Detectors disagree or too few agree ({votes_for} vote(s) for synthetic, "
            f"{votes_against} against): not enough to call it."
        )
    elif unsure:
        reasons.append("Detectors are unsure.")
    if c2pa_valid and dsts & CAPTURE_SOURCE_TYPES:
        reasons.append(
            "C2PA provenance declares a capture but its signer is not on the trust list; "
            f"it was {_who_signed(c2pa)}."
        )
    for marker in capture_markers:
        reasons.append(f"XMP metadata declares {marker['value']} (unsigned, easily edited).")
    if debunked_matches:
        reasons.append(
            "Matches previously debunked media: " + "; ".join(describe(m) for m in debunked_matches) + "."
        )
    other_markers = [m for m in markers if not m.get("declares_ai") and not m.get("declares_capture")]
    for marker in other_markers:
        reasons.append(f"Metadata hint: {marker.get('key')} = {marker.get('value')!s:.80}.")
    if reasons or tampered or failed or unsure:
        return outcome("uncertain", 0.5 if votes_for else 0.4, reasons + vote_lines)

    # 5. Nothing points anywhere.
    if detectors_ran:
        return outcome(
            "no_signal",
            min(0.8, 0.4 + 0.1 * votes_against),
            ["No provenance, no generator metadata, no bank match."] + vote_lines,
        )
    return outcome(
        "no_signal",
        0.3,
        ["No provenance, no generator metadata, no bank match, and no detector reported."],
    )
