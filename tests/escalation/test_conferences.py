"""The casusoverleg: the proposed agenda, who sees which items, locking, decisions and action items (issue #3)."""

import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from cases.models import Action, ActionKind, CaseStatus, Leefgebied, TargetGroup, Tier
from escalation import selectors, services
from escalation.models import AgendaSource, ConferenceStatus, Decision
from jobs.runner import job_run
from tests import factories as f

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def chair(db):
    return f.UserFactory(process_director=True)


def top_x_case(chair, *, offence_days=(60, 90, 120), opened_days=200):
    """An active ZVHRU case directed by ``chair`` that meets the Top X criterion (advice = its tier)."""
    person = f.PersonFactory(date_of_birth=TODAY - relativedelta(years=20, days=3))
    case = f.CaseFactory(zvhru=True, person=person, process_director=chair, opened_on=TODAY - dt.timedelta(days=opened_days))
    for days in offence_days:
        f.OffenceFactory(case=case, committed_on=TODAY - dt.timedelta(days=days))
    f.AssessmentFactory(case=case, assessed_on=TODAY - dt.timedelta(days=5))  # inkomen 2, motivatie 2
    return case


def conference_for(chair, **kwargs):
    return services.conference_create(actor=chair, starts_at=timezone.now() + dt.timedelta(days=2), **kwargs)


@pytest.fixture
def world(chair, case, politie_user):
    """One case per agenda source, a quiet ZVHRU case and a case the chair may not see."""
    services.proposal_create(actor=politie_user, case=case, to_tier=Tier.ZVHRU, rationale="Veel nieuwe delicten")
    aanmelding = f.CaseFactory(target_group=TargetGroup.TOP_X, status=CaseStatus.AANGEMELD)
    f.TeamMemberFactory(case=aanmelding, organisation=f.organisation("zvhru"))
    differs = f.CaseFactory(zvhru=True, process_director=chair)  # no offences: advice basisinzet
    exit_passed = top_x_case(chair, offence_days=(400, 420, 440), opened_days=500)
    overdue = top_x_case(chair)
    goal = f.GoalFactory(plan=overdue.plan)
    f.ActionFactory(goal=goal, due_on=TODAY - dt.timedelta(days=1))
    quiet = top_x_case(chair)
    f.ActionFactory(goal=f.GoalFactory(plan=quiet.plan), due_on=TODAY + dt.timedelta(days=3))
    hidden = f.CaseFactory(zvhru=True)  # another process director, ZVHRU not in the team
    job_run("exit_review")  # the nightly exit review flags ``exit_passed`` (escalation/reviews.py)
    return {
        "proposal": case,
        "aanmelding": aanmelding,
        "differs": differs,
        "exit": exit_passed,
        "overdue": overdue,
        "quiet": quiet,
        "hidden": hidden,
    }


def test_the_agenda_proposal_picks_each_source_and_nothing_else(chair, world):
    assert selectors.recommendation_for(world["quiet"]).recommended_tier == Tier.ZVHRU
    assert selectors.recommendation_for(world["exit"]).recommended_tier == Tier.ZVHRU
    assert selectors.agenda_candidates(chair) == {
        world["proposal"].pk: AgendaSource.PROPOSAL,
        world["aanmelding"].pk: AgendaSource.NIEUWE_AANMELDING,
        world["differs"].pk: AgendaSource.ADVIES_WIJKT_AF,
        world["exit"].pk: AgendaSource.UITSTROOM,
        world["overdue"].pk: AgendaSource.ACHTERSTALLIGE_ACTIES,
    }


def test_proposing_the_agenda_adds_the_candidates_once_in_order(chair, world):
    conference = conference_for(chair)
    items = services.agenda_propose(actor=chair, conference=conference)
    assert [item.order for item in items] == [1, 2, 3, 4, 5]
    assert services.agenda_propose(actor=chair, conference=conference) == []
    assert not conference.items.filter(case=world["hidden"]).exists()


def test_the_agenda_proposal_costs_the_same_queries_for_more_cases(chair, world, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        selectors.agenda_candidates(chair)
    for _ in range(4):
        extra = top_x_case(chair)
        f.ActionFactory(goal=f.GoalFactory(plan=extra.plan), due_on=TODAY - dt.timedelta(days=2))
        f.CaseFactory(zvhru=True, process_director=chair)
    with django_assert_max_num_queries(10):
        assert len(selectors.agenda_candidates(chair)) == 13


def test_only_the_chair_manages_the_agenda(chair, world, case_director):
    conference = conference_for(chair, attendees=[case_director])
    other_director = f.UserFactory(process_director=True)
    with pytest.raises(PermissionDenied):
        services.agenda_propose(actor=other_director, conference=conference)
    with pytest.raises(PermissionDenied):
        services.agenda_item_add(actor=case_director, conference=conference, case=world["quiet"])
    with pytest.raises(PermissionDenied):
        services.conference_create(actor=case_director, starts_at=timezone.now())


def test_the_chair_adds_reorders_and_removes_by_hand(chair, world):
    conference = conference_for(chair)
    first = services.agenda_item_add(actor=chair, conference=conference, case=world["quiet"])
    second = services.agenda_item_add(actor=chair, conference=conference, case=world["exit"])
    assert first.source == AgendaSource.HANDMATIG
    with pytest.raises(ValidationError):
        services.agenda_item_add(actor=chair, conference=conference, case=world["quiet"])
    with pytest.raises(PermissionDenied):
        services.agenda_item_add(actor=chair, conference=conference, case=world["hidden"])
    services.agenda_item_move(actor=chair, item=second, up=True)
    assert list(conference.items.values_list("case_id", flat=True)) == [world["exit"].pk, world["quiet"].pk]
    services.agenda_item_remove(actor=chair, item=first)
    assert list(conference.items.values_list("case_id", flat=True)) == [world["exit"].pk]


def test_each_attendee_sees_only_the_items_of_cases_they_may_see(chair, world, case_director, politie_user, outsider):
    conference = conference_for(chair, attendees=[case_director], organisations=[politie_user.organisation])
    services.agenda_propose(actor=chair, conference=conference)
    assert selectors.agenda_items_visible_to(chair, conference).count() == 5
    assert [i.case_id for i in selectors.agenda_items_visible_to(case_director, conference)] == [world["proposal"].pk]
    assert [i.case_id for i in selectors.agenda_items_visible_to(politie_user, conference)] == [world["proposal"].pk]
    assert selectors.conference_get(politie_user, conference.pk) == conference
    with pytest.raises(Http404):
        selectors.conference_get(outsider, conference.pk)
    with pytest.raises(Http404):
        selectors.conference_get(f.UserFactory(process_director=True), conference.pk)


def test_finalised_minutes_are_locked_and_take_only_addenda(chair, world):
    conference = conference_for(chair)
    item = services.agenda_item_add(actor=chair, conference=conference, case=world["quiet"])
    services.agenda_item_notes_update(actor=chair, item=item, notes="Gaat goed")
    with pytest.raises(ValidationError):
        services.conference_addendum_add(actor=chair, conference=conference, text="Te vroeg")
    services.conference_finalise(actor=chair, conference=conference)
    conference.refresh_from_db()
    assert conference.status == ConferenceStatus.AFGEROND and conference.finalised_by == chair
    for attempt in (
        lambda: services.agenda_item_notes_update(actor=chair, item=item, notes="Toch anders"),
        lambda: services.agenda_item_add(actor=chair, conference=conference, case=world["exit"]),
        lambda: services.agenda_item_remove(actor=chair, item=item),
        lambda: services.agenda_propose(actor=chair, conference=conference),
        lambda: services.conference_finalise(actor=chair, conference=conference),
        lambda: services.decision_make(
            actor=chair, case=world["quiet"], from_tier=Tier.ZVHRU, to_tier=Tier.LOKALE_PGA, rationale="x", conference=conference
        ),
    ):
        with pytest.raises(ValidationError):
            attempt()
    item.refresh_from_db()
    assert item.notes == "Gaat goed"
    addendum = services.conference_addendum_add(actor=chair, conference=conference, text="Nagekomen: woning gevonden")
    assert addendum.added_at.date() == timezone.now().date()
    with pytest.raises(PermissionDenied):
        services.conference_addendum_add(actor=f.UserFactory(process_director=True), conference=conference, text="x")


def test_a_decision_taken_on_an_item_links_the_conference(chair, world):
    conference = conference_for(chair)
    services.agenda_item_add(actor=chair, conference=conference, case=world["differs"])
    decision = services.decision_make(
        actor=chair,
        case=world["differs"],
        from_tier=Tier.ZVHRU,
        to_tier=Tier.LOKALE_PGA,
        rationale="Besproken: afschalen",
        conference=conference,
    )
    assert Decision.objects.get(pk=decision.pk).conference == conference
    with pytest.raises(ValidationError):  # not on the agenda
        services.decision_make(
            actor=chair, case=world["quiet"], from_tier=Tier.ZVHRU, to_tier=Tier.LOKALE_PGA, rationale="x", conference=conference
        )


def test_action_items_become_actions_in_the_case_plan(chair, world):
    conference = conference_for(chair)
    case = world["quiet"]
    item = services.agenda_item_add(actor=chair, conference=conference, case=case)
    due = TODAY + dt.timedelta(days=14)
    zvhru = f.organisation("zvhru")
    f.TeamMemberFactory(case=case, organisation=zvhru)
    fields = {"description": "Woning regelen", "owning_organisation": zvhru, "due_on": due, "kind": ActionKind.PERSPECTIEF_BIEDEN}
    action = services.agenda_action_add(actor=chair, item=item, leefgebied=Leefgebied.HUISVESTING, **fields)
    services.agenda_action_add(actor=chair, item=item, leefgebied=Leefgebied.HUISVESTING, **fields | {"description": "Nog een"})
    action = Action.objects.select_related("goal__plan").get(pk=action.pk)
    assert (action.goal.plan.case, action.goal.description, action.goal.leefgebied) == (
        case,
        services.CONFERENCE_GOAL,
        Leefgebied.HUISVESTING,
    )
    assert action.goal.actions.count() == 2 and item.actions.count() == 2
    with pytest.raises(ValidationError):  # owner not in the case team
        services.agenda_action_add(
            actor=chair, item=item, leefgebied=Leefgebied.HUISVESTING, **fields | {"owning_organisation": f.organisation("jou")}
        )
