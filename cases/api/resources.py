"""API views of the resources under a case: offences, detentions, goals, actions, assessments, journal
and team. Each is an ``InCase`` view: the case is resolved first (404 for outsiders), then only its rows.

The sharing matrix (DOMAIN.md §8, issue #4; ``privacy.policy``) decides what of a visible case reaches
the caller: offences and detentions are ``justitieel`` and goals and actions ``plan`` as a whole (403 on
every method for a caller the matrix does not share them with); journal entries are listed only in the
categories the caller reads; team entries of zorg organisations (or of users of one) only to callers
who read ``zorg``; assessments show only the scores the caller may see (``Disclosed``).
"""

from typing import cast

from django.db.models import Q, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics
from rest_framework.serializers import BaseSerializer

from partners.models import Domain
from privacy.categories import Category

from .. import selectors, services
from ..models import Action, Assessment, CaseTeamMember, Detention, Goal, JournalEntry, Offence
from . import serializers as s
from .base import (
    DIRECTORS_ONLY,
    FOR_VIEWERS,
    OUTSIDERS,
    READ_PATCH,
    STRAF,
    InCase,
    actor,
    op,
    uuid_of,
)

JUSTICE_ONLY = " Wie volgens de deelmatrix geen justitiële gegevens ziet, krijgt 403."


@extend_schema(tags=["Delicten"])
class Offences(InCase):
    record_kind = "offence"
    queryset = Offence.objects.none()
    serializer_class = s.OffenceSerializer

    def get_queryset(self) -> QuerySet[Offence]:
        return self.case.offences.select_related("offence_type", "source_organisation")


@extend_schema_view(
    get=op(
        "Delicten van een casus",
        "Alle delicten van de casus, ook geseponeerde en vrijgesproken: die hebben `counts` onwaar en tellen nergens "
        f"mee. {FOR_VIEWERS}{JUSTICE_ONLY}",
    ),
    post=op(
        "Delict registreren",
        f"Alleen {STRAF} die de casus zien; anderen die de casus zien krijgen 403. Uw organisatie wordt de "
        f"bronorganisatie. De pleegdatum ligt niet in de toekomst en niet vóór de geboortedatum. Vastleggen vraagt "
        f"schrijfrecht op justitiële gegevens in de deelmatrix. {OUTSIDERS}",
    ),
)
class OffenceList(Offences, generics.ListCreateAPIView):
    """Offences of the case; straf partners in the team record them."""

    def perform_create(self, serializer: BaseSerializer) -> None:
        serializer.instance = services.offence_record(actor=actor(self.request), case=self.case, **serializer.validated_data)


@extend_schema(parameters=[uuid_of("het delict")])
@extend_schema_view(
    get=op("Delict opvragen", f"Eén delict van de casus. {FOR_VIEWERS}{JUSTICE_ONLY}"),
    patch=op(
        "Delict corrigeren",
        "Alleen de bronorganisatie van het delict corrigeert pleegdatum, delicttype, afdoening en toelichting; anderen "
        f"die de casus zien krijgen 403. {OUTSIDERS}",
    ),
)
class OffenceDetail(Offences, generics.RetrieveUpdateAPIView):
    """One offence; only its source organisation corrects it."""

    http_method_names = READ_PATCH

    def perform_update(self, serializer: BaseSerializer) -> None:
        serializer.instance = services.offence_correct(
            actor=actor(self.request), offence=cast(Offence, serializer.instance), **serializer.validated_data
        )


@extend_schema(tags=["Detenties"])
class Detentions(InCase):
    record_kind = "detention"
    queryset = Detention.objects.none()
    serializer_class = s.DetentionSerializer

    def get_queryset(self) -> QuerySet[Detention]:
        return self.case.detentions.select_related("source_organisation")


@extend_schema_view(
    get=op("Detentieperiodes van een casus", f"Alle detentieperiodes van de casus. {FOR_VIEWERS}{JUSTICE_ONLY}"),
    post=op(
        "Detentie registreren",
        f"Voor {STRAF} en de regisseurs van de casus; anderen die de casus zien krijgen 403. Uw organisatie wordt de "
        f"bron. {OUTSIDERS}",
    ),
)
class DetentionList(Detentions, generics.ListCreateAPIView):
    """Detention periods; straf partners and the directors record them."""

    def perform_create(self, serializer: BaseSerializer) -> None:
        serializer.instance = services.detention_record(actor=actor(self.request), case=self.case, **serializer.validated_data)


@extend_schema(parameters=[uuid_of("de detentieperiode")])
@extend_schema_view(
    get=op("Detentieperiode opvragen", f"Eén detentieperiode van de casus. {FOR_VIEWERS}{JUSTICE_ONLY}"),
    patch=op(
        "Detentieperiode bijwerken",
        f"Bijvoorbeeld de werkelijke vrijlating (`released_on`) vastleggen. Voor {STRAF} en de regisseurs van de casus; "
        f"anderen die de casus zien krijgen 403. {OUTSIDERS}",
    ),
)
class DetentionDetail(Detentions, generics.RetrieveUpdateAPIView):
    """One detention period, e.g. to record the actual release."""

    http_method_names = READ_PATCH

    def perform_update(self, serializer: BaseSerializer) -> None:
        serializer.instance = services.detention_update(
            actor=actor(self.request), detention=cast(Detention, serializer.instance), **serializer.validated_data
        )


@extend_schema(tags=["Doelen"])
class Goals(InCase):
    record_kind = "goal"
    queryset = Goal.objects.none()
    serializer_class = s.GoalSerializer

    def get_queryset(self) -> QuerySet[Goal]:
        return Goal.objects.filter(plan__case=self.case).select_related("plan__case")


@extend_schema_view(
    get=op("Doelen van een casus", f"De doelen van het plan van aanpak, per leefgebied. {FOR_VIEWERS}"),
    post=op("Doel toevoegen", f"Voegt een doel op een leefgebied toe aan het plan van aanpak. {DIRECTORS_ONLY}"),
)
class GoalList(Goals, generics.ListCreateAPIView):
    """Goals of the plan per leefgebied; the directors edit the plan."""

    def perform_create(self, serializer: BaseSerializer) -> None:
        serializer.instance = services.goal_create(actor=actor(self.request), case=self.case, **serializer.validated_data)


@extend_schema(parameters=[uuid_of("het doel")])
@extend_schema_view(
    get=op("Doel opvragen", f"Eén doel van het plan van aanpak. {FOR_VIEWERS}"),
    patch=op("Doel wijzigen", f"Wijzigt leefgebied, omschrijving of `achieved`. {DIRECTORS_ONLY}"),
)
class GoalDetail(Goals, generics.RetrieveUpdateAPIView):
    http_method_names = READ_PATCH

    def perform_update(self, serializer: BaseSerializer) -> None:
        serializer.instance = services.goal_update(
            actor=actor(self.request), goal=cast(Goal, serializer.instance), **serializer.validated_data
        )


@extend_schema(tags=["Acties"])
class Actions(InCase):
    record_kind = "action"
    queryset = Action.objects.none()
    serializer_class = s.ActionSerializer

    def get_queryset(self) -> QuerySet[Action]:
        return Action.objects.filter(goal__plan__case=self.case).select_related(
            "goal__plan__case", "owning_organisation", "responsible_user", "intervention"
        )


@extend_schema_view(
    get=op("Acties van een casus", f"De acties onder de doelen van het plan van aanpak. {FOR_VIEWERS}"),
    post=op(
        "Actie toevoegen",
        "Voegt een actie toe onder een doel van deze casus (`goal`). De eigenaar (`owning_organisation`) staat in het "
        "casusteam, of is de organisatie van een regisseur of teamlid. Een nieuwe open actie is niet al verlopen. "
        f"{DIRECTORS_ONLY}",
    ),
)
class ActionList(Actions, generics.ListCreateAPIView):
    """Actions under the plan's goals; the directors add them."""

    def perform_create(self, serializer: BaseSerializer) -> None:
        fields = dict(serializer.validated_data)
        serializer.instance = services.action_create(actor=actor(self.request), goal=fields.pop("goal"), **fields)


@extend_schema(parameters=[uuid_of("de actie")])
@extend_schema_view(
    get=op("Actie opvragen", f"Eén actie van het plan van aanpak. {FOR_VIEWERS}"),
    patch=op(
        "Actie bijwerken",
        "De regisseurs wijzigen alles behalve `goal`. Teamleden van de eigenaar-organisatie wijzigen `status`, "
        "`responsible_user` en `due_on`; andere velden geven hun 400. Anderen die de casus zien krijgen 403. "
        f"{OUTSIDERS}",
    ),
)
class ActionDetail(Actions, generics.RetrieveUpdateAPIView):
    """One action: the directors change anything, the owning organisation its status, owner and due date."""

    http_method_names = READ_PATCH

    def perform_update(self, serializer: BaseSerializer) -> None:
        serializer.instance = services.action_update(
            actor=actor(self.request), action=cast(Action, serializer.instance), **serializer.validated_data
        )


@extend_schema(tags=["Beoordelingen"])
class Assessments(InCase):
    queryset = Assessment.objects.none()
    serializer_class = s.AssessmentSerializer

    def get_queryset(self) -> QuerySet[Assessment]:
        return self.case.assessments.select_related("assessed_by")


@extend_schema_view(
    get=op(
        "Beoordelingen van een casus",
        "Alle gedateerde beoordelingen van de zes leefgebieden, met alleen de scores die de deelmatrix met uw "
        f"organisatie deelt. {FOR_VIEWERS}",
    ),
    post=op(
        "Beoordeling vastleggen",
        "Legt per leefgebied een score van 1 tot 5 vast, op een datum die niet in de toekomst ligt; u wordt als "
        "beoordelaar vastgelegd. Een beoordeling raakt zorg, sociaal domein en plan van aanpak: alleen wie die volgens de "
        "deelmatrix alle drie mag schrijven (standaard de regisseurs), anderen die de casus zien krijgen 403. Wie de "
        "casus niet ziet, krijgt 404.",
    ),
)
class AssessmentList(Assessments, generics.ListCreateAPIView):
    """Dated leefgebied assessments (1–5); every team member records them."""

    def perform_create(self, serializer: BaseSerializer) -> None:
        serializer.instance = services.assessment_record(actor=actor(self.request), case=self.case, **serializer.validated_data)


@extend_schema(parameters=[uuid_of("de beoordeling")])
@extend_schema_view(get=op("Beoordeling opvragen", f"Eén beoordeling. Een beoordeling wijzigt niet. {FOR_VIEWERS}"))
class AssessmentDetail(Assessments, generics.RetrieveAPIView):
    pass


@extend_schema(tags=["Journaal"])
class Journal(InCase):
    queryset = JournalEntry.objects.none()
    serializer_class = s.JournalEntrySerializer

    def get_queryset(self) -> QuerySet[JournalEntry]:
        """Only entries of the categories the caller reads: others are neither listed nor found (404)."""
        readable = sorted(self.disclosure.readable)
        return self.case.journal.filter(category__in=readable).select_related("author", "organisation")


@extend_schema_view(
    get=op(
        "Journaal van een casus",
        "De contactmomenten en notities van de casus, alleen in de categorieën die de deelmatrix met uw organisatie "
        f"deelt. {FOR_VIEWERS}",
    ),
    post=op(
        "Journaalregel toevoegen",
        "Voegt een contactmoment of notitie toe in een categorie (`category`, standaard `plan`); u en uw organisatie "
        "worden als auteur vastgelegd, met de grondslag uit de deelmatrix. Voor iedereen die de casus mag zien en de "
        "categorie volgens de deelmatrix mag schrijven (anders 403); wie de casus niet mag zien, krijgt 404.",
    ),
)
class JournalList(Journal, generics.ListCreateAPIView):
    """Contact moments and notes; every team member writes them."""

    def perform_create(self, serializer: BaseSerializer) -> None:
        serializer.instance = services.journal_entry_add(actor=actor(self.request), case=self.case, **serializer.validated_data)


@extend_schema(parameters=[uuid_of("de journaalregel")])
@extend_schema_view(get=op("Journaalregel opvragen", f"Eén journaalregel. Een journaalregel wijzigt niet. {FOR_VIEWERS}"))
class JournalDetail(Journal, generics.RetrieveAPIView):
    pass


@extend_schema(tags=["Casusteam"])
class Team(InCase):
    queryset = CaseTeamMember.objects.none()
    serializer_class = s.TeamMemberSerializer

    def get_queryset(self) -> QuerySet[CaseTeamMember]:
        """The team, without entries of zorg organisations (or their users) for callers who do not read
        ``zorg``: that a care partner is involved is itself health data (DOMAIN.md §8)."""
        team = selectors.team_listed(self.case)
        if not self.disclosure.reads(Category.ZORG):
            team = team.exclude(Q(organisation__domain=Domain.ZORG) | Q(user__organisation__domain=Domain.ZORG))
        return team


@extend_schema_view(
    get=op(
        "Casusteam opvragen",
        "De huidige en geplande teamleden: organisaties en professionals op naam, met begin- en einddatum (beide "
        f"inclusief). Zorgpartners staan er alleen in voor wie zorggegevens mag zien. {FOR_VIEWERS}",
    ),
    post=op(
        "Teamlid toevoegen",
        "Voegt óf een organisatie (`organisation`) óf een professional op naam (`user`) toe, vanaf vandaag of een latere "
        f"`starts_on`. Alleen professionals met een rol in casussen kunnen op naam in het team. {DIRECTORS_ONLY}",
    ),
)
class TeamList(Team, generics.ListCreateAPIView):
    """The current team; the directors add organisations and named users."""

    def perform_create(self, serializer: BaseSerializer) -> None:
        serializer.instance = services.team_member_add(actor=actor(self.request), case=self.case, **serializer.validated_data)


@extend_schema(parameters=[uuid_of("de teamregel")])
@extend_schema_view(
    get=op("Teamlid opvragen", f"Eén huidige of geplande teamregel. {FOR_VIEWERS}"),
    delete=op(
        "Teamlid beëindigen",
        "Beëindigt de teamregel: de einddatum wordt gisteren (een gepland teamlid vervalt), zodat de geschiedenis blijft "
        f"bestaan. Een beëindigde regel geeft daarna 404. {DIRECTORS_ONLY}",
    ),
)
class TeamDetail(Team, generics.RetrieveDestroyAPIView):
    """One current team entry; ``DELETE`` ends it (until yesterday), so the history stays."""

    def perform_destroy(self, instance: CaseTeamMember) -> None:
        services.team_member_remove(actor=actor(self.request), member=instance)
