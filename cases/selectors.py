"""Reads: the one place that decides which cases, persons and families a user may see.

``cases_visible_to`` filters in SQL on django-guardian's per-case permission tables (``id IN`` their rows),
which ``privacy.grants`` derives from the dated team, the directors and break-the-glass grants (issue
#4 "Case-level access"); every list, detail page and API resource starts from it (docs:
ARCHITECTURE.md, "one path for every read"). Outsiders get ``Http404`` from ``case_get`` — never a
hint that the case exists.
"""

import dataclasses
import datetime as dt
import uuid
from collections.abc import Callable, Iterator
from typing import overload

from django.contrib.auth.models import Permission
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery, prefetch_related_objects
from django.db.models.expressions import BaseExpression
from django.http import Http404
from django.utils import timezone

from partners.models import CASE_WORKER_ROLES, Domain, Role, User
from privacy import access_log, grants, hits
from privacy.models import AccessAction, CaseGroupObjectPermission, CaseUserObjectPermission

from .access import current_team_q
from .models import (
    Action,
    Case,
    CaseStatus,
    CaseTeamMember,
    Detention,
    Family,
    FamilyMembership,
    Goal,
    Offence,
    Person,
)
from .rules import earliest_exit_on


def _today(day: dt.date | None) -> dt.date:
    return day or timezone.localdate()


def cases_visible_to(user: User, *, day: dt.date | None = None) -> QuerySet[Case]:
    """Cases ``user`` may see on ``day`` (default today). Deny by default.

    Directors see the cases they direct; named team members see theirs; users with a case-worker role
    also see the cases whose team includes their organisation; a director with an active
    break-the-glass grant sees that case (read only, ``cases.access``). Inactive users, users of an
    organisation outside its active period, and administrators and privacy officers — even one named
    in a team before their role changed — see nothing.

    Today this is ``id IN (user's rows UNION organisation's rows)`` on the guardian tables
    (``visible_case_ids``), never ``get_objects_for_user`` over whole tables: PostgreSQL starts from
    the user's few index entries and probes the cases by primary key, so the cost follows the size of
    the caseload, not of the register (issue #6, ADR 0014). Another ``day`` (a conference date, a
    planned team entry) has no rows to read, so it falls back to the dated team itself
    (``cases_visible_on``).
    """
    today = timezone.localdate()
    if day is not None and day != today:
        return cases_visible_on(user, day)
    if not user.is_authenticated or not user.has_access_on(today) or user.role not in CASE_WORKER_ROLES:
        return Case.objects.none()  # administrators and privacy officers never see case content (DOMAIN.md §2)
    return Case.objects.filter(pk__in=visible_case_ids(user))


def visible_case_ids(user: User) -> QuerySet:
    """The ids (``content_object_id``) of the cases on which ``user`` holds ``cases.view_case`` today, as
    one subquery: ``user_rows`` and, for case-worker roles, ``group_rows``. Callers check the user's
    role and active period (``cases_visible_to``)."""
    ids = user_rows(user).values("content_object_id")
    group = group_rows(user)
    return ids if group is None else ids.union(group.values("content_object_id"))


def _view_permission() -> Subquery:
    # A scalar subquery, not a join on the codename: PostgreSQL then estimates the rows of one user or
    # group from the table's statistics (the join made it guess ~20 rows for 5,000 and choose nested
    # loops throughout, ADR 0014).
    view = Permission.objects.filter(content_type__app_label="cases", codename=grants.VIEW_CODENAME)
    return Subquery(view.order_by().values("pk"))


def user_rows(user: User) -> QuerySet[CaseUserObjectPermission]:
    """The user's own guardian rows for ``cases.view_case``; one that rests only on a break-the-glass
    grant counts while the grant is active."""
    rows = CaseUserObjectPermission.objects.filter(user=user, permission_id=_view_permission())
    return rows.filter(Q(grant__isnull=True) | Q(grant__expires_at__gt=timezone.now(), grant__revoked_at__isnull=True))


def group_rows(user: User) -> QuerySet[CaseGroupObjectPermission] | None:
    """For case-worker roles, the guardian rows for ``cases.view_case`` of the group of the user's
    organisation; else ``None``. The group is taken from the user's organisation, not from group
    membership, so a user moved to another organisation never sees through the old one's group."""
    group_id = user.organisation.group_id if user.organisation is not None else None
    if user.role not in CASE_WORKER_ROLES or group_id is None:
        return None
    return CaseGroupObjectPermission.objects.filter(group_id=group_id, permission_id=_view_permission())


def break_the_glass_rows(user: User) -> QuerySet[CaseUserObjectPermission]:
    """Per case row (``OuterRef("pk")``): the user's row that rests only on an active break-the-glass grant."""
    return emergency_rows(user).filter(content_object=OuterRef("pk"))


def emergency_rows(user: User) -> QuerySet[CaseUserObjectPermission]:
    """The user's guardian rows that rest only on an active (not expired, not revoked) grant."""
    return CaseUserObjectPermission.objects.filter(
        user=user,
        permission__codename=grants.VIEW_CODENAME,
        grant__isnull=False,
        grant__expires_at__gt=timezone.now(),
        grant__revoked_at__isnull=True,
    )


def cases_visible_on(user: User, day: dt.date) -> QuerySet[Case]:
    """Cases ``user`` may see on another ``day`` than today, from the dated team itself.

    The guardian rows describe today only, so a past or planned day reads the sources: directors,
    named members and the organisation's entries current on ``day`` — for case-worker roles only.
    Break-the-glass grants are not projected onto other days.
    """
    if not user.is_authenticated or not user.has_access_on(day) or user.role not in CASE_WORKER_ROLES:
        return Case.objects.none()
    team = CaseTeamMember.objects.filter(current_team_q(day), case=OuterRef("pk"))
    visible = Q(case_director=user) | Q(process_director=user) | Q(Exists(team.filter(user=user)))
    visible |= Q(Exists(team.filter(organisation=user.organisation)))
    return Case.objects.filter(visible)


def persons_visible_to(user: User, *, day: dt.date | None = None) -> QuerySet[Person]:
    """Persons with at least one case ``user`` may see."""
    return Person.objects.filter(Exists(cases_visible_to(user, day=day).filter(person=OuterRef("pk"))))


def cases_listed(user: User, *, day: dt.date | None = None) -> QuerySet[Case]:
    """The cases ``user`` sees in lists: not those seen only through break-the-glass — emergency access
    is to one case, read on its own pages, where every access-log row is marked (issue #4)."""
    cases = cases_visible_to(user, day=day)
    if user.is_authenticated and user.role in grants.BREAK_THE_GLASS_ROLES:
        cases = cases.exclude(Exists(break_the_glass_rows(user)))
    return cases


def persons_listed(user: User) -> QuerySet[Person]:
    """The persons of the user's caseload (``cases_listed``)."""
    return Person.objects.filter(Exists(cases_listed(user).filter(person=OuterRef("pk"))))


@dataclasses.dataclass(frozen=True)
class ExitPeriodSource:
    """Where the exit period (calendar months, DOMAIN.md §5.6) comes from: the active rule set.

    Rule sets belong to the escalation app, which depends on this one, not the other way round; so
    ``escalation.apps`` registers the source at start-up (``exit_period_source_set``). ``sql()`` is
    an expression giving the period as one value for a whole query; ``value()`` reads it on its own.
    """

    sql: Callable[[], BaseExpression]
    value: Callable[[], int]


_exit_period_source: ExitPeriodSource | None = None


def exit_period_source_set(source: ExitPeriodSource) -> None:
    """Register the exit period's source (``escalation.apps.EscalationConfig.ready``)."""
    global _exit_period_source  # set once at start-up, like the app registry itself
    _exit_period_source = source


def _exit_period() -> ExitPeriodSource:
    if _exit_period_source is None:
        raise ImproperlyConfigured("Geen bron voor de uitstroomtermijn: is de app escalation geïnstalleerd?")
    return _exit_period_source


def exit_period_sql() -> BaseExpression:
    """The active rule set's exit period (calendar months) as one SQL expression for a whole query."""
    return _exit_period().sql()


def detained_on(day: dt.date) -> Exists:
    """Per case row: a detention current on ``day`` (started, not yet released; ``Detention.is_current_on``)."""
    detentions = Detention.objects.filter(case=OuterRef("pk"), started_on__lte=day)
    return Exists(detentions.filter(Q(released_on__isnull=True) | Q(released_on__gt=day)))


def care_involved_on(day: dt.date) -> Exists:
    """Per case row: a zorg-domain organisation, or a named professional of one, in the team on ``day``."""
    team = CaseTeamMember.objects.filter(current_team_q(day), case=OuterRef("pk"))
    return Exists(team.filter(Q(organisation__domain=Domain.ZORG) | Q(user__organisation__domain=Domain.ZORG)))


def last_offence_on_sql() -> Subquery:
    """Per case row: the date of its last counting offence (not dismissed or acquitted), or NULL."""
    last = Offence.objects.counting().filter(case=OuterRef("pk")).order_by("-committed_on").values("committed_on")[:1]
    return Subquery(last)


def with_case_facts(cases: QuerySet[Case], *, day: dt.date | None = None) -> QuerySet[Case]:
    """Annotate ``last_offence_on`` (last counting offence), ``in_detention``, ``care_involved`` (a zorg
    partner in the team today: the "care involved: yes/no" of DOMAIN.md §8) and ``exit_period_months``
    (the active rule set's exit period) in the same query."""
    day = _today(day)
    return cases.annotate(
        last_offence_on=last_offence_on_sql(),
        in_detention=detained_on(day),
        care_involved=care_involved_on(day),
        exit_period_months=_exit_period().sql(),
    )


def exit_date_for(case: Case) -> dt.date:
    """The case's earliest exit date; needs ``last_offence_on`` from ``with_case_facts``.

    The exit period is the active rule set's, annotated by ``with_case_facts``; a case whose facts
    were carried over by hand (without that annotation) costs one query to read it.
    """
    months = getattr(case, "exit_period_months", None)
    return earliest_exit_on(
        last_offence_on=case.last_offence_on,  # type: ignore[attr-defined]
        started_on=case.started_on,
        exit_period_months=_exit_period().value() if months is None else months,
    )


CASELOAD_ORDERINGS = {
    "naam": ("person__surname", "person__given_names"),
    "-naam": ("-person__surname", "-person__given_names"),
    "geopend": ("opened_on",),
    "-geopend": ("-opened_on",),
    "niveau": ("tier", "person__surname"),
    "-niveau": ("-tier", "person__surname"),
    "laatste_delict": ("last_offence_on",),
    "-laatste_delict": ("-last_offence_on",),
}


def caseload(user: User, *, ordering: str = "naam", day: dt.date | None = None, facts: bool = True) -> QuerySet[Case]:
    """The cases ``user`` lists (``cases_listed``), with what a list row shows, in a constant number of queries.

    ``facts=False`` leaves the case facts of ``with_case_facts`` out — except ``last_offence_on`` when
    the ordering needs it — for a paged list that reads them for the rows of one page afterwards
    (``case_facts_attach``). That is what makes a long caseload cheap: with the facts in the query,
    PostgreSQL plans their subqueries for every visible case, not for the 25 on the page, and for a
    partner organisation in 5,000 teams it hashes the whole team table to answer "care involved"
    (docs/performance.md, issue #6).
    """
    columns = CASELOAD_ORDERINGS.get(ordering, CASELOAD_ORDERINGS["naam"])
    cases = cases_listed(user, day=day).select_related(
        "person", "person__wijk", "case_director", "process_director", "registering_organisation"
    )
    if facts:
        cases = with_case_facts(cases, day=day)
    elif any(column.lstrip("-") == "last_offence_on" for column in columns):
        cases = cases.annotate(last_offence_on=last_offence_on_sql())
    return cases.order_by(*columns, "id")


class CountedCaseload:
    """A caseload queryset for Django's ``Paginator`` whose ``count()`` comes from ``count`` (see
    ``caseload_for_paging``); slicing goes to the queryset."""

    def __init__(self, cases: QuerySet[Case], count: Callable[[], int]) -> None:
        self.cases = cases
        self.ordered = cases.ordered
        self._count = count

    def count(self) -> int:
        return self._count()

    def __len__(self) -> int:
        return self.count()

    def __iter__(self) -> Iterator[Case]:
        return iter(self.cases)

    @overload
    def __getitem__(self, key: int) -> Case: ...
    @overload
    def __getitem__(self, key: slice) -> QuerySet[Case]: ...
    def __getitem__(self, key: int | slice) -> Case | QuerySet[Case]:
        return self.cases[key]


def caseload_for_paging(user: User, cases: QuerySet[Case], *, filtered: bool) -> QuerySet[Case] | CountedCaseload:
    """``cases`` (a ``caseload`` of today) ready for a paginator. Unfiltered, for a user who cannot break
    the glass, the count is that of the distinct case ids in their guardian rows (``visible_case_ids``)
    — the same number, as every row points at an existing case and nothing else narrows the list — so
    PostgreSQL need not join them with the cases: 2 ms instead of 23 ms for an organisation in 5,000
    teams (issue #6). Otherwise the queryset counts itself."""
    if filtered or not user.is_authenticated or user.role in grants.BREAK_THE_GLASS_ROLES:
        return cases
    if not user.has_access_on(timezone.localdate()) or user.role not in CASE_WORKER_ROLES:
        return cases
    return CountedCaseload(cases, visible_case_ids(user).count)


FACT_NAMES = ("last_offence_on", "in_detention", "care_involved", "exit_period_months")


def case_facts_attach(cases: list[Case], *, day: dt.date | None = None) -> list[Case]:
    """Set the facts of ``with_case_facts`` (``FACT_NAMES``) on ``cases`` — one page of a list read with
    ``caseload(..., facts=False)`` — in one query, whatever their number; returns ``cases``."""
    if not cases:
        return cases
    rows = with_case_facts(Case.objects.filter(pk__in=[case.pk for case in cases]), day=day).values("pk", *FACT_NAMES)
    facts = {row.pop("pk"): row for row in rows}
    for case in cases:
        for name, value in facts[case.pk].items():
            setattr(case, name, value)
    return cases


def case_get(user: User, case_id: uuid.UUID | str, *, for_update: bool = False) -> Case:
    """One case ``user`` may see, with its facts annotated. Raises ``Http404`` otherwise.

    ``case.break_the_glass_grant_id`` and ``case.break_the_glass_until`` (UTC) are set when an active
    break-the-glass grant is the only reason the user sees the case: then the request's access-log
    row is marked ``break_the_glass`` with purpose ``noodtoegang: <grant id>`` (issue #4), and the
    case page shows a warning with the expiry. Both come from the same query as the case.
    """
    try:
        case_uuid = uuid.UUID(str(case_id))
    except ValueError:
        raise Http404 from None
    cases = with_case_facts(cases_visible_to(user)).select_related(
        "person", "person__wijk", "case_director", "process_director", "registering_organisation"
    )
    if user.is_authenticated:
        emergency = break_the_glass_rows(user).order_by("-grant__expires_at")
        cases = cases.annotate(
            break_the_glass_grant_id=Subquery(emergency.values("grant_id")[:1]),
            break_the_glass_until=Subquery(emergency.values("grant__expires_at")[:1]),
        )
    if for_update:
        cases = cases.select_for_update(of=("self",))
    try:
        case = cases.get(pk=case_uuid)
    except Case.DoesNotExist:
        # The log names whom the attempt was about (the outsider learns nothing of it).
        attempted = Case.objects.filter(pk=case_uuid).values_list("person_id", flat=True)
        access_log.note_denied("case", [case_uuid], persons=attempted)
        raise Http404 from None
    grant_id = getattr(case, "break_the_glass_grant_id", None)
    if grant_id is not None:
        purpose = grants.break_the_glass_purpose(grant_id)
        access_log.note("case", [case.pk], persons=[case.person_id], purpose=purpose, break_the_glass=True)
    else:
        access_log.note("case", [case.pk], persons=[case.person_id], purpose=f"casus {case.pk}")
    return case


def person_get(user: User, person_id: uuid.UUID | str) -> Person:
    """One person ``user`` may see (through one of their cases). Raises ``Http404`` otherwise.

    A person seen only through a break-the-glass grant on their case is marked in the access log
    like the case itself (``case_get``); the check is part of the same query.
    """
    try:
        person_uuid = uuid.UUID(str(person_id))
    except ValueError:
        raise Http404 from None
    persons = persons_visible_to(user).select_related("wijk")
    if user.is_authenticated and user.role in grants.BREAK_THE_GLASS_ROLES:
        emergency = emergency_rows(user).filter(content_object__person=OuterRef("pk"))
        regular = cases_visible_to(user).filter(person=OuterRef("pk")).exclude(Exists(break_the_glass_rows(user)))
        persons = persons.annotate(
            break_the_glass_grant_id=Subquery(emergency.values("grant_id")[:1]), seen_regularly=Exists(regular)
        )
    try:
        person = persons.get(pk=person_uuid)
    except Person.DoesNotExist:
        access_log.note_denied(
            "person", [person_uuid], persons=Person.objects.filter(pk=person_uuid).values_list("pk", flat=True)
        )
        raise Http404 from None
    grant_id = getattr(person, "break_the_glass_grant_id", None)
    if grant_id is not None and not getattr(person, "seen_regularly", True):
        access_log.note(
            "person", [person.pk], persons=[person.pk], purpose=grants.break_the_glass_purpose(grant_id), break_the_glass=True
        )
    else:
        access_log.note("person", [person.pk], persons=[person.pk])
    return person


def team_current(case: Case, *, day: dt.date | None = None) -> QuerySet[CaseTeamMember]:
    """The team entries current on ``day``."""
    return case.team.filter(current_team_q(_today(day))).select_related("organisation", "user", "user__organisation")


def team_listed(case: Case, *, day: dt.date | None = None) -> QuerySet[CaseTeamMember]:
    """The team as the directors manage it: entries current on ``day`` and entries planned to start later.

    Ended and cancelled entries (until before from) stay in the history but are not listed.
    """
    day = _today(day)
    not_ended = Q(ends_on__isnull=True) | (Q(ends_on__gte=day) & Q(ends_on__gte=F("starts_on")))
    return case.team.filter(not_ended).select_related("organisation", "user", "user__organisation").order_by("starts_on")


def plan_goals(case: Case) -> QuerySet[Goal]:
    """Goals of the case's plan with their actions, ordered by leefgebied."""
    actions = Action.objects.select_related("owning_organisation", "responsible_user", "intervention")
    return Goal.objects.filter(plan__case=case).prefetch_related(Prefetch("actions", queryset=actions))


def family_memberships_visible_to(user: User, person: Person) -> list[FamilyMembership]:
    """The person's families, each with only the members ``user`` may see (others are not shown).

    Most persons belong to no family: their memberships are read first, and the visibility query —
    costly to build, not to run — only when there are any (one query, else two)."""
    own = list(FamilyMembership.objects.filter(person=person).select_related("family"))
    if not own:
        return own
    members = FamilyMembership.objects.filter(person__in=persons_visible_to(user)).select_related("person")
    prefetch_related_objects(own, Prefetch("family__memberships", queryset=members, to_attr="visible_members"))
    return own


def active_case_directors() -> QuerySet[User]:
    """Users who can be made case director: active, role case_director."""
    return User.objects.filter(is_active=True, role=Role.CASE_DIRECTOR).select_related("organisation")


def open_case_of(person: Person) -> Case | None:
    """The person's case that is not closed, if any."""
    return person.cases.exclude(status=CaseStatus.AFGESLOTEN).first()


@dataclasses.dataclass(frozen=True)
class KnownElsewhere:
    """A match the user may not see: only that the person is known, and whom to contact."""

    in_active_approach: bool
    contact_organisation: str
    contact_role: str

    @property
    def message(self) -> str:
        """The one sentence an outsider gets (Dutch), e.g. for the aanmelding's duplicate check."""
        where = "in een actieve aanpak" if self.in_active_approach else "in het systeem"
        return f"Deze persoon is al bekend {where}; neem contact op met de {self.contact_role} bij {self.contact_organisation}."


@dataclasses.dataclass(frozen=True)
class DuplicateCheck:
    """The aanmelding's duplicate check: matches the user may see, and hits they may not."""

    visible: list[Person]
    known_elsewhere: list[KnownElsewhere]

    @property
    def found(self) -> bool:
        return bool(self.visible or self.known_elsewhere)

    @property
    def known_message(self) -> str:
        """One sentence naming every contact of the hidden hits (Dutch), or ``""`` without them."""
        if not self.known_elsewhere:
            return ""
        whom = " of ".join(f"de {hit.contact_role} bij {hit.contact_organisation}" for hit in self.known_elsewhere)
        return f"Deze persoon is al bekend in een actieve aanpak; neem contact op met {whom}."


def person_duplicates(
    user: User, *, bsn: str | None = None, surname: str | None = None, date_of_birth: dt.date | None = None
) -> DuplicateCheck:
    """Persons matching a BSN, or a surname (case-insensitive, prefix allowed) and date of birth
    (``privacy.hits.matching_persons``).

    Visible matches come back whole; for the others the user gets exactly the hit/no-hit answer of
    ``POST /api/v1/persons/check/`` (``privacy.hits.hit_for``; DOMAIN.md §8, issue #4): one
    ``KnownElsewhere`` per contact when they are in an approach, nothing when their cases are all
    closed — never a name or an id. A hit is noted in the request's access-log row as a check.
    """
    matches = hits.matching_persons(bsn=bsn, surname=surname, date_of_birth=date_of_birth)
    candidates = list(matches.order_by("pk")[:10])
    visible_ids = set(persons_visible_to(user).filter(pk__in=[p.pk for p in candidates]).values_list("pk", flat=True))
    hidden = [person.pk for person in candidates if person.pk not in visible_ids]
    hit = hits.hit_for(hidden)
    if hit.known:
        access_log.note("person", persons=hidden, purpose="hit/no-hit-controle (aanmelding)", action=AccessAction.CHECK)
    known = [KnownElsewhere(True, contact.organisation, contact.role) for contact in hit.contacts]
    return DuplicateCheck([p for p in candidates if p.pk in visible_ids], known)


def families_visible_to(user: User) -> QuerySet[Family]:
    """Families with at least one member ``user`` may see (``netwerk`` data, DOMAIN.md §5.3)."""
    visible_members = FamilyMembership.objects.filter(family=OuterRef("pk"), person__in=persons_visible_to(user))
    return Family.objects.filter(Exists(visible_members))


def family_get(user: User, family_id: uuid.UUID | str) -> Family:
    """One family ``user`` may see (through a member). Raises ``Http404`` otherwise."""
    try:
        return families_visible_to(user).get(pk=uuid.UUID(str(family_id)))
    except (ValueError, Family.DoesNotExist):
        raise Http404 from None


def family_members_visible_to(user: User, family: Family) -> list[tuple[FamilyMembership, Case | None]]:
    """The members of ``family`` that ``user`` may see, each with the case to link to (open first).

    Members the user may not see are left out entirely — not counted, not named (issue #2). A member
    seen only through a break-the-glass grant on their case marks the request's access-log row as an
    emergency use (``noodtoegang: <grant id>``), as ``case_get`` does (issue #4).
    """
    visible_persons = persons_visible_to(user)
    memberships = list(
        family.memberships.filter(person__in=visible_persons).select_related("person", "person__wijk").order_by("person__surname")
    )
    emergency = break_the_glass_rows(user).order_by("-grant__expires_at")
    cases = (
        cases_visible_to(user)
        .filter(person__in=[m.person_id for m in memberships])
        .annotate(break_the_glass_grant_id=Subquery(emergency.values("grant_id")[:1]))
        .order_by("-opened_on")
    )
    case_of: dict[uuid.UUID, Case] = {}
    for case in cases:
        grant_id = case.break_the_glass_grant_id  # type: ignore[attr-defined]
        if grant_id is not None:
            access_log.note(persons=[case.person_id], purpose=grants.break_the_glass_purpose(grant_id), break_the_glass=True)
        current = case_of.get(case.person_id)
        if current is None or (current.status == CaseStatus.AFGESLOTEN and case.status != CaseStatus.AFGESLOTEN):
            case_of[case.person_id] = case
    return [(membership, case_of.get(membership.person_id)) for membership in memberships]
