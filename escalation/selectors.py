"""Reads of the escalation app: the active rule set, case snapshots in batches, recommendations.

``snapshots_for`` builds the plain ``CaseSnapshot`` of any number of cases in four queries (cases
with date of birth and detention flag; counting offences with their type; assessments; family
memberships); ``snapshot_batches`` walks a large caseload in fixed-size batches.
``recommendation_for`` is the one entry point for a single case's full advice (the decision service
stores it); ``recommendations_for`` evaluates a whole caseload.

What of it a viewer sees is decided in one place, ``escalation.disclosure`` (DOMAIN.md §8, issue #4):
``advice_for_viewer`` is the case's advice cut for a viewer, as the case page and the API show it.
``FACT_CATEGORIES`` and ``fact_categories_visible_to`` are re-exported from there.
"""

import datetime as dt
import uuid
from collections.abc import Iterable, Iterator
from typing import NamedTuple

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Exists, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.fields.json import KT
from django.db.models.functions import Cast
from django.http import Http404
from django.utils import timezone

from cases.models import (
    Action,
    ActionStatus,
    Assessment,
    Case,
    CaseStatus,
    FamilyMembership,
    FamilyRole,
    Leefgebied,
    Offence,
    OffenceType,
    TargetGroup,
    Tier,
)
from cases.rules import age_on
from cases.selectors import cases_listed, cases_visible_to, detained_on
from partners.models import Role, User

from .disclosure import FACT_CATEGORIES as FACT_CATEGORIES  # re-exported
from .disclosure import AdviceShown, advice_shown, fact_categories_visible_to
from .engine import Recommendation, recommend
from .models import (
    AgendaItem,
    AgendaSource,
    CaseConference,
    FlagKind,
    FlagStatus,
    Proposal,
    ProposalStatus,
    ReviewFlag,
    RuleSet,
    RuleSetStatus,
)
from .parameters import Rules
from .snapshot import CaseSnapshot, FamilyFact, OffenceFact

SNAPSHOT_BATCH_SIZE = 2000


def active_rule_set() -> RuleSet:
    """The one active rule set. Raises ``ImproperlyConfigured`` if there is none (migrations not run)."""
    try:
        return RuleSet.objects.get(status=RuleSetStatus.ACTIVE)
    except RuleSet.DoesNotExist:
        raise ImproperlyConfigured("Er is geen actief beoordelingskader; draai de migraties.") from None


def exit_period_months_sql() -> Subquery:
    """The active rule set's exit period (calendar months) as an uncorrelated subquery.

    Annotated by ``cases.selectors.with_case_facts`` on every case row; PostgreSQL evaluates it once
    per query, so a list of any length costs no extra query for the exit period.
    """
    months = Cast(KT("parameters__exit__period_months"), IntegerField())
    active = RuleSet.objects.filter(status=RuleSetStatus.ACTIVE).annotate(months=months).values("months")[:1]
    return Subquery(active, output_field=IntegerField())


def exit_period_months() -> int:
    """The active rule set's exit period in calendar months (one query)."""
    return active_rule_set().rules.parameters.exit.period_months


# --- Snapshots --------------------------------------------------------------------------------------


def snapshots_for(cases: QuerySet[Case], *, day: dt.date | None = None) -> dict[uuid.UUID, CaseSnapshot]:
    """``{case id: snapshot on day}`` for every case in ``cases``, in four queries whatever their number.

    ``day`` (default today) is the reference date: ages on that day, only counting offences committed
    and the latest assessment recorded on or before it, detention on that day. Rows are read as tuples
    (no model instances), so a batch of thousands of cases stays cheap.
    """
    day = day or timezone.localdate()
    rows = cases.annotate(in_detention=detained_on(day)).values_list(*CASE_COLUMNS)
    return _snapshots([CaseRow(*row) for row in rows], day)


def snapshot_of(case: Case, *, day: dt.date | None = None) -> CaseSnapshot:
    """One case's snapshot on ``day`` (default today).

    A case read today through ``cases.selectors.with_case_facts`` (as ``case_get`` does, with its
    person) already holds its row: then only its offences, assessments and families are read
    (three queries); otherwise four, as ``snapshots_for``.
    """
    today = timezone.localdate()
    if (day is None or day == today) and hasattr(case, "in_detention"):
        row = CaseRow(
            case.pk,
            case.person_id,
            case.person.date_of_birth,
            case.tier,
            case.status,
            case.drug_network_indication,
            case.opened_on,
            case.reopened_on,
            case.in_detention,  # type: ignore[attr-defined]
        )
        return _snapshots([row], today)[case.pk]
    return snapshots_for(Case.objects.filter(pk=case.pk), day=day)[case.pk]


def _snapshots(rows: list["CaseRow"], day: dt.date) -> dict[uuid.UUID, CaseSnapshot]:
    """Snapshots from case rows, with three queries for their facts."""
    ids, person_ids = [row.case_id for row in rows], {row.person_id for row in rows}
    offences, latest, families = _offences(ids, day), _latest_assessments(ids, day), _families(person_ids)
    snapshots = {}
    for case_id, person_id, born_on, tier, status, network, opened_on, reopened_on, detained in rows:
        assessed_on, scores = latest.get(case_id, (None, None))
        snapshots[case_id] = CaseSnapshot(
            reference_date=day,
            age=age_on(date_of_birth=born_on, day=day),
            current_tier=tier,
            status=status,
            drug_network_indication=network,
            offences=tuple(offences.get(case_id, ())),
            scores=scores,
            assessed_on=assessed_on,
            started_on=reopened_on or opened_on,  # as Case.started_on
            in_detention=bool(detained),
            families=tuple(families.get(person_id, ())),
        )
    return snapshots


class CaseRow(NamedTuple):
    """What a snapshot needs of the case row itself (``CASE_COLUMNS`` in the same order)."""

    case_id: uuid.UUID
    person_id: uuid.UUID
    born_on: dt.date
    tier: str
    status: str
    network: str
    opened_on: dt.date
    reopened_on: dt.date | None
    in_detention: bool


CASE_COLUMNS = (
    "pk",
    "person_id",
    "person__date_of_birth",
    "tier",
    "status",
    "drug_network_indication",
    "opened_on",
    "reopened_on",
    "in_detention",
)


def snapshot_batches(
    cases: QuerySet[Case], *, day: dt.date | None = None, size: int = SNAPSHOT_BATCH_SIZE
) -> Iterator[dict[uuid.UUID, CaseSnapshot]]:
    """``snapshots_for`` over ``cases`` ordered by id: one query for the ids, then four per ``size`` cases."""
    ids = list(cases.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), size):
        yield snapshots_for(Case.objects.filter(pk__in=ids[start : start + size]), day=day)


def _offences(case_ids: list[uuid.UUID], day: dt.date) -> dict[uuid.UUID, list[OffenceFact]]:
    """Counting offences committed on or before ``day``, per case, newest first."""
    rows = (
        Offence.objects.counting()
        .filter(case_id__in=case_ids, committed_on__lte=day)
        .order_by("-committed_on", "pk")
        .values_list("case_id", "committed_on", *OFFENCE_TYPE_COLUMNS)
    )
    serious: dict[tuple[int, bool], bool] = {}
    offences: dict[uuid.UUID, list[OffenceFact]] = {}
    for case_id, committed_on, statute, years, life, drug_related, violent in rows:
        if (years, life) not in serious:  # "serious" stays defined once, by OffenceType (DOMAIN.md §5.4)
            serious[years, life] = OffenceType(max_sentence_years=years, life_imprisonment=life).serious
        fact = OffenceFact(committed_on, statute, serious[years, life], drug_related, violent)
        offences.setdefault(case_id, []).append(fact)
    return offences


OFFENCE_TYPE_COLUMNS = (
    "offence_type__statute",
    "offence_type__max_sentence_years",
    "offence_type__life_imprisonment",
    "offence_type__drug_related",
    "offence_type__violent",
)


def _latest_assessments(case_ids: list[uuid.UUID], day: dt.date) -> dict[uuid.UUID, tuple[dt.date, tuple[tuple[str, int], ...]]]:
    """Per case the most recent assessment on or before ``day``: latest date, then latest recorded.

    Reads every assessment of the cases up to ``day`` (a handful per case) and keeps the first per
    case; cheaper than a correlated subquery per row.
    """
    rows = (
        Assessment.objects.filter(case_id__in=case_ids, assessed_on__lte=day)
        .order_by("case_id", "-assessed_on", "-created_at", "-pk")
        .values_list("case_id", "assessed_on", *Leefgebied.values)
    )
    latest: dict[uuid.UUID, tuple[dt.date, tuple[tuple[str, int], ...]]] = {}
    for case_id, assessed_on, *scores in rows:
        if case_id not in latest:
            latest[case_id] = (assessed_on, tuple(zip(Leefgebied.values, scores, strict=True)))
    return latest


def _families(person_ids: set[uuid.UUID]) -> dict[uuid.UUID, list[FamilyFact]]:
    """The family networks each person is recorded in, by family name."""
    rows = (
        FamilyMembership.objects.filter(person_id__in=person_ids)
        .order_by("family__name", "pk")
        .values_list("person_id", "family__name", "role")
    )
    families: dict[uuid.UUID, list[FamilyFact]] = {}
    for person_id, family, role in rows:
        families.setdefault(person_id, []).append(FamilyFact(family, FamilyRole(role).label))
    return families


# --- Recommendations --------------------------------------------------------------------------------


def recommendation_for(case: Case, *, day: dt.date | None = None) -> Recommendation:
    """The full advice for ``case`` on ``day`` (default today) under the active rule set, every fact
    and verdict kept — as the system sees it (e.g. a decision's stored snapshot). Never show it as it
    is: a viewer gets ``advice_for_viewer`` (``escalation.disclosure.advice_shown``). Four or five
    queries (``snapshot_of``)."""
    return recommend(snapshot_of(case, day=day), active_rule_set().rules)


def advice_for_viewer(case: Case, viewer: User, *, day: dt.date | None = None) -> AdviceShown:
    """The advice for ``case`` as ``viewer`` may see it (``escalation.disclosure``: facts they read,
    verdicts only of criteria judged on those alone). Callers resolve the case with
    ``cases.selectors.case_get`` first (404 for outsiders); an outsider here gets no facts or verdicts.
    The queries of ``recommendation_for``, whether the viewer sees the case, and the matrix once per request."""
    return advice_shown(recommendation_for(case, day=day), fact_categories_visible_to(viewer, case))


def recommendations_for(
    cases: QuerySet[Case], *, rules: Rules | None = None, day: dt.date | None = None, batch_size: int = SNAPSHOT_BATCH_SIZE
) -> Iterator[tuple[uuid.UUID, Recommendation]]:
    """``(case id, advice)`` for every case in ``cases``, batch by batch, with all facts (no viewer).

    ``rules`` defaults to the active rule set; pass a draft's ``rules`` to try it (what-if).
    Queries: the rule set (unless given), the ids, then four per ``batch_size`` cases.
    """
    rules = rules or active_rule_set().rules
    evaluated_at = timezone.now()
    for batch in snapshot_batches(cases, day=day, size=batch_size):
        for case_id, snapshot in batch.items():
            yield case_id, recommend(snapshot, rules, evaluated_at=evaluated_at)


# --- Casusoverleg (case conference) ----------------------------------------------------------------


def conferences_visible_to(user: User) -> QuerySet[CaseConference]:
    """Conferences ``user`` chairs or attends (named, or through an attending organisation). Deny by default."""
    if not user.is_authenticated or not user.has_access_on():
        return CaseConference.objects.none()
    attends = Q(chair=user) | Q(attendees=user)
    if user.organisation_id is not None:
        attends |= Q(organisations=user.organisation_id)
    ids = CaseConference.objects.filter(attends).values("pk")
    return CaseConference.objects.filter(pk__in=ids).select_related("chair", "finalised_by")


def conference_get(user: User, conference_id: uuid.UUID | str) -> CaseConference:
    """One conference ``user`` chairs or attends. Raises ``Http404`` otherwise (never a hint it exists)."""
    try:
        return conferences_visible_to(user).get(pk=uuid.UUID(str(conference_id)))
    except (ValueError, CaseConference.DoesNotExist):
        raise Http404 from None


def agenda_items_visible_to(user: User, conference: CaseConference) -> QuerySet[AgendaItem]:
    """The conference's items on cases ``user`` may see (``cases_visible_to``); the others are not listed."""
    visible = cases_visible_to(user).filter(pk=OuterRef("case_id"))
    return (
        conference.items.filter(Exists(visible))
        .select_related("case", "case__person")
        .prefetch_related("actions__owning_organisation")
        .order_by("order", "id")
    )


def recommendation_summaries(case_ids: list[uuid.UUID]) -> dict[uuid.UUID, Recommendation]:
    """The full advice for each of ``case_ids`` (callers pass only cases the viewer may see, and show it
    through ``escalation.disclosure.advice_shown``). Constant queries per batch (``recommendations_for``)."""
    return dict(recommendations_for(Case.objects.filter(pk__in=case_ids)))


def _open_actions_overdue(day: dt.date) -> Exists:
    overdue = Action.objects.filter(
        goal__plan__case=OuterRef("pk"), due_on__lt=day, status__in=(ActionStatus.OPEN, ActionStatus.LOPEND)
    )
    return Exists(overdue)


def agenda_candidates(chair: User, *, day: dt.date | None = None) -> dict[uuid.UUID, str]:
    """``{case id: AgendaSource}`` the system proposes for the next casusoverleg (issue #3), among the
    cases ``chair`` may see, the first matching reason per case in this order:

    open proposals into or out of ``zvhru``; new Top X aanmeldingen (``aangemeld``, target group
    ``top_x``); active ``zvhru`` cases with an open exit-review flag (the nightly exit review,
    ``escalation.reviews.exit_review``: earliest exit date passed, not in detention); whose advice
    differs from their tier; with overdue open actions. A fixed number of queries whatever the number of cases:
    set-based filters, and the advice in batches (``recommendations_for``) of the active ZVHRU cases only.
    """
    day = day or timezone.localdate()
    visible = cases_visible_to(chair, day=day).exclude(status=CaseStatus.AFGESLOTEN)
    zvhru_proposals = Proposal.objects.filter(Q(to_tier=Tier.ZVHRU) | Q(from_tier=Tier.ZVHRU), status=ProposalStatus.OPEN)
    found: dict[uuid.UUID, str] = {}

    def add(ids: Iterable[uuid.UUID], source: str) -> None:
        for case_id in ids:
            found.setdefault(case_id, source)

    add(visible.filter(pk__in=zvhru_proposals.values("case_id")).values_list("pk", flat=True), AgendaSource.PROPOSAL)
    new_top_x = visible.filter(status=CaseStatus.AANGEMELD, target_group=TargetGroup.TOP_X)
    add(new_top_x.values_list("pk", flat=True), AgendaSource.NIEUWE_AANMELDING)
    zvhru = visible.filter(tier=Tier.ZVHRU, status=CaseStatus.ACTIEF)
    # The exit review before the advice: an exit-review case usually also has advice that differs,
    # and the signal is what the chair needs to see (and the more specific reason).
    exit_flags = ReviewFlag.objects.filter(kind=FlagKind.UITSTROOM, status=FlagStatus.OPEN)
    add(zvhru.filter(pk__in=exit_flags.values("case_id")).values_list("pk", flat=True), AgendaSource.UITSTROOM)
    add((pk for pk, advice in recommendations_for(zvhru, day=day) if advice.differs), AgendaSource.ADVIES_WIJKT_AF)
    add(zvhru.filter(_open_actions_overdue(day)).values_list("pk", flat=True), AgendaSource.ACHTERSTALLIGE_ACTIES)
    return found


def open_proposals_for_director(user: User, *, limit: int = 20) -> list[Proposal]:
    """Open proposals this director decides on (issue #3: "proposals are listed for the directors").

    A case director: proposals on the cases they direct that do not touch Top X; a process director:
    proposals into or out of ZVHRU on cases they may see. Newest first, at most ``limit``; one query.
    """
    proposals = Proposal.objects.filter(status=ProposalStatus.OPEN, case__in=cases_visible_to(user))
    if user.role == Role.PROCESS_DIRECTOR:
        proposals = proposals.filter(Q(to_tier=Tier.ZVHRU) | Q(from_tier=Tier.ZVHRU))
    elif user.role == Role.CASE_DIRECTOR:
        proposals = proposals.filter(case__case_director=user).exclude(Q(to_tier=Tier.ZVHRU) | Q(from_tier=Tier.ZVHRU))
    else:
        return []
    return list(proposals.select_related("case__person", "proposed_by", "organisation").order_by("-created_at")[:limit])


# --- Review flags and the werklijst (issue #5) -----------------------------------------------------
# Who handles a flag (the rule ``escalation.reviews`` notifies by): the case director; for a case without
# one (``basisinzet``), the user who registered it; for a Top X (``zvhru``) case also the process director.
# A handler sees a flag only while they list its case (``cases_listed``: no break-the-glass).


def handler_q(user: User) -> Q:
    """Per ``ReviewFlag`` row: ``user`` handles it (see the module docstring; issue #5)."""
    return (
        Q(case__case_director=user)
        | Q(case__case_director__isnull=True, case__registered_by=user)
        | Q(case__tier=Tier.ZVHRU, case__process_director=user)
    )


def handles(user: User, case: Case) -> bool:
    """``handler_q`` for one case already loaded, in Python (no query)."""
    director_id = case.case_director_id if case.case_director_id is not None else case.registered_by_id
    return director_id == user.pk or (case.tier == Tier.ZVHRU and case.process_director_id == user.pk)


def flags_handled_by(user: User, *, status: str | None = FlagStatus.OPEN) -> QuerySet[ReviewFlag]:
    """The flags ``user`` handles on cases they list, ``status`` only (``None``: any status).

    Empty for anonymous users and for roles without case content (``cases_listed``). One query when
    evaluated; the visibility check is an ``EXISTS`` on the case permissions.
    """
    if not user.is_authenticated:
        return ReviewFlag.objects.none()
    listed = cases_listed(user).filter(pk=OuterRef("case_id"))
    flags = ReviewFlag.objects.filter(handler_q(user)).filter(Exists(listed))
    return flags if status is None else flags.filter(status=status)


def worklist_flags(user: User) -> list[ReviewFlag]:
    """The open flags ``user`` handles (``review_services.flags_handled_by``), by kind, then due date; one query."""
    flags = flags_handled_by(user).select_related("case__person", "conference")
    return list(flags.order_by("kind", "due_on", "id"))


def overdue_actions(user: User, *, day: dt.date) -> list[Action]:
    """Open or running plan actions due before ``day`` on the cases ``user`` lists and directs (case or
    process director), oldest due date first; one query."""
    directed = cases_listed(user).filter(Q(case_director=user) | Q(process_director=user), pk=OuterRef("goal__plan__case_id"))
    actions = Action.objects.filter(Exists(directed), due_on__lt=day, status__in=(ActionStatus.OPEN, ActionStatus.LOPEND))
    return list(actions.select_related("goal__plan__case__person", "owning_organisation").order_by("due_on", "created_at"))
