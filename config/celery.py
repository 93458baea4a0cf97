"""The Celery application.

With no CELERY_BROKER_URL set, settings make tasks run eagerly in the calling process
(the embedded default). With a broker, workers scale out by simply starting more of them:
`celery -A config worker`.
"""

import os

from celery import Celery
from celery.signals import worker_init
from django.conf import settings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("moratorium")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect
def _yield_cpu_to_the_web_tier(**_kwargs) -> None:
    """Lower the worker's CPU priority (settings.WORKER_NICENESS) before its pool forks.

    A viral burst is ingested by the webhook and processed by workers at the same time; on shared
    cores, the platform's request must not wait behind a fusion or a fold. Run in the worker's main
    process before the pool starts, so every pool process inherits it; the web tier is untouched.
    """
    if settings.WORKER_NICENESS:
        os.nice(settings.WORKER_NICENESS)
