"""``manage.py load_demo_conferences``: a casusoverleg for the embedded demo, after ``load_demo``.

Plans the next casusoverleg (the coming Tuesday, 10:00, chaired by ``procesregisseur`` with Politie,
Reclassering and Altrecht attending), has Politie propose moving a lokale-PGA case up to Top X, and
lets the system propose the agenda — so a procesregisseur can walk the meeting at once. Idempotent;
refuses production. It lives in the escalation app because the cases app (home of ``load_demo``)
must not import escalation (STYLE.md).
"""

import datetime as dt
from typing import Any

from auditlog.context import set_actor
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from cases.models import CaseStatus, Tier
from cases.selectors import cases_visible_to
from escalation import services
from escalation.models import CaseConference, Proposal
from partners.models import Organisation, User

ATTENDING = ("politie-midden-nederland", "reclassering-nederland", "altrecht")


class Command(BaseCommand):
    help = "Plan een casusoverleg met een voorgestelde agenda voor de demo (na load_demo)."

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PGA_ENVIRONMENT == "production":
            raise CommandError("Demodata laden kan niet met de productie-instellingen.")
        chair = User.objects.filter(username="procesregisseur").first()
        if chair is None:
            raise CommandError("Eerst load_demo draaien: de gebruiker procesregisseur bestaat niet.")
        if CaseConference.objects.filter(chair=chair).exists():
            self.stdout.write("Het demo-casusoverleg staat er al; er is niets veranderd.")
            return
        with transaction.atomic():
            conference = self._plan(chair)
        self.stdout.write(
            f"Casusoverleg gepland op {conference.starts_at:%d-%m-%Y %H:%M} met {conference.items.count()} agendapunten."
        )

    def _plan(self, chair: User) -> CaseConference:
        politie = User.objects.get(username="politie")
        self._propose_escalation(politie)
        today = timezone.localdate()
        tuesday = today + dt.timedelta(days=(1 - today.weekday()) % 7 or 7)
        starts_at = timezone.make_aware(dt.datetime.combine(tuesday, dt.time(10, 0)))
        with set_actor(chair):
            conference = services.conference_create(
                actor=chair,
                starts_at=starts_at,
                organisations=Organisation.objects.filter(code__in=ATTENDING),
                notes="Vaste casusoverleg Top X (dinsdag). Demo.",
            )
            services.agenda_propose(actor=chair, conference=conference)
        return conference

    def _propose_escalation(self, politie: User) -> Proposal | None:
        """Politie proposes the active lokale-PGA case with the most recent offence for Top X."""
        candidates = cases_visible_to(politie).filter(tier=Tier.LOKALE_PGA, status=CaseStatus.ACTIEF)
        candidates = candidates.exclude(person__given_names="Vincent", person__surname="Bakker")  # his story is leaving crime
        case = candidates.annotate(last=Max("offences__committed_on")).filter(last__isnull=False).order_by("-last", "pk").first()
        if case is None:
            return None
        with set_actor(politie):
            return services.proposal_create(
                actor=politie,
                case=case,
                to_tier=Tier.ZVHRU,
                rationale="Nieuwe feiten en zorgen over zijn netwerk; graag bespreken in het casusoverleg Top X.",
            )
