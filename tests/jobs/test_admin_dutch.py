"""The beat schedule in the admin (/beheer/) is in Dutch: django-celery-beat ships no Dutch, so PGA's own
catalog (locale/nl, in LOCALE_PATHS) translates it, without changing any of Django's own Dutch words."""

import gettext
import html
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.utils import translation
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from tests import factories as f
from tests.jobs.test_admin import EXIT_REVIEW_TASK, job_admin_permissions

CATALOG = Path(settings.BASE_DIR) / "locale" / "nl" / "LC_MESSAGES"
ENGLISH = ("Periodic tasks", "Periodic Tasks", "Enable selected tasks", "Disable selected tasks", "Run selected tasks")


@pytest.fixture
def beheerder(client):
    """The functioneel beheerder with the job permissions, as in tests/jobs/test_admin.py."""
    user = f.UserFactory(administrator=True, is_staff=True, username="beheerder")
    user.user_permissions.set(job_admin_permissions())
    client.force_login(user)
    return user


def page_text(response) -> str:
    assert response.status_code == 200
    return html.unescape(response.content.decode())


@pytest.mark.django_db
def test_the_admin_index_names_the_beat_models_in_dutch(client, beheerder):
    text = page_text(client.get("/beheer/"))
    assert "Geplande taken" in text and "Tijdschema's" in text and "Intervallen" in text
    assert not any(english in text for english in ENGLISH)
    assert "Crontabs" not in text and "Intervals" not in text


@pytest.mark.django_db
def test_the_periodic_task_list_is_in_dutch(client, beheerder):
    text = page_text(client.get("/beheer/django_celery_beat/periodictask/"))
    for dutch in (
        "Geplande taken",
        "Geselecteerde taken inschakelen",
        "Geselecteerde taken uitschakelen",
        "Geselecteerde taken in- of uitschakelen",
        "Geselecteerde taken nu uitvoeren",
        "Ingeschakeld",
        "Eenmalige taak",
        "elke 60 seconden",
    ):
        assert dutch in text, dutch
    assert not any(english in text for english in ENGLISH)
    assert "every 60 seconds" not in text and "One-off Task" not in text


@pytest.mark.django_db
def test_the_periodic_task_form_is_in_dutch(client, beheerder):
    task = PeriodicTask.objects.get(name=EXIT_REVIEW_TASK)
    text = page_text(client.get(f"/beheer/django_celery_beat/periodictask/{task.pk}/change/"))
    for dutch in (
        "geplande taak wijzigen",
        "Taak (geregistreerd)",
        "Ingeschakeld",
        "Planning",
        "Tijdschema",
        "Argumenten",
        "Positionele argumenten",
        "Uitvoeringsopties",
        "Verloopt op",
        "Prioriteit",
        "Voorpagina",
    ):
        assert dutch in text, dutch
    for english in ("Change periodic task", "Task (registered)", "Execution Options", "Expires Datetime", "Enabled"):
        assert english not in text, english


@pytest.mark.django_db
def test_the_crontab_form_is_in_dutch(client, beheerder):
    crontab = PeriodicTask.objects.get(name=EXIT_REVIEW_TASK).crontab
    text = page_text(client.get(f"/beheer/django_celery_beat/crontabschedule/{crontab.pk}/change/"))
    assert "tijdschema wijzigen" in text and "Minuut/minuten" in text and "Geplande taken met dit schema" in text
    assert "Tijdzone waarin het tijdschema wordt uitgevoerd. Standaard is dat UTC." in text
    assert "Change crontab" not in text and "Periodic Tasks Using This Schedule" not in text


@pytest.mark.django_db
def test_the_action_messages_are_in_dutch_with_their_plural(client, beheerder):
    tasks = list(PeriodicTask.objects.order_by("pk")[:2])
    one = client.post(
        "/beheer/django_celery_beat/periodictask/",
        {"action": "disable_tasks", "_selected_action": [tasks[0].pk]},
        follow=True,
    )
    assert "1 taak is uitgeschakeld" in page_text(one)
    both = client.post(
        "/beheer/django_celery_beat/periodictask/",
        {"action": "enable_tasks", "_selected_action": [task.pk for task in tasks]},
        follow=True,
    )
    assert "2 taken zijn ingeschakeld" in page_text(both)
    assert "successfully" not in page_text(both)


def test_an_interval_reads_as_dutch():
    with translation.override("nl"):
        assert str(IntervalSchedule(every=60, period=IntervalSchedule.SECONDS)) == "elke 60 seconden"
        assert str(IntervalSchedule(every=1, period=IntervalSchedule.HOURS)) == "per uur"
        assert str(IntervalSchedule(every=1, period=IntervalSchedule.DAYS)) == "per dag"


def dutch_catalogs_by_priority() -> list[Path]:
    """The Dutch catalogs PGA's own (in LOCALE_PATHS) overrides, the one that wins first: the installed apps
    in INSTALLED_APPS order, then Django's own (django.utils.translation.trans_real.DjangoTranslation)."""
    found = [Path(config.path) / "locale" / "nl" / "LC_MESSAGES" / "django.mo" for config in apps.get_app_configs()]
    found.append(Path(translation.__file__).parent.parent / "conf" / "locale" / "nl" / "LC_MESSAGES" / "django.mo")
    return [path for path in found if path.exists()]


def test_no_word_of_django_or_another_app_changes():
    with (CATALOG / "django.mo").open("rb") as mo:
        ours = {msgid: msgstr for msgid, msgstr in gettext.GNUTranslations(mo)._catalog.items() if msgid}  # type: ignore[attr-defined]
    without_ours: dict = {}
    for path in dutch_catalogs_by_priority():
        with path.open("rb") as mo:
            for msgid, msgstr in gettext.GNUTranslations(mo)._catalog.items():  # type: ignore[attr-defined]
                if msgid and msgstr:
                    without_ours.setdefault(msgid, msgstr)
    shared = {msgid: msgstr for msgid, msgstr in ours.items() if msgid in without_ours}
    assert shared == {msgid: without_ours[msgid] for msgid in shared}
    assert set(shared) >= {"Enabled", "Home"}  # django.contrib.auth's "Ingeschakeld", django.contrib.admin's "Voorpagina"
