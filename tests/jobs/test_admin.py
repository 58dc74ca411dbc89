"""The jobs in the admin (/beheer/): the functioneel beheerder reads the runs, edits the periods and the
beat schedule; runs and kept tasks are read-only; no one else gets in (issue #5)."""

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.db.models import Q
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from jobs.models import JobName, JobRun, JobRunStatus, JobSettings, JobTrigger, PendingTask
from partners.models import Role
from tests import factories as f

pytestmark = pytest.mark.django_db

# What the functioneel beheerder manages for the jobs: the models' view, add and change permissions
# (the demo's beheerder gets them from cases.demo.accounts.ADMIN_MODELS; never delete).
JOB_ADMIN_MODELS = (
    ("jobs", "jobrun"),
    ("jobs", "jobsettings"),
    ("jobs", "pendingtask"),
    ("django_celery_beat", "periodictask"),
    ("django_celery_beat", "crontabschedule"),
    ("django_celery_beat", "intervalschedule"),
)
EXIT_REVIEW_TASK = "Uitstroomtoets (nachtelijk)"  # jobs/migrations/0002_schedule.py


def job_admin_permissions():
    models = Q()
    for app_label, model in JOB_ADMIN_MODELS:
        models |= Q(content_type__app_label=app_label, content_type__model=model)
    return Permission.objects.filter(models).exclude(codename__startswith="delete_")


@pytest.fixture
def beheerder(client):
    user = f.UserFactory(administrator=True, is_staff=True, username="beheerder")
    user.user_permissions.set(job_admin_permissions())
    client.force_login(user)
    return user


def job_run(**fields) -> JobRun:
    started = timezone.now() - dt.timedelta(minutes=5)
    values = {
        "job": JobName.EXIT_REVIEW,
        "as_of": dt.date(2026, 11, 30),
        "trigger": JobTrigger.PLANNING,
        "status": JobRunStatus.GESLAAGD,
        "started_at": started,
        "finished_at": started + dt.timedelta(seconds=12.5),
        "counts": {"flagged": 3, "already_flagged": 1, "withdrawn": 0, "notified": 2},
    }
    return JobRun.objects.create(**{**values, **fields})


def test_the_runs_are_listed_with_their_counts_and_can_be_filtered(client, beheerder):
    job_run()
    job_run(
        job=JobName.RETENTION,
        status=JobRunStatus.MISLUKT,
        counts={},
        error="OperationalError\n/app/privacy/retention.py:40 in retention",
    )

    page = client.get("/beheer/jobs/jobrun/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "gesignaleerd: 3, al gesignaleerd: 1, ingetrokken: 0, gemeld: 2" in text
    assert "12,5 s" in text
    assert "OperationalError" in text and "retention.py" not in text  # the place only on the run's own page

    failed = client.get("/beheer/jobs/jobrun/", {"status__exact": JobRunStatus.MISLUKT}).context["cl"].result_list
    assert [run.job for run in failed] == [JobName.RETENTION]
    by_job = client.get("/beheer/jobs/jobrun/", {"job__exact": JobName.EXIT_REVIEW}).context["cl"].result_list
    assert [run.job for run in by_job] == [JobName.EXIT_REVIEW]


def test_a_run_cannot_be_added_changed_or_deleted(client, beheerder):
    run = job_run(note="Zoals gepland.")
    page = client.get(f"/beheer/jobs/jobrun/{run.pk}/change/")
    assert page.status_code == 200
    assert "Zoals gepland." in page.content.decode() and 'name="note"' not in page.content.decode()

    client.post(f"/beheer/jobs/jobrun/{run.pk}/change/", {"note": "gewijzigd", "status": JobRunStatus.MISLUKT})
    assert client.get("/beheer/jobs/jobrun/add/").status_code == 403
    assert client.post(f"/beheer/jobs/jobrun/{run.pk}/delete/", {"post": "yes"}).status_code == 403
    run.refresh_from_db()
    assert (run.note, run.status) == ("Zoals gepland.", JobRunStatus.GESLAAGD)


def settings_form(**values) -> dict:
    return {
        "exit_review_due_days": 28,
        "periodic_review_months": 6,
        "stagnation_months": 6,
        "review_due_days": 28,
        **values,
    }


def test_the_periods_are_one_row_edited_never_added_twice_or_deleted(client, beheerder):
    JobSettings.objects.all().delete()
    assert client.post("/beheer/jobs/jobsettings/add/", settings_form(stagnation_months=9)).status_code == 302
    assert JobSettings.current().stagnation_months == 9
    assert JobSettings.objects.get().pk == 1

    assert client.get("/beheer/jobs/jobsettings/add/").status_code == 403
    response = client.post("/beheer/jobs/jobsettings/1/change/", settings_form(periodic_review_months=3))
    assert response.status_code == 302
    assert JobSettings.current().periodic_review_months == 3

    refused = client.post("/beheer/jobs/jobsettings/1/change/", settings_form(periodic_review_months=0))
    assert refused.status_code == 200 and refused.context["adminform"].form.errors
    assert client.post("/beheer/jobs/jobsettings/1/delete/", {"post": "yes"}).status_code == 403
    assert JobSettings.current().periodic_review_months == 3


def test_kept_tasks_are_shown_read_only(client, beheerder):
    kept = PendingTask.objects.create(
        task="escalation.whatif_evaluate", args=["a-run"], attempts=2, last_error="OperationalError"
    )
    page = client.get("/beheer/jobs/pendingtask/")
    assert page.status_code == 200 and "escalation.whatif_evaluate" in page.content.decode()
    assert client.get("/beheer/jobs/pendingtask/add/").status_code == 403
    assert client.post(f"/beheer/jobs/pendingtask/{kept.pk}/delete/", {"post": "yes"}).status_code == 403
    assert PendingTask.objects.filter(pk=kept.pk).exists()


def test_the_beheerder_sees_and_edits_the_beat_schedule(client, beheerder):
    task = PeriodicTask.objects.get(name=EXIT_REVIEW_TASK)
    listing = client.get("/beheer/django_celery_beat/periodictask/")
    assert listing.status_code == 200 and EXIT_REVIEW_TASK in listing.content.decode()
    assert client.get(f"/beheer/django_celery_beat/periodictask/{task.pk}/change/").status_code == 200
    assert client.get("/beheer/django_celery_beat/intervalschedule/").status_code == 200

    crontab = task.crontab
    response = client.post(
        f"/beheer/django_celery_beat/crontabschedule/{crontab.pk}/change/",
        {
            "minute": "45",
            "hour": "1",
            "day_of_month": "*",
            "month_of_year": "*",
            "day_of_week": "*",
            "timezone": "Europe/Amsterdam",
            # the read-only inline of the tasks on this crontab: nothing submitted
            "periodictask_set-TOTAL_FORMS": "0",
            "periodictask_set-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    crontab.refresh_from_db()
    assert (crontab.minute, crontab.hour, str(crontab.timezone)) == ("45", "1", "Europe/Amsterdam")


def test_the_beheerder_disables_a_scheduled_task(client, beheerder):
    task = PeriodicTask.objects.get(name=EXIT_REVIEW_TASK)
    response = client.post("/beheer/django_celery_beat/periodictask/", {"action": "disable_tasks", "_selected_action": [task.pk]})
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.enabled is False


JOB_PAGES = (
    "/beheer/jobs/jobrun/",
    "/beheer/jobs/jobsettings/",
    "/beheer/jobs/pendingtask/",
    "/beheer/django_celery_beat/periodictask/",
    "/beheer/django_celery_beat/crontabschedule/",
)


@pytest.mark.parametrize("url", JOB_PAGES)
@pytest.mark.parametrize(
    ("role", "trait"),
    [
        (Role.PRIVACY_OFFICER, "privacy_officer"),
        (Role.PARTNER, "politie"),
        (Role.CASE_DIRECTOR, "case_director"),
        (Role.PROCESS_DIRECTOR, "process_director"),
    ],
)
def test_no_one_else_reaches_the_jobs_in_the_admin(client, url, role, trait):
    user = f.UserFactory(**{trait: True})
    assert user.role == role and not user.is_staff
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 302 and "/beheer/login/" in response["Location"]


@pytest.mark.parametrize("url", JOB_PAGES)
def test_staff_without_the_permissions_is_refused(client, url):
    user = f.UserFactory(privacy_officer=True, is_staff=True)
    client.force_login(user)
    assert client.get(url).status_code == 403


def test_the_demo_beheerder_gets_the_job_permissions():
    from cases.demo.accounts import ADMIN_MODELS

    assert set(JOB_ADMIN_MODELS) <= set(ADMIN_MODELS)
