"""The watched folder: ``KRAI_DOCFLOW_INBOX/<system code>/`` holds packages (``.xml`` or ``.zip``) a system drops.

Each minute the job takes every file, imports it, and moves it to ``processed/`` or ``refused/`` beside it (a
refused one with ``<name>.error.txt`` saying why). Safe with two workers: a file is claimed by an atomic rename
into ``.work/`` (only one rename of the same file can succeed), and a claim left by a worker that died is put back
after ``STALE`` so the next run takes it again (an accepted package re-read is answered by its uid, not imported
twice). Folders whose name is no registered system's code are left alone.
"""

from __future__ import annotations

import logging
import os
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from krai.integration.docflow import selectors
from krai.integration.docflow.models import PackageChannel
from krai.integration.docflow.services.packages import package_import

log = logging.getLogger(__name__)
SUFFIXES = (".xml", ".zip")
WORK, PROCESSED, REFUSED = ".work", "processed", "refused"
STALE = 15 * 60  # seconds a claim may stay in .work/ before it is taken to be a dead worker's


def inbox_root() -> Path | None:
    root = getattr(settings, "KRAI_DOCFLOW_INBOX", "") or ""
    return Path(root) if root else None


def _claim(path: Path, work: Path) -> Path | None:
    """Move ``path`` into ``work`` under a unique name; None when another worker was first."""
    work.mkdir(exist_ok=True)
    claimed = work / f"{uuid.uuid4().hex}--{path.name}"
    try:
        os.rename(path, claimed)
    except FileNotFoundError:
        return None
    return claimed


def _release_stale(work: Path, folder: Path) -> None:
    if not work.is_dir():
        return
    for claimed in work.iterdir():
        try:
            if time.time() - claimed.stat().st_mtime > STALE:
                os.rename(claimed, folder / claimed.name.split("--", 1)[-1])
        except OSError:  # another worker released or finished it
            continue


def _place(claimed: Path, folder: Path, name: str) -> Path:
    folder.mkdir(exist_ok=True)
    target = folder / name
    if target.exists():
        target = folder / f"{timezone.now():%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:6]}-{name}"
    os.replace(claimed, target)
    return target


def _take(path: Path, system_folder: Path, system) -> str:
    claimed = _claim(path, system_folder / WORK)
    if claimed is None:
        return "taken"
    os.utime(claimed)  # the claim's age counts from now
    result = package_import(actor=None, system=system, content=claimed.read_bytes(), channel=PackageChannel.FOLDER,
                            file_name=path.name, peer=str(path))
    if result.accepted:
        _place(claimed, system_folder / PROCESSED, path.name)
        return "repeated" if result.repeated else "accepted"
    target = _place(claimed, system_folder / REFUSED, path.name)
    target.with_name(target.name + ".error.txt").write_text(result.package.error + "\n", encoding="utf-8")
    return "refused"


def scan(*, root: Path | None = None) -> dict[str, int]:
    """Import every package waiting in the inbox; counts of accepted, repeated, refused (and taken by others)."""
    root = root or inbox_root()
    counts: dict[str, int] = {}
    if root is None or not root.is_dir():
        return counts
    for system_folder in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        system = selectors.system_by_code(system_folder.name)
        if system is None:
            continue
        _release_stale(system_folder / WORK, system_folder)
        for path in sorted(p for p in system_folder.iterdir() if p.is_file() and not p.name.startswith(".")
                           and p.suffix.lower() in SUFFIXES):
            try:
                outcome = _take(path, system_folder, system)
            except Exception:  # one broken file must not stop the others; the claim is released when stale
                log.exception("docflow inbox: %s failed", path)
                outcome = "failed"
            counts[outcome] = counts.get(outcome, 0) + 1
    return counts
