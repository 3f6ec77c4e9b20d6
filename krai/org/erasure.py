"""Org's part of erasing a person (``krai.core.privacy.erase_person``): his residence documents.

A residence document is a scan of a passport's registration page or the like: when the resident deletes his
account the files go, not only their names (the kernel renames every upload of his), and his notes are
wiped. The requests themselves stay, nameless, as the record of who verified what.
"""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from krai.org.models import ResidenceRequest


def residence_erase(erasure: Any) -> None:
    from krai.core.files.models import Attachment  # late: the kernel's files app

    requests = ResidenceRequest.objects.filter(user_id=erasure.user_id)
    ids = [str(pk) for pk in requests.values_list("pk", flat=True)]
    documents = list(Attachment.objects.filter(content_type=ContentType.objects.get_for_model(ResidenceRequest),
                                               object_id__in=ids))
    names = [document.file.name for document in documents]
    Attachment.objects.filter(pk__in=[document.pk for document in documents]).delete()
    storage = Attachment._meta.get_field("file").storage
    transaction.on_commit(lambda: [storage.delete(name) for name in names], robust=True)
    requests.exclude(note="").update(note="")
    erasure.counts["org.residence_documents"] = len(documents)
