"""A path under /api/ that matches no route (e.g. /api/v1/cases/-1/) answers JSON like every other
API error, so clients and the schema see one error format; elsewhere Django's own 404 page."""

from django.http import JsonResponse
from django.views.defaults import page_not_found


def not_found(request, exception):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    return page_not_found(request, exception)
