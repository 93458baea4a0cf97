"""Verdict fusion rules, as a table: findings in, label and reasons out."""

import pytest

from triage.evidence.verdict import DetectorPolicy, Finding, fuse


def c2pa(state, dsts=(), signer="Test Signer", failures=()):
    return Finding(
        kind="c2pa",
        ok=True,
        label=state,
        evidence={
            "present": state not in ("absent", "unparseable"),
            "validation_state": state,
            "trusted": state == "trusted",
            "digital_source_types": list(dsts),
            "signer": signer,
            "issuer": "Test Org",
            "claim_generator": "Gen 1.0",
            "failures": list(failures),
        },
    )


def xmp(dst, *, ai=True, capture=False):
    marker = {
        "source": "xmp",
        "key": "Iptc4xmpExt:DigitalSourceType",
        "value": dst,
        "generator": "Adobe Firefly",
    }
    return Finding(
        kind="metadata",
        ok=True,
        label="x",
        evidence={"markers": [marker | {"declares_ai": ai, "declares_capture": capture}]},
    )


def png_marker():
    marker = {"source": "png_text", "key": "parameters", "value": "Steps: 20", "generator": "AUTOMATIC1111"}
    return Finding(
        kind="metadata", ok=True, label="ai_declared", evidence={"markers": [marker | {"declares_ai": True}]}
    )


def bank(purpose, name="speech.wav"):
    match = {
        "bank": f"{purpose}-bank",
        "purpose": purpose,
        "distance": 3,
        "item": {"sha256": "ab" * 32, "original_name": name},
    }
    return Finding(kind="fingerprint", ok=True, label="match", evidence={"matches": [match]})


def watermark(generator="Stable Diffusion XL"):
    mark = {"payload": "sdxl", "generator": generator, "bits_matched": 48, "bits": 48}
    return Finding(kind="watermark", ok=True, label="found", evidence={"watermarks": [mark]})


def det(name, score):
    return Finding(kind=f"detector:{name}", ok=True, label="", score=score)


def failed(kind):
    return Finding(kind=kind, ok=False, error="boom")


POLICIES = {
    "hive": DetectorPolicy("hive", threshold=0.5),
    "rd": DetectorPolicy("rd", threshold=0.6),
    "own": DetectorPolicy("own", threshold=0.7, trusted=True),
    "noisy": DetectorPolicy("noisy", threshold=0.9),
}

CASES = [
    # (why, findings, expected label, a phrase the reasons must contain)
    ("nothing at all", [c2pa("absent")], "no_signal", "No provenance"),
    ("no findings whatever", [], "no_signal", "no detector reported"),
    (
        "valid untrusted C2PA declaring AI",
        [c2pa("valid", ["trainedAlgorithmicMedia"])],
        "disclosed_synthetic",
        "signed by Test Signer",
    ),
    (
        "trusted C2PA declaring AI edit",
        [c2pa("trusted", ["compositeWithTrainedAlgorithmicMedia"])],
        "disclosed_synthetic",
        "on the trust list",
    ),
    (
        "XMP declaring AI",
        [c2pa("absent"), xmp("trainedAlgorithmicMedia")],
        "disclosed_synthetic",
        "Adobe Firefly",
    ),
    ("PNG generator chunk", [png_marker()], "disclosed_synthetic", "AUTOMATIC1111"),
    (
        "disclosure wins over detectors saying real",
        [c2pa("valid", ["trainedAlgorithmicMedia"]), det("hive", 0.01)],
        "disclosed_synthetic",
        "declares",
    ),
    (
        "AI edit of an authentic original",
        [c2pa("valid", ["compositeWithTrainedAlgorithmicMedia"]), bank("authentic")],
        "disclosed_synthetic",
        "AI edit of an authentic original",
    ),
    (
        "invalid C2PA declaring AI is no disclosure",
        [c2pa("invalid", ["trainedAlgorithmicMedia"], failures=["claimSignature.mismatch"])],
        "uncertain",
        "FAILED validation",
    ),
    ("trusted capture", [c2pa("trusted", ["digitalCapture"])], "authentic_evidence", "declares a capture"),
    # The liar's dividend (issue 11): a tag anyone can write never outranks authentic evidence.
    (
        "unsigned XMP AI tag on an authentic-bank recording",
        [c2pa("absent"), xmp("trainedAlgorithmicMedia"), bank("authentic", "address.wav")],
        "authentic_evidence",
        "CONFLICT: unsigned metadata claims AI generation",
    ),
    # An open generator's invisible watermark (issue 16) discloses like a generator tag, and like one
    # it never outranks authentic evidence: its payloads are public, anyone can embed them.
    (
        "open generator watermark",
        [c2pa("absent"), watermark()],
        "disclosed_synthetic",
        "invisible Stable Diffusion XL watermark",
    ),
    (
        "open generator watermark on an authentic-bank photo",
        [c2pa("absent"), watermark(), bank("authentic", "press.png")],
        "authentic_evidence",
        "CONFLICT",
    ),
    (
        "no watermark found says nothing",
        [c2pa("absent"), Finding(kind="watermark", ok=True, label="none", evidence={"watermarks": []})],
        "no_signal",
        "No provenance",
    ),
    (
        "unsigned generator chunk on a trusted capture",
        [c2pa("trusted", ["digitalCapture"]), png_marker()],
        "authentic_evidence",
        "never outrank this evidence of authenticity",
    ),
    (
        "valid signed C2PA declaring AI still wins over an authentic-bank match",
        [c2pa("valid", ["trainedAlgorithmicMedia"]), bank("authentic")],
        "disclosed_synthetic",
        "signed by Test Signer",
    ),
    (
        "authentic bank match",
        [bank("authentic", "minister-speech.wav")],
        "authentic_evidence",
        "minister-speech.wav",
    ),
    (
        "authentic evidence survives detector votes",
        [bank("authentic"), det("hive", 0.99), det("own", 0.99)],
        "authentic_evidence",
        "a human should look",
    ),
    (
        "untrusted capture claim is not authentic evidence",
        [c2pa("valid", ["digitalCapture"])],
        "uncertain",
        "not on the trust list",
    ),
    (
        "XMP capture claim is not authentic evidence",
        [xmp("digitalCapture", ai=False, capture=True)],
        "uncertain",
        "easily edited",
    ),
    ("two votes agree", [det("hive", 0.9), det("rd", 0.8)], "likely_synthetic", "2 vote(s)"),
    ("a trusted vote counts double", [det("own", 0.95)], "likely_synthetic", "trusted"),
    ("one untrusted vote is too little", [det("hive", 0.9)], "uncertain", "not enough"),
    (
        "votes disagree",
        [det("hive", 0.9), det("rd", 0.9), det("own", 0.1)],
        "uncertain",
        "Detectors disagree",
    ),
    ("per-detector thresholds", [det("hive", 0.55), det("noisy", 0.8)], "uncertain", "Detectors unsure"),
    ("detectors all low", [det("hive", 0.05), det("rd", 0.1)], "no_signal", "little evidence"),
    (
        "known synthetic bank match",
        [bank("synthetic", "fake-robocall.mp3")],
        "likely_synthetic",
        "fake-robocall.mp3",
    ),
    ("debunked bank match alone", [bank("debunked", "old-flood-photo.jpg")], "uncertain", "debunked"),
    ("failed check, nothing else", [c2pa("absent"), failed("detector:hive")], "uncertain", "detector:hive"),
    ("unparseable file", [c2pa("unparseable")], "no_signal", "could not be parsed"),
]


@pytest.mark.parametrize("why, findings, label, phrase", CASES, ids=[c[0] for c in CASES])
def test_fusion_rule(why, findings, label, phrase):
    verdict = fuse(findings, POLICIES)

    assert verdict.label == label, verdict.reasons
    assert any(phrase in reason for reason in verdict.reasons), verdict.reasons
    assert 0.0 <= verdict.confidence <= 1.0


def test_tampered_provenance_is_the_first_reason_whatever_the_label():
    verdict = fuse(
        [
            c2pa("invalid", ["digitalCapture"], failures=["assertion.dataHash.mismatch"]),
            det("hive", 0.9),
            det("rd", 0.9),
        ],
        POLICIES,
    )

    assert verdict.label == "likely_synthetic"
    assert verdict.tampered_provenance is True
    assert verdict.reasons[0].startswith(
        "WARNING: the C2PA provenance FAILED validation (assertion.dataHash.mismatch)"
    )


def test_failed_checks_are_named_and_the_verdict_goes_on_without_them():
    verdict = fuse(
        [c2pa("valid", ["trainedAlgorithmicMedia"]), failed("detector:rd"), failed("fingerprint")], POLICIES
    )

    assert verdict.label == "disclosed_synthetic"
    assert verdict.failed_checks == ["detector:rd", "fingerprint"]
    assert "made without them: detector:rd, fingerprint" in verdict.reasons[-1]


def test_a_trusted_signature_is_more_confident_than_an_untrusted_one():
    trusted = fuse([c2pa("trusted", ["trainedAlgorithmicMedia"])], POLICIES)
    untrusted = fuse([c2pa("valid", ["trainedAlgorithmicMedia"])], POLICIES)

    assert trusted.confidence > untrusted.confidence


def test_detector_weight_multiplies_its_vote():
    heavy = {"hive": DetectorPolicy("hive", threshold=0.5, weight=2)}

    assert fuse([det("hive", 0.9)], heavy).label == "likely_synthetic"
    assert fuse([det("hive", 0.9)], {"hive": DetectorPolicy("hive", threshold=0.5)}).label == "uncertain"
