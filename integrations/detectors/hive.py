"""Hive's AI-generated media detection, shaped after its public API reference.

Based on docs.thehive.ai ("Submit a task synchronously", "AI-Generated Image and Video Detection",
"AI-Generated Audio Detection", "Response Format Reference"): `POST {base}/api/v2/task/sync` with
header `Authorization: Token <key>` and the file as multipart field `media`. The answer is
`{"status": [{"status": {"code": "0", "message": "SUCCESS"}, "response": {"output": [{"time": 0,
"classes": [{"class": "ai_generated", "score": 0.99}, {"class": "not_ai_generated", ...},
{"class": "midjourney", ...}, {"class": "deepfake", ...}]}]}}]}`: one output per frame (video) or
per 20-second chunk (audio). Our score is the highest `ai_generated` (or `deepfake`) score over
all outputs; the likeliest source class is kept as a hint.
"""

from __future__ import annotations

from urllib3 import encode_multipart_formdata

from triage.evidence.base import MediaFile

from .base import DetectorAdapter, DetectorAnswer, as_score, unreadable

SYNTHETIC_CLASSES = ("ai_generated", "deepfake")
NOT_SOURCES = {"ai_generated", "not_ai_generated", "deepfake", "none", "inconclusive", "inconclusive_video"}


class HiveAdapter(DetectorAdapter):
    path = "/api/v2/task/sync"

    def analyze(self, media: MediaFile) -> DetectorAnswer:
        body, content_type = encode_multipart_formdata(
            {
                "media": (
                    media.original_name or f"media-{media.sha256[:12]}",
                    media.path.read_bytes(),
                    media.mime_type,
                )
            }
        )
        headers = {"Content-Type": content_type, "Accept": "application/json"}
        if self.api_key:
            headers["Authorization"] = f"Token {self.api_key}"
        response = self.request(
            "POST", self.config.base_url.rstrip("/") + self.path, data=body, headers=headers
        )
        answer = self.json_of(response)
        try:
            task = answer["status"][0]
            code = str(task["status"].get("code", "0"))
            if code != "0":
                raise unreadable(self.config, f"task status {code} {task['status'].get('message', '')}")
            outputs = task["response"]["output"]
            best = 0.0
            sources: dict[str, float] = {}
            seen = False
            for output in outputs:
                for cls in output["classes"]:
                    name, score = cls["class"], as_score(cls["score"])
                    if name in SYNTHETIC_CLASSES:
                        best, seen = max(best, score), True
                    elif name not in NOT_SOURCES:
                        sources[name] = max(sources.get(name, 0.0), score)
        except (KeyError, IndexError, TypeError, ValueError, AttributeError) as exc:
            raise unreadable(self.config, f"{type(exc).__name__}: {exc}") from None
        if not seen:
            raise unreadable(self.config, "no ai_generated or deepfake class in the output")
        top_source = max(sources, key=lambda name: sources[name]) if sources else None
        return DetectorAnswer(
            score=best,
            label="ai_generated" if best >= 0.5 else "not_ai_generated",
            details={"likely_source": top_source, "outputs": len(outputs)},
        )
