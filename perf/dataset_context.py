"""The shared parts of the dataset generator (``perf.dataset``, issue #6): the fixed subjects' names,
the sizes per scale, the run's context, and loading a table with its indexes off."""

import contextlib
import dataclasses
import datetime as dt
import random
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from django.db import connection, transaction
from django.db.models import Model

SEED = 20261130
PREFIX = "ds-"
COUNTS = {
    "organisations": 200,
    "users": 2_000,
    "persons": 100_000,
    "cases": 120_000,
    "offences": 1_000_000,
    "actions": 300_000,
    "access_log": 5_000_000,
    "audit": 1_000_000,
}
"""Rows at ``scale=1.0`` (issue #6); organisations and users are totals, reference rows included."""

DIRECTOR = "ds-cd-0000"
DIRECTOR_ACTIVE_CASES = 60  # fixed at every scale: a director's caseload does not grow with the nation
PARTNER_ORGANISATION = "ds-jeugdzorg-groot"
PARTNER_ORGANISATION_NAME = "Stichting Jeugdzorg Groot-Nederland"
PARTNER_TEAMS = 5_000  # at scale 1.0; scaled (``partner_team_count``)
PARTNER = "ds-partner-0000"
PRIVACY_OFFICER = "ds-po-0000"
OUTSIDER = "ds-outsider-0000"
OUTSIDER_ORGANISATION = "ds-jongerenwerk-noordkust"
OUTSIDER_ORGANISATION_NAME = "Jongerenwerk Noordkust"

BATCH_CASES = 10_000
LOG_BATCH = 500_000
LOG_DAYS = 730  # the access log covers the last two years


# --- Sizes ---------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Sizes:
    """Target row counts for one scale (organisations and users are totals incl. reference rows)."""

    organisations: int
    users: int
    persons: int
    cases: int
    offences: int
    actions: int
    access_log: int
    audit: int
    partner_teams: int


def partner_team_count(scale: float) -> int:
    """Current case teams of ``PARTNER_ORGANISATION``: 5,000 × ``scale``, rounded, at least 1."""
    return max(1, round(PARTNER_TEAMS * scale))


def sizes(scale: float) -> Sizes:
    """The row counts for ``scale`` (``COUNTS`` × scale, rounded). Raises ``ValueError`` (Dutch) when
    the scale leaves too few cases for the fixed subjects (about ``scale`` < 0.001)."""
    n = {name: round(count * scale) for name, count in COUNTS.items()}
    partner_teams = partner_team_count(scale)
    if scale <= 0 or n["persons"] < 2 * DIRECTOR_ACTIVE_CASES - 20 or n["cases"] < n["persons"]:
        raise ValueError("De schaal is te klein voor de vaste proefpersonen; kies minstens 0.001.")
    return Sizes(
        organisations=max(n["organisations"], 26),
        users=max(n["users"], 16),
        persons=n["persons"],
        cases=n["cases"],
        offences=max(n["offences"], n["cases"]),
        actions=n["actions"],
        access_log=max(n["access_log"], 100),
        audit=n["audit"],
        partner_teams=partner_teams,
    )


@dataclasses.dataclass
class Report:
    """What ``generate`` wrote: per step (table or phase) rows and seconds, and the total seconds."""

    steps: list[tuple[str, int, float]] = dataclasses.field(default_factory=list)
    total_seconds: float = 0.0

    def rows(self, step: str) -> int:
        """Rows written in ``step`` (0 when the step wrote none or does not exist)."""
        return sum(rows for name, rows, _ in self.steps if name == step)


Progress = Callable[[str, int, float], None]


@dataclasses.dataclass
class Region:
    """A Zorg- en Veiligheidshuis region: the gemeente that directs, its ZVH, its police, its partners."""

    gemeente: int
    zvh: int
    politie: int
    partners: list[int]
    directors: list[int] = dataclasses.field(default_factory=list)
    process_directors: list[int] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class Context:
    """One run's state: the seeded ``rng``, the sizes, the day (``today``, ``now`` = its local midnight),
    the report, and what later steps need of earlier ones (ids of organisations and users, regions, and
    ``pairs`` — (case id, person id, pseudonym, user id) of who works on which case, for the access log)."""

    rng: random.Random
    seed: int
    sizes: Sizes
    today: dt.date
    now: dt.datetime
    report: Report
    progress: Progress | None
    regions: list[Region] = dataclasses.field(default_factory=list)
    org_ids: dict[str, int] = dataclasses.field(default_factory=dict)
    org_domain: dict[int, str] = dataclasses.field(default_factory=dict)
    users_by_org: dict[int, list[int]] = dataclasses.field(default_factory=dict)
    user_ids: dict[str, int] = dataclasses.field(default_factory=dict)
    user_role: dict[int, str] = dataclasses.field(default_factory=dict)
    user_org: dict[int, int] = dataclasses.field(default_factory=dict)
    all_directors: list[int] = dataclasses.field(default_factory=list)
    all_process_directors: list[int] = dataclasses.field(default_factory=list)
    pairs: list[tuple[Any, ...]] = dataclasses.field(default_factory=list)
    counts: dict[str, int] = dataclasses.field(default_factory=dict)

    def uuid(self) -> uuid.UUID:
        """A UUID from the seeded ``rng`` (128 random bits, not a version-4 UUID): reproducible."""
        return uuid.UUID(int=self.rng.getrandbits(128))

    def step(self, name: str, rows: int, started: float) -> None:
        """Record step ``name``: ``rows`` written since ``started`` (``time.perf_counter()``)."""
        self.record(name, rows, time.perf_counter() - started)

    def record(self, name: str, rows: int, seconds: float) -> None:
        """Record step ``name``: ``rows`` written in ``seconds``; tell ``progress``."""
        self.report.steps.append((name, rows, seconds))
        self.counts[name] = self.counts.get(name, 0) + rows
        if self.progress is not None:
            self.progress(name, rows, seconds)


def next_id(model: type[Model]) -> int:
    """The first free integer id of ``model``'s table (highest + 1): explicit ids keep a rerun identical,
    where the sequence would not (it does not roll back)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {model._meta.db_table}")  # noqa: S608 - model table
        return int(cursor.fetchone()[0])


# Inside a surrounding transaction (tests), rows written earlier may still have deferred foreign-key
# checks pending, and PostgreSQL refuses ALTER TABLE on their tables until they ran: run them now.
_CHECK_PENDING = "SET CONSTRAINTS ALL IMMEDIATE"


@contextlib.contextmanager
def bulk_load(models: Sequence[type[Model]]) -> Iterator[None]:
    """Drop the secondary indexes, unique and foreign-key constraints of ``models``' tables, and put
    them back afterwards (also after an error): one index build and one validating join each instead
    of a row-by-row upkeep. Primary keys stay."""
    tables = [model._meta.db_table for model in models]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = ANY(%s::regclass[]) AND contype IN ('f', 'u') ORDER BY 1, 2",
            [tables],
        )
        constraints = cursor.fetchall()
        cursor.execute(
            "SELECT i.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
            "WHERE x.indrelid = ANY(%s::regclass[]) AND NOT x.indisprimary "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid) ORDER BY 1",
            [tables],
        )
        indexes = cursor.fetchall()
    quote = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_CHECK_PENDING)
        for table, name, _ in constraints:
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {quote(name)}")
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {quote(name)}")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    try:
        yield
    finally:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(_CHECK_PENDING)
            for _, definition in indexes:
                cursor.execute(definition)
            for table, name, definition in constraints:
                cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {quote(name)} {definition}")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # back to Django's initially deferred foreign keys
