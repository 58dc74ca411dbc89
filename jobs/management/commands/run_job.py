"""``python manage.py run_job exit_review|periodic_review|stagnation|retention [--date YYYY-MM-DD]``.

Runs one job now, as the scheduled run would (same runner, lock and record, trigger ``handmatig``),
and prints its counts: ``flagged: N`` and ``already flagged: M``, then any further counts (issue #5).
Exits 1 when the job failed or another run of it held the lock.
"""

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from jobs.models import JobRunStatus, JobTrigger
from jobs.runner import JOBS, job_run


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"Ongeldige datum {value!r}: gebruik JJJJ-MM-DD, bijvoorbeeld 2026-11-30.") from None


class Command(BaseCommand):
    help = "Voer een geplande taak nu uit en toon wat zij signaleerde."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("job", choices=sorted(JOBS), help="De taak.")
        parser.add_argument("--date", dest="day", type=str, help="Peildatum JJJJ-MM-DD (standaard: vandaag).")

    def handle(self, *args: Any, **options: Any) -> None:
        day = _date(options["day"]) if options["day"] else None
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
