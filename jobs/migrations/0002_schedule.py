"""Install the beat schedule (django-celery-beat, database scheduler) — issue #5.

Times are Europe/Amsterdam and avoid 02:00–03:00, the hour that is skipped in March and repeated in
October. Entries already present (an administrator may have changed them) are left as they are.
Replaces the CELERY_BEAT_SCHEDULE setting of issue #4 for the privacy tasks.
"""

import json

from django.db import migrations

TZ = "Europe/Amsterdam"

# name → (task, args, crontab (minute, hour) or interval seconds, description)
SCHEDULE = {
    "Uitstroomtoets (nachtelijk)": (
        "jobs.run", ["exit_review"], ("30", "1"), "Casussen waarvan de vroegste uitstroomdatum volgens het actieve beoordelingskader verstreken is.",
    ),
    "Periodieke toetsing (nachtelijk)": (
        "jobs.run", ["periodic_review"], ("40", "1"), "Casussen waarvan de periodieke toetsing achterstallig is.",
    ),
    "Stagnatie (nachtelijk)": (
        "jobs.run", ["stagnation"], ("50", "1"), "Casussen lang op hetzelfde niveau zonder besluit, met achterstallige acties.",
    ),
    "Bewaartermijn na afsluiting (nachtelijk)": (
        "jobs.run", ["retention"], ("15", "4"), "Vernietigingslijst en vernietiging van goedgekeurde casussen.",
    ),
    "Rechten per casus verversen (nachtelijk)": (
        "privacy.case_permissions_refresh", [], ("5", "0"), "Teamleden met begin- of einddatum; verlopen noodtoegang.",
    ),
    "Toegangslog verzegelen": ("privacy.access_log_seal", [], 600, "Hashketen van het toegangslog (NEN 7513)."),
    "Geweigerde toegang ter beoordeling": ("privacy.review_sweep", [], 600, "Beoordelingen voor de privacyfunctionaris."),
    "Wachtende taken versturen": ("jobs.outbox_flush", [], 60, "Taken die bewaard werden toen Redis onbereikbaar was."),
}


def install(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    for name, (task, args, when, description) in SCHEDULE.items():
        if PeriodicTask.objects.filter(name=name).exists():
            continue
        schedule = {}
        if isinstance(when, tuple):
            minute, hour = when
            schedule["crontab"], _ = CrontabSchedule.objects.get_or_create(
                minute=minute, hour=hour, day_of_week="*", day_of_month="*", month_of_year="*", timezone=TZ
            )
        else:
            schedule["interval"], _ = IntervalSchedule.objects.get_or_create(every=when, period="seconds")
        PeriodicTask.objects.create(name=name, task=task, args=json.dumps(args), description=description, **schedule)


def uninstall(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name__in=SCHEDULE).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("jobs", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(install, uninstall)]
