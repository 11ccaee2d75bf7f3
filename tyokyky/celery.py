"""The Celery app: Redis in production, a folder on disk on the embedded default."""

import os
from pathlib import Path

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tyokyky.settings")

app = Celery("tyokyky")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# kombu's filesystem transport needs its folders before the first message.
for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
    folder = (app.conf.broker_transport_options or {}).get(key)
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)


def publish_once(task, *args) -> bool:
    """Send the task to the broker now, without kombu's retries: False when the broker cannot
    be reached. For nudges after a commit, whose rows the beat's sweep picks up anyway: a
    broker fault there is not the user's."""
    try:
        task.apply_async(args=args, retry=False)
    except Exception:  # kombu and redis raise several kinds
        return False
    return True
