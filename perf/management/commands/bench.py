"""``python manage.py bench``: the benchmarks S1–S6 of issue #6 on the national dataset (``perf.bench``).

Not a test and never part of CI: ``make bench`` runs it on the benchmark database (generated first when
missing), ``make bench-check`` compares a run with ``docs/bench-recorded.json``.
"""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from perf import bench

SCENARIOS = ("S1", "S2", "S3", "S4", "S5", "S6")


class Command(BaseCommand):
    help = "Meet S1–S6 (issue #6) op de landelijke dataset: mediaan, p95, queries en verhouding tot een SQL-basislijn."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--runs", type=int, default=50, help="Gemeten herhalingen per pad (standaard 50).")
        parser.add_argument("--warmup", type=int, default=5, help="Ongemeten herhalingen vooraf (standaard 5).")
        parser.add_argument("--only", default=",".join(SCENARIOS), help="Welke scenario's, bv. S1,S2 (standaard alle).")
        parser.add_argument("--load-seconds", type=int, default=20, help="Duur van de belastingstest S4 in seconden.")
        parser.add_argument("--json", type=Path, help="Schrijf de uitkomsten ook als JSON naar dit bestand.")
        parser.add_argument(
            "--record", action="store_true", help="Leg deze meting vast als referentie (docs/bench-recorded.json)."
        )
        parser.add_argument(
            "--check", action="store_true", help="Vergelijk met de vastgelegde verhoudingen; exitcode 1 bij >20 %% achteruitgang."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("De benchmarks draaien alleen op PostgreSQL (DATABASE_URL).")
        wanted = {name.strip().upper() for name in options["only"].split(",") if name.strip()}
        unknown = wanted - set(SCENARIOS)
        if unknown:
            raise CommandError(f"Onbekend scenario: {', '.join(sorted(unknown))}. Kies uit {', '.join(SCENARIOS)}.")
        runs, warmup = options["runs"], options["warmup"]
        if runs < 1 or warmup < 0:
            raise CommandError("--runs moet minstens 1 zijn en --warmup minstens 0.")
        try:
            results = self._run(wanted, runs, warmup, options["load_seconds"])
        except bench.BenchError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(bench.HEADER)
        for result in results:
            self.stdout.write(result.line())
        if options["json"]:
            options["json"].write_text(json.dumps([r.as_json() for r in results], indent=2, default=str) + "\n", encoding="utf-8")
        if options["record"]:
            bench.record(results)
            self.stdout.write(f"Vastgelegd in {bench.RECORDED}.")
        if options["check"]:
            try:
                regressions, indicative = bench.check(results)
            except bench.BenchError as error:
                raise CommandError(str(error)) from None
            for line in indicative:
                self.stdout.write(f"Indicatief (één meting of zonder basislijn, niet als achteruitgang geteld): {line}")
            if regressions:
                raise CommandError("Achteruitgang van meer dan 20 %:\n" + "\n".join(regressions))
            self.stdout.write(self.style.SUCCESS("Geen achteruitgang van meer dan 20 % tegen de vastgelegde meting."))

    def _run(self, wanted: set[str], runs: int, warmup: int, load_seconds: int) -> list[bench.Result]:
        subjects = bench.Subjects.load()
        results: list[bench.Result] = []
        token = None
        if "S1" in wanted and subjects.partner.organisation is not None:
            from perf.load import partner_token

            token = partner_token(subjects.partner.organisation).token
        steps = [
            ("S1", lambda: bench.s1_caseload(subjects, runs=runs, warmup=warmup, partner_token=token)),
            ("S2", lambda: bench.s2_case(subjects, runs=runs, warmup=warmup)),
            ("S3", lambda: bench.s3_denied(subjects, runs=runs, warmup=warmup)),
            ("S4", lambda: bench.s4_throughput(subjects, seconds=load_seconds)),
            ("S5", lambda: bench.s5_jobs()),
            ("S6", lambda: bench.s6_privacy_officer(subjects, runs=runs, warmup=warmup)),
        ]
        for name, step in steps:
            if name in wanted:
                self.stderr.write(f"{name} …")
                results.extend(step())
        return results
