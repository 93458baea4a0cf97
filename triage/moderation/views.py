"""The moderator dashboard: thin views doing a permission-checked fetch, then calling the domain."""

from __future__ import annotations

import functools
import logging
import mimetypes
import re

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from triage.intake.selectors import case_resolve
from triage.models import Case, MediaItem

from . import selectors
from .appeals import appeal_decide, appeal_may_decide, appeal_stats, appeals_open
from .assignment import assignable_moderators, case_assign
from .bulk import cases_bulk_decide
from .deadlines import deadline_extend
from .forms import (
    AppealDecisionForm,
    BankForm,
    ConfirmForm,
    ExtendDeadlineForm,
    ModeratorDecisionForm,
    OutcomeForm,
    QueueFilterForm,
)
from .label_previews import case_label_previews
from .lifecycle_selectors import case_lifecycle
from .metrics import review_metrics
from .models import Appeal
from .outcomes import case_review_outcome
from .queue_rows import queue_rows_prepare
from .roles import user_is_lead, user_is_moderator
from .services import (
    CaseLockedError,
    CaseNotHeldError,
    NotAllowedError,
    case_lock_current,
    case_lock_release,
    case_lock_take,
    case_media_bank,
    case_review_confirm,
    case_review_decide,
)

logger = logging.getLogger(__name__)


def moderator_required(view):
    """Let moderators, leads and staff in; send anonymous users to log in; refuse everyone else."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not user_is_moderator(request.user):
            raise PermissionDenied("The dashboard is for moderators.")
        return view(request, *args, **kwargs)

    return wrapper


def case_for_request(request: HttpRequest, case_id: int) -> Case:
    """Return the live case the user may see; 404 if none, 403 for an escalation a non-lead asks for."""
    case = selectors.case_for_dashboard(case_id=case_id)
    if case is None:
        raise Http404("No such case.")
    if case.escalated and not user_is_lead(request.user):
        raise PermissionDenied("This case is escalated to a lead.")
    return case


def _filters_form(request: HttpRequest) -> QueueFilterForm:
    form = QueueFilterForm(request.GET or None)
    if form.is_bound:
        form.is_valid()  # field errors are shown beside the filters; valid ones still apply
    return form


@require_GET
@moderator_required
def queue(request: HttpRequest) -> HttpResponse:
    lead = user_is_lead(request.user)
    form = _filters_form(request)
    filters = form.filters()
    # Order and paginate on ids (a narrow scan), then load the page's 50 rows in full.
    ids = selectors.queue_cases(
        filters=filters, can_see_escalations=lead, user_id=request.user.pk, details=False
    ).values_list("pk", flat=True)
    counts = selectors.queue_counts(can_see_escalations=lead, user_id=request.user.pk)
    if filters.unfiltered():
        paginator = Paginator(ids, 50)
        paginator.count = counts[filters.queue]  # the tab's count is the page count: no second scan
    else:
        # A filter or a search: the ordered ids in one pass (integers only, a few thousand at
        # most for a country), rather than a COUNT scan and then the ordering scan.
        paginator = Paginator(list(ids), 50)
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = selectors.queue_page(case_ids=list(page.object_list))
    selectors.queue_rows_describe(cases=page.object_list)
    queue_rows_prepare(cases=page.object_list)
    now = timezone.now()
    in_silence = selectors.silence_now(at=now)
    silent_countries = {w.country_id for w in in_silence}
    for case in page.object_list:
        case.silent_now = sorted(set(case.audience_countries) & silent_countries)
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("queue", None)
    return render(
        request,
        "dashboard/queue.html",
        {
            "form": form,
            "filters": filters,
            "page": page,
            "counts": counts,
            "queues": [(key, label) for key, label in selectors.QUEUES.items() if lead or key != "escalated"],
            "in_silence": in_silence,
            "query": query.urlencode(),
            "now": now,
            "is_lead": lead,
        },
    )


@require_GET
@moderator_required
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    live = case_resolve(case_id=case_id)
    if live is not None and live.pk != case_id:
        return redirect("dashboard:case", case_id=live.pk)  # a merged case: show the case it joined
    return _case_page(request, case_for_request(request, case_id))


def _case_page(
    request: HttpRequest,
    case: Case,
    *,
    decide_form: ModeratorDecisionForm | None = None,
    outcome_form: OutcomeForm | None = None,
    status: int = 200,
) -> HttpResponse:

    decisions = selectors.case_decisions(case=case)
    current = next((d for d in decisions if d.is_current), None)
    media = [selectors.media_review(media=m) for m in selectors.case_media_items(case=case)]
    lock = case_lock_current(case_id=case.pk)
    lead = user_is_lead(request.user)
    previous_id, next_id = selectors.queue_neighbours(case_id=case.pk, can_see_escalations=lead)
    submissions = list(selectors.case_submissions(case=case))
    mine = lock is not None and lock.user_id == request.user.pk
    return render(
        request,
        "dashboard/case.html",
        {
            "case": case,
            "media": media,
            "submissions": submissions,
            "reach": selectors.case_reach(case=case),
            "current": current,
            "history": [d for d in decisions if not d.is_current],
            "audit": selectors.case_audit_trail(case=case),
            "lock": lock,
            "mine": mine,
            "label_previews": case_label_previews(
                case=case, submissions=submissions, current=current, with_form=mine
            ),
            "decide_form": decide_form
            or ModeratorDecisionForm(initial=ModeratorDecisionForm.initial_from(current)),
            "outcome_form": outcome_form or OutcomeForm(),
            "extend_form": ExtendDeadlineForm(),
            "lifecycle": case_lifecycle(case=case, current=current),
            "appeals": _appeals_for_page(case, request.user),
            "moderators": _moderators_if_lead(lead),
            "confirm_form": ConfirmForm(),
            "bank_form": BankForm(),
            "is_lead": lead,
            "previous_id": previous_id,
            "next_id": next_id,
            "now": timezone.now(),
        },
        status=status,
    )


def _moderators_if_lead(lead: bool) -> list:

    return list(assignable_moderators()) if lead else []


def _appeals_for_page(case: Case, user) -> list:

    open_appeals = appeals_open(case=case)
    for appeal in open_appeals:
        appeal.may_decide = appeal_may_decide(appeal=appeal, user=user)
        appeal.form = AppealDecisionForm(auto_id=f"id_appeal{appeal.pk}_%s")
    return open_appeals


@require_GET
@moderator_required
def case_media(request: HttpRequest, case_id: int, media_item_id: int) -> HttpResponse:
    """Stream a case's media file from storage to a moderator (there is no public media URL)."""
    case = case_for_request(request, case_id)
    media = selectors.case_media_item_get(case=case, media_item_id=media_item_id)
    if media is None or not media.file:
        raise Http404("No such media in this case.")
    try:
        handle = default_storage.open(media.file.name, "rb")
    except (FileNotFoundError, OSError):
        logger.warning("media %s of case %s is missing from storage", media.pk, case.pk)
        raise Http404("The file is missing from storage.") from None
    content_type = media.mime_type or mimetypes.guess_type(media.file.name)[0] or "application/octet-stream"
    size = media.size_bytes
    byte_range = _byte_range(request.headers.get("Range", ""), size)
    if byte_range == "unsatisfiable":
        handle.close()
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        return response
    if byte_range is None:
        response = FileResponse(handle, content_type=content_type)
    else:
        # Seeking in audio and video: the player asks for a part of the file.
        start, end = byte_range
        handle.seek(start)
        response = StreamingHttpResponse(
            _read_span(handle, end - start + 1), status=206, content_type=content_type
        )
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
        response["Content-Length"] = str(end - start + 1)
    response["Accept-Ranges"] = "bytes"
    # Never render it as a page, never cache it outside this browser, never let it run script.
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def _byte_range(header: str, size: int) -> tuple[int, int] | str | None:
    """Parse a single-range `Range: bytes=…` header; None means "send it all" (absent or not understood)."""
    # At most 18 ASCII digits (a 64-bit offset): longer numbers are not understood, so the whole
    # file is sent, as RFC 9110 allows for a Range a server ignores (int() of 5,000 digits raises).
    match = re.fullmatch(r"\s*bytes=([0-9]{0,18})-([0-9]{0,18})\s*", header or "", flags=re.ASCII)
    if not match or size <= 0 or (not match[1] and not match[2]):
        return None
    if match[1]:
        start = int(match[1])
        end = min(int(match[2]), size - 1) if match[2] else size - 1
        if start >= size:
            return "unsatisfiable"
        if end < start:
            return None
        return start, end
    suffix = int(match[2])  # "bytes=-500": the last 500 bytes
    if suffix == 0:
        return "unsatisfiable"
    return max(0, size - suffix), size - 1


def _read_span(handle, length: int, chunk: int = 64 * 1024):
    try:
        while length > 0:
            data = handle.read(min(chunk, length))
            if not data:
                break
            length -= len(data)
            yield data
    finally:
        handle.close()


def _back(case_id: int) -> HttpResponse:
    return redirect("dashboard:case", case_id=case_id)


@require_POST
@moderator_required
def case_take(request: HttpRequest, case_id: int) -> HttpResponse:
    case = case_for_request(request, case_id)
    try:
        lock = case_lock_take(case_id=case.pk, user=request.user)
    except (CaseLockedError, NotAllowedError) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"You are reviewing case {case.pk} until {lock.expires_at:%H:%M} UTC.")
    return _back(case.pk)


@require_POST
@moderator_required
def case_release(request: HttpRequest, case_id: int) -> HttpResponse:
    case = case_for_request(request, case_id)
    if case_lock_release(case_id=case.pk, user=request.user):
        messages.success(request, f"Released case {case.pk}.")
    else:
        messages.info(request, "You were not reviewing this case.")
    return _back(case.pk)


def _decision_refused(request: HttpRequest, problem: Exception | forms.BaseForm, *, prefix: str = "") -> None:
    """Tell the moderator why an action was refused, one message per error.

    A form's or a ValidationError's errors read "field: error" (a non-field error just "error");
    any other exception its text. Every view that refuses a form or a service's answer says it here.
    """
    if isinstance(problem, forms.BaseForm):
        problem = ValidationError(problem.errors.as_data())
    if isinstance(problem, ValidationError):
        pairs = problem.message_dict.items() if hasattr(problem, "error_dict") else [("", problem.messages)]
        for field, errors in pairs:
            for error in errors:
                named = field and field != NON_FIELD_ERRORS
                messages.error(request, prefix + (f"{field}: {error}" if named else error))
    else:
        messages.error(request, prefix + str(problem))


@require_POST
@moderator_required
def case_confirm(request: HttpRequest, case_id: int) -> HttpResponse:
    case = case_for_request(request, case_id)
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        messages.error(request, "The note is too long.")
        return _back(case.pk)
    try:
        case_review_confirm(
            case_id=case.pk,
            user=request.user,
            note=form.cleaned_data["note"],
            share_note=form.cleaned_data["share_note"],
        )
    except (CaseLockedError, CaseNotHeldError, NotAllowedError, ValidationError) as exc:
        _decision_refused(request, exc)
    else:
        messages.success(request, "Policy decision confirmed.")
    return _back(case.pk)


@require_POST
@moderator_required
def case_decide(request: HttpRequest, case_id: int) -> HttpResponse:
    case = case_for_request(request, case_id)
    form = ModeratorDecisionForm(request.POST)
    if not form.is_valid():
        # Show the case again with the form's field-level errors.
        return _case_page(request, case, decide_form=form, status=400)
    try:
        decision = case_review_decide(
            case_id=case.pk,
            user=request.user,
            actions=form.actions(),
            note=form.cleaned_data["note"],
            verdict_override=form.cleaned_data["verdict_override"] or None,
            share_note=form.cleaned_data["share_note"],
            language=form.cleaned_data["language"] or "",
        )
    except (CaseLockedError, CaseNotHeldError, NotAllowedError, ValidationError) as exc:
        _decision_refused(request, exc)
        return _back(case.pk)
    if "escalate" in decision.action_types() and not user_is_lead(request.user):
        # The case is the leads' now and no longer this moderator's to see: back to the queue.
        messages.success(request, f"Case {case.pk} escalated to a lead.")
        return redirect("dashboard:queue")
    messages.success(request, "Decision made.")
    return _back(case.pk)


@require_POST
@moderator_required
def case_bank(request: HttpRequest, case_id: int) -> HttpResponse:
    case = case_for_request(request, case_id)
    form = BankForm(request.POST)
    if not form.is_valid():
        _decision_refused(request, form, prefix="Could not bank: ")
        return _back(case.pk)
    # keeps faiss and PyAV out of processes that never fingerprint
    from triage.evidence.banks.services import UnparseableMediaError

    try:
        item = case_media_bank(
            case_id=case.pk,
            media_item_id=form.cleaned_data["media_item"],
            bank_id=form.cleaned_data["bank"].pk,
            user=request.user,
            note=form.cleaned_data["note"],
        )
    except MediaItem.DoesNotExist:
        raise Http404("No such media in this case.") from None
    except CaseLockedError as exc:
        messages.error(request, str(exc))
    except UnparseableMediaError as exc:
        messages.error(request, f"Could not fingerprint this file: {exc}")
    else:
        messages.success(request, f"Banked in {item.bank.name}.")
    return _back(case.pk)


@require_POST
@moderator_required
def case_extend_deadline(request: HttpRequest, case_id: int) -> HttpResponse:
    """A lead moves the review deadline, with a reason (audited)."""

    case = case_for_request(request, case_id)
    form = ExtendDeadlineForm(request.POST)
    if not form.is_valid():
        _decision_refused(request, form)
        return _back(case.pk)
    try:
        decision = deadline_extend(
            case_id=case.pk,
            user=request.user,
            minutes=form.cleaned_data["minutes"],
            reason=form.cleaned_data["reason"],
        )
    except NotAllowedError as exc:
        raise PermissionDenied(str(exc)) from None
    except ValidationError as exc:
        _decision_refused(request, exc)
    else:
        messages.success(request, f"Review deadline moved to {decision.review_deadline:%H:%M} UTC.")
    return _back(case.pk)


@require_POST
@moderator_required
def case_outcome(request: HttpRequest, case_id: int) -> HttpResponse:
    """A final human outcome: remove on a ground, restore, or label only."""

    case = case_for_request(request, case_id)
    form = OutcomeForm(request.POST)
    if not form.is_valid():
        return _case_page(request, case, outcome_form=form, status=400)
    data = form.cleaned_data
    try:
        case_review_outcome(
            case_id=case.pk,
            user=request.user,
            outcome=data["outcome"],
            note=data["note"],
            share_note=data["share_note"],
            ground=data["ground"],
            country=data["country"],
            legal_reference=data["legal_reference"],
            keep_label=data["keep_label"],
            label_kind=data["label_kind"],
            language=data["language"].strip(),
        )
    except (CaseLockedError, CaseNotHeldError, NotAllowedError, ValidationError) as exc:
        _decision_refused(request, exc)
    else:
        messages.success(request, "Decided: " + dict(form.fields["outcome"].choices)[data["outcome"]] + ".")
    return _back(case.pk)


@require_POST
@moderator_required
def appeal_decide_view(request: HttpRequest, appeal_id: int) -> HttpResponse:
    """A moderator other than the one who decided answers an appeal."""

    appeal = Appeal.objects.filter(pk=appeal_id).first()
    if appeal is None:
        raise Http404("No such appeal.")
    case = case_for_request(request, appeal.case_id)
    form = AppealDecisionForm(request.POST)
    if not form.is_valid():
        _decision_refused(request, form)
        return _back(case.pk)
    try:
        appeal_decide(
            appeal_id=appeal.pk,
            user=request.user,
            outcome=form.cleaned_data["outcome"],
            note=form.cleaned_data["note"],
            label_kind=form.cleaned_data["label_kind"],
        )
    except (NotAllowedError, CaseLockedError) as exc:
        messages.error(request, f"{str(exc)[:1].upper()}{str(exc)[1:]}.")
    except ValidationError as exc:
        _decision_refused(request, exc)
    else:
        messages.success(request, f"Appeal {form.cleaned_data['outcome']}; every platform is told.")
    return _back(case.pk)


@require_POST
@moderator_required
def case_assign_view(request: HttpRequest, case_id: int) -> HttpResponse:
    """Assign to me, to someone (leads), or unassign (an empty `user`)."""

    case = case_for_request(request, case_id)
    username = (request.POST.get("user") or "").strip()
    assignee = None
    if username:
        assignee = get_user_model().objects.filter(username=username, is_active=True).first()
        if assignee is None:
            messages.error(request, f"user: no active user named {username!r}.")
            return _back(case.pk)
    try:
        case_assign(case_id=case.pk, user=request.user, assignee=assignee)
    except NotAllowedError as exc:
        messages.error(request, f"{str(exc).capitalize()}.")
    else:
        messages.success(request, f"Case {case.pk} assigned to {username}." if username else "Unassigned.")
    return _back(case.pk)


@require_POST
@moderator_required
def cases_bulk_view(request: HttpRequest) -> HttpResponse:
    """Confirm or dismiss the selected queue rows."""

    ids = [int(v) for v in request.POST.getlist("case") if v.isdigit()]
    action = request.POST.get("action", "")
    if not ids:
        messages.error(request, "Select at least one case.")
        return redirect("dashboard:queue")
    try:
        result = cases_bulk_decide(case_ids=ids, user=request.user, action=action)
    except ValidationError as exc:
        _decision_refused(request, exc)
        return redirect("dashboard:queue")
    verb = "Confirmed" if action == "confirm" else "Dismissed"
    messages.success(request, f"{verb} {len(result.done)} case{'s' if len(result.done) != 1 else ''}.")
    for case_id, reason in result.skipped.items():
        messages.warning(request, f"Case {case_id} skipped: {reason}.")
    return redirect("dashboard:queue")


@require_GET
@moderator_required
def reports_view(request: HttpRequest) -> HttpResponse:
    """Time to first human, deadline breaches and appeals, per country and per election."""

    return render(
        request,
        "dashboard/reports.html",
        {"metrics": review_metrics(), "appeals": appeal_stats()},
    )
