"""The registry of check kinds.

As healthchecks registers its transports, each kind maps to a display name and the dotted path of
its class, imported only when used. Adding a check is one package and one line here (see
docs/checks.md). The "detector" entry is special: it expands to one kind per enabled
DetectorConfig row, spelled "detector:<name>".
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.module_loading import import_string

from .base import Check

CHECKS: dict[str, tuple[str, str]] = {
    "c2pa": ("C2PA provenance", "integrations.provenance.c2pa_check.C2paCheck"),
    "metadata": ("Generator metadata", "integrations.provenance.metadata_check.MetadataCheck"),
    "watermark": ("Invisible generator watermark", "integrations.provenance.watermark_check.WatermarkCheck"),
    "fingerprint": ("Fingerprint banks", "triage.evidence.fingerprint.FingerprintCheck"),
    "detector": ("Detector vendor", "integrations.detectors.check.DetectorCheck"),
}

DETECTOR_PREFIX = "detector:"

# Detector vendors: adapter key -> (display name, dotted path of its DetectorAdapter subclass).
# Adding a vendor is one adapter module in integrations/detectors/ and one line here; the key is
# what DetectorConfig.adapter stores (validated against this list, so no migration is needed).
DETECTOR_ADAPTERS: dict[str, tuple[str, str]] = {
    "hive": (
        "Hive (AI-generated media detection, v2 task/sync)",
        "integrations.detectors.hive.HiveAdapter",
    ),
    "reality_defender": (
        "Reality Defender (presigned upload + media result)",
        "integrations.detectors.reality_defender.RealityDefenderAdapter",
    ),
    "generic_json": ("Generic JSON model server", "integrations.detectors.generic_json.GenericJsonAdapter"),
}


def detector_adapter_choices() -> list[tuple[str, str]]:
    return [(key, name) for key, (name, _) in DETECTOR_ADAPTERS.items()]


def detector_adapter_validate(value: str) -> None:
    """Model-field validator: the adapter must be registered in DETECTOR_ADAPTERS."""

    if value not in DETECTOR_ADAPTERS:
        known = ", ".join(sorted(DETECTOR_ADAPTERS))
        raise ValidationError(f"Unknown detector adapter {value!r}: one of {known}.")


def check_for_kind(kind: str) -> Check:
    """Instantiate the check for a kind ("c2pa", "detector:hive-prod" …)."""
    if kind.startswith(DETECTOR_PREFIX):
        cls = import_string(CHECKS["detector"][1])
        return cls(name=kind[len(DETECTOR_PREFIX) :])
    try:
        _, path = CHECKS[kind]
    except KeyError:
        raise LookupError(f"no check registered as {kind!r}") from None
    return import_string(path)()


def checks_for_media_type(media_type: str, *, offline_only: bool = False) -> list[Check]:
    """Every check that applies to this media type: built-ins, then each enabled detector."""
    found: list[Check] = []
    for kind in CHECKS:
        if kind == "detector":
            continue
        check = check_for_kind(kind)
        if check.applies_to(media_type) and not (offline_only and not check.offline):
            found.append(check)
    if not offline_only:
        # the models import this module (the adapter validator)
        from .models import DetectorConfig

        for config in DetectorConfig.objects.filter(enabled=True):
            if not config.media_types or media_type in config.media_types:
                found.append(check_for_kind(config.check_kind))
    return found


def check_display_name(kind: str) -> str:
    if kind.startswith(DETECTOR_PREFIX):
        return f"Detector {kind[len(DETECTOR_PREFIX) :]}"
    return CHECKS.get(kind, (kind, ""))[0]
