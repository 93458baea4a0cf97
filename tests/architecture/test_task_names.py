"""Task names are a wire contract: queued messages and the beat schedule route by them."""

from pathlib import Path

from django.conf import settings

from config.celery import app

COMMITTED = Path(__file__).with_name("task_names.txt")


def _committed_names() -> set[str]:
    lines = COMMITTED.read_text().splitlines()
    return {line.strip() for line in lines if line.strip() and not line.startswith("#")}


def _project_task_names() -> set[str]:
    app.loader.import_default_modules()  # what a worker imports at start
    return {name for name in app.tasks if not name.startswith("celery.")}


def test_registered_task_names_match_the_committed_list():
    assert _project_task_names() == _committed_names()


def test_every_task_pins_its_name_in_its_decorator():
    # A task registered under its module path only because nobody named it would change name
    # (and strand queued messages) the day its module moves.
    import inspect

    for name in _project_task_names():
        task = app.tasks[name]
        source = inspect.getsource(inspect.getmodule(task.run))
        assert f'name="{name}"' in source, f"{name} is not pinned with name= in its decorator"


def test_the_beat_schedule_names_registered_tasks_only():
    names = _project_task_names()
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert scheduled <= names, scheduled - names
    assert "elections.tasks.window_transitions_run" in scheduled
