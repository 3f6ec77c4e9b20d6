"""Are the collected static files there and as new as the code? Asked by ``krai serve`` and gunicorn at start.

A deployed installation serves its static files from ``STATIC_ROOT`` through the manifest storage: a page that
names a file the manifest lacks is a 500, and so is every page when nothing was collected. So the server refuses
to start, with one line saying what to run, instead of answering 500 on every page.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage

COLLECT = "krai collectstatic --no-input"


def _source_files() -> list[Path]:
    paths: list[Path] = []
    for finder in finders.get_finders():
        for path, storage in finder.list(["CVS", ".*", "*~"]):
            paths.append(Path(storage.path(path)))
    return paths


def static_files_problem() -> str | None:
    """One sentence saying what is wrong with the collected static files, or None when they serve."""
    if not isinstance(staticfiles_storage, ManifestFilesMixin):
        return None  # development: files are served from the source folders as they are
    manifest = Path(settings.STATIC_ROOT) / staticfiles_storage.manifest_name
    if not manifest.exists():
        return f"The static files are not collected in {settings.STATIC_ROOT}: run `{COLLECT}` first."
    collected_at = manifest.stat().st_mtime
    newer = [path for path in _source_files() if path.stat().st_mtime > collected_at]
    if newer:
        return (f"The collected static files in {settings.STATIC_ROOT} are older than the code ({len(newer)} "
                f"changed since, e.g. {newer[0].name}): run `{COLLECT}` again.")
    return None
