"""factory_boy factories for the domain, with traits for the usual states.

Organisations come from the reference data migration (``partners/migrations/0002``); use
``organisation("politie-midden-nederland")`` rather than inventing partners.
"""

import datetime as dt
import random

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from cases.demo.bsn import fake_bsn
from cases.models import (
    Action,
    ActionKind,
    Assessment,
    Case,
    CasePlan,
    CaseStatus,
    CaseTeamMember,
    Detention,
    Goal,
    JournalEntry,
    Leefgebied,
    Offence,
    OffenceType,
    Person,
    TargetGroup,
    Tier,
    Wijk,
)
from partners.models import Organisation, Role, User
from privacy.grants import case_permissions_sync

PASSWORD = "test-wachtwoord-123"
_rng = random.Random(20261130)


def organisation(code: str) -> Organisation:
    return Organisation.objects.get(code=code)


def wijk(code: str = "overvecht") -> Wijk:
    return Wijk.objects.get(code=code)


def offence_type(code: str = "sr-310") -> OffenceType:
    return OffenceType.objects.get(code=code)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"gebruiker{n}")
    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")
    organisation = factory.LazyFunction(lambda: organisation("gemeente-utrecht"))
    role = Role.PARTNER
    password = factory.django.Password(PASSWORD)

    class Params:
        case_director = factory.Trait(
            role=Role.CASE_DIRECTOR, organisation=factory.LazyFunction(lambda: organisation("gemeente-utrecht"))
        )
        process_director = factory.Trait(
            role=Role.PROCESS_DIRECTOR, organisation=factory.LazyFunction(lambda: organisation("zvhru"))
        )
        politie = factory.Trait(
            role=Role.PARTNER, organisation=factory.LazyFunction(lambda: organisation("politie-midden-nederland"))
        )
        altrecht = factory.Trait(role=Role.PARTNER, organisation=factory.LazyFunction(lambda: organisation("altrecht")))
        jou = factory.Trait(role=Role.PARTNER, organisation=factory.LazyFunction(lambda: organisation("jou")))
        administrator = factory.Trait(role=Role.ADMINISTRATOR)
        privacy_officer = factory.Trait(role=Role.PRIVACY_OFFICER)


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    bsn = factory.LazyFunction(lambda: fake_bsn(_rng))
    given_names = factory.Faker("first_name_male", locale="nl_NL")
    surname = factory.Faker("last_name", locale="nl_NL")
    date_of_birth = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=365 * 20 + _rng.randint(0, 2000)))
    wijk = factory.LazyFunction(wijk)
    informed_on = factory.LazyFunction(timezone.localdate)


class CaseFactory(DjangoModelFactory):
    """A case in ``basisinzet``, ``aangemeld``; traits: ``lokale_pga``, ``zvhru``, ``actief``, ``afgesloten``."""

    class Meta:
        model = Case
        skip_postgeneration_save = True

    person = factory.SubFactory(PersonFactory)
    target_group = TargetGroup.DOORGROEIER
    registering_organisation = factory.LazyFunction(lambda: organisation("gemeente-utrecht"))
    registered_by = factory.SubFactory(UserFactory, case_director=True)
    opened_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=90))

    class Params:
        actief = factory.Trait(status=CaseStatus.ACTIEF)
        lokale_pga = factory.Trait(
            tier=Tier.LOKALE_PGA, status=CaseStatus.ACTIEF, case_director=factory.SubFactory(UserFactory, case_director=True)
        )
        zvhru = factory.Trait(
            tier=Tier.ZVHRU,
            status=CaseStatus.ACTIEF,
            target_group=TargetGroup.TOP_X,
            case_director=factory.SubFactory(UserFactory, case_director=True),
            process_director=factory.SubFactory(UserFactory, process_director=True),
        )
        afgesloten = factory.Trait(
            status=CaseStatus.AFGESLOTEN, closed_on=factory.LazyFunction(timezone.localdate), closing_reason="doelen_behaald"
        )

    @factory.post_generation
    def plan(obj, create, extracted, **kwargs):
        if create:
            CasePlan.objects.get_or_create(case=obj)

    @factory.post_generation
    def permissions(obj, create, extracted, **kwargs):
        """The guardian rows the services would derive (``privacy.grants``, issue #4)."""
        if create:
            case_permissions_sync(obj)


class TeamMemberFactory(DjangoModelFactory):
    class Meta:
        model = CaseTeamMember
        skip_postgeneration_save = True

    case = factory.SubFactory(CaseFactory)
    added_by = factory.SubFactory(UserFactory, case_director=True)
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=30))

    @factory.post_generation
    def permissions(obj, create, extracted, **kwargs):
        if create:
            case_permissions_sync(obj.case)


class OffenceFactory(DjangoModelFactory):
    class Meta:
        model = Offence

    case = factory.SubFactory(CaseFactory)
    committed_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=60))
    offence_type = factory.LazyFunction(offence_type)
    source_organisation = factory.LazyFunction(lambda: organisation("politie-midden-nederland"))
    recorded_by = factory.SubFactory(UserFactory, politie=True)


class DetentionFactory(DjangoModelFactory):
    class Meta:
        model = Detention

    case = factory.SubFactory(CaseFactory)
    institution = "PI Nieuwegein"
    started_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=10))
    source_organisation = factory.LazyFunction(lambda: organisation("dji"))
    recorded_by = factory.SubFactory(UserFactory, politie=True)


class AssessmentFactory(DjangoModelFactory):
    class Meta:
        model = Assessment

    case = factory.SubFactory(CaseFactory)
    dagbesteding = 3
    zorg = 3
    huisvesting = 3
    identiteitsbewijs = 4
    inkomen = 2
    motivatie = 2
    assessed_by = factory.SubFactory(UserFactory, case_director=True)


class JournalEntryFactory(DjangoModelFactory):
    class Meta:
        model = JournalEntry

    case = factory.SubFactory(CaseFactory)
    text = factory.Faker("sentence", locale="nl_NL")
    author = factory.SubFactory(UserFactory, case_director=True)
    organisation = factory.LazyAttribute(lambda o: o.author.organisation)


class GoalFactory(DjangoModelFactory):
    class Meta:
        model = Goal

    plan = factory.LazyAttribute(lambda o: CaseFactory().plan)
    leefgebied = Leefgebied.DAGBESTEDING
    description = "Werk vinden"
    created_by = factory.SubFactory(UserFactory, case_director=True)


class ActionFactory(DjangoModelFactory):
    class Meta:
        model = Action

    goal = factory.SubFactory(GoalFactory)
    description = "Gesprek bij Werk & Inkomen"
    owning_organisation = factory.LazyFunction(lambda: organisation("werk-en-inkomen"))
    kind = ActionKind.PERSPECTIEF_BIEDEN
    due_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=14))
    created_by = factory.SubFactory(UserFactory, case_director=True)
