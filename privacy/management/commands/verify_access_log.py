"""``python manage.py verify_access_log``: recompute the access log's hash chain (NEN 7513 §6; BIO 12.4.2).

Prints how many seals and entries were checked and every problem found; exits with status 1 when the
log was tampered with, so a monitoring job can alert on it (issue #4, "Access log").
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from privacy.chain import verify


class Command(BaseCommand):
    help = "Controleer de hashketen van het toegangslog; eindigt met status 1 bij manipulatie."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--seal", action="store_true", help="Verzegel eerst de gesettelde regels.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["seal"]:
            from privacy.chain import seal_pending

            seal_pending()
        report = verify()
        for problem in report.problems:
            self.stderr.write(f"FOUT {problem}")
        summary = f"{report.seals} zegel(s), {report.entries} regel(s) gecontroleerd"
        if not report.ok:
            raise CommandError(f"Toegangslog gemanipuleerd: {len(report.problems)} probleem/problemen; {summary}.", returncode=1)
        self.stdout.write(self.style.SUCCESS(f"Toegangslog intact: {summary}."))
