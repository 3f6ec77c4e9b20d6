"""The watched folder (a tmp dir as ``KRAI_DOCFLOW_INBOX``): the job imports each file of a system's subfolder and
moves it to ``processed/`` or ``refused/`` with ``.error.txt`` beside it; a file is claimed by an atomic rename so
two workers never take it both; a dead worker's claim comes back; unknown folders are left alone."""

from __future__ import annotations

import os
import time

import pytest

from krai.integration.docflow import folder, tasks
from krai.integration.docflow.models import DocflowPackage
from krai.integration.docflow.tests.conftest import counts, sample
from krai.integration.models import ExchangeMessage
from krai.orders.models import Order

pytestmark = pytest.mark.django_db


@pytest.fixture
def inbox(settings, tmp_path, gov):
    settings.KRAI_DOCFLOW_INBOX = str(tmp_path)
    (tmp_path / gov.system.code).mkdir()
    return tmp_path / gov.system.code


def test_the_job_imports_three_items_and_refuses_a_malformed_package(inbox, gov):
    (inbox / "a-valid.xml").write_bytes(sample("valid_three_items.xml"))
    (inbox / "b-invalid.xml").write_bytes(sample("invalid_schema.xml"))
    (inbox / "notes.txt").write_text("not a package")

    tasks.docflow_watch_inbox.call_local()

    assert sorted(p.name for p in (inbox / "processed").iterdir()) == ["a-valid.xml"]
    assert sorted(p.name for p in (inbox / "refused").iterdir()) == ["b-invalid.xml", "b-invalid.xml.error.txt"]
    error = (inbox / "refused" / "b-invalid.xml.error.txt").read_text(encoding="utf-8")
    assert "Line 27, element <deadline>" in error
    assert (inbox / "notes.txt").exists() and not list((inbox / ".work").iterdir())
    assert Order.objects.count() == 3
    assert sorted(DocflowPackage.objects.values_list("channel", "status")) == [("folder", "accepted"),
                                                                               ("folder", "refused")]
    assert set(ExchangeMessage.objects.values_list("channel", flat=True)) == {"folder"}


def test_a_refused_package_from_the_folder_leaves_nothing(inbox, gov):
    (inbox / "unknown.xml").write_bytes(sample("unknown_executor.xml"))
    before = counts()
    assert folder.scan() == {"refused": 1}
    assert counts() == before


def test_the_same_package_dropped_twice_is_imported_once(inbox, gov):
    (inbox / "one.xml").write_bytes(sample("valid_three_items.xml"))
    folder.scan()
    (inbox / "one.xml").write_bytes(sample("valid_three_items.xml"))
    assert folder.scan() == {"repeated": 1}
    assert Order.objects.count() == 3
    assert len(list((inbox / "processed").iterdir())) == 2  # the second beside the first, under its own name


def test_a_file_is_claimed_by_one_worker_only(inbox):
    path = inbox / "p.xml"
    path.write_bytes(b"<x/>")
    work = inbox / ".work"
    assert folder._claim(path, work) is not None
    assert folder._claim(path, work) is None  # the other worker's rename finds nothing


def test_a_dead_workers_claim_comes_back(inbox, gov):
    work = inbox / ".work"
    work.mkdir()
    stale = work / "abc--late.xml"
    stale.write_bytes(sample("valid_three_items.xml"))
    old = time.time() - folder.STALE - 60
    os.utime(stale, (old, old))

    assert folder.scan() == {"accepted": 1}
    assert (inbox / "processed" / "late.xml").exists()


def test_folders_of_unknown_systems_and_no_inbox(settings, tmp_path, gov):
    (tmp_path / "nobody").mkdir()
    (tmp_path / "nobody" / "p.xml").write_bytes(sample("valid_three_items.xml"))
    settings.KRAI_DOCFLOW_INBOX = str(tmp_path)
    assert folder.scan() == {}
    settings.KRAI_DOCFLOW_INBOX = ""
    assert folder.scan() == {}
    assert (tmp_path / "nobody" / "p.xml").exists()
