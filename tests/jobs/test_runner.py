"""The runner and ``python manage.py run_job`` (issue #5 "Running them"): every run recorded, failures
recorded without data, runs killed mid-way marked, output in the promised form."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from escalation.models import ReviewFlag
from jobs.models import JobRun, JobRunStatus, JobTrigger
from jobs.runner import JobResult, error_describe, job_run
from tests import factories as f

pytestmark = pytest.mark.django_db

DAY = dt.date(2025, 11, 28)  # a fixed day in the past: the tests let up to a year pass after it


def test_a_run_is_recorded_with_its_counts_and_times():
    run = job_run("exit_review", day=DAY)
    run.refresh_from_db()
    assert (run.job, run.as_of, run.trigger, run.status) == ("exit_review", DAY, JobTrigger.HANDMATIG, JobRunStatus.GESLAAGD)
    assert run.counts == {"flagged": 0, "already_flagged": 0, "withdrawn": 0, "proposed": 0, "notified": 0}
    assert run.finished_at is not None and run.finished_at >= run.started_at
    assert run.duration_seconds is not None and run.duration_seconds >= 0


def test_a_failing_job_is_recorded_without_its_message_and_rolled_back():
    person = f.PersonFactory()
    case = f.CaseFactory(lokale_pga=True, person=person)

    def failing(*, day, run):
        ReviewFlag.objects.create(case=case, kind="uitstroom", reason="x", basis_on=day, raised_on=day, due_on=day)
        raise ValueError(f"kapot bij {person.full_name} {person.bsn}")

    with pytest.raises(ValueError):
        job_run("exit_review", day=DAY, function=failing)
    run = JobRun.objects.get()
    assert run.status == JobRunStatus.MISLUKT
    assert run.error.startswith("ValueError\n")
    assert "test_runner.py" in run.error and "in failing" in run.error
    assert person.full_name not in run.error and person.bsn not in run.error
    assert not ReviewFlag.objects.exists()  # the job's transaction rolled back


def test_the_error_description_holds_type_and_code_locations_only():
    try:
        {}["geheim"]
    except KeyError as error:
        described = error_describe(error)
    assert described.splitlines()[0] == "KeyError"
    assert "geheim" not in described


def test_a_run_left_running_by_a_killed_worker_is_marked_aborted_by_the_next():
    dead = JobRun.objects.create(job="exit_review", as_of=DAY, trigger=JobTrigger.PLANNING)
    other_job = JobRun.objects.create(job="stagnation", as_of=DAY, trigger=JobTrigger.PLANNING)
    job_run("exit_review", day=DAY, function=lambda *, day, run: JobResult())
    dead.refresh_from_db()
    other_job.refresh_from_db()
    assert dead.status == JobRunStatus.AFGEBROKEN and dead.finished_at is not None
    assert other_job.status == JobRunStatus.BEZIG  # another job's run is not this run's business


def test_run_job_prints_flagged_and_already_flagged():
    f.CaseFactory(lokale_pga=True, opened_on=DAY - dt.timedelta(days=800))
    out = io.StringIO()
    call_command("run_job", "exit_review", "--date", DAY.isoformat(), stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[:2] == ["flagged: 1", "already flagged: 0"]
    assert "withdrawn: 0" in lines
    out = io.StringIO()
    call_command("run_job", "exit_review", "--date", DAY.isoformat(), stdout=out)
    assert out.getvalue().splitlines()[:2] == ["flagged: 0", "already flagged: 1"]
    assert JobRun.objects.filter(trigger=JobTrigger.HANDMATIG, status=JobRunStatus.GESLAAGD).count() == 2


@pytest.mark.parametrize("value", ["2026-02-30", "30-11-2026", "gisteren", "2026-13-01", ""])
def test_run_job_refuses_an_impossible_date_in_dutch(value):
    with pytest.raises(CommandError, match=r"Ongeldige datum.*JJJJ-MM-DD"):
        call_command("run_job", "exit_review", "--date", value)
    assert not JobRun.objects.exists()


def test_run_job_knows_only_the_jobs():
    with pytest.raises(CommandError, match="invalid choice"):
        call_command("run_job", "everything")


def test_run_job_fails_with_status_1_when_the_job_fails(monkeypatch):
    from jobs import runner

    monkeypatch.setitem(runner.JOBS, "exit_review", "tests.jobs.test_runner.broken_job")
    with pytest.raises(CommandError, match="mislukt \\(RuntimeError\\)"):
        call_command("run_job", "exit_review", "--date", DAY.isoformat())
    assert JobRun.objects.get().status == JobRunStatus.MISLUKT


def broken_job(*, day, run):
    raise RuntimeError("kapot")


def test_run_job_refuses_a_day_in_the_future():
    from django.utils import timezone

    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(CommandError, match="in de toekomst"):
        call_command("run_job", "retention", "--date", tomorrow.isoformat())
    with pytest.raises(ValueError):
        job_run("exit_review", day=tomorrow)
    assert not JobRun.objects.exists()


def test_a_run_with_failed_parts_is_partly_failed_and_run_job_exits_1(monkeypatch):
    from jobs import runner

    monkeypatch.setitem(runner.JOBS, "retention", "tests.jobs.test_runner.partly_failing_job")
    out = io.StringIO()
    with pytest.raises(CommandError, match="2 onderdeel/onderdelen mislukt") as raised:
        call_command("run_job", "retention", "--date", DAY.isoformat(), stdout=out)
    assert raised.value.returncode == 1
    assert "failed: 2" in out.getvalue().splitlines()
    run = JobRun.objects.get()
    assert (run.status, run.counts["destroyed"]) == (JobRunStatus.DEELS_MISLUKT, 3)


def partly_failing_job(*, day, run):
    return JobResult(other={"destroyed": 3, "failed": 2})


def test_a_run_by_hand_as_of_an_earlier_day_leaves_later_flags_alone():
    from escalation.models import FlagStatus

    case = f.CaseFactory(lokale_pga=True, opened_on=DAY - dt.timedelta(days=800))
    job_run("exit_review", day=DAY)
    counts = job_run("exit_review", day=DAY - dt.timedelta(days=700)).counts  # before the exit date
    assert counts["withdrawn"] == 0
    assert ReviewFlag.objects.get(case=case).status == FlagStatus.OPEN
