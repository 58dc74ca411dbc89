"""The nightly review jobs: exit review, periodic proportionality review, stagnation (issue #5).

Each job has the runner's shape ``job(day, run) -> JobResult`` (``jobs.runner``) and does its work in
a fixed number of set-based statements whatever the number of cases — no Python loop over cases:

1. close the open flags that no longer apply (``UPDATE … WHERE``), with the reason why;
2. count the cases that qualify but were flagged before (``already_flagged``);
3. insert the new flags with one ``INSERT … SELECT … ON CONFLICT DO NOTHING`` (``pga.db.insert_select``);
   the partial unique constraints on ``ReviewFlag`` make a second run insert nothing;
4. one notification per director for the run (``jobs.notify``), e-mailed after commit.

Dates are Europe/Amsterdam calendar days; ``day`` is the day the job evaluates ("as of").

Who handles a flag: the case director, or — for a case without one (``basisinzet``) — the user who
registered it; for a Top X (``zvhru``) case also the process director, and an exit-review flag is
proposed for the next casusoverleg that process director chairs (``ReviewFlag.conference``; the
agenda proposals read open exit flags, ``escalation.selectors.agenda_candidates``).
"""

import datetime as dt
from collections import Counter
from typing import Any

from django.db import connection
from django.db.models import Case as When_
from django.db.models import Count, DateField, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery, UUIDField, Value, When
from django.db.models.functions import Coalesce, Greatest, TruncDate
from django.utils import timezone

from cases.models import Action, ActionStatus, Case, CaseStatus, Offence, Tier
from cases.selectors import detained_on, exit_period_sql
from jobs.models import JobRun, JobSettings
from jobs.notify import notifications_create
from jobs.runner import JobResult
from pga.db import AddMonths, insert_select

from .models import AgendaItem, CaseConference, ConferenceStatus, Decision, FlagKind, FlagStatus, ReviewFlag

# Shown to directors: plain Dutch, no references to project documents.
EXIT_REASON = (
    "De vroegste uitstroomdatum is verstreken: de minimale termijn na het laatste delict (of, zonder delict, "
    "na de start) is voorbij. Toets uitstroom of afschaling."
)
PERIODIC_REASON = "De periodieke toetsing van de proportionaliteit is achterstallig (elke {months} maanden)."
STAGNATION_REASON = "{months} maanden op hetzelfde niveau zonder besluit, met achterstallige acties."

WITHDRAWN_CLOSED = "Ingetrokken: de casus is afgesloten of niet meer actief op dit niveau."
WITHDRAWN_DETENTION = "Ingetrokken: de persoon is in detentie; het signaal komt terug na de vrijlating."
WITHDRAWN_EXIT_MOVED = (
    "Ingetrokken: de vroegste uitstroomdatum ligt weer in de toekomst (later geregistreerd delict of heropening)."
)
SETTLED_REVIEWED = "Afgehandeld: de casus is inmiddels getoetst (besluit, casusoverleg of toetsing)."
SETTLED_DECIDED = "Afgehandeld: er is een besluit over de casus genomen."
WITHDRAWN_NO_OVERDUE_ACTIONS = "Ingetrokken: er zijn geen achterstallige acties meer."

EXIT_REVIEW_TIERS = (Tier.LOKALE_PGA, Tier.ZVHRU)  # basisinzet has no joint direction (DOMAIN.md §3)


# --- Shared SQL ---------------------------------------------------------------------------------


def started_on_sql() -> Coalesce:
    """Per case row: the reopening date, else the opening date (``Case.started_on``)."""
    return Coalesce(F("reopened_on"), F("opened_on"), output_field=DateField())


def last_offence_on_sql(day: dt.date) -> Subquery:
    """Per case row: the date of the last counting offence committed on or before ``day``, or NULL."""
    offences = Offence.objects.counting().filter(case=OuterRef("pk"), committed_on__lte=day).order_by("-committed_on")
    return Subquery(offences.values("committed_on")[:1], output_field=DateField())


def exit_on_sql(day: dt.date) -> AddMonths:
    """Per case row: the earliest exit date as of ``day`` — ``max(last counting offence, start) + exit
    period`` calendar months, the SQL twin of ``cases.rules.earliest_exit_on`` (DOMAIN.md §5.6)."""
    started = started_on_sql()
    base = Greatest(Coalesce(last_offence_on_sql(day), started), started, output_field=DateField())
    return AddMonths(base, exit_period_sql())


def _latest(queryset: QuerySet[Any], field: str) -> Subquery:
    return Subquery(queryset.order_by(f"-{field}").values(field)[:1], output_field=DateField())


def _handled_flags(kind: str) -> QuerySet[ReviewFlag]:
    """Per case row: flags of ``kind`` a person handled (a flag the job closed records no review)."""
    return ReviewFlag.objects.filter(case=OuterRef("pk"), kind=kind, status=FlagStatus.AFGEHANDELD, closed_by__isnull=False)


def _flag_exists(kind: str, basis: str) -> Exists:
    """Per case row: an open flag of ``kind``, or a handled one for the same basis (annotation ``basis``)."""
    flags = ReviewFlag.objects.filter(case=OuterRef("pk"), kind=kind).exclude(status=FlagStatus.INGETROKKEN)
    return Exists(flags.filter(Q(status=FlagStatus.OPEN) | Q(basis_on=OuterRef(basis))))


def _of_cases(cases: QuerySet[Case]) -> Exists:
    """Per flag row: its case is one of ``cases``. Negated it is ``NOT EXISTS``, an anti-join; the
    ``exclude(case__in=cases)`` it replaces became ``NOT IN (subquery)``, which PostgreSQL cannot turn
    into a join and, once the subquery outgrows ``work_mem``, runs again for every flag — a warm exit
    review over 100,000 cases took 60 s instead of 3 (docs/performance.md, issue #5 "Speed")."""
    return Exists(cases.filter(pk=OuterRef("case")))


def _plan_for_today() -> None:
    """Let PostgreSQL plan the job's statements for the data as it is now, for the rest of the job's
    transaction (docs/performance.md, issue #5 "Speed"):

    - ``SET LOCAL jit = off``: the correlated subqueries per case make the planner's cost estimates far
      larger than the real cost, so it compiles each statement with LLVM — over a second per statement
      at 100,000 cases, more than running it;
    - ``ANALYZE`` the flags table: a run can add tens of thousands of flags, and a run before autovacuum
      has noticed (a retry, a run by hand) otherwise plans for the old, near-empty table — a nested
      loop that took 70 s instead of 3. Skipped with a warning when the database user does not own it.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")
            cursor.execute(f"ANALYZE {connection.ops.quote_name(ReviewFlag._meta.db_table)}")


def _open_flags(kind: str, day: dt.date) -> QuerySet[ReviewFlag]:
    """The open flags of ``kind`` a run as of ``day`` may close: those raised on or before ``day`` — a
    run by hand as of an earlier day leaves later flags alone."""
    return ReviewFlag.objects.filter(kind=kind, status=FlagStatus.OPEN, raised_on__lte=day)


def _close(flags: QuerySet[ReviewFlag], *, status: str, day: dt.date, note: str) -> int:
    return flags.update(status=status, closed_on=day, closing_note=note)


def _raise(kind: str, cases: QuerySet[Case], *, day: dt.date, due_on: dt.date, reason: str, run: JobRun) -> int:
    """Insert one open flag of ``kind`` per case row of ``cases`` (annotated ``basis``) in one statement."""
    now = timezone.now()
    next_conference = CaseConference.objects.filter(
        status=ConferenceStatus.GEPLAND, starts_at__gte=now, chair=OuterRef("process_director")
    ).order_by("starts_at")
    if kind == FlagKind.UITSTROOM:  # a Top X case is proposed for the next casusoverleg (issue #5)
        proposed = Subquery(next_conference.values("pk")[:1])
        conference: Any = When_(When(tier=Tier.ZVHRU, then=proposed), default=None, output_field=UUIDField())
    else:
        conference = Value(None, output_field=UUIDField())
    rows = cases.annotate(
        f_case=F("pk"),
        f_kind=Value(kind),
        f_status=Value(FlagStatus.OPEN),
        f_reason=Value(reason),
        f_basis=F("basis"),
        f_raised=Value(day, output_field=DateField()),
        f_due=Value(due_on, output_field=DateField()),
        f_conference=conference,
        f_run=Value(run.pk, output_field=IntegerField()),
        f_note=Value(""),
        f_created=Value(now),
    )
    return insert_select(
        ReviewFlag,
        {
            "case": "f_case",
            "kind": "f_kind",
            "status": "f_status",
            "reason": "f_reason",
            "basis_on": "f_basis",
            "raised_on": "f_raised",
            "due_on": "f_due",
            "conference": "f_conference",
            "job_run": "f_run",
            "closing_note": "f_note",
            "created_at": "f_created",
        },
        rows,
    )


def _notify(run: JobRun, kind: str) -> int:
    """One notification per person who handles the run's new flags (see the module docstring)."""
    new = ReviewFlag.objects.filter(job_run=run, kind=kind)
    counts: Counter[Any] = Counter()
    handlers = new.values(handler=Coalesce("case__case_director_id", "case__registered_by_id")).annotate(n=Count("id"))
    for row in handlers:
        counts[row["handler"]] += row["n"]
    process = new.filter(case__tier=Tier.ZVHRU).values(handler=F("case__process_director_id")).annotate(n=Count("id"))
    for row in process:
        if row["handler"] not in counts:  # a process director who is also the case director hears it once
            counts[row["handler"]] += row["n"]
    return notifications_create(run, counts)


def _result(flagged: int, already: int, run: JobRun, kind: str, **other: int) -> JobResult:
    notified = _notify(run, kind) if flagged else 0
    return JobResult(flagged=flagged, already_flagged=already, other={**other, "notified": notified})


# --- 1. Exit review ------------------------------------------------------------------------------


def exit_candidates(day: dt.date) -> QuerySet[Case]:
    """Active ``lokale_pga`` and ``zvhru`` cases whose earliest exit date is on or before ``day`` and whose
    person is not in detention on ``day``, annotated ``basis`` (the exit date). DOMAIN.md §5.6, issue #5."""
    active = Case.objects.filter(status=CaseStatus.ACTIEF, tier__in=EXIT_REVIEW_TIERS)
    return active.annotate(basis=exit_on_sql(day)).filter(basis__lte=day).exclude(detained_on(day))


def exit_review(*, day: dt.date, run: JobRun) -> JobResult:
    """Flag active cases past their earliest exit date for an exit or de-escalation review (issue #5, 1).

    Withdraws open flags of cases closed or moved to basisinzet, of persons now in detention, and of
    cases whose exit date moved into the future again (a later-registered newer offence; a reopening).
    Counts ``flagged``, ``already_flagged``, ``withdrawn`` and ``notified``.
    """
    _plan_for_today()
    job_settings = JobSettings.current()
    open_flags = _open_flags(FlagKind.UITSTROOM, day)
    active = Case.objects.filter(status=CaseStatus.ACTIEF, tier__in=EXIT_REVIEW_TIERS)
    withdrawn = _close(open_flags.exclude(_of_cases(active)), status=FlagStatus.INGETROKKEN, day=day, note=WITHDRAWN_CLOSED)
    detained = active.filter(detained_on(day))
    withdrawn += _close(open_flags.filter(case__in=detained), status=FlagStatus.INGETROKKEN, day=day, note=WITHDRAWN_DETENTION)
    not_yet = active.annotate(basis=exit_on_sql(day)).filter(basis__gt=day)
    withdrawn += _close(open_flags.filter(case__in=not_yet), status=FlagStatus.INGETROKKEN, day=day, note=WITHDRAWN_EXIT_MOVED)

    candidates = exit_candidates(day).annotate(flagged=_flag_exists(FlagKind.UITSTROOM, "basis"))
    already = candidates.filter(flagged=True).count()
    due_on = day + dt.timedelta(days=job_settings.exit_review_due_days)
    flagged = _raise(FlagKind.UITSTROOM, candidates.filter(flagged=False), day=day, due_on=due_on, reason=EXIT_REASON, run=run)
    proposed = _propose_for_next_conference(open_flags)
    return _result(flagged, already, run, FlagKind.UITSTROOM, withdrawn=withdrawn, proposed=proposed)


def _next_conference_for_flag() -> Subquery:
    """Per ``ReviewFlag`` row: the next planned casusoverleg (from now) its case's process director
    chairs, or NULL."""
    director = Case.objects.filter(pk=OuterRef(OuterRef("case_id"))).values("process_director")[:1]
    upcoming = CaseConference.objects.filter(
        status=ConferenceStatus.GEPLAND, starts_at__gte=timezone.now(), chair=Subquery(director)
    ).order_by("starts_at")
    return Subquery(upcoming.values("pk")[:1])


def _propose_for_next_conference(open_flags: QuerySet[ReviewFlag]) -> int:
    """Open exit flags of Top X cases not (or no longer) proposed for a coming casusoverleg — none was
    planned when they were raised, or theirs has been held — get the next one their process director
    chairs. One UPDATE; returns how many."""
    not_coming = Q(conference__isnull=True) | ~Q(conference__status=ConferenceStatus.GEPLAND)
    not_coming |= Q(conference__starts_at__lt=timezone.now())
    waiting = open_flags.filter(not_coming, case__tier=Tier.ZVHRU)
    waiting = waiting.annotate(next_conference=_next_conference_for_flag()).filter(next_conference__isnull=False)
    return ReviewFlag.objects.filter(pk__in=waiting.values("pk")).update(conference=_next_conference_for_flag())


# --- 2. Periodic proportionality review ---------------------------------------------------------------


def last_reviewed_on_sql(day: dt.date) -> Greatest:
    """Per case row: the last time the case was reviewed on or before ``day`` — the latest of its
    (re)start, a decision on it, a finalised casusoverleg that discussed it, and a handled periodic
    review flag."""
    started = started_on_sql()
    decided = _latest(Decision.objects.filter(case=OuterRef("pk"), decided_on__lte=day), "decided_on")
    conferences = AgendaItem.objects.filter(case=OuterRef("pk"), conference__status=ConferenceStatus.AFGEROND).annotate(
        held_on=TruncDate("conference__starts_at")
    )
    discussed = Subquery(
        conferences.filter(held_on__lte=day).order_by("-held_on").values("held_on")[:1], output_field=DateField()
    )
    reviewed = _latest(_handled_flags(FlagKind.PERIODIEK).filter(closed_on__lte=day), "closed_on")
    return Greatest(
        started,
        Coalesce(decided, started),
        Coalesce(discussed, started),
        Coalesce(reviewed, started),
        output_field=DateField(),
    )


def periodic_candidates(day: dt.date, months: int) -> QuerySet[Case]:
    """Active cases (every tier) whose last review is more than ``months`` calendar months before ``day``,
    annotated ``basis``: the date the review was due."""
    due = AddMonths(last_reviewed_on_sql(day), Value(months, output_field=IntegerField()))
    return Case.objects.filter(status=CaseStatus.ACTIEF).annotate(basis=due).filter(basis__lt=day)


def periodic_review(*, day: dt.date, run: JobRun) -> JobResult:
    """Flag active cases whose periodic proportionality review is overdue (issue #5, 2; DOMAIN.md §5).

    Open flags of closed cases are withdrawn; those of cases reviewed since are marked handled. Counts
    ``flagged``, ``already_flagged``, ``withdrawn``, ``settled`` and ``notified``.
    """
    _plan_for_today()
    job_settings = JobSettings.current()
    months = job_settings.periodic_review_months
    open_flags = _open_flags(FlagKind.PERIODIEK, day)
    active = Case.objects.filter(status=CaseStatus.ACTIEF)
    withdrawn = _close(open_flags.exclude(_of_cases(active)), status=FlagStatus.INGETROKKEN, day=day, note=WITHDRAWN_CLOSED)
    candidates = periodic_candidates(day, months)
    settled = _close(
        open_flags.filter(case__in=active).exclude(_of_cases(candidates)),
        status=FlagStatus.AFGEHANDELD,
        day=day,
        note=SETTLED_REVIEWED,
    )
    candidates = candidates.annotate(flagged=_flag_exists(FlagKind.PERIODIEK, "basis"))
    already = candidates.filter(flagged=True).count()
    due_on = day + dt.timedelta(days=job_settings.review_due_days)
    reason = PERIODIC_REASON.format(months=months)
    flagged = _raise(FlagKind.PERIODIEK, candidates.filter(flagged=False), day=day, due_on=due_on, reason=reason, run=run)
    return _result(flagged, already, run, FlagKind.PERIODIEK, withdrawn=withdrawn, settled=settled)


# --- 3. Stagnation -----------------------------------------------------------------------------------


def overdue_actions_sql(day: dt.date) -> Exists:
    """Per case row: a plan action still open or running whose due date is before ``day``."""
    overdue = Action.objects.filter(
        goal__plan__case=OuterRef("pk"), due_on__lt=day, status__in=(ActionStatus.OPEN, ActionStatus.LOPEND)
    )
    return Exists(overdue)


def quiet_since_sql(day: dt.date) -> Greatest:
    """Per case row: since when the case has been without a decision — the latest of its (re)start, its
    last decision (a tier move is a decision, ADR 0008) and its last handled stagnation flag."""
    started = started_on_sql()
    decided = _latest(Decision.objects.filter(case=OuterRef("pk"), decided_on__lte=day), "decided_on")
    handled = _latest(_handled_flags(FlagKind.STAGNATIE).filter(closed_on__lte=day), "closed_on")
    return Greatest(started, Coalesce(decided, started), Coalesce(handled, started), output_field=DateField())


def stagnation_candidates(day: dt.date, months: int) -> QuerySet[Case]:
    """Active cases at least ``months`` calendar months without a decision that have overdue actions,
    annotated ``basis``: the date since which the case has been without a decision."""
    cases = Case.objects.filter(status=CaseStatus.ACTIEF).annotate(basis=quiet_since_sql(day))
    cases = cases.annotate(stagnant_on=AddMonths(F("basis"), Value(months, output_field=IntegerField())))
    return cases.filter(stagnant_on__lte=day).filter(overdue_actions_sql(day))


def stagnation(*, day: dt.date, run: JobRun) -> JobResult:
    """Flag cases held in one tier too long: no decision for N months while actions are overdue (issue #5, 3).

    Open flags of closed cases are withdrawn; those of cases with a decision since are marked handled;
    those of cases without overdue actions now are withdrawn (they return if actions lag again).
    Counts ``flagged``, ``already_flagged``, ``withdrawn``, ``settled`` and ``notified``.
    """
    _plan_for_today()
    job_settings = JobSettings.current()
    months = job_settings.stagnation_months
    open_flags = _open_flags(FlagKind.STAGNATIE, day)
    active = Case.objects.filter(status=CaseStatus.ACTIEF)
    withdrawn = _close(open_flags.exclude(_of_cases(active)), status=FlagStatus.INGETROKKEN, day=day, note=WITHDRAWN_CLOSED)
    candidates = stagnation_candidates(day, months)
    lapsed = open_flags.filter(case__in=active).exclude(_of_cases(candidates))
    decided = Decision.objects.filter(case=OuterRef("case"), decided_on__gte=OuterRef("raised_on"), decided_on__lte=day)
    settled = _close(lapsed.filter(Exists(decided)), status=FlagStatus.AFGEHANDELD, day=day, note=SETTLED_DECIDED)
    # No overdue actions any more, but still no decision: withdrawn, so it returns when actions lag again.
    withdrawn += _close(lapsed, status=FlagStatus.INGETROKKEN, day=day, note=WITHDRAWN_NO_OVERDUE_ACTIONS)
    candidates = candidates.annotate(flagged=_flag_exists(FlagKind.STAGNATIE, "basis"))
    already = candidates.filter(flagged=True).count()
    due_on = day + dt.timedelta(days=job_settings.review_due_days)
    reason = STAGNATION_REASON.format(months=months)
    flagged = _raise(FlagKind.STAGNATIE, candidates.filter(flagged=False), day=day, due_on=due_on, reason=reason, run=run)
    return _result(flagged, already, run, FlagKind.STAGNATIE, withdrawn=withdrawn, settled=settled)
