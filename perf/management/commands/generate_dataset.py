"""``manage.py generate_dataset [--seed N] [--scale F]``: fill a fresh PostgreSQL database with the
national-scale dataset of issue #6 (``perf.dataset``). Prints per step the rows written and the seconds,
then the total. Refuses SQLite and a database that already holds cases:

    createdb pga_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pga_bench python manage.py migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pga_bench python manage.py generate_dataset
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from perf import dataset


class Command(BaseCommand):
    help = "Vult een verse PostgreSQL-database met een landelijke, realistische proefdataset (issue #6)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--seed", type=int, default=dataset.SEED, help=f"Startwaarde van het toeval (standaard {dataset.SEED})."
        )
        parser.add_argument(
            "--scale", type=float, default=1.0, help="Vermenigvuldigt elk aantal (standaard 1.0; 0.001 voor een snelle proef)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        reason = dataset.refusal()
        if reason:
            raise CommandError(reason)
        try:
            dataset.sizes(options["scale"])
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Dataset met seed {options['seed']} en schaal {options['scale']}:")
        report = dataset.generate(seed=options["seed"], scale=options["scale"], progress=self._line)
        self.stdout.write(f"Totaal: {report.total_seconds:.1f} s")
        subjects = ", ".join(f"{purpose}={name}" for purpose, name in dataset.fixed_subjects().items())
        self.stdout.write(f"Vaste proefpersonen: {subjects}")

    def _line(self, step: str, rows: int, seconds: float) -> None:
        count = f"{rows:,}".replace(",", ".")
        self.stdout.write(f"  {step:<45} {count:>10} rijen {seconds:>8.1f} s")
        self.stdout.flush()
