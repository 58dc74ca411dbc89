"""``manage.py bench_engine [--runs N] [--synthetic N] [--batch-size N]``: time the escalation engine.

A measurement, not a test (escalation/bench.py): prints the median time and query count for one case
and for the whole active caseload. ``--synthetic N`` first adds N generated active cases; everything
runs in one transaction that is rolled back, so the database is left as it was. Refuses production.
"""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from cases.models import Case, CaseStatus
from escalation import bench


class Command(BaseCommand):
    help = "Meet de escalatie-engine: één casus (mediaan van N keer) en de hele actieve caseload, met aantallen queries."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--runs", type=int, default=50, help="Aantal metingen voor één casus (standaard 50).")
        parser.add_argument("--caseload-runs", type=int, default=3, help="Aantal metingen van de hele caseload (standaard 3).")
        parser.add_argument("--synthetic", type=int, default=0, help="Voeg eerst zoveel gegenereerde actieve casussen toe.")
        parser.add_argument("--batch-size", type=int, default=2000, help="Casussen per batch (standaard 2000).")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PGA_ENVIRONMENT == "production":
            raise CommandError("bench_engine draait niet in productie (PGA_ENVIRONMENT=production).")
        with transaction.atomic():
            if options["synthetic"]:
                bench.synthetic_caseload(options["synthetic"])
            case = Case.objects.filter(status=CaseStatus.ACTIEF).order_by("pk").first()
            if case is None:
                raise CommandError("Geen actieve casussen: laad de demo (load_demo) of gebruik --synthetic N.")
            for timing in bench.bench_one_case(case, options["runs"]):
                self.stdout.write(timing.line())
            self.stdout.write(bench.bench_caseload(options["caseload_runs"], options["batch_size"]).line())
            transaction.set_rollback(True)
