"""``manage.py load_demo``: the demo data of issue #2 loads, is what the issue promises, and keeps the rules.

The demo is loaded once for this module (inside a transaction that is rolled back at the end); each
test runs in its own savepoint on top of it.
"""

import datetime as dt
import hashlib
import io
from collections import Counter

import pytest
from dateutil.relativedelta import relativedelta
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Count
from django.test import RequestFactory
from django.utils import timezone
from oauth2_provider.models import AccessToken, Application

from cases import selectors
from cases.demo import accounts
from cases.demo.people import split_surname
from cases.models import (
    Action,
    ActionStatus,
    Assessment,
    Case,
    CaseChange,
    CaseStatus,
    CaseTeamMember,
    ClosingReason,
    Detention,
    FamilyMembership,
    Goal,
    JournalEntry,
    Leefgebied,
    Offence,
    Person,
    TargetGroup,
    Tier,
)
from cases.rules import earliest_exit_on
from partners.models import Domain, Role, User

pytestmark = pytest.mark.django_db


def load_demo(*args: str) -> str:
    out = io.StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def demo_output(django_db_setup, django_db_blocker):
    """Load the demo once for the module; everything is rolled back afterwards."""
    with django_db_blocker.unblock(), transaction.atomic():
        output = load_demo()
        yield output
        transaction.set_rollback(True)


def counts() -> dict[str, int]:
    models = (
        User,
        Application,
        Person,
        Case,
        CaseTeamMember,
        Offence,
        Detention,
        Assessment,
        Goal,
        Action,
        JournalEntry,
        FamilyMembership,
    )
    return {model.__name__: model.objects.count() for model in models}


def named_case(given_names: str, surname: str) -> Case:
    person = Person.objects.get(given_names=given_names, surname=surname)
    return selectors.with_case_facts(Case.objects.filter(person=person)).select_related("person__wijk").get()


def team_organisations(case: Case) -> set[str]:
    return set(selectors.team_current(case).exclude(organisation=None).values_list("organisation__code", flat=True))


def test_load_demo_refuses_production_settings(settings):
    settings.PGA_ENVIRONMENT = "production"
    before = counts()
    with pytest.raises(CommandError, match="productie"):
        load_demo()
    assert counts() == before


def test_load_demo_prints_counts_but_no_personal_data(demo_output):
    assert "Personen: " in demo_output and "casussen: " in demo_output
    bsns = Person.objects.exclude(bsn=None).values_list("bsn", flat=True)
    assert not any(bsn in demo_output for bsn in bsns)
    assert "Vincent" not in demo_output and "Bakker" not in demo_output


def test_about_300_persons_across_every_tier_and_status(demo_output):
    assert 280 <= Person.objects.count() <= 320
    per_tier = Counter(Case.objects.values_list("tier", flat=True))
    assert 35 <= per_tier[Tier.ZVHRU] <= 45
    assert per_tier[Tier.BASISINZET] + per_tier[Tier.LOKALE_PGA] > 200
    cells = set(Case.objects.values_list("tier", "status"))
    every = {(tier, status) for tier in Tier.values for status in CaseStatus.values}
    assert cells == every - {(Tier.ZVHRU, CaseStatus.AANGEMELD)}  # an aanmelding never sets zvhru (issue #3)
    new_top_x = Case.objects.filter(status=CaseStatus.AANGEMELD, target_group="top_x")
    assert new_top_x.exists()
    assert all(case.team.filter(organisation__code="zvhru").exists() for case in new_top_x)
    assert set(Person.objects.values_list("wijk__code", flat=True)) >= {
        "binnenstad",
        "oost",
        "noordoost",
        "noordwest",
        "overvecht",
        "west",
        "zuidwest",
        "zuid",
        "leidsche-rijn",
        "vleuten-de-meern",
    }


def test_ages_are_mostly_14_to_27_and_top_x_mostly_18_to_24(demo_output):
    open_cases = Case.objects.exclude(status=CaseStatus.AFGESLOTEN).select_related("person")
    ages = [case.person.age for case in open_cases]
    assert sum(14 <= age <= 27 for age in ages) >= 0.9 * len(ages)
    top_x = [case.person.age for case in open_cases if case.target_group == TargetGroup.TOP_X]
    assert sum(18 <= age <= 24 for age in top_x) >= 0.75 * len(top_x)


def test_vincent_bakker_is_the_story_of_domain_section_10(demo_output):
    case, today = named_case("Vincent", "Bakker"), timezone.localdate()
    assert case.person.age == 22 and case.person.wijk.code == "overvecht"
    assert (case.tier, case.target_group, case.status) == (Tier.LOKALE_PGA, TargetGroup.DOORGROEIER, CaseStatus.ACTIEF)
    assert case.case_director.username == "pga.expert"
    assert case.drug_network_indication == "ja"
    assert {"politie-midden-nederland", "jou"} <= team_organisations(case)
    assert "altrecht" not in team_organisations(case)
    assert not selectors.cases_visible_to(User.objects.get(username="altrecht")).filter(pk=case.pk).exists()
    [offence] = case.offences.select_related("offence_type", "recorded_by")
    assert offence.offence_type.code == "opw-10-3" and offence.offence_type.drug_related
    assert 55 <= (today - offence.committed_on).days <= 65
    assert offence.recorded_by.username == "politie"
    latest = case.assessments.latest()
    assert (latest.inkomen, latest.motivatie, latest.dagbesteding) == (2, 2, 3)
    assert selectors.exit_date_for(case) == offence.committed_on + relativedelta(months=12)
    assert case.journal.count() >= 2


def test_vincents_plan_has_job_debts_messengers_and_sport(demo_output):
    case = named_case("Vincent", "Bakker")
    all_goals = list(Goal.objects.filter(plan__case=case))
    assert {goal.leefgebied for goal in all_goals} == {Leefgebied.DAGBESTEDING, Leefgebied.INKOMEN, Leefgebied.MOTIVATIE}
    job = {goal.description: goal for goal in all_goals if goal.leefgebied == Leefgebied.DAGBESTEDING}
    # Found (achieved, its VOG support done); keeping it is a goal of its own, with jobcoaching running.
    assert job["Een betaalde baan vinden"].achieved
    assert job["Een betaalde baan vinden"].actions.get(intervention__code="vog-ondersteuning").status == ActionStatus.AFGEROND
    assert not job["De nieuwe baan behouden"].achieved
    assert job["De nieuwe baan behouden"].actions.get(intervention__code="banen-met-status").status == ActionStatus.LOPEND
    goals = {goal.leefgebied: goal for goal in all_goals}
    assert goals[Leefgebied.INKOMEN].actions.get(intervention__code="schuldhulp").status == ActionStatus.LOPEND
    interventions = set(goals[Leefgebied.MOTIVATIE].actions.values_list("intervention__code", flat=True))
    assert {"credible-messengers", "sport"} <= interventions


def test_the_named_plans_were_made_back_then_not_on_the_day_the_demo_was_loaded(demo_output):
    for given, surname in (("Vincent", "Bakker"), ("Dylan", "Visser")):
        case = named_case(given, surname)
        added = {
            timezone.localdate(created)
            for created in Action.objects.filter(goal__plan__case=case).values_list("created_at", flat=True)
        }
        assert added and max(added) < timezone.localdate() - dt.timedelta(days=30), (surname, added)


def test_dylans_move_to_top_x_was_decided_on_a_tuesday_at_ten(demo_output):
    """The casusoverleg Top X meets on Tuesdays; load_demo_conferences makes the meeting from this change."""
    change = CaseChange.objects.get(case=named_case("Dylan", "Visser"), kind="tier", to_value=Tier.ZVHRU)
    held = timezone.localtime(change.changed_at)
    assert (held.weekday(), held.hour) == (1, 10)


def test_dylan_visser_is_a_top_x_case_with_three_recent_offences(demo_output):
    case, today = named_case("Dylan", "Visser"), timezone.localdate()
    assert case.person.age == 20 and case.person.wijk.code == "zuidwest"
    assert (case.tier, case.target_group, case.status) == (Tier.ZVHRU, TargetGroup.TOP_X, CaseStatus.ACTIEF)
    assert (case.case_director.username, case.process_director.username) == ("pga.expert", "procesregisseur")
    assert {"politie-midden-nederland", "reclassering-nederland", "altrecht"} <= team_organisations(case)
    recent = case.offences.counting().filter(committed_on__gte=today - relativedelta(months=18))
    assert recent.count() == 3
    assert 85 <= (today - recent.first().committed_on).days <= 97  # newest first
    assert recent.filter(offence_type__code="sr-312").exists()
    assert sum(score <= 2 for score in case.assessments.latest().scores().values()) == 3


@pytest.mark.parametrize(
    ("username", "role", "organisation"),
    [
        ("pga.expert", Role.CASE_DIRECTOR, "gemeente-utrecht"),
        ("procesregisseur", Role.PROCESS_DIRECTOR, "zvhru"),
        ("politie", Role.PARTNER, "politie-midden-nederland"),
        ("reclassering", Role.PARTNER, "reclassering-nederland"),
        ("altrecht", Role.PARTNER, "altrecht"),
        ("jou", Role.PARTNER, "jou"),
        ("beheerder", Role.ADMINISTRATOR, "gemeente-utrecht"),
        ("privacy", Role.PRIVACY_OFFICER, "gemeente-utrecht"),
    ],
)
def test_demo_account_has_its_role_and_organisation(demo_output, username, role, organisation):
    user = User.objects.select_related("organisation").get(username=username)
    assert (user.role, user.organisation.code) == (role, organisation)
    assert user.first_name and user.last_name


def test_every_demo_account_signs_in_with_the_demo_password(demo_output):
    for username in accounts.USERNAMES:
        assert (
            authenticate(RequestFactory().post("/inloggen/"), username=username, password=accounts.demo_password()) is not None
        ), username
    assert User.objects.filter(username__in=accounts.USERNAMES, role=Role.CASE_DIRECTOR).count() >= 5
    assert User.objects.filter(username__in=accounts.USERNAMES, role=Role.PROCESS_DIRECTOR).count() >= 2


def test_beheerder_may_use_the_admin_but_sees_no_cases(demo_output, client):
    beheerder = User.objects.get(username="beheerder")
    assert beheerder.is_staff and beheerder.has_perm("partners.change_organisation")
    assert not selectors.cases_visible_to(beheerder).exists()
    client.force_login(beheerder)
    assert client.get("/beheer/").status_code == 200
    for page in ("/beheer/privacy/sharingmatrix/", "/beheer/escalation/ruleset/", "/beheer/escalation/tiercapacity/"):
        assert client.get(page).status_code == 200, page


def test_the_demo_password_comes_from_the_environment(demo_output, monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "een-ander-wachtwoord")
    load_demo("--reset")
    assert authenticate(RequestFactory().post("/inloggen/"), username="pga.expert", password="een-ander-wachtwoord") is not None
    assert authenticate(RequestFactory().post("/inloggen/"), username="pga.expert", password="pga-demo") is None


@pytest.mark.parametrize(
    ("client_id", "organisation"),
    [
        ("demo-politie", "politie-midden-nederland"),
        ("demo-reclassering", "reclassering-nederland"),
        ("demo-altrecht", "altrecht"),
        ("demo-jou", "jou"),
    ],
)
def test_demo_oauth_client_gets_a_read_write_token(demo_output, client, client_id, organisation):
    application = Application.objects.select_related("user__organisation").get(client_id=client_id)
    assert application.user.organisation.code == organisation
    data = {
        "grant_type": "client_credentials",
        "client_id": client_id,
        "client_secret": accounts.demo_password(),
        "scope": "read write",
    }
    response = client.post("/oauth/token/", data)
    assert response.status_code == 200, response.content
    token = AccessToken.objects.get(token_checksum=hashlib.sha256(response.json()["access_token"].encode()).hexdigest())
    assert set(token.scope.split()) == {"read", "write"}


def test_running_it_twice_changes_nothing(demo_output):
    before = counts()
    assert "staan er al" in load_demo()
    assert counts() == before


def test_reset_loads_the_same_data_again(demo_output):
    def persons() -> set[tuple]:
        return set(Person.objects.values_list("given_names", "surname", "bsn", "date_of_birth", "wijk__code"))

    before_counts, before_persons = counts(), persons()
    load_demo("--reset")
    assert counts() == before_counts
    assert persons() == before_persons


def test_every_case_and_person_passes_full_clean(demo_output):
    for model in (Person, Case, Offence, Detention):
        for instance in model.objects.all():
            instance.full_clean()


def test_every_case_keeps_the_direction_rules(demo_output):
    for case in Case.objects.select_related("case_director", "process_director"):
        if case.tier in (Tier.LOKALE_PGA, Tier.ZVHRU):
            assert case.case_director is not None and case.case_director.role == Role.CASE_DIRECTOR, case.pk
        if case.tier == Tier.ZVHRU:
            assert case.process_director is not None and case.process_director.role == Role.PROCESS_DIRECTOR, case.pk
        if case.status == CaseStatus.AFGESLOTEN:
            assert case.closed_on and case.closing_reason, case.pk
        else:
            assert case.closed_on is None, case.pk
        assert case.registering_organisation.may_register
        registrant_directs = case.registered_by in (case.case_director, case.process_director)
        assert registrant_directs or case.team.filter(organisation=case.registering_organisation).exists(), case.pk
    open_cases = Case.objects.exclude(status=CaseStatus.AFGESLOTEN)
    assert not open_cases.values("person").annotate(n=Count("pk")).filter(n__gt=1).exists()  # one open case per person


def test_offences_come_from_straf_partners_between_birth_and_today(demo_output):
    today = timezone.localdate()
    offences = Offence.objects.select_related("case__person", "source_organisation", "recorded_by")
    for offence in offences:
        assert offence.case.person.date_of_birth <= offence.committed_on <= today
        assert offence.source_organisation.domain == Domain.STRAF
        assert offence.recorded_by.organisation_id == offence.source_organisation_id
    outcomes = Counter(offences.values_list("outcome", flat=True))
    assert outcomes["sepot"] and outcomes["vrijspraak"] and outcomes["veroordeling"] and outcomes["open"]


def test_cases_closed_as_goals_met_waited_a_year_after_the_last_offence(demo_output):
    closed = selectors.with_case_facts(Case.objects.filter(closing_reason=ClosingReason.DOELEN_BEHAALD))
    assert closed.exists()
    for case in closed:
        exit_on = earliest_exit_on(last_offence_on=case.last_offence_on, started_on=case.started_on, exit_period_months=12)
        assert exit_on <= case.closed_on, case.pk


def test_detentions_plans_and_families_look_real(demo_output):
    today = timezone.localdate()
    assert Detention.objects.filter(released_on=None, started_on__lte=today).exists()  # some in detention now
    actions = Action.objects.all()
    assert actions.filter(status__in=[ActionStatus.OPEN, ActionStatus.LOPEND], due_on__lt=today).exists()  # overdue
    assert set(actions.values_list("kind", flat=True)) == {"grenzen_stellen", "perspectief_bieden"}
    assert actions.exclude(intervention=None).exists()
    for action in actions.select_related("responsible_user", "owning_organisation"):
        assert action.responsible_user is None or action.responsible_user.organisation_id == action.owning_organisation_id
    assert set(Goal.objects.values_list("leefgebied", flat=True)) == set(Leefgebied.values)
    memberships = FamilyMembership.objects.all()
    assert memberships.values("family").distinct().count() >= 3
    assert all(membership.justification.strip() for membership in memberships)
    assert all(entry.author.organisation_id == entry.organisation_id for entry in JournalEntry.objects.select_related("author"))


def test_demo_dates_are_not_in_the_future(demo_output):
    today = timezone.localdate()
    assert not Case.objects.filter(opened_on__gt=today).exists()
    assert not Assessment.objects.filter(assessed_on__gt=today).exists()
    assert not JournalEntry.objects.filter(occurred_on__gt=today).exists()
    assert not CaseTeamMember.objects.filter(starts_on__gt=today).exists()
    assert not Detention.objects.filter(released_on__gt=today).exists()
    assert Person.objects.filter(date_of_birth__gt=today - dt.timedelta(days=12 * 365)).count() == 0


@pytest.mark.parametrize(
    ("full", "split"),
    [
        ("van der Ploeg", ("van der", "Ploeg")),
        ("Jansen", ("", "Jansen")),
        ("Bourgondië, van", ("van", "Bourgondië")),  # Faker's nl_NL list has a few written this way round
        ("'t Hart", ("'t", "Hart")),
    ],
)
def test_a_generated_surname_splits_into_prefix_and_name(full, split):
    assert split_surname(full) == split
