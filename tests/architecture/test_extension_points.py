"""Adding a check or a detector vendor is one module plus one registry line."""

import pytest
from django.core.exceptions import ValidationError
from django.utils.module_loading import import_string

from integrations.detectors.base import DetectorAdapter
from triage.evidence.base import Check
from triage.evidence.models import DetectorConfig
from triage.evidence.registry import CHECKS, DETECTOR_ADAPTERS


@pytest.mark.parametrize("kind", sorted(CHECKS))
def test_every_registered_check_imports_as_a_check(kind):
    assert issubclass(import_string(CHECKS[kind][1]), Check)


@pytest.mark.parametrize("key", sorted(DETECTOR_ADAPTERS))
def test_every_registered_detector_adapter_imports_as_an_adapter(key):
    assert issubclass(import_string(DETECTOR_ADAPTERS[key][1]), DetectorAdapter)


@pytest.mark.django_db
def test_a_detector_config_names_a_registered_adapter_or_is_refused():
    config = DetectorConfig(name="acme", adapter="acme", base_url="https://acme.example/")
    with pytest.raises(ValidationError) as refused:
        config.full_clean()
    assert "adapter" in refused.value.message_dict
    config.adapter = "generic_json"
    config.full_clean()
