"""The Celery application.

With no CELERY_BROKER_URL set, settings make tasks run eagerly in the calling process
(the embedded default). With a broker, workers scale out by simply starting more of them:
`celery -A config worker`.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("moratorium")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
