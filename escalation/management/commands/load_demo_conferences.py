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

from cases.models import CaseChange, CaseStatus, Tier
from cases.selectors import cases_visible_to
from escalation import services
from escalation.models import (
    AgendaItem,
    AgendaSource,
    CaseConference,
    ConferenceStatus,
    Decision,
    DecisionKind,
    Proposal,
)
from escalation.selectors import recommendation_for
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
        if CaseConference.objects.filter(chair=chair, status=ConferenceStatus.GEPLAND).exists():
            self.stdout.write("Het demo-casusoverleg staat er al; er is niets veranderd.")
            return
        with transaction.atomic():
            self._past_decision(chair)
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

    def _past_decision(self, chair: User) -> Decision | None:
        """The casusoverleg that took Dylan Visser into Top X, with its decision, as history.

        ``load_demo`` (cases app) applied that move as a recorded change; this adds the finalised
        conference and the ``Decision`` row it stands for — written directly, like all demo history,
        because a decision service call would move the case again.
        """
        change = CaseChange.objects.filter(
            case__person__given_names="Dylan", case__person__surname="Visser", kind="tier", to_value=Tier.ZVHRU
        ).first()
        if change is None:
            return None
        case, held_at = change.case, change.changed_at
        organisation = Organisation.objects.get(code=settings.PGA_ZVH_ORGANISATION_CODE)  # the chair's
        conference = CaseConference.objects.create(
            starts_at=held_at,
            chair=chair,
            status=ConferenceStatus.AFGEROND,
            finalised_at=held_at,
            finalised_by=chair,
            notes="Casusoverleg Top X. Demo: de geschiedenis van Dylan Visser.",
        )
        conference.organisations.set(Organisation.objects.filter(code__in=ATTENDING))
        AgendaItem.objects.create(
            conference=conference, case=case, order=1, source=AgendaSource.NIEUWE_AANMELDING, notes=change.reason
        )
        return Decision.objects.create(
            case=case,
            conference=conference,
            kind=DecisionKind.TIER,
            from_tier=Tier.LOKALE_PGA,
            to_tier=Tier.ZVHRU,
            from_status=case.status,
            rationale=change.reason,
            decided_by=chair,
            decided_by_role=chair.role,
            decided_by_organisation=organisation,
            decided_on=timezone.localdate(held_at),
            created_at=held_at,
            recommendation=recommendation_for(case).as_dict(),
            agrees_with_recommendation=True,
        )

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
