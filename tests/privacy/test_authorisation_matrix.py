"""The exhaustive authorisation matrix of the API (issue #4, "Tests"): every read route of one rich case ×
every role × every relation to that case, asserting the status code *and* the body — no unique value
of a category the subject may not read appears anywhere in it, while the values it may read do appear
where the resource is readable (so each assertion can fail both ways). Writes: outsiders get 404, a
member without the right 403, and nothing is saved. Every request that reads personal data or is
refused writes exactly one access-log row (denied for 403/404; marked for an emergency read).

The world (``build_world``) is built once per module and rolled back afterwards: one case with an
offence, a detention, an assessment, journal entries of every category, a family, a goal and action, a
proposal, a decision, a conference agenda item, and Politie (straf), Altrecht (zorg), JoU (sociaal) and
the ZVHRU (regie) in its team. Subjects are generated: role × relation (``SUBJECTS``).

Expectations come from the rules as written down, not from the code under test: ``READS`` is the
default matrix of ``privacy/migrations/0002_default_matrix.py`` (checked against
``privacy.policy.disclosure_for`` in ``test_the_expected_reads_are_the_default_matrix``).
``tests/api/test_case_resources.py`` is the route × role matrix for three members and the happy
paths; this module adds the relations, the bodies and the access log.
"""

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from rest_framework.test import APIClient

from cases.models import (
    Action,
    Assessment,
    Case,
    CaseTeamMember,
    Detention,
    Family,
    FamilyMembership,
    Goal,
    JournalEntry,
    Offence,
    Person,
)
from escalation import services as escalation_services
from escalation.models import AgendaItem, CaseConference, Decision, Proposal
from partners.models import Role, User
from privacy import grants, policy
from privacy.categories import Category
from privacy.models import AccessLogEntry, Outcome
from tests import factories as f

API = "/api/v1"
C = Category
TODAY = timezone.localdate()
YESTERDAY = TODAY - dt.timedelta(days=1)
BTG_REASON = "Acute dreiging gemeld door de politie; de regisseur is onbereikbaar."

# --- The rules, as written down ------------------------------------------------------------------

ALL = frozenset(Category)
READS: dict[str, frozenset[Category]] = {
    "case_director": ALL,
    "process_director": ALL,
    "partner_straf": frozenset({C.IDENTIFICATIE, C.JUSTITIEEL, C.PLAN, C.NETWERK}),
    "partner_zorg": frozenset({C.IDENTIFICATIE, C.ZORG, C.PLAN}),
    "partner_sociaal": frozenset({C.IDENTIFICATIE, C.SOCIAAL, C.PLAN}),
    "partner_regie": frozenset({C.IDENTIFICATIE, C.PLAN}),
    "administrator": frozenset(),
    "privacy_officer": frozenset(),
}
"""Categories each role reads in full under the default matrix (DOMAIN.md §8)."""

KENMERK: dict[str, frozenset[Category]] = {"partner_straf": frozenset({C.ZORG}), "partner_zorg": frozenset({C.JUSTITIEEL})}
"""Categories of which a role sees only the characteristic (care involved / date of the last offence)."""

WRITES: dict[str, frozenset[Category]] = {
    "case_director": ALL,
    "process_director": ALL,
    "partner_straf": frozenset({C.JUSTITIEEL, C.PLAN}),  # identificatie and netwerk: read only
    "partner_zorg": frozenset({C.ZORG, C.PLAN}),
    "partner_sociaal": frozenset({C.SOCIAAL, C.PLAN}),
    "partner_regie": frozenset({C.PLAN}),
    "administrator": frozenset(),
    "privacy_officer": frozenset(),
}
"""Categories each role writes (``lezen en schrijven``) under the default matrix."""

# role: (user factory kwargs, organisation when in the team, organisation when not)
ROLES: dict[str, tuple[dict[str, Any], str, str]] = {
    "case_director": ({"role": Role.CASE_DIRECTOR}, "zvhru", "gemeente-utrecht"),
    "process_director": ({"role": Role.PROCESS_DIRECTOR}, "zvhru", "gemeente-utrecht"),
    "partner_straf": ({"role": Role.PARTNER}, "politie-midden-nederland", "openbaar-ministerie"),
    "partner_zorg": ({"role": Role.PARTNER}, "altrecht", "inforsa"),
    "partner_sociaal": ({"role": Role.PARTNER}, "jou", "buurtteams"),
    "partner_regie": ({"role": Role.PARTNER}, "zvhru", "gemeente-utrecht"),
    "administrator": ({"role": Role.ADMINISTRATOR}, "politie-midden-nederland", "gemeente-utrecht"),
    "privacy_officer": ({"role": Role.PRIVACY_OFFICER}, "politie-midden-nederland", "gemeente-utrecht"),
}
IN_TEAM = ("politie-midden-nederland", "altrecht", "jou", "zvhru")
DIRECTOR_ROLES = ("case_director", "process_director")
RELATIONS = ("directs", "named", "organisation", "former", "outsider", "btg")


@dataclasses.dataclass(frozen=True)
class Subject:
    role: str
    relation: str

    def __str__(self) -> str:
        return f"{self.role}-{self.relation}"

    @property
    def sees(self) -> bool:
        """Sees the case at all: a case worker who directs it, is in its team today (by name or
        organisation) or holds an emergency grant. Administrators and privacy officers never."""
        if self.role in ("administrator", "privacy_officer"):
            return False
        if self.relation == "btg":
            return self.role in DIRECTOR_ROLES
        return self.relation in ("directs", "named", "organisation")

    @property
    def is_member(self) -> bool:
        return self.sees and self.relation != "btg"

    @property
    def directs(self) -> bool:
        return self.relation == "directs"

    @property
    def reads(self) -> frozenset[Category]:
        return READS[self.role] if self.sees else frozenset()

    def writes(self, category: Category) -> bool:
        return self.is_member and category in WRITES[self.role]


SUBJECTS = [
    Subject(role, relation)
    for role in ROLES
    for relation in RELATIONS
    # Only directors direct a case or take emergency access; the others' refused attempt leaves them
    # outsiders exactly (``test_only_directors_take_emergency_access``), so the matrix does not repeat them.
    if relation not in ("directs", "btg") or role in DIRECTOR_ROLES
]


# --- Unique values per category ------------------------------------------------------------------

SURNAME = "Zwaluwenburg"
OFFENCE_TEXT = "Ramkraak bij juwelier Zilverpand met een gestolen busje"
INSTITUTION = "PI Uniekerveen"
ASSESSMENT_NOTE = "Slaapt in een kraakpand en slikt geen medicatie meer"
ASSESSMENT_NOTE_NEEDS = frozenset({C.ZORG, C.SOCIAAL, C.PLAN})
FAMILY_NAME = "Familie Kwartelkoning"
FAMILY_JUSTIFICATION = "Neef van de hoofdverdachte in het Kwartelonderzoek"
GOAL_TEXT = "Binnen drie maanden een vaste dagbesteding bij de kringloop"
ACTION_TEXT = "Intake bij de kringloopwinkel Tweedekans plannen"
PROPOSAL_TEXT = "Voorstel: drie inbraken in de Uniekstraat in één maand"
DECISION_TEXT = "Besluit: de psychiatrische behandeling bij Altrecht gaat voor"
AGENDA_NOTES = "Overleg: schuldhulp bij de Kredietbank loopt vast"
CONFERENCE_NOTES_CATEGORY = C.SOCIAAL


def journal_text(category: Category) -> str:
    return f"Journaalnotitie uniek in de categorie {category.value}, kenmerk 7Q{category.value[:3].upper()}"


@dataclasses.dataclass(frozen=True)
class Secret:
    """A unique value in the world and the categories one must read (all of them) to see it."""

    name: str
    text: str
    needs: frozenset[Category]

    def readable_by(self, subject: Subject) -> bool:
        return self.needs <= subject.reads


def _secrets() -> dict[str, Secret]:
    rows = [
        Secret("surname", SURNAME, frozenset({C.IDENTIFICATIE})),
        Secret("offence", OFFENCE_TEXT, frozenset({C.JUSTITIEEL})),
        Secret("offence_label", "Sr 310", frozenset({C.JUSTITIEEL})),  # its type as the advice names it
        Secret("detention", INSTITUTION, frozenset({C.JUSTITIEEL})),
        Secret("assessment_note", ASSESSMENT_NOTE, ASSESSMENT_NOTE_NEEDS),
        Secret("family_name", FAMILY_NAME, frozenset({C.NETWERK})),
        Secret("family_justification", FAMILY_JUSTIFICATION, frozenset({C.NETWERK})),
        Secret("goal", GOAL_TEXT, frozenset({C.PLAN})),
        Secret("action", ACTION_TEXT, frozenset({C.PLAN})),
        Secret("proposal", PROPOSAL_TEXT, frozenset({C.JUSTITIEEL})),
        Secret("decision", DECISION_TEXT, frozenset({C.ZORG})),
        Secret("agenda_notes", AGENDA_NOTES, frozenset({CONFERENCE_NOTES_CATEGORY})),
    ]
    rows += [Secret(f"journal_{c.value}", journal_text(c), frozenset({c})) for c in Category]
    return {row.name: row for row in rows}


SECRETS = _secrets()
JOURNAL_SECRETS = tuple(f"journal_{c.value}" for c in Category)


# --- The world -----------------------------------------------------------------------------------


@dataclasses.dataclass
class World:
    case: Case
    other_case: Case
    offence: Offence
    detention: Detention
    goal: Goal
    action: Action
    assessment: Assessment
    journal: dict[Category, JournalEntry]
    team_entry: CaseTeamMember  # Politie's
    zorg_team_entry: CaseTeamMember  # Altrecht's: only for zorg readers
    family: Family
    proposal: Proposal
    decision: Decision
    conference: CaseConference
    agenda_item: AgendaItem
    director: User  # directs the case
    subjects: dict[Subject, User]
    btg_refused: dict[Subject, str]  # the message a non-director got when taking emergency access

    def url(self, *parts: object) -> str:
        return "/".join([API, "cases", str(self.case.pk), *map(str, parts)]) + "/"

    def user(self, subject: Subject) -> User:
        return self.subjects[subject]

    @property
    def users(self) -> dict[str, User]:
        return {str(subject): user for subject, user in self.subjects.items()}


def _user(role: str, organisation: str) -> User:
    kwargs, _, _ = ROLES[role]
    return f.UserFactory(organisation=f.organisation(organisation), **kwargs)


def build_world() -> World:
    """The rich case, its neighbours and one user per subject (see the module docstring)."""
    subjects: dict[Subject, User] = {}
    director = f.UserFactory(case_director=True, username="matrix-regisseur")
    process_director = f.UserFactory(process_director=True, username="matrix-procesregisseur")
    person = f.PersonFactory(surname=SURNAME, lvb=True)
    case = f.CaseFactory(lokale_pga=True, person=person, case_director=director, process_director=process_director)
    Case.objects.filter(pk=case.pk).update(drug_network_indication="ja")
    case.refresh_from_db()
    subjects[Subject("case_director", "directs")] = director
    subjects[Subject("process_director", "directs")] = process_director

    entries = {code: f.TeamMemberFactory(case=case, organisation=f.organisation(code), added_by=director) for code in IN_TEAM}
    for role, (_, inside, outside) in ROLES.items():
        subjects[Subject(role, "organisation")] = _user(role, inside)
        subjects[Subject(role, "outsider")] = _user(role, outside)
        subjects[Subject(role, "btg")] = _user(role, outside)
        for relation, ends_on in (("named", None), ("former", YESTERDAY)):
            # Named by the service while a case worker; an administrator or privacy officer got that role later.
            user = _user("partner_regie" if role in ("administrator", "privacy_officer") else role, outside)
            f.TeamMemberFactory(case=case, user=user, added_by=director, ends_on=ends_on)
            if role in ("administrator", "privacy_officer"):
                User.objects.filter(pk=user.pk).update(role=ROLES[role][0]["role"])
                user.refresh_from_db()
            subjects[Subject(role, relation)] = user
    grants.case_permissions_sync(case)

    btg_refused: dict[Subject, str] = {}
    for role in ROLES:
        subject = Subject(role, "btg")
        try:
            grants.break_the_glass(actor=subjects[subject], case=case, reason=BTG_REASON)
        except PermissionDenied as refused:
            btg_refused[subject] = str(refused)

    offence = f.OffenceFactory(
        case=case, description=OFFENCE_TEXT, recorded_by=subjects[Subject("partner_straf", "organisation")]
    )
    detention = f.DetentionFactory(case=case, institution=INSTITUTION)
    assessment = f.AssessmentFactory(case=case, zorg=1, inkomen=5, note=ASSESSMENT_NOTE, assessed_by=director)
    journal = {
        category: f.JournalEntryFactory(case=case, author=director, category=category, text=journal_text(category))
        for category in Category
    }
    family = Family.objects.create(name=FAMILY_NAME)
    FamilyMembership.objects.create(
        family=family, person=person, role="kind", justification=FAMILY_JUSTIFICATION, added_by=director
    )
    goal = f.GoalFactory(plan=case.plan, description=GOAL_TEXT, created_by=director)
    action = f.ActionFactory(goal=goal, description=ACTION_TEXT, owning_organisation=f.organisation("jou"), created_by=director)
    proposal = escalation_services.proposal_create(
        actor=subjects[Subject("partner_straf", "organisation")],
        case=case,
        to_tier="basisinzet",
        rationale=PROPOSAL_TEXT,
        rationale_category=C.JUSTITIEEL,
    )
    decision = Decision.objects.create(
        case=case,
        kind="tier",
        from_tier=case.tier,
        to_tier="basisinzet",
        from_status=case.status,
        rationale=DECISION_TEXT,
        rationale_category=C.ZORG,
        decided_by=director,
        decided_by_role=director.role,
        decided_by_organisation=director.organisation,
    )
    organisations = {user.organisation for user in subjects.values() if user.organisation is not None}
    conference = escalation_services.conference_create(
        actor=process_director, starts_at=timezone.now() + dt.timedelta(days=2), organisations=sorted(organisations, key=str)
    )
    agenda_item = escalation_services.agenda_item_add(actor=process_director, conference=conference, case=case)
    escalation_services.agenda_item_notes_update(
        actor=process_director, item=agenda_item, notes=AGENDA_NOTES, notes_category=CONFERENCE_NOTES_CATEGORY
    )

    other_case = f.CaseFactory(lokale_pga=True)
    f.TeamMemberFactory(case=other_case, organisation=f.organisation("altrecht"), added_by=other_case.case_director)
    case.refresh_from_db()
    return World(
        case=case,
        other_case=other_case,
        offence=offence,
        detention=detention,
        goal=goal,
        action=action,
        assessment=assessment,
        journal=journal,
        team_entry=entries["politie-midden-nederland"],
        zorg_team_entry=entries["altrecht"],
        family=family,
        proposal=proposal,
        decision=decision,
        conference=conference,
        agenda_item=agenda_item,
        director=director,
        subjects=subjects,
        btg_refused=btg_refused,
    )


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> Iterator[World]:
    """Built once for the module inside a transaction that is rolled back afterwards; each test runs
    in its own savepoint (the ``db`` fixture), so a write a test makes is gone before the next."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


def signed_in(user: User, client: Any = None) -> Any:
    """A client with a session for ``user``; administrators and privacy officers get the second factor
    as ``tests/conftest.py`` gives it (``force_login`` skips authentication altogether)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from partners.otp import needs_second_factor

    client = client or APIClient()
    client.force_login(user)
    if needs_second_factor(user):
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        device = device or TOTPDevice.objects.create(user=user, name="test", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


@pytest.fixture(scope="module")
def clients(world, django_db_blocker) -> dict[Subject, APIClient]:
    """One signed-in API client per subject, for the whole module (sessions live in the module's transaction)."""
    with django_db_blocker.unblock():
        return {subject: signed_in(user) for subject, user in world.subjects.items()}


def logged(call: Callable[[], Any]) -> tuple[Any, list[AccessLogEntry]]:
    """Make one request and return it with the access-log rows it wrote."""
    last = AccessLogEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    response = call()
    return response, list(AccessLogEntry.objects.filter(pk__gt=last).order_by("pk"))


def body(response: Any) -> str:
    return response.content.decode()


def assert_no_forbidden_values(text: str, subject: Subject, where: str) -> None:
    leaked = [secret.name for secret in SECRETS.values() if not secret.readable_by(subject) and secret.text in text]
    assert not leaked, f"{subject} saw {leaked} in {where}"


# --- Who may do what: the rules -------------------------------------------------------------------


@pytest.mark.django_db
def test_the_expected_reads_are_the_default_matrix(world):
    """``READS``/``KENMERK``/``WRITES`` above are what ``privacy.policy`` makes of matrix v1."""
    from privacy.categories import Access

    for subject, user in world.subjects.items():
        if subject.relation != "organisation":
            continue
        disclosure = policy.disclosure_for(User.objects.get(pk=user.pk))
        assert disclosure.readable == READS[subject.role], subject
        kenmerk = {c for c in Category if disclosure.level(c) == Access.KENMERK}
        assert kenmerk == KENMERK.get(subject.role, frozenset()), subject
        assert {c for c in Category if disclosure.writes(c)} == WRITES[subject.role], subject


@pytest.mark.django_db
def test_only_directors_take_emergency_access(world):
    """Partners, administrators and privacy officers are refused; nothing of the attempt gives them
    access — no grant, no permission row, 404 on the case in the API and the browser, no review."""
    from django.test import Client
    from django.urls import reverse

    from privacy.models import BreakTheGlassGrant, CaseUserObjectPermission, PrivacyReview

    takers = set(BreakTheGlassGrant.objects.filter(case=world.case).values_list("user_id", flat=True))
    assert takers == {world.user(Subject(role, "btg")).pk for role in DIRECTOR_ROLES}
    assert PrivacyReview.objects.filter(grant__case=world.case).count() == len(DIRECTOR_ROLES)
    assert set(world.btg_refused) == {Subject(role, "btg") for role in ROLES if role not in DIRECTOR_ROLES}
    for subject, message in world.btg_refused.items():
        user = world.user(subject)
        assert "casusregisseurs en procesregisseurs" in message
        assert not CaseUserObjectPermission.objects.filter(user=user, content_object=world.case).exists()
        assert signed_in(user).get(world.url()).status_code == 404, subject
        assert signed_in(user, Client()).get(reverse("case_detail", args=[world.case.pk])).status_code == 404, subject


# --- Reads ---------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Read:
    """A GET route: ``needs`` the categories a seeing subject must read for 200 (else 403, or 404 with
    ``hidden=True`` — a row of a category one may not read does not exist for them); ``shows`` the
    secrets its body holds for a full reader; ``markers`` keys of the body with their category."""

    name: str
    path: Callable[[World], str]
    needs: frozenset[Category] = frozenset()
    shows: tuple[str, ...] = ()
    markers: tuple[tuple[str, Category], ...] = ()
    hidden: bool = False  # 404 instead of 403 when ``needs`` is not met
    case_scoped: bool = True  # 404 for whoever does not see the case; else a list that leaves the case out
    listed_id: Callable[[World], str] | None = None  # lists: the id that shows the case is in it
    lists_btg: bool = False  # lists: whether an emergency grant puts the case in it

    def __str__(self) -> str:
        return self.name

    def expected(self, subject: Subject) -> int:
        if self.case_scoped and not subject.sees:
            return 404
        if not self.needs <= subject.reads and self.case_scoped:
            return 404 if self.hidden else 403
        return 200


JUST_KEYS = (('"drug_network_indication"', C.JUSTITIEEL), ('"earliest_exit_on"', C.JUSTITIEEL), ('"in_detention"', C.JUSTITIEEL))
LVB = (('"lvb"', C.ZORG),)
SCORES = (('"zorg":', C.ZORG), ('"inkomen":', C.SOCIAAL), ('"huisvesting":', C.SOCIAAL))


def _person(w: World) -> str:
    return f"{API}/persons/{w.case.person_id}/"


READS_ROUTES = [
    Read("case", lambda w: w.url(), markers=JUST_KEYS),
    Read("person", _person, shows=("surname",), markers=LVB),
    Read("offences", lambda w: w.url("offences"), frozenset({C.JUSTITIEEL}), shows=("offence",)),
    Read("offence", lambda w: w.url("offences", w.offence.pk), frozenset({C.JUSTITIEEL}), shows=("offence",)),
    Read("detentions", lambda w: w.url("detentions"), frozenset({C.JUSTITIEEL}), shows=("detention",)),
    Read("detention", lambda w: w.url("detentions", w.detention.pk), frozenset({C.JUSTITIEEL}), shows=("detention",)),
    Read("goals", lambda w: w.url("goals"), frozenset({C.PLAN}), shows=("goal",)),
    Read("goal", lambda w: w.url("goals", w.goal.pk), frozenset({C.PLAN}), shows=("goal",)),
    Read("actions", lambda w: w.url("actions"), frozenset({C.PLAN}), shows=("action",)),
    Read("action", lambda w: w.url("actions", w.action.pk), frozenset({C.PLAN}), shows=("action",)),
    Read("assessments", lambda w: w.url("assessments"), shows=("assessment_note",), markers=SCORES),
    Read("assessment", lambda w: w.url("assessments", w.assessment.pk), shows=("assessment_note",), markers=SCORES),
    Read("journal", lambda w: w.url("journal"), shows=JOURNAL_SECRETS),
    *(
        Read(
            f"journal-entry-{c.value}",
            lambda w, c=c: w.url("journal", w.journal[c].pk),
            frozenset({c}),
            (f"journal_{c.value}",),
            hidden=True,
        )
        for c in Category
    ),
    Read("team", lambda w: w.url("team"), frozenset({C.PLAN}), markers=(('"altrecht"', C.ZORG), ('"jou"', C.PLAN))),
    Read(
        "team-entry-politie",
        lambda w: w.url("team", w.team_entry.pk),
        frozenset({C.PLAN}),
        markers=(('"politie-midden-nederland"', C.PLAN),),
    ),
    Read(
        "team-entry-altrecht",
        lambda w: w.url("team", w.zorg_team_entry.pk),
        frozenset({C.ZORG}),
        markers=(('"altrecht"', C.ZORG),),
        hidden=True,
    ),
    Read("recommendation", lambda w: w.url("recommendation"), shows=("offence_label", "family_name")),
    Read("proposals", lambda w: w.url("proposals"), shows=("proposal",)),
    Read("decisions", lambda w: w.url("decisions"), shows=("decision",)),
    Read("cases-list", lambda w: f"{API}/cases/", case_scoped=False, markers=JUST_KEYS, listed_id=lambda w: str(w.case.pk)),
    Read(
        "persons-list",
        lambda w: f"{API}/persons/",
        shows=("surname",),
        case_scoped=False,
        markers=LVB,
        listed_id=lambda w: str(w.case.person_id),  # like the caseload: not persons read in an emergency
    ),
    Read("conferences", lambda w: f"{API}/conferences/", case_scoped=False),
    Read(
        "conference-items",
        lambda w: f"{API}/conferences/{w.conference.pk}/items/",
        shows=("agenda_notes",),
        case_scoped=False,
        listed_id=lambda w: str(w.case.pk),
        lists_btg=True,
    ),
]


def relations_of(role: str) -> list[Subject]:
    return [subject for subject in SUBJECTS if subject.role == role]


def check_read(world: World, client: Any, route: Read, subject: Subject) -> list[str]:
    """The failures of one read by one subject (empty when the route behaves by the rules)."""
    expected = route.expected(subject)
    response, rows = logged(lambda: client.get(route.path(world)))
    text = body(response)
    if response.status_code != expected:
        return [f"{subject}: {response.status_code} instead of {expected}: {text[:200]}"]
    failures = []
    leaked = [s.name for s in SECRETS.values() if not s.readable_by(subject) and s.text in text]
    if leaked:
        failures.append(f"{subject}: forbidden values {leaked}")
    # Lists leave out the cases one does not see, and emergency cases (they are not a caseload).
    listed = expected == 200 and (subject.sees if route.case_scoped else (subject.sees and route.lists_btg) or subject.is_member)
    missing = [n for n in route.shows if listed and SECRETS[n].readable_by(subject) and SECRETS[n].text not in text]
    if missing:
        failures.append(f"{subject}: permitted values missing {missing}")
    for marker, category in route.markers:
        if (marker in text) is not (listed and category in subject.reads):
            failures.append(f"{subject}: {marker} {'shown' if marker in text else 'absent'}")
    if route.listed_id is not None and (route.listed_id(world) in text) is not listed:
        failures.append(f"{subject}: the case is {'' if listed else 'not '}expected in the list")
    # One access-log row per request that reads personal data or is refused; an empty list reads none.
    wanted_rows = 0 if expected == 200 and not route.case_scoped and '"count":0' in text else 1
    if route.name == "conferences":
        wanted_rows = 0  # dates and chairs: no personal data of a case
    if len(rows) != wanted_rows:
        failures.append(f"{subject}: {len(rows)} access-log rows instead of {wanted_rows}")
    elif rows:
        row = rows[0]
        if row.outcome != (Outcome.ALLOWED if expected == 200 else Outcome.DENIED) or row.user_id != world.user(subject).pk:
            failures.append(f"{subject}: log row {row.outcome} for user {row.user_id}")
        if subject.relation == "btg" and subject.sees and route.case_scoped and not row.break_the_glass:
            failures.append(f"{subject}: the emergency read is not marked in the log")
    return failures


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES, ids=str)
@pytest.mark.parametrize("route", READS_ROUTES, ids=str)
def test_read(world, clients, route: Read, role: str):
    """Every relation of ``role`` to the case reads ``route``: status, body both ways, access log."""
    failures = [failure for subject in relations_of(role) for failure in check_read(world, clients[subject], route, subject)]

    assert not failures, "\n".join(failures)


# --- Writes --------------------------------------------------------------------------------------


def _org(world: World, subject: Subject) -> str:
    organisation = world.user(subject).organisation
    return organisation.code if organisation is not None else ""


@dataclasses.dataclass(frozen=True)
class Write:
    """A write route: ``allowed`` says from the rules whether a subject that sees the case may make it;
    ``state`` reads what the write would change, to compare before and after."""

    name: str
    method: str
    path: Callable[[World], str]
    payload: Callable[[World], dict[str, Any]]
    allowed: Callable[[World, Subject], bool]
    state: Callable[[World], Any]
    success: int = 201

    def __str__(self) -> str:
        return f"{self.method} {self.name}"

    def expected(self, world: World, subject: Subject) -> int:
        if not subject.sees:
            return 404
        if subject.relation == "btg":
            return 403  # emergency access is read only
        return self.success if self.allowed(world, subject) else 403


def days_ago(days: int) -> str:
    return (TODAY - dt.timedelta(days=days)).isoformat()


def member_writing(*categories: Category) -> Callable[[World, Subject], bool]:
    return lambda w, s: s.is_member and all(s.writes(c) for c in categories)


def director_writing(*categories: Category) -> Callable[[World, Subject], bool]:
    return lambda w, s: s.directs and all(s.writes(c) for c in categories)


def straf_or_director(w: World, s: Subject) -> bool:
    return s.is_member and (s.role == "partner_straf" or s.directs) and s.writes(C.JUSTITIEEL)


def count(model: type, **filters: Any) -> Callable[[World], int]:
    return lambda w: model.objects.filter(**{key: value(w) for key, value in filters.items()}).count()


def field(model: type, attribute: str, name: str) -> Callable[[World], Any]:
    return lambda w: model.objects.filter(pk=getattr(w, attribute).pk).values_list(name, flat=True).get()


def case_of(w: World) -> Case:
    return w.case


WRITE_ROUTES = [
    Write(
        "case",
        "PATCH",
        lambda w: w.url(),
        lambda w: {"target_group": "top_x"},
        director_writing(C.PLAN),
        field(Case, "case", "target_group"),
        200,
    ),
    Write(
        "person",
        "PATCH",
        lambda w: f"{API}/persons/{w.case.person_id}/",
        lambda w: {"lvb": False},
        director_writing(C.ZORG),
        lambda w: Person.objects.get(pk=w.case.person_id).lvb,
        200,
    ),
    Write(
        "offences",
        "POST",
        lambda w: w.url("offences"),
        lambda w: {"committed_on": days_ago(5), "offence_type": "sr-312", "description": "Nieuw delict"},
        lambda w, s: s.is_member and s.role == "partner_straf" and s.writes(C.JUSTITIEEL),
        count(Offence, case=case_of),
    ),
    Write(
        "offence",
        "PATCH",
        lambda w: w.url("offences", w.offence.pk),
        lambda w: {"outcome": "sepot"},
        lambda w, s: s.is_member and _org(w, s) == "politie-midden-nederland" and s.writes(C.JUSTITIEEL),
        field(Offence, "offence", "outcome"),
        200,
    ),
    Write(
        "detentions",
        "POST",
        lambda w: w.url("detentions"),
        lambda w: {"institution": "PI Vught", "started_on": days_ago(3)},
        straf_or_director,
        count(Detention, case=case_of),
    ),
    Write(
        "detention",
        "PATCH",
        lambda w: w.url("detentions", w.detention.pk),
        lambda w: {"institution": "Elders"},
        straf_or_director,
        field(Detention, "detention", "institution"),
        200,
    ),
    Write(
        "goals",
        "POST",
        lambda w: w.url("goals"),
        lambda w: {"leefgebied": "inkomen", "description": "Schuldenplan"},
        director_writing(C.PLAN),
        count(Goal, plan__case=case_of),
    ),
    Write(
        "goal",
        "PATCH",
        lambda w: w.url("goals", w.goal.pk),
        lambda w: {"achieved": True},
        director_writing(C.PLAN),
        field(Goal, "goal", "achieved"),
        200,
    ),
    Write(
        "actions",
        "POST",
        lambda w: w.url("actions"),
        lambda w: {
            "goal": str(w.goal.pk),
            "description": "Buddy zoeken",
            "owning_organisation": "jou",
            "kind": "perspectief_bieden",
        },
        director_writing(C.PLAN),
        count(Action, goal__plan__case=case_of),
    ),
    Write(
        "action",
        "PATCH",
        lambda w: w.url("actions", w.action.pk),
        lambda w: {"status": "lopend"},
        lambda w, s: s.is_member and (s.directs or _org(w, s) == "jou") and s.writes(C.PLAN),
        field(Action, "action", "status"),
        200,
    ),
    Write(
        "assessments",
        "POST",
        lambda w: w.url("assessments"),
        lambda w: {"dagbesteding": 3, "zorg": 2, "huisvesting": 4, "identiteitsbewijs": 5, "inkomen": 1, "motivatie": 2},
        member_writing(C.ZORG, C.SOCIAAL, C.PLAN),
        count(Assessment, case=case_of),
    ),
    Write(
        "journal",
        "POST",
        lambda w: w.url("journal"),
        lambda w: {"text": "Contactmoment", "kind": "contact"},
        member_writing(C.PLAN),
        count(JournalEntry, case=case_of),
    ),
    *(
        Write(
            f"journal-{c.value}",
            "POST",
            lambda w, c=c: w.url("journal"),
            lambda w, c=c: {"text": "Vertrouwelijk", "category": c.value},
            member_writing(c),
            count(JournalEntry, case=case_of),
        )
        for c in (C.JUSTITIEEL, C.ZORG, C.SOCIAAL, C.NETWERK)
    ),
    Write(
        "team",
        "POST",
        lambda w: w.url("team"),
        lambda w: {"organisation": "lister"},
        director_writing(C.PLAN),
        count(CaseTeamMember, case=case_of),
    ),
    Write(
        "team-entry",
        "DELETE",
        lambda w: w.url("team", w.team_entry.pk),
        lambda w: {},
        director_writing(C.PLAN),
        field(CaseTeamMember, "team_entry", "ends_on"),
        204,
    ),
    Write(
        "proposals",
        "POST",
        lambda w: w.url("proposals"),
        lambda w: {"to_tier": "zvhru", "rationale": "Meer regie nodig", "rationale_category": "plan"},
        member_writing(C.PLAN),
        count(Proposal, case=case_of),
    ),
    Write(
        "decisions",
        "POST",
        lambda w: w.url("decisions"),
        lambda w: {
            "from_tier": "lokale_pga",
            "to_tier": "basisinzet",
            "rationale": "Gaat goed",
            "override_reason": "Eigen oordeel",
        },
        lambda w, s: s.directs and s.role == "case_director",
        count(Decision, case=case_of),
    ),
]


def check_write(world: World, client: Any, route: Write, subject: Subject) -> list[str]:
    expected = route.expected(world, subject)
    sid = transaction.savepoint()
    try:
        before = route.state(world)
        response, rows = logged(
            lambda: getattr(client, route.method.lower())(route.path(world), route.payload(world), format="json")
        )
        after = route.state(world)
    finally:
        transaction.savepoint_rollback(sid)
    text = body(response)
    if response.status_code != expected:
        return [f"{subject}: {response.status_code} instead of {expected}: {text[:200]}"]
    failures = []
    if (after != before) is not (expected == route.success):
        failures.append(f"{subject}: {'saved' if after != before else 'nothing saved'} ({before!r} → {after!r})")
    leaked = [s.name for s in SECRETS.values() if not s.readable_by(subject) and s.text in text]
    if leaked:
        failures.append(f"{subject}: forbidden values {leaked}")
    if len(rows) != 1:
        failures.append(f"{subject}: {len(rows)} access-log rows instead of 1")
    elif rows[0].outcome != (Outcome.ALLOWED if expected == route.success else Outcome.DENIED):
        failures.append(f"{subject}: log row {rows[0].outcome}")
    return failures


UNSEEING_PROBES = frozenset({"former", "named"})


def probed_subjects(role: str) -> list[Subject]:
    """For writes and form pages: every relation that sees the case (members with and without the
    right, emergency readers) and, of those that do not, the former member and — the administrator and
    privacy officer — the one named in the team. The other outsiders meet the same ``case_get`` 404,
    which ``test_read`` asserts for every relation on every route."""
    return [s for s in relations_of(role) if s.sees or s.relation in UNSEEING_PROBES]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES, ids=str)
@pytest.mark.parametrize("route", WRITE_ROUTES, ids=str)
def test_write(world, clients, route: Write, role: str):
    """Outsiders 404, members without the right (and emergency readers) 403 with nothing saved; who
    has the right succeeds (in a savepoint rolled back at once)."""
    failures = [failure for subject in probed_subjects(role) for failure in check_write(world, clients[subject], route, subject)]

    assert not failures, "\n".join(failures)
