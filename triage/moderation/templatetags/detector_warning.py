"""The dashboard's loud banner when no detector is configured (issue 11)."""

from __future__ import annotations

from django import template
from django.utils.html import format_html

from triage.evidence.selectors import NO_DETECTOR_WARNING, detectors_configured

register = template.Library()


@register.simple_tag
def no_detector_banner() -> str:
    """A warning banner on every dashboard page while no detector is enabled; nothing otherwise."""
    if detectors_configured():
        return ""
    return format_html(
        '<div class="banner-no-detector" role="alert"><strong>Warning:</strong> {}</div>', NO_DETECTOR_WARNING
    )
