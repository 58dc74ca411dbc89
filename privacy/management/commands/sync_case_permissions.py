"""``python manage.py sync_case_permissions``: re-derive the per-case permissions of every case.

The same derivation as the services and the nightly Celery task ``privacy.case_permissions_refresh``
(``privacy.grants``; issue #4, "Case-level access"): run it after loading data by hand, or to repair.
"""

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from privacy.grants import case_permissions_refresh


class Command(BaseCommand):
    help = "Leid de casusrechten (django-guardian) opnieuw af uit casusteams, regisseurs en noodtoegang."

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            result = case_permissions_refresh()
        self.stdout.write(
            f"Casusrechten bijgewerkt: {result.created} toegevoegd, {result.deleted} verwijderd, {result.updated} gewijzigd."
        )
