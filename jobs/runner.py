"""Run a job: one ``JobRun`` record, one lock, one transaction (issue #5 "Reliability").

``job_run(name, day=…, trigger=…)`` is the only way a job runs — from beat (``jobs.tasks.run``), by hand
(``python manage.py run_job``) or from a test:

1. A ``JobRun`` row is written first, in its own transaction, so administrators see a run while it runs.
2. The job itself runs in one transaction under a PostgreSQL advisory lock per job
   (``pg_try_advisory_xact_lock``): a second beat or worker starting the same job meanwhile finds the
   lock taken and records its run as ``overgeslagen``. A worker killed mid-run rolls the transaction
   back and releases the lock; the redelivered task (``acks_late``) or the next run does the work again.
   Runs left ``bezig`` by a killed worker are marked ``afgebroken`` by the next run that holds the lock.
3. A scheduled run for a day that already has a successful scheduled run is skipped: beat fires once
   per night, and this makes "once per night" hold even if it fires twice (a daylight-saving change, two
   beats). Runs by hand always run; the jobs are idempotent.

Every job function has the shape ``job(day: date, run: JobRun) -> JobResult``, is set-based, and is
idempotent: run twice for the same day, the second run changes nothing.
"""

import dataclasses
import datetime as dt
import hashlib
import traceback
from collections.abc import Callable

from django.db import connection, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import JobName, JobRun, JobRunStatus, JobTrigger

# name → dotted path of the job function; imported on use, so this app depends on no other.
JOBS: dict[str, str] = {
    JobName.EXIT_REVIEW: "escalation.reviews.exit_review",
    JobName.PERIODIC_REVIEW: "escalation.reviews.periodic_review",
    JobName.STAGNATION: "escalation.reviews.stagnation",
    JobName.RETENTION: "privacy.retention.retention",
}


@dataclasses.dataclass
class JobResult:
    """What a run did. ``flagged``: new flags or list entries; ``already_flagged``: cases that qualified
    but had one already; ``other``: further counts by name (``withdrawn``, ``destroyed``, …). A
    ``failed`` count above 0 makes the run ``deels_mislukt``."""

    flagged: int = 0
    already_flagged: int = 0
    other: dict[str, int] = dataclasses.field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        return {"flagged": self.flagged, "already_flagged": self.already_flagged, **self.other}


JobFunction = Callable[..., JobResult]


def job_lock_key(name: str) -> int:
    """A stable signed 64-bit advisory-lock key for job ``name``."""
    return int.from_bytes(hashlib.sha256(f"pga.jobs.{name}".encode()).digest()[:8], "big", signed=True)


def _try_lock(name: str) -> bool:
    """Take the job's transaction-level advisory lock; False when another run holds it. The SQLite demo
    runs one process with eager tasks, so it has nothing to lock against."""
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [job_lock_key(name)])
        return bool(cursor.fetchone()[0])


def error_describe(error: BaseException) -> str:
    """The exception's type and the code locations of its traceback — no message, no values (a database
    error's message can quote a row)."""
    frames = traceback.extract_tb(error.__traceback__)
    lines = [f"{frame.filename}:{frame.lineno} in {frame.name}" for frame in frames[-8:]]
    return "\n".join([type(error).__qualname__, *lines])


def job_function(name: str) -> JobFunction:
    """The function of job ``name``. Raises ``KeyError`` for an unknown job."""
    return import_string(JOBS[name])


def job_run(
    name: str,
    *,
    day: dt.date | None = None,
    trigger: str = JobTrigger.HANDMATIG,
    task_id: str = "",
    function: JobFunction | None = None,
) -> JobRun:
    """Run job ``name`` as of ``day`` (default: today, Europe/Amsterdam) and return its ``JobRun``.

    Raises ``KeyError`` for an unknown job and ``ValueError`` for a day after today (nothing recorded);
    re-raises the job's exception after recording the run as ``mislukt`` (so Celery can retry it).
    ``function`` replaces the registered one (tests).
    """
    fn = function or job_function(name)
    today = timezone.localdate()
    day = day or today
    if day > today:
        raise ValueError("A job evaluates today or an earlier day, never a future one.")
    run = JobRun.objects.create(job=name, as_of=day, trigger=trigger, task_id=task_id)
    try:
        with transaction.atomic():
            note = _claim(run)
            if note:
                _finish(run, JobRunStatus.OVERGESLAGEN, note=note)
                return run
            result = fn(day=day, run=run)
            failed = result.other.get("failed", 0)
            if failed:  # the job went on past parts that failed (each recorded where it failed)
                _finish(run, JobRunStatus.DEELS_MISLUKT, counts=result.counts(), note=f"{failed} onderdeel/onderdelen mislukt.")
            else:
                _finish(run, JobRunStatus.GESLAAGD, counts=result.counts())
    except Exception as error:
        _finish(run, JobRunStatus.MISLUKT, error=error_describe(error))
        raise
    return run


def _claim(run: JobRun) -> str:
    """Inside the job's transaction: take the lock and check the day; '' to go on, else why not."""
    if not _try_lock(run.job):
        return "Een andere uitvoering van deze taak is bezig."
    if run.trigger == JobTrigger.PLANNING:
        done = JobRun.objects.filter(
            job=run.job, as_of=run.as_of, trigger=JobTrigger.PLANNING, status=JobRunStatus.GESLAAGD
        ).exclude(pk=run.pk)
        if done.exists():
            return "Deze taak is voor deze dag al volgens planning uitgevoerd."
    # Holding the lock, any other run still 'bezig' lost its worker.
    JobRun.objects.filter(job=run.job, status=JobRunStatus.BEZIG).exclude(pk=run.pk).update(
        status=JobRunStatus.AFGEBROKEN, finished_at=timezone.now(), note="Uitvoering afgebroken (proces gestopt)."
    )
    return ""


def _finish(run: JobRun, status: str, *, counts: dict[str, int] | None = None, note: str = "", error: str = "") -> None:
    """Record the outcome. Written outside the job's transaction when the job failed (it rolled back)."""
    run.status = status
    run.finished_at = timezone.now()
    run.counts = counts or {}
    run.note = note
    run.error = error
    run.save(update_fields=["status", "finished_at", "counts", "note", "error"])
