"""Settings for the webhook benchmark: the real settings plus the floor view's URL."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.webhook.urls"
