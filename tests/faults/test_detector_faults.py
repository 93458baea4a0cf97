"""A detector vendor that hangs, and one that answers garbage: the case is still decided, without
them, and the verdict says which checks it was made without. Real worker, real webhook, loopback
vendors."""

from __future__ import annotations

import pytest

from tests.checks.loopback import Answer, VendorServer
from tests.ingestion.helpers import make_wav, sample_event
from tests.kit.worker import poll
from triage.decisions.models import Decision
from triage.evidence.models import CheckResult, CheckState, DetectorConfig, Verdict

from .test_broker_outage import _post

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def web(live_server):
    return live_server.url


def test_a_hanging_and_a_garbling_detector_do_not_stop_the_decision(
    make_platform, media_server, celery_worker_process, web, default_policy
):
    # `default_policy`: inside the suite an earlier transactional test's flush removed the migration's
    # active policy, and without one the worker fuses the verdict but decides nothing ("no active
    # policy" in its log): that, not the detectors, is why this test once timed out only there.
    with VendorServer() as vendor:
        # Each call hangs past the 0.5 s timeout (retried with backoff, then given up) ...
        vendor.script("/hang", Answer(200, {"score": 0.99}, delay=3))
        # ... or answers something that is not the vendor's JSON.
        vendor.script("/garble", Answer(200, b"\x00\xff<html>upstream error</html>"))
        DetectorConfig.objects.create(
            name="hung",
            adapter="generic_json",
            base_url=f"{vendor.url}/hang",
            allow_private=True,
            timeout_seconds=0.5,
        )
        DetectorConfig.objects.create(
            name="garbled", adapter="generic_json", base_url=f"{vendor.url}/garble", allow_private=True
        )
        platform, secret = make_platform("videoshare")
        url = media_server.add("/robocall.wav", make_wav(), content_type="audio/wav")

        assert _post(web, platform, secret, sample_event("evt-det", media_url=url)).status_code == 202
        decision = poll(
            lambda: Decision.objects.filter(case__media_item__isnull=False, is_current=True).first(),
            # Four tries of the hanging vendor with backoff (5, 10, 20 s) take ~40 s; the slack is
            # for a loaded machine (one combined run under load average 11 took over 120 s).
            timeout=240,
            interval=0.5,
            message="the case to be decided without the failing detectors",
        )

    assert decision.decided_by == "policy"
    verdict = Verdict.objects.get(media_item=decision.case.media_item)
    assert sorted(verdict.failed_checks) == ["detector:garbled", "detector:hung"]
    assert any("made without them" in reason and "detector:hung" in reason for reason in verdict.reasons)
    hung = CheckResult.objects.get(kind="detector:hung")
    assert hung.state == CheckState.FAILED and hung.attempts >= 2  # retried, then given up
    assert CheckResult.objects.get(kind="detector:garbled").state == CheckState.FAILED
