"""The published checksums of a priority rank build, as formulas anyone can apply to the exported votes.

Pure functions, no database: the build computes the same values in SQL (PostgreSQL) or through these
functions registered on the connection (SQLite), and a verifier recomputes them from ``votes.csv``.
``docs/participation.md`` ("Checksums") states both schemes for the public.

* **Scheme 1** (builds made before scheme 2): an entry's checksum is the SHA-256 of its vote ids,
  ascending, joined by commas. It needs every group's ids sorted, and that sort dominated the build of a
  large period (10 M votes: 148 s against 3.8 s for the bare count on PostgreSQL).
* **Scheme 2**: an entry's checksum is the SHA-256 of ``"2:<count>:<sum>"``, where ``<sum>`` is the
  sum, modulo 2^64, of ``vote_hash(id)`` over its votes. A sum does not care about order, so the
  database adds the hashes up as it counts (no sort), in parallel where it can.

``vote_hash`` is PostgreSQL's own 64-bit integer hash (``hashint8extended(id, 0)``: Bob Jenkins'
lookup3 over the id folded to 32 bits), written out below so that nobody needs PostgreSQL to verify.
It is fixed: PostgreSQL's hash partitioning stores rows by it, so it does not change between versions.

The snapshot and build checksums over the entries are the same in both schemes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

SCHEMES = (1, 2)
CURRENT_SCHEME = 2

_M32 = 0xFFFFFFFF
_M64 = 0xFFFFFFFFFFFFFFFF


def _rot(x: int, k: int) -> int:
    return ((x << k) | (x >> (32 - k))) & _M32


def vote_hash(vote_id: int) -> int:
    """PostgreSQL's ``hashint8extended(vote_id, 0)`` as an unsigned 64-bit number (lookup3's ``final``)."""
    low, high = vote_id & _M32, (vote_id >> 32) & _M32
    k = low ^ (high if vote_id >= 0 else ~high & _M32)
    a = b = c = (0x9E3779B9 + 4 + 3923095) & _M32
    a = (a + k) & _M32
    c ^= b
    c = (c - _rot(b, 14)) & _M32
    a ^= c
    a = (a - _rot(c, 11)) & _M32
    b ^= a
    b = (b - _rot(a, 25)) & _M32
    c ^= b
    c = (c - _rot(b, 16)) & _M32
    a ^= c
    a = (a - _rot(c, 4)) & _M32
    b ^= a
    b = (b - _rot(a, 14)) & _M32
    c ^= b
    c = (c - _rot(b, 24)) & _M32
    return (b << 32) | c


def entry_checksum_v1(vote_ids: Iterable[int]) -> str:
    """Scheme 1: SHA-256 of the ids ascending, joined by commas; empty for no votes."""
    ids = sorted(vote_ids)
    return hashlib.sha256(",".join(map(str, ids)).encode()).hexdigest() if ids else ""


def entry_checksum_of_sum(count: int, hash_sum: int) -> str:
    """Scheme 2 from a group's count and sum of ``vote_hash``: SHA-256 of "2:<count>:<sum mod 2^64>"."""
    return hashlib.sha256(f"2:{count}:{hash_sum & _M64}".encode()).hexdigest() if count else ""


def entry_checksum_v2(vote_ids: Iterable[int]) -> str:
    """Scheme 2: SHA-256 of "2:<count>:<sum of vote_hash mod 2^64>"; empty for no votes."""
    count = total = 0
    for vote_id in vote_ids:
        count += 1
        total += vote_hash(vote_id)
    return entry_checksum_of_sum(count, total)


def entry_checksum(vote_ids: Iterable[int], *, scheme: int) -> str:
    if scheme == 1:
        return entry_checksum_v1(vote_ids)
    if scheme == 2:
        return entry_checksum_v2(vote_ids)
    raise ValueError(f"unknown checksum scheme {scheme!r}")


def snapshot_checksum(entries: Iterable[tuple[int, int, str]]) -> str:
    """A municipality's checksum: SHA-256 of "priority:votes:entry-checksum" lines by priority id."""
    lines = "".join(f"{priority}:{votes}:{checksum}\n" for priority, votes, checksum in sorted(entries))
    return hashlib.sha256(lines.encode()).hexdigest()


def regional_checksum(snapshots: Iterable[tuple[int, str]]) -> str:
    """The region's (and the build's) checksum: SHA-256 of "municipality:checksum" lines by municipality id."""
    lines = "".join(f"{municipality}:{checksum}\n" for municipality, checksum in sorted(snapshots))
    return hashlib.sha256(lines.encode()).hexdigest()


class Sha256OfIds:
    """SQLite aggregate of scheme 1 (as PostgreSQL's ``sha256(string_agg(id ORDER BY id))``)."""

    def __init__(self) -> None:
        self.ids: list[int] = []

    def step(self, value: int) -> None:
        self.ids.append(value)

    def finalize(self) -> str:
        return entry_checksum_v1(self.ids)


class VoteHashSum:
    """SQLite aggregate of scheme 2: the entry checksum from the count and the sum of the ids' hashes."""

    def __init__(self) -> None:
        self.count = 0
        self.total = 0

    def step(self, value: int) -> None:
        self.count += 1
        self.total += vote_hash(value)

    def finalize(self) -> str:
        return entry_checksum_of_sum(self.count, self.total)
