"""Benchmarks S1–S6 of issue #6 on the national dataset (``generate_dataset``) — measurements, not tests.

Each scenario times the application path (Django's test ``Client`` through every middleware, the
access-log write included, or the job as beat runs it) and a raw-SQL baseline that returns the same
rows, in the same run, and reports the median and p95 (milliseconds), the number of SQL queries and
the ratio of the two medians. Absolute times on a shared machine are noisy; the ratio is what
``make bench-check`` tracks against the recorded one (``docs/bench-recorded.json``; a ratio more than
20 % above it is a regression). Each baseline also checks that it returns the same rows as the app —
a benchmark that measures a different answer is stopped with ``BenchError``.

Scenarios (targets from issue #6):

- S1 caseload: the page ``/`` and ``/api/v1/cases/`` for a case director with 60 cases and for a
  partner organisation in 5,000 case teams — p95 < 100 ms, queries constant in page size;
- S2 case page and case API detail, including the access-log write — p95 < 60 ms;
- S3 denied access (404 and its log row) — p95 < 30 ms;
- S4 partner API throughput under gunicorn (``perf.load``) — ≥ 60 requests/s with p95 < 250 ms;
- S5 the nightly exit-rule sweep (< 10 s) and the whole-caseload rule evaluation (< 60 s);
- S6 the privacy officer's two questions on the access log ("wie zag persoon X", "wat deed
  gebruiker U") — < 50 ms.
"""

import contextlib
import dataclasses
import datetime as dt
import json
import logging
import os
import platform
import re
import statistics
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.models import Case, CaseStatus
from jobs.runner import job_run
from partners.models import User
from privacy.pseudonyms import pseudonym

RECORDED = Path(settings.BASE_DIR) / "docs" / "bench-recorded.json"
REGRESSION = 0.20  # a ratio more than 20 % above the recorded one is a regression (issue #6)
UUID_IN_LINK = re.compile(r'href="/casussen/([0-9a-f-]{36})/"')


class BenchError(Exception):
    """The benchmark cannot run, or the app and its baseline disagree about the rows."""


# --- Results ---------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Result:
    """One measured path. Times in milliseconds; ``baseline_ms`` is the raw-SQL baseline's median,
    ``ratio`` app median / baseline median (``None`` where no baseline applies, as for S4)."""

    key: str
    label: str
    target: str
    runs: int
    median_ms: float
    p95_ms: float
    queries: int | None
    baseline_ms: float | None
    met: bool
    extra: dict[str, Any] = dataclasses.field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        if self.baseline_ms is None or self.baseline_ms <= 0:
            return None
        return self.median_ms / self.baseline_ms

    def line(self) -> str:
        ratio = f"{self.ratio:6.1f}×" if self.ratio is not None else "      –"
        queries = f"{self.queries:3d}" if self.queries is not None else "  –"
        baseline = f"{self.baseline_ms:8.1f}" if self.baseline_ms is not None else "       –"
        verdict = "ok" if self.met else "MIST DOEL"
        return (
            f"{self.key:28s} {self.median_ms:9.1f} {self.p95_ms:9.1f} {queries} {baseline} {ratio}  {self.target:22s} {verdict}"
        )

    def as_json(self) -> dict[str, Any]:
        return {**dataclasses.asdict(self), "ratio": self.ratio}


HEADER = f"{'meting':28s} {'mediaan':>9s} {'p95':>9s} {'q':>3s} {'basis':>8s} {'ratio':>7s}  {'doel':22s}"


def p95(samples: Sequence[float]) -> float:
    """The 95th percentile (inclusive method) of ``samples``; the only sample when there is one."""
    if len(samples) == 1:
        return samples[0]
    return statistics.quantiles(samples, n=20, method="inclusive")[-1]


def sample(call: Callable[[], Any], *, runs: int, warmup: int) -> tuple[list[float], int, Any]:
    """``warmup`` untimed calls, then ``runs`` timed ones (milliseconds each), then one more call with
    its queries counted (counting slows a call down, so it is not among the timed ones). Returns the
    latencies, the query count and the last call's value."""
    for _ in range(warmup):
        call()
    latencies = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        latencies.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as queries:
        value = call()
    return latencies, len(queries), value


def sample_pair(
    app: Callable[[], Any], baseline: Callable[[], Any], *, runs: int, warmup: int
) -> tuple[list[float], list[float], int, Any, Any]:
    """Time ``app`` and ``baseline`` call by call in turn (which goes first alternates), so both meet
    the same moments of a shared machine and their ratio is steadier than two separate series: on the
    reference machine two separate series of the same code differed by up to 50 % in ratio. Returns
    the app's and the baseline's latencies (ms), the app's query count (an extra, untimed call) and the
    last values of both."""
    for _ in range(warmup):
        app()
        baseline()
    app_ms: list[float] = []
    base_ms: list[float] = []
    for turn in range(runs):
        order = ((app, app_ms), (baseline, base_ms)) if turn % 2 == 0 else ((baseline, base_ms), (app, app_ms))
        for call, latencies in order:
            started = time.perf_counter()
            call()
            latencies.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as queries:
        value = app()
    return app_ms, base_ms, len(queries), value, baseline()


def _result(
    key: str, label: str, target_ms: float, app: list[float], queries: int, baseline: list[float], **extra: Any
) -> Result:
    return Result(
        key=key,
        label=label,
        target=f"p95 < {target_ms:g} ms",
        runs=len(app),
        median_ms=statistics.median(app),
        p95_ms=p95(app),
        queries=queries,
        baseline_ms=statistics.median(baseline),
        met=p95(app) < target_ms,
        extra=extra,
    )


def _raw(statements: Sequence[tuple[str, Sequence[Any]]], *, commit: bool = False) -> Callable[[], list[list[tuple]]]:
    """A baseline: run ``statements`` (SQL, params) in one transaction and fetch every row."""

    def run() -> list[list[tuple]]:
        results = []
        with transaction.atomic(), connection.cursor() as cursor:
            for sql, params in statements:
                cursor.execute(sql, params)
                results.append(cursor.fetchall() if cursor.description else [])
            if not commit:
                transaction.set_rollback(True)
        return results

    return run


# --- Subjects ---------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Subjects:
    """The users and cases the scenarios use, from the dataset's fixed subjects (``perf.dataset``)."""

    director: User
    partner: User
    outsider: User
    officer: User
    case: Case  # the director's first case by name
    view_permission_id: int

    @classmethod
    def load(cls) -> "Subjects":
        from django.contrib.auth.models import Permission

        from perf import dataset

        names = {
            "director": dataset.DIRECTOR,
            "partner": dataset.PARTNER,
            "outsider": dataset.OUTSIDER,
            "officer": dataset.PRIVACY_OFFICER,
        }
        users = {user.username: user for user in User.objects.select_related("organisation").filter(username__in=names.values())}
        missing = sorted(set(names.values()) - set(users))
        if missing:
            raise BenchError(f"Deze database heeft de dataset niet (ontbreekt: {', '.join(missing)}); draai eerst make dataset.")
        director = users[dataset.DIRECTOR]
        case = Case.objects.filter(case_director=director, status=CaseStatus.ACTIEF).order_by("person__surname", "id").first()
        if case is None:
            raise BenchError("De casusregisseur van de dataset heeft geen actieve casussen.")
        permission = Permission.objects.get(content_type__app_label="cases", codename="view_case")
        return cls(
            director=director,
            partner=users[dataset.PARTNER],
            outsider=users[dataset.OUTSIDER],
            officer=users[dataset.PRIVACY_OFFICER],
            case=case,
            view_permission_id=permission.pk,
        )


def new_client() -> Client:
    """A test client that asks for ``localhost`` (in the default ``ALLOWED_HOSTS``; ``testserver`` is not)."""
    return Client(SERVER_NAME="localhost")


def logged_in(user: User) -> Client:
    """A test client with a session of ``user``; a privacy officer's session counts as past the second
    factor (a confirmed TOTP device of their own, as ``tests/conftest.py`` does for tests)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from partners.otp import needs_second_factor

    client = new_client()
    client.force_login(user)
    if needs_second_factor(user):
        device, _ = TOTPDevice.objects.get_or_create(user=user, name="bench", defaults={"confirmed": True})
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def _get(client: Client, path: str, status: int = 200, headers: dict[str, str] | None = None) -> Callable[[], Any]:
    def call() -> Any:
        response = client.get(path, headers=headers or None)
        if response.status_code != status:
            raise BenchError(f"GET {path} gaf {response.status_code}, verwacht {status}")
        return response

    return call


# --- The raw-SQL baselines ---------------------------------------------------------------------------


def _visible_sql(user: User, permission_id: int) -> tuple[str, list[Any]]:
    """The ids of the cases ``user`` sees today (``cases.selectors.visible_case_ids``), in plain SQL."""
    sql = (
        "SELECT p.content_object_id FROM privacy_caseuserobjectpermission p "
        "LEFT JOIN privacy_breaktheglassgrant g ON g.id = p.grant_id "
        "WHERE p.user_id = %s AND p.permission_id = %s "
        "AND (p.grant_id IS NULL OR (g.expires_at > now() AND g.revoked_at IS NULL))"
    )
    params: list[Any] = [user.pk, permission_id]
    if user.organisation is not None and user.organisation.group_id is not None:
        sql += " UNION SELECT content_object_id FROM privacy_casegroupobjectpermission WHERE group_id = %s AND permission_id = %s"
        params += [user.organisation.group_id, permission_id]
    return sql, params


LAST_OFFENCE_SQL = (
    "(SELECT o.committed_on FROM cases_offence o WHERE o.case_id = c.id AND o.outcome NOT IN ('sepot', 'vrijspraak') "
    "ORDER BY o.committed_on DESC LIMIT 1)"
)


def caseload_baseline(user: User, permission_id: int, page_size: int = 25) -> list[tuple[str, list[Any]]]:
    """The first caseload page by name and its count: what ``/`` and ``/api/v1/cases/`` show."""
    visible, params = _visible_sql(user, permission_id)
    page = (
        f"SELECT c.id, c.tier, c.status, c.target_group, c.opened_on, p.given_names, p.surname, p.date_of_birth, "  # noqa: S608
        f"w.name, d.username, {LAST_OFFENCE_SQL} AS last_offence_on "
        f"FROM cases_case c JOIN cases_person p ON p.id = c.person_id LEFT JOIN cases_wijk w ON w.id = p.wijk_id "
        f"LEFT JOIN partners_user d ON d.id = c.case_director_id "
        f"WHERE c.id IN ({visible}) ORDER BY p.surname, p.given_names, c.id LIMIT {int(page_size)}"
    )
    count = f"SELECT count(*) FROM ({visible}) v"  # noqa: S608 - every row points at a case (foreign key)
    return [(page, params), (count, params)]


def case_baseline(user: User, permission_id: int, case_id: Any, *, page: bool) -> list[tuple[str, list[Any]]]:
    """The case with its person (and, for the page, its offences, detentions, plan and team), then the
    access-log row and its subject — what the case page or API detail reads and writes."""
    visible, params = _visible_sql(user, permission_id)
    statements: list[tuple[str, list[Any]]] = [
        (
            f"SELECT c.*, p.*, {LAST_OFFENCE_SQL} FROM cases_case c JOIN cases_person p ON p.id = c.person_id "  # noqa: S608
            f"WHERE c.id = %s AND c.id IN ({visible})",
            [case_id, *params],
        )
    ]
    if page:
        statements += [
            ("SELECT * FROM cases_offence WHERE case_id = %s ORDER BY committed_on DESC", [case_id]),
            ("SELECT * FROM cases_detention WHERE case_id = %s ORDER BY started_on DESC", [case_id]),
            (
                "SELECT g.*, a.* FROM cases_caseplan pl JOIN cases_goal g ON g.plan_id = pl.id "
                "LEFT JOIN cases_action a ON a.goal_id = g.id WHERE pl.case_id = %s ORDER BY g.id, a.due_on",
                [case_id],
            ),
            ("SELECT * FROM cases_caseteammember WHERE case_id = %s ORDER BY starts_on", [case_id]),
        ]
    return statements + _log_write(user, case_id, allowed=True)


def _log_write(user: User, case_id: Any, *, allowed: bool) -> list[tuple[str, list[Any]]]:
    """The access-log row and its subject in one statement, as ``privacy.access_log`` writes them."""
    sql = (
        "WITH entry AS (INSERT INTO privacy_accesslogentry (at, user_id, organisation_id, role, application, action, view, "
        "object_type, object_ids, categories, purpose, break_the_glass, outcome, status_code, client_ip, request_id, query) "
        "VALUES (now(), %s, %s, %s, '', 'lezen', 'bench', 'case', %s, '[]', '', false, %s, %s, NULL, '', '') RETURNING id) "
        "INSERT INTO privacy_accesslogsubject (entry_id, pseudonym) SELECT id, %s FROM entry"
    )
    outcome, status = ("toegestaan", 200) if allowed else ("geweigerd", 404)
    person = Case.objects.filter(pk=case_id).values_list("person_id", flat=True).get()
    return [(sql, [user.pk, user.organisation_id, user.role, json.dumps([str(case_id)]), outcome, status, pseudonym(person)])]


def denied_baseline(user: User, permission_id: int, case_id: Any) -> list[tuple[str, list[Any]]]:
    """The visibility check that finds nothing, the person of the attempted case, the log row."""
    visible, params = _visible_sql(user, permission_id)
    return [
        (f"SELECT c.id FROM cases_case c WHERE c.id = %s AND c.id IN ({visible})", [case_id, *params]),  # noqa: S608
        ("SELECT person_id FROM cases_case WHERE id = %s", [case_id]),
        *_log_write(user, case_id, allowed=False),
    ]


# --- S1–S3 ---------------------------------------------------------------------------------------------


def _ids_of(response: Any) -> list[str]:
    if response["Content-Type"].startswith("application/json"):
        return [row["id"] for row in response.json()["results"]]
    seen: list[str] = []
    for case_id in UUID_IN_LINK.findall(response.content.decode()):
        if case_id not in seen:
            seen.append(case_id)
    return seen


def _same_page(key: str, response: Any, baseline_rows: list[list[tuple]]) -> int:
    """Check that the app listed the baseline's first page in the same order; returns the count."""
    expected = [str(row[0]) for row in baseline_rows[0]]
    listed = _ids_of(response)
    if listed != expected:
        raise BenchError(f"{key}: de app toont andere casussen dan de SQL-basislijn ({len(listed)} tegen {len(expected)}).")
    count = int(baseline_rows[1][0][0])
    if response["Content-Type"].startswith("application/json") and response.json()["count"] != count:
        raise BenchError(f"{key}: de app telt {response.json()['count']} casussen, de SQL-basislijn {count}.")
    return count


def s1_caseload(subjects: Subjects, *, runs: int, warmup: int, partner_token: str | None) -> list[Result]:
    """S1: the caseload page and API for the director and the partner organisation."""
    results = []
    for who, user in (("director", subjects.director), ("partner", subjects.partner)):
        client = logged_in(user)
        baseline = _raw(caseload_baseline(user, subjects.view_permission_id))
        api_headers = {"Authorization": f"Bearer {partner_token}"} if who == "partner" and partner_token else {}
        api_client = new_client() if api_headers else client
        for surface, path, headers in (("page", "/", {}), ("api", "/api/v1/cases/", api_headers)):
            app = _get(api_client if surface == "api" else client, path, headers=headers)
            app_ms, base_ms, queries, response, base_rows = sample_pair(app, baseline, runs=runs, warmup=warmup)
            count = _same_page(f"s1_{surface}_{who}", response, base_rows)
            bigger_queries = _queries_for_page_size(api_client if surface == "api" else client, path, headers)
            results.append(
                _result(
                    f"s1_{surface}_{who}",
                    f"Caseload ({'pagina' if surface == 'page' else 'API'}), {who}, {count} casussen",
                    100,
                    app_ms,
                    queries,
                    base_ms,
                    cases=count,
                    queries_page_size_100=bigger_queries,
                )
            )
    return results


def _queries_for_page_size(client: Client, path: str, headers: dict[str, str]) -> int:
    param = "page_size" if path.startswith("/api/") else "per_pagina"
    with CaptureQueriesContext(connection) as queries:
        _get(client, f"{path}?{param}=100", headers=headers)()
    return len(queries)


def s2_case(subjects: Subjects, *, runs: int, warmup: int) -> list[Result]:
    """S2: the director's case page and case API detail, access-log write included."""
    client = logged_in(subjects.director)
    case_id = subjects.case.pk
    results = []
    for surface, path in (("page", f"/casussen/{case_id}/"), ("api", f"/api/v1/cases/{case_id}/")):
        baseline = _raw(
            case_baseline(subjects.director, subjects.view_permission_id, case_id, page=surface == "page"), commit=True
        )
        app_ms, base_ms, queries, _, _ = sample_pair(_get(client, path), baseline, runs=runs, warmup=warmup)
        results.append(
            _result(f"s2_{surface}", f"Casus ({'pagina' if surface == 'page' else 'API'})", 60, app_ms, queries, base_ms)
        )
    return results


def s3_denied(subjects: Subjects, *, runs: int, warmup: int) -> list[Result]:
    """S3: an outsider asks for the director's case — 404 and a log row, page and API."""
    client = logged_in(subjects.outsider)
    case_id = subjects.case.pk
    baseline = _raw(denied_baseline(subjects.outsider, subjects.view_permission_id, case_id), commit=True)
    results = []
    for surface, path in (("page", f"/casussen/{case_id}/"), ("api", f"/api/v1/cases/{case_id}/")):
        with _quiet("django.request"):  # one "Not Found" warning per request otherwise
            app = _get(client, path, status=404)
            app_ms, base_ms, queries, _, rows = sample_pair(app, baseline, runs=runs, warmup=warmup)
        if rows[0]:
            raise BenchError("s3: de buitenstaander van de dataset ziet de casus toch.")
        results.append(
            _result(f"s3_{surface}", f"Geweigerd ({'pagina' if surface == 'page' else 'API'}), 404", 30, app_ms, queries, base_ms)
        )
    return results


# --- S4 -------------------------------------------------------------------------------------------------


def s4_throughput(subjects: Subjects, *, seconds: int) -> list[Result]:
    """S4: the partner organisation's application under load from wrk, gunicorn with two workers and
    the production settings (``perf.load.throughput``). ``runs`` is the number of requests; median and p95 come from wrk."""
    from perf.load import TARGET_P95_MS, TARGET_RPS, LoadShape, ServerConfig, production_env, throughput

    if subjects.partner.organisation is None:
        raise BenchError("s4: de partner van de dataset heeft geen organisatie.")
    server = ServerConfig(env=production_env())  # two workers as gunicorn.conf.py runs them, production settings
    load = throughput(subjects.partner.organisation, server=server, shape=LoadShape(seconds=seconds))
    return [
        Result(
            "s4_partner_api",
            f"Partner-API onder belasting ({load.label})",
            f">= {TARGET_RPS:g}/s, p95 < {TARGET_P95_MS:g} ms",
            load.requests,
            load.p50_ms,
            load.p95_ms,
            None,
            None,
            load.meets_target(),
            {"requests_per_s": load.requests_per_s, "errors": load.errors, "p99_ms": load.p99_ms},
        )
    ]


@contextlib.contextmanager
def _quiet(logger: str) -> Iterator[None]:
    """Only errors from ``logger`` while the block runs."""
    log = logging.getLogger(logger)
    level = log.level
    log.setLevel(logging.ERROR)
    try:
        yield
    finally:
        log.setLevel(level)


# --- S5 -------------------------------------------------------------------------------------------------


EXIT_CANDIDATES_SQL = """
SELECT count(*) FROM (
  SELECT c.id, greatest(coalesce(lo.day, coalesce(c.reopened_on, c.opened_on)), coalesce(c.reopened_on, c.opened_on)) AS base
  FROM cases_case c
  LEFT JOIN LATERAL (
    SELECT o.committed_on AS day FROM cases_offence o
    WHERE o.case_id = c.id AND o.outcome NOT IN ('sepot', 'vrijspraak') AND o.committed_on <= %(day)s
    ORDER BY o.committed_on DESC LIMIT 1
  ) lo ON true
  WHERE c.status = 'actief' AND c.tier IN ('lokale_pga', 'zvhru')
    AND NOT EXISTS (
      SELECT 1 FROM cases_detention d WHERE d.case_id = c.id AND d.started_on <= %(day)s
        AND (d.released_on IS NULL OR d.released_on > %(day)s)
    )
) candidates
WHERE (base + make_interval(months => %(months)s))::date <= %(day)s
"""


def s5_jobs(*, warm_runs: int = 2) -> list[Result]:
    """S5: the exit review cold (its flags deleted first) and warm, against the same selection in plain
    SQL; and every active case through the escalation engine, against reading their facts in SQL."""
    from escalation.bench import bench_caseload
    from escalation.bench_jobs import flags_clear
    from escalation.selectors import exit_period_months

    day = timezone.localdate()
    months = exit_period_months()
    with connection.cursor() as cursor:
        started = time.perf_counter()
        cursor.execute("SET jit = off")
        cursor.execute(EXIT_CANDIDATES_SQL, {"day": day, "months": months})
        candidates = cursor.fetchone()[0]
        base_ms = (time.perf_counter() - started) * 1000
    flags_clear()
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        cold = job_run("exit_review", day=day)
        cold_ms = (time.perf_counter() - started) * 1000
    warm = []
    for _ in range(warm_runs):
        started = time.perf_counter()
        job_run("exit_review", day=day)
        warm.append((time.perf_counter() - started) * 1000)
    flagged = cold.counts.get("flagged", 0) + cold.counts.get("already_flagged", 0)
    if flagged != candidates:
        raise BenchError(f"s5: de uitstroomtoets markeerde {flagged} casussen, de SQL-basislijn vond er {candidates}.")
    results = [
        Result(
            "s5_exit_review_cold",
            f"Uitstroomtoets, koud ({candidates} casussen)",
            "< 10000 ms",
            1,
            cold_ms,
            cold_ms,
            len(queries),
            base_ms,
            cold_ms < 10_000,
            {"flagged": flagged, "warm_median_ms": statistics.median(warm)},
        )
    ]
    engine = bench_caseload(runs=1, batch_size=1000)
    active = Case.objects.filter(status=CaseStatus.ACTIEF).count()
    facts = _raw([(_FACTS_SQL, [day])])
    facts_ms, _, _ = sample(facts, runs=1, warmup=0)
    results.append(
        Result(
            "s5_caseload_rules",
            f"Regels over de hele actieve caseload ({active} casussen)",
            "< 60000 ms",
            1,
            engine.median_ms,
            engine.median_ms,
            engine.queries,
            statistics.median(facts_ms),
            engine.median_ms < 60_000,
        )
    )
    return results


_FACTS_SQL = """
SELECT c.id, c.tier, c.target_group, c.drug_network_indication,
  (SELECT max(o.committed_on) FROM cases_offence o WHERE o.case_id = c.id AND o.outcome NOT IN ('sepot', 'vrijspraak')),
  (SELECT count(*) FROM cases_offence o WHERE o.case_id = c.id),
  EXISTS (SELECT 1 FROM cases_detention d WHERE d.case_id = c.id AND d.started_on <= %s AND d.released_on IS NULL)
FROM cases_case c WHERE c.status = 'actief'
"""


# --- S6 -------------------------------------------------------------------------------------------------


def s6_privacy_officer(subjects: Subjects, *, runs: int, warmup: int) -> list[Result]:
    """S6: the first page of "wie zag persoon X" (the person of the director's first case) and of "wat
    deed gebruiker U" (the director), each as the officer's page and against its keyset query in SQL."""
    from privacy.views.officer import PAGE_SIZE

    client = logged_in(subjects.officer)
    person_id = subjects.case.person_id
    value = pseudonym(person_id)
    person_sql = (
        "SELECT e.* FROM privacy_accesslogentry e JOIN privacy_accesslogsubject s ON s.entry_id = e.id "
        "WHERE s.pseudonym = %s ORDER BY e.id DESC LIMIT %s"
    )
    user_sql = "SELECT e.* FROM privacy_accesslogentry e WHERE e.user_id = %s ORDER BY e.at DESC, e.id DESC LIMIT %s"
    results = []
    cases = (
        (
            "s6_person_log",
            "Wie zag persoon X",
            person_sql,
            [value, PAGE_SIZE + 1],
            lambda: client.post("/privacy/toezicht/persoon/", {"person_id": str(person_id)}),
        ),
        (
            "s6_user_log",
            "Wat deed gebruiker U",
            user_sql,
            [subjects.director.pk, PAGE_SIZE + 1],
            _get(client, f"/privacy/toezicht/gebruiker/?username={subjects.director.username}"),
        ),
    )
    for key, label, sql, params, call in cases:
        app_ms, base_ms, queries, response, rows = sample_pair(call, _raw([(sql, params)]), runs=runs, warmup=warmup)
        if response.status_code != 200:
            raise BenchError(f"{key}: de pagina gaf {response.status_code}.")
        results.append(_result(key, f"{label} ({len(rows[0])} regels)", 50, app_ms, queries, base_ms))
    return results


# --- Recording and checking -------------------------------------------------------------------------


def machine() -> str:
    """A one-line description of this machine and database."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    system = f"{platform.system()} {platform.release()}"
    return f"{platform.node()}: {os.cpu_count()} CPU's, {system}, PostgreSQL {version}, Python {platform.python_version()}"


def record(results: Sequence[Result], path: Path = RECORDED) -> None:
    """Write ``results`` (with today's date and the machine) as the recorded reference for ``check``."""
    data = {
        "recorded_on": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "results": {result.key: result.as_json() for result in results},
    }
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")


def check(results: Sequence[Result], path: Path = RECORDED) -> tuple[list[str], list[str]]:
    """Compare ``results`` with the recorded reference: the ratios to the baselines (and, for S4, the
    requests per second). Returns Dutch lines for changes of more than 20 % for the worse: first the
    regressions — ratios of paths timed over many calls, app and baseline in turn (``sample_pair``) —
    then the indicative ones, reported but not failed: single runs (S5) and S4's requests per second,
    which has no baseline; both varied by more than 20 % between two runs of the same code on the
    shared reference machine (docs/performance.md)."""
    if not path.exists():
        raise BenchError(f"Er is nog geen vastgelegde meting ({path.name}); draai eerst make bench (legt vast met --record).")
    recorded = json.loads(path.read_text(encoding="utf-8"))["results"]
    regressions: list[str] = []
    indicative: list[str] = []
    for result in results:
        before = recorded.get(result.key)
        if before is None:
            continue
        line = None
        if result.ratio is not None and before.get("ratio"):
            if result.ratio > before["ratio"] * (1 + REGRESSION):
                line = f"{result.key}: verhouding tot de SQL-basislijn {result.ratio:.1f}× (vastgelegd {before['ratio']:.1f}×)"
        elif "requests_per_s" in result.extra and before.get("extra", {}).get("requests_per_s"):
            now, then = result.extra["requests_per_s"], before["extra"]["requests_per_s"]
            if now < then * (1 - REGRESSION):
                line = f"{result.key}: {now:.0f} verzoeken/s (vastgelegd {then:.0f})"
        if line is not None:
            (indicative if result.runs == 1 or result.ratio is None else regressions).append(line)
    return regressions, indicative
