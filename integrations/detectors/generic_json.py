"""A generic adapter for an operator's own model server.

`POST {base_url}` with the file as multipart field `file` (plus fields `media_type`, `mime_type`,
`sha256`), header `Authorization: Bearer <key>` when a key is configured. The answer is JSON with a
score in [0, 1] (or 0-100) under `score`, or under the key named by option `score_field`
(dotted paths such as "result.synthetic_probability" work); an optional `label` is kept.
"""

from __future__ import annotations

from urllib3 import encode_multipart_formdata

from triage.evidence.base import MediaFile

from .base import DetectorAdapter, DetectorAnswer, as_score, unreadable


class GenericJsonAdapter(DetectorAdapter):
    def analyze(self, media: MediaFile) -> DetectorAnswer:
        body, content_type = encode_multipart_formdata(
            {
                "file": (
                    media.original_name or f"media-{media.sha256[:12]}",
                    media.path.read_bytes(),
                    media.mime_type,
                ),
                "media_type": media.media_type,
                "mime_type": media.mime_type,
                "sha256": media.sha256,
            }
        )
        headers = {"Content-Type": content_type, "Accept": "application/json"}
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        answer = self.json_of(self.request("POST", self.config.base_url, data=body, headers=headers))
        path = str(self.options.get("score_field", "score")).split(".")
        value = answer
        try:
            for part in path:
                value = value[part]
            score = as_score(value)
        except (KeyError, TypeError, ValueError) as exc:
            raise unreadable(self.config, f"no usable {'.'.join(path)}: {exc}") from None
        label = answer.get("label") if isinstance(answer, dict) else None
        return DetectorAnswer(score=score, label=str(label or ""))
