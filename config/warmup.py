"""A web process's start: load every view, then move what start-up made out of the garbage
collector's reach.

Python's full (oldest-generation) collection walks every tracked object, and a Django process holds
several hundred thousand from start-up alone (modules, URL patterns, serializers, the OpenAPI
machinery): each one cost 70-110 ms of CPU in the middle of a request, about one request in fifty of
the partner case list, which made its p99 (bench/api/case_list.py). gc.freeze() moves the start-up
objects to a permanent generation that collections skip, as the gc module's documentation advises
for long-lived servers: 15-25 ms a collection then.
"""

from __future__ import annotations

import gc

from django.urls import get_resolver


def process_warm_up() -> None:
    """Import the URLconf (and so every view module) now, not on the first request, then freeze."""
    get_resolver().url_patterns  # noqa: B018 - the property imports the URLconf and its views
    gc.collect()  # garbage left by start-up is freed first, not frozen with the rest
    gc.freeze()
