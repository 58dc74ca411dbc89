"""``manage.py create_partner_application --organisation CODE --name NAME``: API credentials for a partner.

Prints the client id and the client secret once; only a hash of the secret is stored.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from partners.models import Organisation
from partners.services import partner_application_create


class Command(BaseCommand):
    help = "Maak OAuth2-clientgegevens (client credentials) voor een partnerorganisatie."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organisation", required=True, help="Code van de organisatie, bijv. politie-midden-nederland")
        parser.add_argument("--name", required=True, help="Naam van de applicatie")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            organisation = Organisation.objects.get(code=options["organisation"])
        except Organisation.DoesNotExist:
            raise CommandError(f"Onbekende organisatie: {options['organisation']}") from None
        try:
            application, secret = partner_application_create(organisation=organisation, name=options["name"])
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        self.stdout.write(f"client_id: {application.client_id}\nclient_secret: {secret}\n")
        self.stdout.write("Bewaar het secret nu; het wordt alleen gehasht opgeslagen.\n")
