"""The registry of check kinds.

As healthchecks registers its transports, each kind maps to a display name and the dotted path of
its class, imported only when used. Adding a check is one package and one line here (see
docs/checks.md). The "detector" entry is special: it expands to one kind per enabled
DetectorConfig row, spelled "detector:<name>".
"""

from __future__ import annotations

from django.utils.module_loading import import_string

from .base import Check

CHECKS: dict[str, tuple[str, str]] = {
    "c2pa": ("C2PA provenance", "integrations.provenance.c2pa_check.C2paCheck"),
    "metadata": ("Generator metadata", "integrations.provenance.metadata_check.MetadataCheck"),
    "fingerprint": ("Fingerprint banks", "triage.checks.fingerprint.FingerprintCheck"),
    "detector": ("Detector vendor", "integrations.detectors.check.DetectorCheck"),
}

DETECTOR_PREFIX = "detector:"


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
        from .models import DetectorConfig

        for config in DetectorConfig.objects.filter(enabled=True):
            if not config.media_types or media_type in config.media_types:
                found.append(check_for_kind(config.check_kind))
    return found


def check_display_name(kind: str) -> str:
    if kind.startswith(DETECTOR_PREFIX):
        return f"Detector {kind[len(DETECTOR_PREFIX) :]}"
    return CHECKS.get(kind, (kind, ""))[0]
