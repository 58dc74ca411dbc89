"""``manage.py bench_jobs [--cases N] [--warm-runs N] [--requests N] [--explain] [--keep]``: time the
nightly review jobs and the caseload page while the exit review runs (issue #5 "Speed").

A measurement, not a test (escalation/bench_jobs.py). Needs a PostgreSQL database without cases of
its own — ``createdb pga_bench`` and ``migrate`` — because the data is committed (a page server and a
second thread read it). Deletes what it generated at the end unless ``--keep``; ``dropdb pga_bench``
removes the rest (the access-log rows of the measured page views). Refuses production.
"""

import datetime as dt
import functools
import statistics
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils import timezone

from escalation import bench_jobs
from jobs.models import JobRun

JOBS = ("exit_review", "periodic_review", "stagnation")
# The page server's PostgreSQL sessions: as configured, and with JIT off (docs/performance.md).
PAGE_SERVERS = (("", "zoals ingesteld"), ("-c jit=off", "jit uit"))


class Command(BaseCommand):
    help = "Meet de nachtelijke taken over een grote caseload, en de p95 van 'Mijn caseload' terwijl de uitstroomtoets draait."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cases", type=int, default=100_000, help="Aantal gegenereerde actieve casussen (standaard 100000).")
        parser.add_argument("--warm-runs", type=int, default=3, help="Warme runs per taak; de mediaan telt (standaard 3).")
        parser.add_argument("--requests", type=int, default=50, help="Paginaverzoeken per meting (standaard 50).")
        parser.add_argument("--warmup", type=int, default=10, help="Verzoeken vooraf, niet gemeten (standaard 10).")
        parser.add_argument("--explain", action="store_true", help="Druk EXPLAIN (ANALYZE, BUFFERS) van de trage statements af.")
        parser.add_argument("--keep", action="store_true", help="Laat de gegenereerde casussen staan.")

    def handle(self, *args: Any, **options: Any) -> None:
        self._refuse_unsuitable()
        day = timezone.localdate()
        first_run = (JobRun.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
        try:
            generated = bench_jobs.jobs_caseload(options["cases"])
            rows = ", ".join(f"{name} {count}" for name, count in generated.rows.items())
            self.stdout.write(f"Gegenereerd in {generated.seconds:.1f} s (niet gemeten): {rows}")
            self._jobs(day, options)
            if options["explain"]:
                for plan in bench_jobs.explain_exit_review(day):
                    self.stdout.write(plan + "\n")
            self._page(day, generated.director, options)
        finally:
            if not options["keep"]:
                self._clean_up(first_run)

    def _refuse_unsuitable(self) -> None:
        if settings.PGA_ENVIRONMENT == "production":
            raise CommandError("bench_jobs draait niet in productie (PGA_ENVIRONMENT=production).")
        if connection.vendor != "postgresql":
            raise CommandError("bench_jobs meet PostgreSQL: zet DATABASE_URL=postgres://…")
        if bench_jobs.foreign_cases():
            raise CommandError("Deze database heeft eigen casussen; gebruik een aparte: createdb pga_bench en migrate.")
        if leftover := bench_jobs.caseload_remove():
            self.stdout.write(f"{leftover} casussen van een eerdere meting verwijderd.")

    def _jobs(self, day: dt.date, options: dict[str, Any]) -> None:
        self.stdout.write(f"Taken, peildatum {day:%Y-%m-%d} (koud: eerste run, maakt signalen; warm: daarna, maakt niets):")
        for job in JOBS:
            timing = bench_jobs.time_job(job, day, options["warm_runs"])
            for line in timing.lines():
                self.stdout.write(f"  {line}")
            if job == "exit_review":
                share = timing.cold_counts.get("flagged", 0) / options["cases"] * 100
                self.stdout.write(
                    f"  signalen uitstroomtoets: {timing.cold_counts.get('flagged', 0)} ({share:.0f} % van de casussen)"
                )

    def _page(self, day: dt.date, director: Any, options: dict[str, Any]) -> None:
        cookie = bench_jobs.session_cookie(director)
        for server_options, name in PAGE_SERVERS:
            with bench_jobs.page_server(server_options) as port:
                bench_jobs.page_views(port, cookie, options["warmup"], "opwarmen")
                base = bench_jobs.page_views(port, cookie, options["requests"], f"Mijn caseload ({name}), alleen")
                self.stdout.write(base.line())
                label = f"Mijn caseload ({name}), tijdens uitstroomtoets"
                measure = functools.partial(bench_jobs.page_views, port, cookie, options["requests"], label)
                loaded, runs = bench_jobs.under_exit_review(day, measure)
                self.stdout.write(loaded.line())
            median = statistics.median(runs) if runs else 0.0
            self.stdout.write(f"  uitstroomtoets tijdens de meting: {len(runs)} runs (koud), mediaan {median:.2f} s")
            self.stdout.write(f"Verslechtering p95 ({name}): {bench_jobs.degradation(base, loaded):+.1f} %")

    def _clean_up(self, first_run: int) -> None:
        removed = bench_jobs.caseload_remove()
        JobRun.objects.filter(pk__gte=first_run).delete()
        self.stdout.write(
            f"Opgeruimd: {removed} casussen en de taakuitvoeringen van de meting. "
            "De toegangslogregels van de paginaverzoeken blijven (alleen toevoegen); dropdb verwijdert ze."
        )
