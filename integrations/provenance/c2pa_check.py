"""The "c2pa" check: is there a C2PA manifest, does it validate, who signed it, what does it declare."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from triage.evidence.base import Check, CheckError, CheckResult, MediaFile

from .c2pa_reader import read_c2pa
from .metadata import container_problem

# Containers c2pa-python reads (Reader.get_supported_mime_types()), by the mime types we sniff.
SUPPORTED_MIME_TYPES = frozenset(
    {
        "image/jpeg",
        "image/png",
        "image/webp",
        "image/gif",
        "image/tiff",
        "image/heic",
        "image/avif",
        "audio/wav",
        "audio/mpeg",
        "audio/mp4",
        "audio/flac",
        "video/mp4",
        "video/quicktime",
    }
)


class C2paCheck(Check):
    kind = "c2pa"
    version = "1"

    def __init__(self, *, trust_anchors_file: str | None = None, timeout: float | None = None):
        # None means "use the settings"; inspect_media passes --trust-anchors through here.
        self.trust_anchors_file = trust_anchors_file
        self.timeout = timeout

    def _run(self, media: MediaFile) -> CheckResult:
        anchors = self.trust_anchors_file or settings.C2PA_TRUST_ANCHORS_FILE or None
        if anchors and not Path(anchors).is_file():
            raise CheckError(f"the C2PA trust list {anchors!r} is not a readable file")
        if media.mime_type not in SUPPORTED_MIME_TYPES:
            report = {
                "present": False,
                "validation_state": "unsupported",
                "trusted": False,
                "digital_source_types": [],
                "signer": None,
                "issuer": None,
                "claim_generator": None,
                "failures": [],
                "remote_manifest": None,
                "error": f"C2PA is not read from {media.mime_type} files",
            }
        else:
            timeout = self.timeout or float(settings.C2PA_READ_TIMEOUT_SECONDS)
            report = read_c2pa(
                media.path, mime_type=media.mime_type, trust_anchors_file=anchors, timeout=timeout
            )
            if report["validation_state"] == "absent":
                # c2pa-rs reports "no manifest" for some garbage that merely starts like a JPEG;
                # a file that is not a well-formed container is unparseable, not "without provenance".
                problem = container_problem(media.path, media.mime_type)
                if problem:
                    report.update(validation_state="unparseable", error=problem)
        report["trust_list_configured"] = bool(anchors)
        return self.result(report["validation_state"], **report)
