"""The spoken disclosure's audio, served to whoever holds a signed, unexpired URL (platforms, players)."""

from __future__ import annotations

from django.core import signing
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from .speech import audio_token_key, speech_path


@require_GET
def audio_disclosure(request: HttpRequest, token: str) -> HttpResponse:
    # The signature is the permission: the URL goes to platforms, which have no login here.
    try:
        key = audio_token_key(token)
    except signing.SignatureExpired:
        return HttpResponse("This audio link has expired.", status=410, content_type="text/plain")
    except signing.BadSignature:
        return HttpResponse("This audio link is not valid.", status=403, content_type="text/plain")
    name = speech_path(key)
    if not default_storage.exists(name):
        raise Http404("No such audio.")
    response = FileResponse(default_storage.open(name, "rb"), content_type="audio/wav")
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response
