"""Partner fact-checks in the dashboard's frame, living with the partners' assessments.

Moderators see them, and confirm or dismiss a false/manipulated rating. Confirming adds the media
to the debunked bank (DEBUNKED_BANK_NAME).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from integrations.partners.assessments import assessment_debunk_review
from integrations.partners.models import DebunkState, PartnerAssessment
from triage.evidence.banks.models import BankPurpose
from triage.evidence.banks.services import UnparseableMediaError, bank_get_or_create
from triage.moderation.services import CaseLockedError, case_media_bank
from triage.moderation.views import case_for_request, moderator_required


def debunked_bank_id() -> int:

    return bank_get_or_create(name=settings.DEBUNKED_BANK_NAME, purpose=BankPurpose.DEBUNKED).pk


@require_POST
@moderator_required
def fact_check_review(request: HttpRequest, case_id: int, assessment_id: int) -> HttpResponse:
    case = case_for_request(request, case_id)
    assessment = PartnerAssessment.objects.filter(pk=assessment_id, case_id=case.pk).first()
    if assessment is None:
        raise Http404("No such fact-check on this case.")
    confirm = request.POST.get("decision") == "confirm"
    if assessment.debunk_state != DebunkState.AWAITING:
        messages.error(request, "This fact-check is not awaiting a confirmation.")
        return redirect("dashboard:case", case_id=case.pk)
    if confirm:
        try:
            # Fingerprinting decodes the file: outside any transaction, before the confirmation.
            case_media_bank(
                case_id=case.pk,
                media_item_id=assessment.media_item_id,
                bank_id=debunked_bank_id(),
                user=request.user,
                note=f"debunked by {assessment.partner.name}: {assessment.published_url}"[:500],
            )
        except CaseLockedError:
            messages.error(request, "Another moderator holds this case: ask them, or wait for the release.")
            return redirect("dashboard:case", case_id=case.pk)
        except (UnparseableMediaError, ValidationError, ValueError) as exc:
            messages.error(request, f"Could not add the media to the debunked bank: {exc}")
            return redirect("dashboard:case", case_id=case.pk)
    try:
        assessment_debunk_review(assessment_id=assessment.pk, user=request.user, confirmed=confirm)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, "Added to the debunked bank." if confirm else "Fact-check rating dismissed for the bank."
        )
    return redirect("dashboard:case", case_id=case.pk)
