"""Run the periodic tasks in this process: the embedded default's stand-in for `celery beat`.

With no broker (the first-look mode), `celery beat` has nowhere to send its messages, yet the
sweepers, callback retries and silence-window transitions must still happen. This command reads
the same CELERY_BEAT_SCHEDULE and runs each due task in-process. With a broker, run
`celery -A config beat` instead: it is the one scheduler for every worker.
"""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from config.celery import app


def _seconds(schedule) -> float:
    """Beat accepts a number of seconds or a timedelta; this runner accepts the same."""
    return schedule.total_seconds() if hasattr(schedule, "total_seconds") else float(schedule)


class Command(BaseCommand):
    help = "Run CELERY_BEAT_SCHEDULE's tasks in this process (for the embedded, broker-less mode)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="run every task once and exit")

    def handle(self, *args, once: bool = False, **options):
        if not settings.CELERY_TASK_ALWAYS_EAGER and not once:
            raise CommandError("A broker is configured: run `celery -A config beat` instead.")
        schedule = {
            name: (entry["task"], _seconds(entry["schedule"]))
            for name, entry in settings.CELERY_BEAT_SCHEDULE.items()
        }
        app.loader.import_default_modules()  # autodiscover every app's tasks module
        next_run = dict.fromkeys(schedule, 0.0)
        while True:
            now = time.monotonic()
            for name, (task_name, every) in schedule.items():
                if now >= next_run[name]:
                    next_run[name] = now + every
                    try:
                        app.tasks[task_name].apply(throw=True)
                    except Exception as exc:  # one failing sweep must not stop the others
                        self.stderr.write(f"{name}: {exc.__class__.__name__}: {exc}")
            if once:
                return
            time.sleep(max(0.5, min(next_run.values()) - time.monotonic()))
