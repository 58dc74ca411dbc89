"""``manage.py load_demo [--reset]``: fictitious, realistic Utrecht demo data for the embedded demo.

Refuses to run when ``PGA_ENVIRONMENT`` is ``production``. Idempotent: when the demo accounts already
exist it changes nothing and says so; ``--reset`` first removes the demo data and then loads it again.
Deterministic: a fixed seed and dates relative to today. Everything runs in one transaction.
"""

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from cases.demo.accounts import demo_password
from cases.demo.context import ReferenceDataMissingError
from cases.demo.load import DemoDataInUseError, demo_delete, demo_exists, demo_load


class Command(BaseCommand):
    help = (
        "Laad fictieve demodata (Utrecht): accounts (wachtwoord uit DEMO_PASSWORD, standaard 'pga-demo'), "
        "OAuth2-clients demo-politie/-reclassering/-altrecht/-jou, ongeveer 300 personen met casussen en de "
        "vaste casussen Vincent Bakker en Dylan Visser. Weigert in productie (PGA_ENVIRONMENT=production). "
        "Staan de demo-accounts er al, dan verandert er niets; met --reset worden de demodata eerst verwijderd "
        "en opnieuw geladen. Zelfde dag, zelfde data: vaste seed, datums ten opzichte van vandaag."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--reset", action="store_true", help="Verwijder eerst de demodata en laad ze opnieuw.")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PGA_ENVIRONMENT == "production":
            raise CommandError("load_demo draait niet in productie (PGA_ENVIRONMENT=production).")
        if demo_exists() and not options["reset"]:
            self.stdout.write("De demodata staan er al; er is niets veranderd. Gebruik --reset om ze opnieuw te laden.")
            return
        started = time.monotonic()
        try:
            with transaction.atomic():
                if options["reset"]:
                    demo_delete()
                summary = demo_load(password=demo_password())
        except (ReferenceDataMissingError, DemoDataInUseError) as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(f"Demodata geladen in {time.monotonic() - started:.1f} s."))
        self.stdout.write(str(summary))
