"""The URLs the lean webhook handler serves (config/wsgi.py): the platform webhook and its status reads.

The same patterns as in config/urls.py (so routes, names and reversed status URLs are identical),
without the rest of the site to try first.
"""

from django.urls import include, path

urlpatterns = [path("", include("integrations.platforms.urls"))]

# As config/urls.py says (the JSON 404s are for /api/ only; elsewhere the usual page).
handler404 = "integrations.partners.api.errors.not_found"
