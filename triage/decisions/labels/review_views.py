"""The label review screen: every text beside its English source and its spoken rendering.

For election-ops (the `labels.review_labeltext` permission, given to the `election_ops` group;
superusers have it): mark a version reviewed or retired, write a new draft, and export/import
PO or CSV for translators working outside the app. Views are thin: services do the work, audited.
"""

from __future__ import annotations

import functools

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from .channels import SUBJECTS, Channel, TextStatus
from .csvio import MAX_IMPORT_BYTES, current_texts, label_texts_csv, label_texts_csv_parse
from .grammar import plural_categories
from .kinds import LabelKind
from .languages import LANGUAGES, SOURCE_LANGUAGE
from .models import LabelText
from .poio import label_texts_po, label_texts_po_parse
from .services import ImportError_, label_text_retire, label_text_review, label_text_write, label_texts_import
from .speech import disclosure_audio_url

REVIEW_PERMISSION = "labels.review_labeltext"
# A name to speak in the subjects line's preview (names are never translated).
SAMPLE_NAMES = ["Michal Šimečka"]


def review_permission_required(view):
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not (request.user.is_active and request.user.has_perm(REVIEW_PERMISSION)):
            raise PermissionDenied("Reviewing label texts needs the election-ops permission.")
        return view(request, *args, **kwargs)

    return wrapper


def _language(request: HttpRequest) -> str:
    language = request.GET.get("language") or request.POST.get("language") or "sk"
    if language not in LANGUAGES:
        raise Http404("No such label language.")
    return language


def _spoken_preview(row: LabelText) -> str:
    text = row.text
    if row.kind == SUBJECTS:
        text = (row.plural_forms or {}).get("one", row.text) % {"names": SAMPLE_NAMES[0]}
    return text


def _rows(language: str) -> list[dict]:
    english = {(r.kind, r.channel): r for r in current_texts(SOURCE_LANGUAGE)}
    current = {(r.kind, r.channel): r for r in current_texts(language)}
    versions: dict[tuple[str, str], int] = {}
    for kind, channel in LabelText.objects.filter(language=language).values_list("kind", "channel"):
        versions[(kind, channel)] = versions.get((kind, channel), 0) + 1
    rows = []
    for channel in Channel.values:
        for kind in [*LabelKind.values, SUBJECTS]:
            row = current.get((kind, channel))
            audio = None
            if row is not None and channel == Channel.SPOKEN:
                audio = disclosure_audio_url(text=_spoken_preview(row), language=language, absolute=False)
            rows.append(
                {
                    "kind": kind,
                    "channel": channel,
                    "english": english.get((kind, channel)),
                    "text": row,
                    "audio_url": audio,
                    "versions": versions.get((kind, channel), 0),
                    "plural_categories": plural_categories(language) if kind == SUBJECTS else [],
                }
            )
    return rows


def _page(request: HttpRequest, language: str, *, import_errors=None, status: int = 200) -> HttpResponse:
    meta = LANGUAGES[language]
    return render(
        request,
        "labels/review.html",
        {
            "language": meta,
            "languages": LANGUAGES.values(),
            "rows": _rows(language),
            "import_errors": import_errors or [],
            "statuses": TextStatus,
        },
        status=status,
    )


def _back(language: str) -> HttpResponse:
    return redirect(f"{reverse('labels:review')}?language={language}")


@require_GET
@review_permission_required
def review(request: HttpRequest) -> HttpResponse:
    return _page(request, _language(request))


@require_POST
@review_permission_required
def review_status(request: HttpRequest, text_id: int) -> HttpResponse:
    row = LabelText.objects.filter(pk=text_id).first()
    if row is None:
        raise Http404("No such text.")
    action = request.POST.get("status")
    if action == TextStatus.REVIEWED:
        label_text_review(text_id=row.pk, user=request.user)
        messages.success(
            request, f"{row.kind} ({row.channel}, {row.language}) v{row.version} marked reviewed."
        )
    elif action == TextStatus.RETIRED:
        label_text_retire(text_id=row.pk, user=request.user)
        messages.success(request, f"{row.kind} ({row.channel}, {row.language}) v{row.version} retired.")
    else:
        return HttpResponse("status: reviewed or retired.", status=400, content_type="text/plain")
    return _back(row.language)


@require_POST
@review_permission_required
def review_edit(request: HttpRequest) -> HttpResponse:
    language = _language(request)
    kind, channel = request.POST.get("kind", ""), request.POST.get("channel", "")
    forms = {
        key.removeprefix("plural_"): value
        for key, value in request.POST.items()
        if key.startswith("plural_") and value.strip()
    }
    try:
        row = label_text_write(
            kind=kind,
            channel=channel,
            language=language,
            text=request.POST.get("text", ""),
            plural_forms=forms,
            user=request.user,
            note="edited on the review screen",
        )
    except ValidationError as exc:
        errors = [f"{field}: {m}" for field, ms in exc.message_dict.items() for m in ms]
        return _page(request, language, import_errors=errors, status=400)
    if row is None:
        messages.info(request, "No change: the text is the same as the newest version.")
    else:
        messages.success(request, f"{kind} ({channel}, {language}): new draft v{row.version}.")
    return _back(language)


@require_GET
@review_permission_required
def review_export(request: HttpRequest, fmt: str) -> HttpResponse:
    language = _language(request)
    if fmt not in ("csv", "po"):
        raise Http404("Export as .csv or .po.")
    if fmt == "csv":
        all_languages = request.GET.get("all") == "1"
        body = label_texts_csv(language=None if all_languages else language).encode("utf-8")
        name = "label-texts.csv" if all_languages else f"label-texts-{language}.csv"
        response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(label_texts_po(language=language), content_type="text/x-gettext-translation")
        name = f"label-texts-{language}.po"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_POST
@review_permission_required
def review_import(request: HttpRequest) -> HttpResponse:
    language = _language(request)
    upload = request.FILES.get("file")
    if upload is None:
        return _page(request, language, import_errors=["file: choose a .po or .csv file."], status=400)
    if upload.size > MAX_IMPORT_BYTES:
        errors = [f"file: larger than {MAX_IMPORT_BYTES // 1024} KiB."]
        return _page(request, language, import_errors=errors, status=400)
    data = upload.read()
    try:
        if upload.name.lower().endswith(".po"):
            rows = label_texts_po_parse(data, language=language)
        else:
            rows = label_texts_csv_parse(data)
        written = label_texts_import(rows=rows, user=request.user, source=upload.name)
    except ImportError_ as exc:
        return _page(request, language, import_errors=exc.lines, status=400)
    messages.success(
        request, f"Imported {upload.name}: {len(written)} new draft version(s), nothing else changed."
    )
    return _back(language)
