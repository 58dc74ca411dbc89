"""The exhaustive authorisation matrix of the browser pages of one case (issue #4, "Tests"): the case
page, the family page, the casusoverleg page and every form page under the case × every role × every
relation (the subjects and the rich case of ``test_authorisation_matrix``). Each page answers with the
status the rules give, its HTML holds no unique value of a category the subject may not read, the
values it may read are there where the page is readable, and each request writes one access-log row.

The what-if pages (``proefberekeningen``) are not case pages: they run over the whole caseload and
show only cases the user sees (``tests/escalation/test_whatif.py``).
"""

import dataclasses
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from cases import access
from privacy.categories import Category
from privacy.models import Outcome

from .test_authorisation_matrix import (
    DIRECTOR_ROLES,
    JOURNAL_SECRETS,
    RELATIONS,
    ROLES,
    SECRETS,
    Subject,
    World,
    body,
    logged,
    probed_subjects,
    relations_of,
    signed_in,
)
from .test_authorisation_matrix import world as world

C = Category


@pytest.fixture(scope="module")
def browsers(world, django_db_blocker) -> Iterator[dict[Subject, Client]]:
    with django_db_blocker.unblock():
        yield {subject: signed_in(user, Client()) for subject, user in world.subjects.items()}


@dataclasses.dataclass(frozen=True)
class Page:
    """A GET page. ``act`` the relation's right a form page needs (403 without; ``None``: seeing is
    enough); ``needs`` categories a seeing subject must read (404 without: the page does not exist for
    them); ``shows`` the secrets the page holds for a full reader; ``markers`` bits of HTML per category."""

    name: str
    path: Callable[[World], str]
    act: Callable[[World, Subject], bool] | None = None
    needs: frozenset[Category] = frozenset()
    shows: tuple[str, ...] = ()
    markers: tuple[tuple[str, Category], ...] = ()
    case_scoped: bool = True
    relations: frozenset[str] = frozenset(RELATIONS)

    def __str__(self) -> str:
        return self.name

    def expected(self, world: World, subject: Subject) -> int:
        if not self.case_scoped:
            return 200
        if not subject.sees or not self.needs <= subject.reads:
            return 404
        if self.act is None:
            return 200
        if subject.relation == "btg":
            return 403  # read only
        return 200 if self.act(world, subject) else 403


def case_page(name: str, *args: Callable[[World], Any]) -> Callable[[World], str]:
    return lambda w: reverse(name, args=[w.case.pk, *(arg(w) for arg in args)])


def member(w: World, s: Subject) -> bool:
    return s.is_member


def directs(w: World, s: Subject) -> bool:
    return s.directs


def in_straf(w: World, s: Subject) -> bool:
    organisation = w.user(s).organisation
    return s.is_member and organisation is not None and organisation.domain == "straf"


def case_page_secrets() -> tuple[str, ...]:
    return (
        "surname",
        "offence",
        "detention",
        "assessment_note",
        "family_name",
        "goal",
        "action",
        "proposal",
        "decision",
        *JOURNAL_SECRETS,
    )


PAGES = [
    Page(
        "case",
        case_page("case_detail"),
        shows=case_page_secrets(),
        markers=(
            ('data-leefgebied="zorg"', C.ZORG),
            ('data-leefgebied="inkomen"', C.SOCIAAL),
            ("LVB", C.ZORG),
            ("Altrecht", C.ZORG),
        ),
    ),
    Page(
        "family",
        lambda w: reverse("family_detail", args=[w.family.pk]),
        needs=frozenset({C.NETWERK}),
        shows=("family_name", "surname"),
    ),
    Page(
        "conference",
        lambda w: reverse("conference_detail", args=[w.conference.pk]),
        shows=("surname", "agenda_notes"),
        case_scoped=False,
    ),
    Page("journal_add", case_page("journal_add"), member, shows=("surname",)),
    Page("offence_add", case_page("offence_add"), in_straf, shows=("surname",)),
    Page("detention_add", case_page("detention_add"), lambda w, s: in_straf(w, s) or s.directs, shows=("surname",)),
    Page(
        "detention_edit",
        case_page("detention_edit", lambda w: w.detention.pk),
        lambda w, s: in_straf(w, s) or s.directs,
        shows=("surname", "detention"),
    ),
    Page("assessment_add", case_page("assessment_add"), member, shows=("surname",)),
    Page("drug_network_edit", case_page("drug_network_edit"), in_straf, shows=("surname",)),
    Page("goal_add", case_page("goal_add"), directs, shows=("surname",)),
    Page("goal_edit", case_page("goal_edit", lambda w: w.goal.pk), directs, shows=("surname", "goal")),
    Page("action_add", case_page("action_add", lambda w: w.goal.pk), directs, shows=("surname",)),
    Page(
        "action_edit",
        case_page("action_edit", lambda w: w.action.pk),
        lambda w, s: s.directs or (s.is_member and w.user(s).organisation.code == "jou"),
        shows=("surname",),
    ),
    Page("team_add", case_page("team_add"), directs, shows=("surname",)),
    Page("case_direct", case_page("case_direct"), directs, shows=("surname",)),
    Page("person_edit", case_page("person_edit"), directs, shows=("surname",)),
    Page("family_add", case_page("family_add"), directs, shows=("surname",)),
    Page("proposal_add", case_page("proposal_add"), member, shows=("surname",)),
    Page(
        "decision_add",
        case_page("decision_add"),
        # The case director decides the moves within the local tiers; process directors those that touch ZVHRU.
        lambda w, s: s.is_member and (s.role == "process_director" or (s.role == "case_director" and s.directs)),
        shows=("surname",),
    ),
]


def check_page(world: World, client: Client, page: Page, subject: Subject) -> list[str]:
    expected = page.expected(world, subject)
    response, rows = logged(lambda: client.get(page.path(world)))
    text = body(response)
    if response.status_code != expected:
        return [f"{subject}: {response.status_code} instead of {expected}"]
    failures = []
    leaked = [s.name for s in SECRETS.values() if not s.readable_by(subject) and s.text in text]
    if leaked:
        failures.append(f"{subject}: forbidden values {leaked}")
    readable = expected == 200 and subject.sees
    missing = [n for n in page.shows if readable and SECRETS[n].readable_by(subject) and SECRETS[n].text not in text]
    if missing:
        failures.append(f"{subject}: permitted values missing {missing}")
    for marker, category in page.markers:
        if (marker in text) is not (readable and category in subject.reads):
            failures.append(f"{subject}: {marker!r} {'shown' if marker in text else 'absent'}")
    if len(rows) != 1:
        failures.append(f"{subject}: {len(rows)} access-log rows instead of 1")
    elif rows:
        if rows[0].outcome != (Outcome.ALLOWED if expected == 200 else Outcome.DENIED):
            failures.append(f"{subject}: log row {rows[0].outcome}")
        # Case pages mark an emergency read; the casusoverleg page (and its API) do not yet: a known gap.
        if subject.relation == "btg" and subject.sees and expected == 200 and page.case_scoped and not rows[0].break_the_glass:
            failures.append(f"{subject}: the emergency read is not marked in the log")
    return failures


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES, ids=str)
@pytest.mark.parametrize("page", PAGES, ids=str)
def test_page(world, browsers, page: Page, role: str):
    """Every relation of ``role`` to the case opens ``page``: status, HTML both ways, access log."""
    # Form pages (an ``act``) meet the outsiders with the same ``case_get`` 404 as the case page: probe them.
    everyone = relations_of(role) if page.act is None else probed_subjects(role)
    subjects = [subject for subject in everyone if subject.relation in page.relations]
    failures = [failure for subject in subjects for failure in check_page(world, browsers[subject], page, subject)]

    assert not failures, "\n".join(failures)


@pytest.mark.django_db
def test_the_form_rules_are_the_relation_table(world):
    """The expectations above restate ``cases.access``: check them against it for every subject."""
    acts = {
        "journal_add": access.Act.WRITE_JOURNAL,
        "offence_add": access.Act.RECORD_OFFENCE,
        "detention_add": access.Act.RECORD_DETENTION,
        "goal_add": access.Act.EDIT_PLAN,
        "team_add": access.Act.MANAGE_TEAM,
        "person_edit": access.Act.UPDATE_PERSON,
        "family_add": access.Act.MANAGE_FAMILY,
    }
    pages = {page.name: page for page in PAGES}
    for subject, user in world.subjects.items():
        if not subject.sees:
            continue
        relation = access.relation(user, world.case)
        assert relation.break_the_glass is (subject.relation == "btg"), subject
        for name, act in acts.items():
            assert (pages[name].expected(world, subject) == 200) is access.allowed(relation, act), (subject, name)
    assert {s.role for s in world.subjects if s.relation == "btg" and s.sees} == set(DIRECTOR_ROLES)
