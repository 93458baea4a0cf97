"""Reality Defender, shaped after its public SDKs (realitydefender on PyPI, crates.io, npm).

Based on Reality-Defender/realitydefender-sdk-python (core/constants.py, detection/upload.py,
detection/results.py, client/http_client.py): every call carries header `X-API-KEY`;
1. `POST {base}/api/files/aws-presigned` with form field `fileName` answers
   `{"code": ..., "response": {"signedUrl": ...}, "errno": 0, "mediaId": ..., "requestId": ...}`;
2. the file is `PUT` to `signedUrl`;
3. `GET {base}/api/media/users/{requestId}` answers `{"resultsSummary": {"status": "ANALYZING" |
   "FAKE" | "ARTIFICIAL" | "AUTHENTIC" | "SUSPICIOUS" ..., "metadata": {"finalScore": 0-100}},
   "models": [{"name", "status", "finalScore"}]}`, polled until the status is not ANALYZING.
Options: `poll_interval` (seconds, default 2), `max_polls` (default 30).
"""

from __future__ import annotations

import time

from triage.evidence.base import CheckError, MediaFile

from .base import DetectorAdapter, DetectorAnswer, as_score, unreadable


class RealityDefenderAdapter(DetectorAdapter):
    def analyze(self, media: MediaFile) -> DetectorAnswer:
        base = self.config.base_url.rstrip("/")
        headers = {"Accept": "application/json"}
        if self.api_key:
            headers["X-API-KEY"] = self.api_key
        name = media.original_name or f"media-{media.sha256[:12]}"
        presigned = self.json_of(
            self.request("POST", f"{base}/api/files/aws-presigned", data={"fileName": name}, headers=headers)
        )
        try:
            request_id = str(presigned["requestId"])
            signed_url = presigned["response"]["signedUrl"]
        except (KeyError, TypeError):
            raise unreadable(self.config, "no requestId or signedUrl") from None
        # The signed URL carries its own authorisation: no API key goes to the storage host.
        self.request(
            "PUT",
            signed_url,
            data=media.path.read_bytes(),
            headers={"Content-Type": media.mime_type},
        )
        interval = float(self.options.get("poll_interval", 2.0))
        for attempt in range(int(self.options.get("max_polls", 30))):
            if attempt:
                time.sleep(interval)
            result = self.json_of(
                self.request("GET", f"{base}/api/media/users/{request_id}", headers=headers)
            )
            try:
                summary = result["resultsSummary"]
                status = str(summary["status"]).upper()
                if status in ("ANALYZING", "PROCESSING"):
                    continue
                score = as_score(summary["metadata"]["finalScore"], percent=True)
                models = [
                    {"name": m.get("name"), "status": m.get("status")}
                    for m in result.get("models") or []
                    if isinstance(m, dict) and m.get("status") != "NOT_APPLICABLE"
                ]
            except (KeyError, TypeError, ValueError) as exc:
                raise unreadable(self.config, f"{type(exc).__name__}: {exc}") from None
            status = "ARTIFICIAL" if status == "FAKE" else status
            return DetectorAnswer(
                score=score, label=status.lower(), details={"request_id": request_id, "models": models}
            )
        raise CheckError(f"{self.config.name}: still analyzing after polling", transient=True)
