"""The hash chain over the access log: tampering with log rows becomes detectable (issue #4, "Access log").

NEN 7513 §6 and BIO 12.4.2 ask that log records are protected against change and removal. The
database already refuses UPDATE and DELETE (migration 0003); the chain covers what a trigger cannot:
someone with owner rights who disables the trigger, edits rows in a dump that is restored, or inserts
rows afterwards.

``seal_pending`` (run every 10 minutes by the Celery task ``privacy.access_log_seal``) takes every
entry that is not sealed yet and older than the settle time, in id order, and writes one
``AccessLogSeal``: SHA-256 over the previous seal's hash followed by the canonical form of each entry
(``canonical``: its fields and its subjects' pseudonyms as sorted, compact JSON, one line per entry).
Seals cover consecutive id ranges with no gaps between them. The entries are never touched, so
sealing adds no lock on the read path.

Why a settle time: ids come from a sequence and are handed out when a request inserts its row, but
the row only becomes visible when the request's transaction commits. A row with a lower id can thus
appear after one with a higher id. Waiting ``settle_seconds`` (default 300, far above the longest
request) before sealing makes it practically certain that every id below the sealed range is
committed; a row that still turns up below a seal afterwards is reported by ``verify`` as inserted
after sealing.

``verify`` recomputes every seal and reports, in Dutch, each broken link: a changed row (hash
differs), missing (deleted) rows or rows inserted after sealing (count differs), and broken links
between seals. ``python manage.py verify_access_log`` prints the result and exits 1 on any problem.
"""

import dataclasses
import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from typing import Any

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from .models import AccessLogEntry, AccessLogSeal, AccessLogSubject

GENESIS = "0" * 64  # the "previous hash" of the first seal
BATCH = 2000  # entries read per query while hashing
LOCK_KEY = 7_513_012_4  # PostgreSQL advisory-lock key of the sealing job (NEN 7513, BIO 12.4)

FIELDS = (
    "id",
    "at",
    "user_id",
    "organisation_id",
    "role",
    "application",
    "action",
    "view",
    "object_type",
    "object_ids",
    "categories",
    "purpose",
    "break_the_glass",
    "outcome",
    "status_code",
    "client_ip",
    "request_id",
    "query",
)


def canonical(values: dict[str, Any], pseudonyms: list[str]) -> bytes:
    """One entry as the chain hashes it: its ``FIELDS`` and sorted pseudonyms as compact, key-sorted JSON."""
    document = {name: values[name] for name in FIELDS}
    at = values["at"]
    document["at"] = at.astimezone(dt.UTC).isoformat(timespec="microseconds")
    document["subjects"] = sorted(pseudonyms)
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _entries(first_id: int, last_id: int) -> Iterator[tuple[dict[str, Any], list[str]]]:
    """Entries with ``first_id <= id <= last_id`` in id order with their pseudonyms, in batches (keyset)."""
    after = first_id - 1
    while True:
        rows = list(AccessLogEntry.objects.filter(id__gt=after, id__lte=last_id).order_by("id").values(*FIELDS)[:BATCH])
        if not rows:
            return
        subjects: dict[int, list[str]] = {}
        for entry_id, value in AccessLogSubject.objects.filter(
            entry_id__gte=rows[0]["id"], entry_id__lte=rows[-1]["id"]
        ).values_list("entry_id", "pseudonym"):
            subjects.setdefault(entry_id, []).append(value)
        for row in rows:
            yield row, subjects.get(row["id"], [])
        after = rows[-1]["id"]


def _digest(previous_hash: str, first_id: int, last_id: int) -> tuple[str, int]:
    """The hash over ``previous_hash`` and the entries in the range, and how many entries there are."""
    hasher = hashlib.sha256(previous_hash.encode())
    count = 0
    for values, pseudonyms in _entries(first_id, last_id):
        hasher.update(b"\n" + canonical(values, pseudonyms))
        count += 1
    return hasher.hexdigest(), count


def _try_lock() -> bool:
    """Take the sealing job's lock for this transaction; False when another run holds it.
    PostgreSQL: a transaction-level advisory lock. Other databases (the SQLite demo) serialise writes."""
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [LOCK_KEY])
        return bool(cursor.fetchone()[0])


def seal_pending(now: dt.datetime | None = None, settle_seconds: int = 300) -> AccessLogSeal | None:
    """Seal every unsealed entry older than ``settle_seconds`` into one new ``AccessLogSeal``.

    Returns the new seal, or ``None`` when there is nothing to seal or another run holds the lock.
    Idempotent: a second run right after the first finds nothing new.
    """
    now = now or timezone.now()
    cutoff = now - dt.timedelta(seconds=settle_seconds)
    with transaction.atomic():
        if not _try_lock():
            return None
        last = AccessLogSeal.objects.order_by("-last_entry_id").first()
        first_id = last.last_entry_id + 1 if last else 1
        previous_hash = last.hash if last else GENESIS
        unsealed = AccessLogEntry.objects.filter(id__gte=first_id)
        settled_max = unsealed.filter(at__lt=cutoff).aggregate(highest=Max("id"))["highest"]
        if settled_max is None:
            return None
        # Never seal past an entry that is still settling, even if a later id is older.
        unsettled_min = unsealed.filter(at__gte=cutoff, id__lt=settled_max).order_by("id").values_list("id", flat=True).first()
        last_id = unsettled_min - 1 if unsettled_min is not None else settled_max
        if last_id < first_id:
            return None
        digest, count = _digest(previous_hash, first_id, last_id)
        return AccessLogSeal.objects.create(
            first_entry_id=first_id,
            last_entry_id=last_id,
            entry_count=count,
            previous_hash=previous_hash,
            hash=digest,
            sealed_at=now,
        )


@dataclasses.dataclass(frozen=True)
class Problem:
    """One finding of ``verify``, with the seal and id range it concerns."""

    seal_id: int | None
    first_entry_id: int
    last_entry_id: int
    message: str

    def __str__(self) -> str:
        return f"Regels {self.first_entry_id}–{self.last_entry_id}: {self.message}"


@dataclasses.dataclass(frozen=True)
class Report:
    seals: int
    entries: int
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return not self.problems


def verify() -> Report:
    """Recompute every seal in order and report what does not match (see the module docstring)."""
    problems: list[Problem] = []
    previous_hash, expected_first, entries, seals = GENESIS, 1, 0, 0
    for seal in AccessLogSeal.objects.order_by("last_entry_id").iterator():
        seals += 1
        here = (seal.pk, seal.first_entry_id, seal.last_entry_id)
        if seal.previous_hash != previous_hash:
            problems.append(Problem(*here, "de verwijzing naar het vorige zegel klopt niet (zegel verwijderd of gewijzigd)."))
        if seal.first_entry_id != expected_first:
            problems.append(Problem(*here, f"het zegel sluit niet aan op het vorige (verwacht vanaf regel {expected_first})."))
        digest, count = _digest(seal.previous_hash, seal.first_entry_id, seal.last_entry_id)
        entries += count
        if count < seal.entry_count:
            problems.append(Problem(*here, f"{seal.entry_count - count} regel(s) ontbreken (verwijderd na verzegeling)."))
        elif count > seal.entry_count:
            problems.append(Problem(*here, f"{count - seal.entry_count} regel(s) toegevoegd na verzegeling."))
        if digest != seal.hash:
            problems.append(Problem(*here, "de hash klopt niet: regels zijn gewijzigd, verwijderd of toegevoegd."))
        previous_hash, expected_first = seal.hash, seal.last_entry_id + 1
    return Report(seals=seals, entries=entries, problems=problems)
