"""Dead letters in the moderators' dashboard: callbacks that gave up, and retrying one.

These pages sit in the dashboard's frame and follow its access rules (moderators; escalated cases
are the leads'), but they live with the callbacks, whose outbox they show.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from triage.moderation import selectors as dashboard_selectors
from triage.moderation.roles import user_is_lead
from triage.moderation.views import moderator_required

from .models import Delivery
from .selectors import deliveries_dead
from .services import delivery_retry


@require_GET
@moderator_required
def deliveries_dead_list(request: HttpRequest) -> HttpResponse:
    """List decision callbacks that gave up (dead letters), newest first, with a retry button each."""
    case_id = request.GET.get("case") or ""
    # isdigit alone accepts "²" and other scripts' digits ("١٢"), which no case id is.
    plain = case_id.isascii() and case_id.isdigit() and len(case_id) <= 18
    deliveries = deliveries_dead(case_id=int(case_id) if plain else None)
    if not user_is_lead(request.user):
        # Escalated cases are the leads': their deliveries too.
        deliveries = deliveries.exclude(
            pk__in=dashboard_selectors.deliveries_of_escalated_cases(deliveries=deliveries)
        )
    page = Paginator(deliveries, 50).get_page(request.GET.get("page"))
    return render(request, "dashboard/deliveries_dead.html", {"page": page})


@require_POST
@moderator_required
def delivery_retry_view(request: HttpRequest, delivery_id: int) -> HttpResponse:
    delivery = Delivery.objects.select_related("decision").filter(pk=delivery_id).first()
    if delivery is None:
        raise Http404("No such delivery.")
    # The same rights as on the case itself.
    case = dashboard_selectors.case_for_dashboard(case_id=delivery.decision.case_id)
    if case is None:
        raise Http404("No such case.")
    if getattr(case, "escalated", False) and not user_is_lead(request.user):  # annotated by the selector
        raise PermissionDenied("This case is escalated to a lead.")
    try:
        delivery_retry(delivery_id=delivery.pk, user=request.user)
    except ValidationError as exc:
        for error in exc.messages:
            messages.error(request, error)
    else:
        messages.success(request, f"Delivery {delivery.pk} to {delivery.url} queued again.")
    return redirect("callbacks:deliveries-dead")
