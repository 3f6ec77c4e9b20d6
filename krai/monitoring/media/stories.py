"""Near-duplicates: the same story told by several outlets, found by MinHash over word shingles with LSH.

* Shingles: runs of ``SHINGLE_WORDS`` = 3 consecutive words of the title and text (folded, punctuation dropped) —
  a reprinted press release shares most of its 3-word runs, two unrelated notes on the same subject few.
* MinHash with ``NUM_PERM`` = 128 permutations (datasketch): the estimated Jaccard similarity of two articles'
  shingle sets has a standard error of about 1/√128 ≈ 0.09.
* LSH (datasketch's ``MinHashLSH``) with ``THRESHOLD`` = 0.5: it picks the bands and rows (for 128 permutations
  and 0.5: 25 bands of 5 rows) so that pairs above the threshold almost always share a band; each candidate is
  then checked by its estimated Jaccard, and an article joins the story of the candidate it is *nearest* to
  (the highest estimate, at least the threshold) — or starts a story of its own.

The index holds the articles of the last ``KRAI_PRESS_STORY_WINDOW_DAYS`` days (a story is news for a few days;
an old article telling the same words again is a new story): it is built from the stored signatures when a poll
starts and grows with each article the poll takes in.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import numpy as np
from datasketch import MinHash, MinHashLSH
from django.conf import settings
from django.utils import timezone

from krai.monitoring.media.text import words

SHINGLE_WORDS = 3
NUM_PERM = 128
THRESHOLD = 0.5
_SEED = 1  # the same permutations in every process: signatures stored today compare with tomorrow's
_SCHEME = "affine32"  # datasketch 2's default, named: stored signatures are read back under the same scheme


def window_days() -> int:
    return int(getattr(settings, "KRAI_PRESS_STORY_WINDOW_DAYS", 3))


def shingles(text: str) -> set[bytes]:
    tokens = words(text)
    if len(tokens) < SHINGLE_WORDS:
        return {" ".join(tokens).encode()} if tokens else set()
    return {" ".join(tokens[i:i + SHINGLE_WORDS]).encode() for i in range(len(tokens) - SHINGLE_WORDS + 1)}


def signature(text: str) -> MinHash:
    minhash = MinHash(num_perm=NUM_PERM, seed=_SEED, scheme=_SCHEME)
    minhash.update_batch(list(shingles(text)))
    return minhash


def to_bytes(minhash: MinHash) -> bytes:
    return minhash.hashvalues.tobytes()


@lru_cache(maxsize=1)
def minhash_dtype() -> np.dtype:
    return MinHash(num_perm=1, seed=_SEED, scheme=_SCHEME).hashvalues.dtype


def from_bytes(data: bytes) -> MinHash:
    values = np.frombuffer(bytes(data), dtype=minhash_dtype())
    return MinHash(num_perm=NUM_PERM, seed=_SEED, scheme=_SCHEME, hashvalues=values)


class StoryIndex:
    """The recent articles' signatures in an LSH index: which story a new article belongs to."""

    def __init__(self) -> None:
        self._lsh = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM)
        self._minhashes: dict[int, MinHash] = {}
        self._stories: dict[int, int] = {}

    @classmethod
    def recent(cls, *, now: dt.datetime | None = None) -> StoryIndex:
        from krai.monitoring.media.models import Article

        index = cls()
        since = (now or timezone.now()) - dt.timedelta(days=window_days())
        for pk, story_id, data in (Article.objects.filter(published_at__gte=since)
                                   .values_list("pk", "story_id", "signature").iterator()):
            if data:
                index.add(pk, story_id, from_bytes(data))
        return index

    def add(self, article_id: int, story_id: int, minhash: MinHash) -> None:
        if article_id in self._minhashes:
            return
        self._lsh.insert(article_id, minhash)
        self._minhashes[article_id] = minhash
        self._stories[article_id] = story_id

    def nearest_story(self, minhash: MinHash) -> int | None:
        """The story of the nearest near-duplicate (estimated Jaccard ≥ ``THRESHOLD``), None if there is none."""
        best, best_story = THRESHOLD, None
        for candidate in self._lsh.query(minhash):
            similarity = minhash.jaccard(self._minhashes[candidate])
            if similarity >= best:
                best, best_story = similarity, self._stories[candidate]
        return best_story
