"""``python manage.py run_job exit_review|periodic_review|stagnation|retention [--date YYYY-MM-DD]``.

Runs one job now, as the scheduled run would (same runner, lock and record, trigger ``handmatig``),
and prints its counts: ``flagged: N`` and ``already flagged: M``, then any further counts (issue #5).
Exits 1 when the job failed, partly failed (``deels_mislukt``) or another run of it held the lock.
"""

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from jobs.models import JobRunStatus, JobTrigger
from jobs.runner import JOBS, job_run


def _date(value: str) -> dt.date:
    """A peildatum: an ISO date, not after today (a job as of a future day would signal, list for
    destruction or notify before the rule allows it). Raises ``CommandError`` (Dutch)."""
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"Ongeldige datum {value!r}: gebruik JJJJ-MM-DD, bijvoorbeeld 2026-11-30.") from None
    if day > timezone.localdate():
        raise CommandError(f"De peildatum {day:%d-%m-%Y} ligt in de toekomst; een taak kijkt alleen naar vandaag of terug.")
    return day


class Command(BaseCommand):
    help = "Voer een geplande taak nu uit en toon wat zij signaleerde."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("job", choices=sorted(str(name) for name in JOBS), help="De taak.")
        parser.add_argument("--date", dest="day", type=str, help="Peildatum JJJJ-MM-DD (standaard: vandaag).")

    def handle(self, *args: Any, **options: Any) -> None:
        day = _date(options["day"]) if options["day"] is not None else None
        try:
            run = job_run(options["job"], day=day, trigger=JobTrigger.HANDMATIG)
        except Exception as error:
            raise CommandError(f"De taak is mislukt ({type(error).__name__}); zie de taakuitvoeringen in het beheer.") from error
        if run.status == JobRunStatus.OVERGESLAGEN:
            raise CommandError(run.note, returncode=1)
        counts = dict(run.counts)
        self.stdout.write(f"flagged: {counts.pop('flagged', 0)}")
        self.stdout.write(f"already flagged: {counts.pop('already_flagged', 0)}")
        for name, value in counts.items():
            self.stdout.write(f"{name.replace('_', ' ')}: {value}")
        if run.status == JobRunStatus.DEELS_MISLUKT:
            raise CommandError(f"{run.note} Zie de taakuitvoeringen en de vernietigingslijst.", returncode=1)
