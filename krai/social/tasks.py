"""Jobs of the community (Huey). Each takes ids and calls a helper; a periodic sweep redoes what a dead worker
left undone, so nothing is lost."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from krai.social import photos


@db_task()
def make_photo_sizes(photo_ids: list[int]) -> None:
    """The thumbnail and medium size of new photos (enqueued after the upload commits)."""
    photos.make_sizes(photo_ids)


@db_periodic_task(crontab(minute="*/10"))
def sweep_photo_sizes() -> None:
    """Every 10 minutes: sizes of photos a worker died before making."""
    photos.sweep()


@db_periodic_task(crontab(hour="3", minute="50"))
def sweep_orphan_photos() -> None:
    """Daily: photo files stored by uploads whose transaction rolled back afterwards."""
    photos.sweep_orphans()


from krai.social.tasks_content import *  # noqa: E402, F403 — the content's jobs, so Huey finds them
