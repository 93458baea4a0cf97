"""The "detector:<name>" check: ask a configured detector vendor for a synthetic-media score."""

from __future__ import annotations

import os
import re

from django.utils.module_loading import import_string

from triage.evidence.base import Check, CheckError, CheckResult, MediaFile
from triage.evidence.models import DetectorConfig
from triage.evidence.registry import DETECTOR_ADAPTERS

from .circuit import circuit_is_open, circuit_record_failure, circuit_record_success


def default_key_env(name: str) -> str:
    return "DETECTOR_" + re.sub(r"[^A-Z0-9]", "_", name.upper()) + "_API_KEY"


class DetectorCheck(Check):
    version = "1"
    offline = False

    def __init__(self, *, name: str):
        self.name = name
        self.kind = f"detector:{name}"

    def applies_to(self, media_type: str) -> bool:
        return media_type in ("image", "audio", "video")

    def _run(self, media: MediaFile) -> CheckResult:

        config = DetectorConfig.objects.filter(name=self.name).first()
        if config is None or not config.enabled:
            raise CheckError(f"detector {self.name!r} is not configured or is disabled")
        if circuit_is_open(config):
            raise CheckError(
                f"{self.name}: skipped, circuit open after {config.consecutive_failures} failures "
                f"(until {config.circuit_open_until:%H:%M:%S} UTC; last error: {config.last_error})"
            )
        env_name = config.api_key_env or default_key_env(config.name)
        api_key = os.environ.get(env_name) or None
        if api_key is None and config.adapter != "generic_json":
            raise CheckError(f"{self.name}: the API key variable {env_name} is not set")
        adapter = import_string(DETECTOR_ADAPTERS[config.adapter][1])(config, api_key)
        try:
            answer = adapter.analyze(media)
        except CheckError as exc:
            if exc.retry_after is None:  # a 429 is the vendor pacing us, not the vendor failing
                circuit_record_failure(config_id=config.pk, error=exc.message)
            raise
        circuit_record_success(config_id=config.pk)
        return self.result(
            answer.label or ("synthetic" if answer.score >= config.threshold else "not_synthetic"),
            score=answer.score,
            detector=config.name,
            adapter=config.adapter,
            threshold=config.threshold,
            **answer.details,
        )
