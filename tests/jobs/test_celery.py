"""The jobs under Celery for real (issue #5, "Reliability"): a worker process on the Redis broker against
the test database, a worker killed mid-run, two runs at once, the daylight-saving nights, Redis down.

Nothing is mocked. The workers are ``celery -A pga worker`` subprocesses (solo pool: the job runs in
the process we kill) reading the test database that pytest-django created. Each test run gets its own
broker keys in the shared Redis (``CELERY_BROKER_KEY_PREFIX``), so parallel runs never take each
other's tasks; the keys are removed afterwards. Every wait is bounded and shows the worker's log when
it runs out.
"""

import contextlib
import dataclasses
import datetime as dt
import io
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest
import redis
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.management import call_command
from django.db import connection, connections
from django.urls import reverse
from django_celery_beat.models import PeriodicTask
from kombu import pools as kombu_pools

from escalation import selectors, services
from escalation.models import FlagKind, FlagStatus, ReviewFlag, WhatIfRun, WhatIfStatus
from jobs import outbox
from jobs.models import JobName, JobRun, JobRunStatus, JobTrigger, PendingTask
from jobs.runner import job_lock_key, job_run
from jobs.tasks import run as run_task
from pga import celery_app
from tests import factories as f

CELERY = Path(sys.executable).with_name("celery")  # .venv/bin/celery
WORKER_START = 60  # seconds a worker may take to start and finish its task (2 cores, cold imports)
VISIBILITY_TIMEOUT = 2  # seconds, for the killed-worker test; production waits 4 hours
DAY = dt.date(2025, 11, 28)  # a fixed day in the past: the tests let up to a year pass after it
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


# --- The broker and the workers ----------------------------------------------------------------


@dataclasses.dataclass
class Broker:
    url: str
    prefix: str

    def client(self) -> redis.Redis:
        return redis.Redis.from_url(self.url)

    def unacked(self) -> int:
        """Messages handed to a worker and not yet acknowledged (kombu's Redis transport)."""
        return int(self.client().hlen(f"{self.prefix}unacked"))


def _use_broker(url: str, transport_options: dict[str, Any]) -> None:
    """Point this process's Celery app at ``url`` and drop its pooled connections to the old broker."""
    celery_app.conf.broker_url = url
    celery_app.conf.broker_transport_options = transport_options
    # kombu keeps connection and producer pools in process-wide registries keyed by the broker URL: a
    # closed pool left there would be handed to every later task (eager ones too acquire a producer).
    kombu_pools.reset()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def broker() -> Iterator[Broker]:
    """The real Redis broker, under keys of this test alone; tasks really go to it (not eager)."""
    conf = celery_app.conf
    saved = (conf.broker_url, dict(conf.broker_transport_options or {}), conf.task_always_eager)
    current = Broker(url=settings.CELERY_BROKER_URL, prefix=f"pga-test-{uuid.uuid4().hex[:12]}:")
    _use_broker(current.url, {**saved[1], "global_keyprefix": current.prefix})
    conf.task_always_eager = False
    try:
        yield current
    finally:
        _use_broker(saved[0], saved[1])
        conf.task_always_eager = saved[2]
        client = current.client()
        keys = list(client.scan_iter(match=f"{current.prefix}*"))
        if keys:
            client.delete(*keys)


def closed_port() -> int:
    """A local TCP port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def redis_down(current: Broker) -> Iterator[str]:
    """While inside: the broker is a closed port, as when Redis is down. Yields that broker URL."""
    url = f"redis://127.0.0.1:{closed_port()}/0"
    options = dict(celery_app.conf.broker_transport_options)
    _use_broker(url, options)
    try:
        yield url
    finally:
        _use_broker(current.url, options)


def database_url(application_name: str) -> str:
    """The URL of the database this test uses (pytest-django's test database), for a subprocess."""
    db = connection.settings_dict
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    return f"postgres://{quote(db['USER'], safe='')}{password}@{host}/{db['NAME']}?application_name={application_name}"


def backends(application_name: str) -> list[tuple[int, str]]:
    """``(pid, wait_event_type)`` of the database sessions of a worker."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid, coalesce(wait_event_type, '') FROM pg_stat_activity WHERE application_name = %s",
            [application_name],
        )
        return [(pid, wait) for pid, wait in cursor.fetchall()]


@dataclasses.dataclass
class Worker:
    process: subprocess.Popen
    log: Path
    application_name: str

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-6000:]

    def wait_for(self, predicate: Callable[[], Any], what: str, timeout: float = WORKER_START) -> Any:
        """Poll ``predicate`` until it returns something truthy; fail after ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = predicate()
            if value:
                return value
            if self.process.poll() is not None:
                pytest.fail(f"The worker stopped (exit {self.process.returncode}) before {what}.\n{self.output()}")
            time.sleep(0.1)
        pytest.fail(f"No {what} within {timeout} s.\n{self.output()}")

    def kill(self) -> None:
        """SIGKILL the worker and everything it started: no warm shutdown, no acknowledgement."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def wait_until_disconnected(self) -> None:
        """PostgreSQL notices the lost client (once it is not waiting for a lock) and rolls back."""
        deadline = time.monotonic() + 10
        while backends(self.application_name) and time.monotonic() < deadline:
            time.sleep(0.05)


@contextlib.contextmanager
def celery_worker(current: Broker, tmp_path: Path, name: str = "worker", **environment: str) -> Iterator[Worker]:
    """A real ``celery -A pga worker`` on ``current`` and the test database; always killed afterwards."""
    application_name = f"pga-test-{name}-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "pga.settings.test",
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "DATABASE_URL": database_url(application_name),
        "CELERY_BROKER_URL": current.url,
        "CELERY_BROKER_KEY_PREFIX": current.prefix,
        **environment,
    }
    command = [str(CELERY), "-A", "pga", "worker", "--pool=solo", "--without-gossip", "--without-mingle"]
    command += ["--without-heartbeat", "--loglevel=info", f"--hostname={application_name}@%h"]
    log = tmp_path / f"{application_name}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(  # noqa: S603 — our own celery, fixed arguments
            command, cwd=settings.BASE_DIR, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
        worker = Worker(process, log, application_name)
        try:
            yield worker
        finally:
            worker.kill()
            worker.wait_until_disconnected()


# --- Cases ---------------------------------------------------------------------------------------


def exit_due_case():
    """A lokale-PGA case whose earliest exit date (last offence + 12 months) was the day before ``DAY``."""
    case = f.CaseFactory(lokale_pga=True, opened_on=DAY - relativedelta(years=2))
    f.OffenceFactory(case=case, committed_on=DAY - relativedelta(years=1) - dt.timedelta(days=1))
    return case


def exit_flags(case) -> list[ReviewFlag]:
    return list(ReviewFlag.objects.filter(case=case, kind=FlagKind.UITSTROOM).exclude(status=FlagStatus.INGETROKKEN))


def runs_of(task_id: str) -> list[tuple[str, str]]:
    return [(run.status, run.trigger) for run in JobRun.objects.filter(task_id=task_id).order_by("started_at", "pk")]


# --- A real worker ---------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_worker_runs_the_exit_review_sent_through_redis(broker, tmp_path):
    case = exit_due_case()

    with celery_worker(broker, tmp_path) as worker:
        sent = run_task.apply_async(args=[JobName.EXIT_REVIEW, DAY.isoformat()])
        worker.wait_for(lambda: JobRun.objects.filter(task_id=sent.id, status=JobRunStatus.GESLAAGD).exists(), "successful run")

    run = JobRun.objects.get(task_id=sent.id)
    assert (run.job, run.as_of, run.trigger) == (JobName.EXIT_REVIEW, DAY, JobTrigger.PLANNING)
    assert run.counts["flagged"] == 1 and run.finished_at is not None
    (flag,) = exit_flags(case)
    assert (flag.status, flag.raised_on, flag.job_run) == (FlagStatus.OPEN, DAY, run)


@contextlib.contextmanager
def table_locked(table: str) -> Iterator[None]:
    """While inside, another session holds ``table`` exclusively: whoever touches it waits."""
    holder = connections.create_connection("default")
    try:
        holder.set_autocommit(False)
        with holder.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE")
        yield
    finally:
        holder.close()  # ends the transaction and its lock


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_job_whose_worker_is_killed_mid_run_is_redelivered_and_completes_once(broker, tmp_path):
    """acks_late: the task is acknowledged only after the job; the killed worker's transaction rolls back
    and, after the visibility timeout, the next worker gets the same task again."""
    case = exit_due_case()
    short = {"CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT)}
    # The job waits at its first read of the periods, inside its transaction. The lock is released
    # before the worker is cleaned up (contexts exit right to left).
    with celery_worker(broker, tmp_path, "first", **short) as first, table_locked("jobs_jobsettings"):
        sent = run_task.apply_async(args=[JobName.EXIT_REVIEW, DAY.isoformat()])
        first.wait_for(lambda: "Lock" in dict(backends(first.application_name)).values(), "job waiting inside its run")
        handed_out = time.time()
        assert runs_of(sent.id) == [(JobRunStatus.BEZIG, JobTrigger.PLANNING)]
        first.kill()

    assert runs_of(sent.id) == [(JobRunStatus.BEZIG, JobTrigger.PLANNING)]  # nothing of the job was kept
    assert exit_flags(case) == []
    assert broker.unacked() == 1  # the task was never acknowledged
    time.sleep(max(0.0, handed_out + VISIBILITY_TIMEOUT + 0.5 - time.time()))

    with celery_worker(broker, tmp_path, "second", **short) as second:
        second.wait_for(lambda: JobRun.objects.filter(task_id=sent.id, status=JobRunStatus.GESLAAGD).exists(), "rerun")

    assert runs_of(sent.id) == [
        (JobRunStatus.AFGEBROKEN, JobTrigger.PLANNING),
        (JobRunStatus.GESLAAGD, JobTrigger.PLANNING),
    ]
    assert len(exit_flags(case)) == 1
    assert JobRun.objects.get(task_id=sent.id, status=JobRunStatus.GESLAAGD).counts["flagged"] == 1


# --- Two runs at once ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_run_that_finds_the_job_locked_is_recorded_as_skipped():
    case = exit_due_case()
    other = connections.create_connection("default")  # a second worker's session, holding the job
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [job_lock_key(JobName.EXIT_REVIEW)])
        skipped = job_run(JobName.EXIT_REVIEW, day=DAY, trigger=JobTrigger.PLANNING)
        other_job = job_run(JobName.PERIODIC_REVIEW, day=DAY, trigger=JobTrigger.PLANNING)
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [job_lock_key(JobName.EXIT_REVIEW)])
        after = job_run(JobName.EXIT_REVIEW, day=DAY, trigger=JobTrigger.PLANNING)
    finally:
        other.close()

    assert (skipped.status, skipped.note) == (JobRunStatus.OVERGESLAGEN, "Een andere uitvoering van deze taak is bezig.")
    assert skipped.counts == {} and skipped.finished_at is not None
    assert other_job.status == JobRunStatus.GESLAAGD  # the lock is per job
    assert after.status == JobRunStatus.GESLAAGD
    assert len(exit_flags(case)) == 1


# --- Daylight saving: once per night -----------------------------------------------------------------

NIGHTLY = {
    "Uitstroomtoets (nachtelijk)": dt.time(1, 30),
    "Periodieke toetsing (nachtelijk)": dt.time(1, 40),
    "Stagnatie (nachtelijk)": dt.time(1, 50),
    "Bewaartermijn na afsluiting (nachtelijk)": dt.time(4, 15),
    "Rechten per casus verversen (nachtelijk)": dt.time(0, 5),
}
# Europe/Amsterdam in 2026: 02:00 → 03:00 on Sunday 29 March, 03:00 → 02:00 on Sunday 25 October.
# Each: the first of two nights, simulated from noon to noon; the change falls in the first night.
DST_NIGHTS = {"voorjaar": dt.date(2026, 3, 28), "najaar": dt.date(2026, 10, 24)}


def beat_minute_by_minute(schedule: Any, start: dt.datetime, end: dt.datetime) -> list[dt.datetime]:
    """When beat would send the task: asked every minute (UTC) whether it is due since its last run."""
    now = start
    schedule.nowfun = lambda: now.astimezone(schedule.tz)
    last_run_at, sent = start, []
    while now < end:
        due, _ = schedule.is_due(last_run_at)
        if due:
            sent.append(now)
            last_run_at = now
        now += dt.timedelta(minutes=1)
    return sent


@pytest.mark.django_db
@pytest.mark.parametrize("change", sorted(DST_NIGHTS))
@pytest.mark.parametrize("name", sorted(NIGHTLY))
def test_beat_sends_each_nightly_job_once_per_night_across_the_daylight_saving_change(name, change):
    schedule = PeriodicTask.objects.get(name=name).crontab.schedule  # as installed by jobs/migrations/0002
    first = DST_NIGHTS[change]
    start = dt.datetime.combine(first, dt.time(12), tzinfo=AMSTERDAM).astimezone(dt.UTC)
    end = dt.datetime.combine(first + dt.timedelta(days=2), dt.time(12), tzinfo=AMSTERDAM).astimezone(dt.UTC)

    sent = [moment.astimezone(AMSTERDAM) for moment in beat_minute_by_minute(schedule, start, end)]

    mornings = (first + dt.timedelta(days=1), first + dt.timedelta(days=2))
    assert Counter(moment.date() for moment in sent) == dict.fromkeys(mornings, 1)
    assert {moment.time() for moment in sent} == {NIGHTLY[name]}  # 02:30 would run at 03:30 in March


@pytest.mark.django_db
def test_the_runner_runs_the_nightly_job_once_per_night_even_if_beat_sends_it_twice():
    case = exit_due_case()
    first = run_task.apply(args=[JobName.EXIT_REVIEW, DAY.isoformat()])  # in this process
    again = run_task.apply(args=[JobName.EXIT_REVIEW, DAY.isoformat()])
    by_hand = job_run(JobName.EXIT_REVIEW, day=DAY, trigger=JobTrigger.HANDMATIG)
    next_night = job_run(JobName.EXIT_REVIEW, day=DAY + dt.timedelta(days=1), trigger=JobTrigger.PLANNING)

    assert (first.result["flagged"], again.result) == (1, {})
    runs = JobRun.objects.filter(as_of=DAY, trigger=JobTrigger.PLANNING).order_by("started_at", "pk")
    assert [(run.status, run.note) for run in runs] == [
        (JobRunStatus.GESLAAGD, ""),
        (JobRunStatus.OVERGESLAGEN, "Deze taak is voor deze dag al volgens planning uitgevoerd."),
    ]
    assert (by_hand.status, by_hand.counts["already_flagged"]) == (JobRunStatus.GESLAAGD, 1)  # by hand always runs
    assert next_night.status == JobRunStatus.GESLAAGD
    assert len(exit_flags(case)) == 1


# --- Redis down ------------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_without_redis_a_whatif_run_starts_normally_and_runs_once_redis_is_back(client, broker, tmp_path):
    administrator = f.UserFactory(administrator=True)
    draft = services.rule_set_create_draft(actor=administrator, based_on=selectors.active_rule_set())
    f.CaseFactory(lokale_pga=True)
    client.force_login(administrator)

    with redis_down(broker):
        response = client.post(reverse("whatif_list"), {"rule_set": draft.pk})
        assert response.status_code == 302
        assert client.get(response["Location"]).status_code == 200

    run = WhatIfRun.objects.get()
    kept = PendingTask.objects.get()
    assert (kept.task, kept.args, kept.attempts) == ("escalation.whatif_evaluate", [str(run.pk)], 1)
    assert kept.last_error == "OperationalError"
    assert run.status == WhatIfStatus.QUEUED

    assert outbox.flush() == 1  # Redis is back: jobs.outbox_flush does this every minute
    assert not PendingTask.objects.exists()
    with celery_worker(broker, tmp_path) as worker:
        worker.wait_for(lambda: WhatIfRun.objects.filter(pk=run.pk, status=WhatIfStatus.DONE).exists(), "finished what-if run")


@pytest.mark.django_db
def test_while_redis_is_down_the_outbox_keeps_what_it_cannot_send(broker, django_capture_on_commit_callbacks):
    with redis_down(broker), django_capture_on_commit_callbacks(execute=True):
        outbox.enqueue(run_task, JobName.EXIT_REVIEW, DAY.isoformat())
    with redis_down(broker):
        assert outbox.flush() == 0
    kept = PendingTask.objects.get()
    assert (kept.task, kept.args, kept.attempts) == ("jobs.run", [JobName.EXIT_REVIEW, DAY.isoformat()], 2)

    assert outbox.flush() == 1
    assert not PendingTask.objects.exists()
    assert broker.client().llen(f"{broker.prefix}celery") == 1  # the default queue, in Redis


@pytest.mark.django_db
def test_run_job_needs_no_redis(broker, django_capture_on_commit_callbacks):
    case = exit_due_case()
    out = io.StringIO()
    with redis_down(broker), django_capture_on_commit_callbacks(execute=True):
        call_command("run_job", JobName.EXIT_REVIEW, "--date", DAY.isoformat(), stdout=out)

    assert out.getvalue().splitlines()[:2] == ["flagged: 1", "already flagged: 0"]
    assert len(exit_flags(case)) == 1
    # The case director's e-mail waits in the outbox until Redis is back.
    assert list(PendingTask.objects.values_list("task", flat=True)) == ["jobs.notifications_email"]


@pytest.mark.django_db
def test_the_admins_run_now_answers_normally_without_redis(client, broker, django_capture_on_commit_callbacks):
    from django.contrib.auth.models import Permission

    user = f.UserFactory(administrator=True, is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="django_celery_beat"))
    client.force_login(user)
    task = PeriodicTask.objects.get(name="Uitstroomtoets (nachtelijk)")

    with redis_down(broker), django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/beheer/django_celery_beat/periodictask/", {"action": "run_tasks", "_selected_action": [task.pk]}, follow=True
        )

    assert response.status_code == 200
    assert "1 taak aangeboden" in response.content.decode()
    assert list(PendingTask.objects.values_list("task", "args")) == [("jobs.run", ["exit_review"])]
