"""Benchmark of the nightly review jobs (issue #5 "Speed") — a measurement, not a test; never run in CI.

Times the exit review over a large active caseload (cold: the first run inserts the flags; warm: a
second run inserts nothing), the periodic review and stagnation, each with its query count; then the
p95 of the caseload page ("Mijn caseload") for a case director with about 60 cases, first on its own
and then while the exit review runs over and over in a second thread (its flags deleted before each
run, so every run takes the cold path). Targets (issue #5): the exit review over 100,000 active cases
in under 10 s, and under 20 % extra p95 on the caseload page while it runs.

The page is requested over HTTP from a real gunicorn server on loopback (one sync worker, its own
process) with the session cookie of a logged-in director — the path a browser takes, middleware and
access log included, and in another process than the job, so the measurement shares only the
machine and the database with it, as in production.

``jobs_caseload`` writes the generated cases with ``COPY`` (seconds for 100,000 cases), committed —
the page server and the job thread need to see them. It needs a database without cases of its own
(``createdb pga_bench`` and ``migrate``); ``caseload_remove`` deletes everything it generated except
the access-log rows of the measured page views and the bench users they point at (append-only by
design, privacy/migrations/0003); ``dropdb pga_bench`` removes those too.
"""

import contextlib
import dataclasses
import datetime as dt
import http.client
import random
import statistics
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Permission
from django.db import connection, connections, transaction
from django.db.models import Model
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.models import (
    Action,
    ActionStatus,
    Case,
    CasePlan,
    CaseStatus,
    CaseTeamMember,
    Detention,
    Goal,
    Leefgebied,
    Offence,
    OffenceOutcome,
    OffenceType,
    Person,
    TargetGroup,
    Tier,
)
from jobs.models import Notification
from jobs.runner import job_run
from partners.models import Organisation, Role, User
from perf.load import ServerConfig, gunicorn_server
from pga.db import copy_rows
from privacy import grants
from privacy.models import CaseGroupObjectPermission, CaseUserObjectPermission

from .models import FlagKind, ReviewFlag

BENCH_PREFIX = "bench-jobs-"
CASES_PER_DIRECTOR = 60
CASES_PER_PROCESS_DIRECTOR = 600
QUIET_SHARE = 0.35  # cases whose last offence is over a year old: most of them are past the exit date
SURNAMES = ("de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "Bos", "El Amrani")


# --- Generating the caseload -----------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Generated:
    """What ``jobs_caseload`` wrote: row counts per table, the director whose page is measured, seconds."""

    rows: dict[str, int]
    director: User
    seconds: float


@dataclasses.dataclass(frozen=True)
class _Context:
    rng: random.Random
    today: dt.date
    now: dt.datetime
    organisation: Organisation
    politie: Organisation
    registrar: User
    types: list[int]


def _users(prefix: str, count: int, role: str, organisation: Organisation) -> list[User]:
    """``count`` bench users ``<prefix>0000…``, created when missing (kept between runs, see module docstring)."""
    names = [f"{BENCH_PREFIX}{prefix}{i:04d}" for i in range(count)]
    User.objects.bulk_create(
        [User(username=name, password="!", role=role, organisation=organisation) for name in names],  # noqa: S106 - unusable
        ignore_conflicts=True,
    )
    User.objects.filter(username__in=names).update(is_active=True, role=role, organisation=organisation)
    by_name = {user.username: user for user in User.objects.filter(username__in=names)}
    return [by_name[name] for name in names]


def _ago(ctx: _Context, low: int, high: int) -> dt.date:
    return ctx.today - dt.timedelta(days=ctx.rng.randint(low, high))


def _case_rows(ctx: _Context, index: int, director: User, process_director: User) -> dict[str, list[dict[str, Any]]]:
    """One case with its person, offences, maybe a detention, a plan with goals and actions, and a team."""
    rng = ctx.rng
    person_id, case_id, plan_id = (uuid.UUID(int=rng.getrandbits(128)) for _ in range(3))
    quiet = rng.random() < QUIET_SHARE
    zvhru = rng.random() < 0.3
    opened_on = _ago(ctx, 400, 1400) if quiet else _ago(ctx, 30, 1400)
    last = _ago(ctx, 370, 1100) if quiet else _ago(ctx, 1, 360)
    offence_dates = [last] + [last - dt.timedelta(days=rng.randint(1, 700)) for _ in range(rng.randint(0, 4))]
    rows: dict[str, list[dict[str, Any]]] = {
        "person": [
            {
                "id": person_id,
                "given_names": "Bench",
                "surname": f"{rng.choice(SURNAMES)} {index}",
                "date_of_birth": _ago(ctx, 14 * 365, 30 * 365),
            }
        ],
        "case": [
            {
                "id": case_id,
                "person_id": person_id,
                "tier": Tier.ZVHRU if zvhru else Tier.LOKALE_PGA,
                "target_group": TargetGroup.TOP_X if zvhru else TargetGroup.DOORGROEIER,
                "status": CaseStatus.ACTIEF,
                "registering_organisation_id": ctx.organisation.pk,
                "registered_by_id": ctx.registrar.pk,
                "case_director_id": director.pk,
                "process_director_id": process_director.pk if zvhru else None,
                "drug_network_indication": rng.choice(["ja", "nee", "onbekend"]),
                "opened_on": opened_on,
            }
        ],
        "offence": [_offence(ctx, case_id, day) for day in offence_dates],
        "detention": _detentions(ctx, case_id),
        "plan": [{"id": plan_id, "case_id": case_id}],
        "team": [
            {
                "id": uuid.UUID(int=rng.getrandbits(128)),
                "case_id": case_id,
                "organisation_id": ctx.politie.pk,
                "starts_on": opened_on,
                "added_by_id": director.pk,
            }
        ],
    }
    rows["goal"], rows["action"] = _plan(ctx, plan_id, director)
    return rows


def _offence(ctx: _Context, case_id: uuid.UUID, day: dt.date) -> dict[str, Any]:
    outcome = (
        OffenceOutcome.SEPOT if ctx.rng.random() < 0.05 else ctx.rng.choice([OffenceOutcome.OPEN, OffenceOutcome.VEROORDELING])
    )
    return {
        "id": uuid.UUID(int=ctx.rng.getrandbits(128)),
        "case_id": case_id,
        "committed_on": day,
        "offence_type_id": ctx.rng.choice(ctx.types),
        "outcome": outcome,
        "source_organisation_id": ctx.politie.pk,
        "recorded_by_id": ctx.registrar.pk,
    }


def _detentions(ctx: _Context, case_id: uuid.UUID) -> list[dict[str, Any]]:
    """About 8 % of the cases have a detention; 40 % of those are current (no release date)."""
    if ctx.rng.random() >= 0.08:
        return []
    started = _ago(ctx, 20, 400)
    released = None if ctx.rng.random() < 0.4 else min(started + dt.timedelta(days=ctx.rng.randint(10, 200)), ctx.today)
    return [
        {
            "id": uuid.UUID(int=ctx.rng.getrandbits(128)),
            "case_id": case_id,
            "institution": "PI Bench",
            "started_on": started,
            "released_on": released,
            "source_organisation_id": ctx.politie.pk,
            "recorded_by_id": ctx.registrar.pk,
        }
    ]


def _plan(ctx: _Context, plan_id: uuid.UUID, director: User) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Two goals with one or two actions each; due dates from 200 days ago to 200 days ahead."""
    goals, actions = [], []
    for leefgebied in ctx.rng.sample(list(Leefgebied), 2):
        goal_id = uuid.UUID(int=ctx.rng.getrandbits(128))
        goals.append(
            {"id": goal_id, "plan_id": plan_id, "leefgebied": leefgebied, "description": "Doel", "created_by_id": director.pk}
        )
        for _ in range(ctx.rng.randint(1, 2)):
            actions.append(
                {
                    "id": uuid.UUID(int=ctx.rng.getrandbits(128)),
                    "goal_id": goal_id,
                    "description": "Actie",
                    "owning_organisation_id": ctx.politie.pk,
                    "due_on": ctx.today + dt.timedelta(days=ctx.rng.randint(-200, 200)),
                    "status": ctx.rng.choice(list(ActionStatus)),
                    "kind": ctx.rng.choice(["grenzen_stellen", "perspectief_bieden"]),
                    "created_by_id": director.pk,
                }
            )
    return goals, actions


TABLES: dict[str, type[Model]] = {
    "person": Person,
    "case": Case,
    "offence": Offence,
    "detention": Detention,
    "plan": CasePlan,
    "goal": Goal,
    "action": Action,
    "team": CaseTeamMember,
}


def jobs_caseload(count: int, *, seed: int = 20261130, batch: int = 10_000) -> Generated:
    """Write ``count`` active ``lokale_pga`` (70 %) and ``zvhru`` (30 %) cases, committed, with their
    persons, 1–5 offences, some detentions, plans with actions, a team (Politie) and the guardian rows
    the caseload reads; case directors get 60 cases each. Returns the first director (the measured one)."""
    started = time.perf_counter()
    gemeente = Organisation.objects.get(code="gemeente-utrecht")
    directors = _users("cd-", max(1, count // CASES_PER_DIRECTOR), Role.CASE_DIRECTOR, gemeente)
    process = _users(
        "pd-", max(1, count // CASES_PER_PROCESS_DIRECTOR), Role.PROCESS_DIRECTOR, Organisation.objects.get(code="zvhru")
    )
    ctx = _Context(
        random.Random(seed),  # noqa: S311 - reproducible benchmark data, nothing secret
        timezone.localdate(),
        timezone.now(),
        gemeente,
        Organisation.objects.get(code="politie-midden-nederland"),
        directors[0],
        list(OffenceType.objects.values_list("pk", flat=True)),
    )
    totals = dict.fromkeys(TABLES, 0)
    for start in range(0, count, batch):
        rows: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES}
        for index in range(start, min(start + batch, count)):
            one = _case_rows(ctx, index, directors[index % len(directors)], process[index % len(process)])
            for name, table_rows in one.items():
                rows[name].extend(table_rows)
        with transaction.atomic():
            for name, model in TABLES.items():
                totals[name] += copy_rows(model, rows[name], ctx.now)
    totals["permissions"] = _permissions(ctx)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh statistics, as autovacuum would have them in production
    return Generated(totals, directors[0], time.perf_counter() - started)


def _permissions(ctx: _Context) -> int:
    """The guardian rows ``privacy.grants`` would derive: each director a user row, Politie a group row."""
    permission = Permission.objects.get(codename=grants.VIEW_CODENAME, content_type__app_label="cases")
    user_table = CaseUserObjectPermission._meta.db_table
    group_table = CaseGroupObjectPermission._meta.db_table
    inserted = 0
    with transaction.atomic(), connection.cursor() as cursor:
        for column in ("case_director_id", "process_director_id"):
            cursor.execute(
                f"INSERT INTO {user_table} (content_object_id, user_id, permission_id) SELECT id, {column}, %s "  # noqa: S608 - fixed names
                f"FROM cases_case WHERE registered_by_id = %s AND {column} IS NOT NULL",
                [permission.pk, ctx.registrar.pk],
            )
            inserted += cursor.rowcount
        cursor.execute(
            f"INSERT INTO {group_table} (content_object_id, group_id, permission_id) "  # noqa: S608 - fixed names
            f"SELECT id, %s, %s FROM cases_case WHERE registered_by_id = %s",
            [ctx.politie.group_id, permission.pk, ctx.registrar.pk],
        )
        inserted += cursor.rowcount
    return inserted


def _bench_cases_sql() -> tuple[str, list[Any]]:
    return "SELECT c.id FROM cases_case c JOIN partners_user u ON u.id = c.registered_by_id WHERE u.username LIKE %s", [
        f"{BENCH_PREFIX}%"
    ]


def caseload_remove() -> int:
    """Delete the generated cases with all that hangs off them (flags included) and the bench users'
    notifications; the users are deactivated, not deleted (the access log points at them). Returns the
    number of cases deleted. ``bench_jobs`` deletes its job runs itself."""
    cases_sql, params = _bench_cases_sql()
    steps = [
        ("escalation_reviewflag", "case_id"),
        ("privacy_caseuserobjectpermission", "content_object_id"),
        ("privacy_casegroupobjectpermission", "content_object_id"),
        ("cases_caseteammember", "case_id"),
        ("cases_offence", "case_id"),
        ("cases_detention", "case_id"),
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        for table, column in steps:
            cursor.execute(f"DELETE FROM {table} WHERE {column} IN ({cases_sql})", params)  # noqa: S608 - fixed names
        plans = f"SELECT id FROM cases_caseplan WHERE case_id IN ({cases_sql})"  # noqa: S608 - fixed names
        goals = f"SELECT id FROM cases_goal WHERE plan_id IN ({plans})"  # noqa: S608 - fixed names
        cursor.execute(f"DELETE FROM cases_action WHERE goal_id IN ({goals})", params)  # noqa: S608 - fixed names
        cursor.execute(f"DELETE FROM cases_goal WHERE plan_id IN ({plans})", params)  # noqa: S608 - fixed names
        cursor.execute(f"DELETE FROM cases_caseplan WHERE case_id IN ({cases_sql})", params)  # noqa: S608 - fixed names
        persons = f"CREATE TEMP TABLE bench_persons ON COMMIT DROP AS SELECT person_id FROM cases_case WHERE id IN ({cases_sql})"  # noqa: S608
        cursor.execute(persons, params)
        cursor.execute(f"DELETE FROM cases_case WHERE id IN ({cases_sql})", params)  # noqa: S608 - fixed names
        removed = cursor.rowcount
        cursor.execute("DELETE FROM cases_person WHERE id IN (SELECT person_id FROM bench_persons)")
    bench_users = User.objects.filter(username__startswith=BENCH_PREFIX)
    Notification.objects.filter(user__in=bench_users).delete()
    bench_users.update(is_active=False)
    return removed


def foreign_cases() -> int:
    """Cases in the database that the bench did not generate (the bench refuses to run beside them)."""
    return Case.objects.exclude(registered_by__username__startswith=BENCH_PREFIX).count()


# --- Timing the jobs --------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class JobTiming:
    """One job: the cold run (first, inserts flags) and the median of the warm runs, in seconds."""

    job: str
    cold_s: float
    cold_queries: int
    cold_counts: dict[str, int]
    warm_s: float
    warm_queries: int
    warm_counts: dict[str, int]
    warm_runs: int

    def lines(self) -> list[str]:
        return [
            f"{self.job} koud: {self.cold_s:.2f} s, {self.cold_queries} queries, {self.cold_counts}",
            f"{self.job} warm: mediaan {self.warm_s:.2f} s over {self.warm_runs} runs, {self.warm_queries} queries, "
            f"{self.warm_counts}",
        ]


def _timed_run(job: str, day: dt.date) -> tuple[float, int, dict[str, int]]:
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        run = job_run(job, day=day)
        seconds = time.perf_counter() - started
    return seconds, len(queries), dict(run.counts)


def time_job(job: str, day: dt.date, warm_runs: int) -> JobTiming:
    """Run ``job`` as of ``day`` once cold and ``warm_runs`` times warm (``job_run``, as beat would)."""
    cold = _timed_run(job, day)
    warm = [_timed_run(job, day) for _ in range(warm_runs)]
    median = statistics.median(seconds for seconds, _, _ in warm)
    return JobTiming(job, cold[0], cold[1], cold[2], median, warm[-1][1], warm[-1][2], warm_runs)


def flags_clear(kind: str = FlagKind.UITSTROOM) -> int:
    """Delete every flag of ``kind`` (bench only), so the next run takes the cold path again."""
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {ReviewFlag._meta.db_table} WHERE kind = %s", [kind])  # noqa: S608 - fixed name
        return cursor.rowcount


def explain_exit_review(day: dt.date, min_ms: float = 50.0) -> list[str]:
    """``EXPLAIN (ANALYZE, BUFFERS)`` of each statement of the exit review's cold path (its flags deleted
    first) that took at least ``min_ms``; everything is rolled back."""
    plans: list[str] = []
    with transaction.atomic():
        flags_clear()
        with CaptureQueriesContext(connection) as queries:
            job_run("exit_review", day=day)
        statements = [q for q in queries.captured_queries if q["sql"].startswith(("SELECT", "INSERT", "UPDATE", "DELETE"))]
        slow = [q["sql"] for q in statements if float(q["time"]) * 1000 >= min_ms]
        transaction.set_rollback(True)
    for sql in slow:
        with transaction.atomic(), connection.cursor() as cursor:
            flags_clear()
            cursor.execute("SET LOCAL jit = off")  # as the job runs them (escalation.reviews._plan_for_today)
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
            plans.append(sql[:300] + "\n" + "\n".join(row[0] for row in cursor.fetchall()))
            transaction.set_rollback(True)
    return plans


# --- The caseload page, on its own and under the exit review ---------------------------------------


@dataclasses.dataclass(frozen=True)
class PageTiming:
    """Latencies of ``requests`` page views in milliseconds."""

    label: str
    latencies_ms: list[float]

    @property
    def p95(self) -> float:
        return statistics.quantiles(self.latencies_ms, n=20, method="inclusive")[-1]

    @property
    def median(self) -> float:
        return statistics.median(self.latencies_ms)

    def line(self) -> str:
        return f"{self.label}: {len(self.latencies_ms)} verzoeken, mediaan {self.median:.1f} ms, p95 {self.p95:.1f} ms"


def degradation(base: PageTiming, loaded: PageTiming) -> float:
    """Extra p95 under load, as a percentage of the p95 on its own."""
    return (loaded.p95 - base.p95) / base.p95 * 100


@contextlib.contextmanager
def page_server(server_options: str = "") -> Iterator[int]:
    """A gunicorn server (one sync worker) on a free loopback port, on this database, its sessions
    started with PostgreSQL ``server_options`` (e.g. ``-c jit=off``); yields the port (``perf.load``)."""
    with gunicorn_server(ServerConfig(workers=1, worker_class="sync", server_options=server_options)) as port:
        yield port


def session_cookie(user: User) -> str:
    """A ``Cookie`` header value of a logged-in session of ``user`` (``Client.force_login``)."""
    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def page_views(port: int, cookie: str, requests: int, label: str, path: str = "/") -> PageTiming:
    """``requests`` sequential GETs of ``path`` on one keep-alive connection; each must answer 200."""
    latencies = []
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        for _ in range(requests):
            started = time.perf_counter()
            conn.request("GET", path, headers={"Cookie": cookie})
            response = conn.getresponse()
            response.read()
            latencies.append((time.perf_counter() - started) * 1000)
            if response.status != 200:
                raise RuntimeError(f"{path} antwoordde {response.status}")
    finally:
        conn.close()
    return PageTiming(label, latencies)


class ExitReviewLoop(threading.Thread):
    """In its own thread and database connection: delete the exit flags, run the exit review, repeat,
    until ``stop()``. ``durations`` holds each run's seconds (delete included)."""

    def __init__(self, day: dt.date) -> None:
        super().__init__(daemon=True)
        self.day = day
        self.durations: list[float] = []
        self.error: BaseException | None = None
        self.started_run = threading.Event()
        self._stop_asked = threading.Event()

    def run(self) -> None:
        try:
            while not self._stop_asked.is_set():
                started = time.perf_counter()
                self.started_run.set()
                flags_clear()
                job_run("exit_review", day=self.day)
                self.durations.append(time.perf_counter() - started)
        except BaseException as error:  # reported by the caller
            self.error = error
        finally:
            connections.close_all()

    def stop(self) -> None:
        self._stop_asked.set()
        self.join()


def under_exit_review(day: dt.date, measure: Callable[[], PageTiming]) -> tuple[PageTiming, list[float]]:
    """``measure()`` while ``ExitReviewLoop`` runs; returns its timing and the loop's run durations.
    The loop finishes the run it is in after ``measure`` returns."""
    loop = ExitReviewLoop(day)
    loop.start()
    loop.started_run.wait()
    try:
        timing = measure()
    finally:
        loop.stop()
    if loop.error is not None:
        raise loop.error
    return timing, loop.durations
