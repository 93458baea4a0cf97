"""Run every offline check on a local file and print the results and the verdict.

python manage.py inspect_media FILE [--json] [--trust-anchors PEM]
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from triage.evidence.base import CheckError, MediaFile
from triage.evidence.registry import check_for_kind, checks_for_media_type
from triage.evidence.verdict import Finding, fuse

PROVENANCE_KEYS = (
    "present",
    "validation_state",
    "trusted",
    "digital_source_types",
    "signer",
    "claim_generator",
    "failures",
)


class Command(BaseCommand):
    help = "Run the offline checks (C2PA, generator metadata, fingerprint banks) on a local file."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--json", action="store_true", help="print one JSON object")
        parser.add_argument("--trust-anchors", metavar="PEM", help="a PEM bundle of C2PA trust anchors")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file (give the path of a media file)")
        anchors = options.get("trust_anchors")
        if anchors and not Path(anchors).is_file():
            raise CommandError(f"--trust-anchors {anchors}: no such file (give a PEM bundle)")
        try:
            media = MediaFile.from_path(path)
        except OSError as exc:
            raise CommandError(f"{path}: cannot be read: {exc.strerror}") from exc

        checks = (
            checks_for_media_type(media.media_type, offline_only=True)
            if media.media_type != "unknown"
            else []
        )
        if media.media_type == "unknown":
            # Not a media type we triage: still look for provenance and metadata, which may explain it.
            checks = [check_for_kind("c2pa"), check_for_kind("metadata")]
        findings: list[Finding] = []
        results: dict[str, dict] = {}
        for check in checks:
            if check.kind == "c2pa" and anchors:
                check.trust_anchors_file = anchors
            try:
                found = check.run(media)
            except CheckError as exc:
                findings.append(Finding(kind=check.kind, ok=False, error=exc.message))
                results[check.kind] = {"failed": exc.message}
                continue
            findings.append(
                Finding(
                    kind=check.kind, ok=True, label=found.label, score=found.score, evidence=found.evidence
                )
            )
            results[check.kind] = {"label": found.label, "duration_ms": found.duration_ms, **found.evidence}
        verdict = fuse(findings, detectors={})

        c2pa = results.get("c2pa", {})
        report = {
            "sha256": media.sha256,
            "media_type": media.media_type,
            "provenance": {key: c2pa.get(key) for key in PROVENANCE_KEYS}
            | {
                "present": bool(c2pa.get("present")),
                "trusted": bool(c2pa.get("trusted")),
                "digital_source_types": c2pa.get("digital_source_types") or [],
                "failures": c2pa.get("failures") or [],
                "validation_state": c2pa.get("validation_state") or ("failed" if "failed" in c2pa else None),
            },
            "metadata_markers": results.get("metadata", {}).get("markers", []),
            "matches": results.get("fingerprint", {}).get("matches", []),
            "watermarks": results.get("watermark", {}).get("watermarks", []),
            "verdict": verdict.as_dict(),
        }
        if options["json"]:
            self.stdout.write(json.dumps(report, indent=2, ensure_ascii=False))
            return
        self._print_human(path, media.mime_type, report, results)

    def _print_human(self, path: Path, mime_type: str, report: dict, results: dict) -> None:
        out = self.stdout.write
        out(f"{path}  {report['media_type']} ({mime_type})  sha256 {report['sha256']}")
        prov = report["provenance"]
        if prov["present"]:
            trust = "trusted" if prov["trusted"] else "untrusted"
            out(
                f"C2PA: {prov['validation_state']} ({trust}), signer {prov['signer']}, "
                f"generator {prov['claim_generator']}"
            )
            if prov["digital_source_types"]:
                out(f"  declares: {', '.join(prov['digital_source_types'])}")
            if prov["failures"]:
                out(f"  failures: {', '.join(prov['failures'])}")
        else:
            out(f"C2PA: {prov['validation_state']}")
        for marker in report["metadata_markers"]:
            out(
                f"Metadata: {marker['source']} {marker['key']} = {str(marker['value'])[:80]} "
                f"({marker.get('generator')})"
            )
        for mark in report["watermarks"]:
            out(
                f"Watermark: {mark['generator']} "
                f"({mark['bits_matched']}/{mark['bits']} bits, invisible-watermark)"
            )
        for match in report["matches"]:
            out(
                f"Bank match: {match['bank']} ({match['purpose']}) distance {match['distance']} "
                f"→ {match['item']['original_name']} {match['item']['sha256'][:12]}"
            )
        for kind, result in results.items():
            if "failed" in result:
                out(self.style.WARNING(f"Check {kind} failed: {result['failed']}"))
        verdict = report["verdict"]
        out(self.style.SUCCESS(f"Verdict: {verdict['label']} (confidence {verdict['confidence']:.2f})"))
        for reason in verdict["reasons"]:
            out(f"  - {reason}")
