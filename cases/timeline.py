"""The case timeline: one list of what happened, newest first (issue #2, case page), as one viewer may
see it (DOMAIN.md §8, issue #4: data outside the sharing matrix is absent).

Offences, detention periods, journal entries, plan changes (goals and actions added, assessments),
team changes and recorded tier/status/director changes. Each item belongs to a category of the
sharing matrix: offences and detentions ``justitieel``; a journal entry its author's ``category``;
plan, team and recorded changes ``plan``. Sources the viewer may not read are never queried, and
journal entries are filtered in SQL, so the page runs a constant number of queries whatever the
case's history — and an item the viewer may not read is never built.

Within a readable item, two refinements keep other categories out: an assessment's scores show only
the leefgebieden ``privacy.policy.FIELDS["assessment"]`` allows, and team changes of zorg-domain
partners are left out for viewers who do not read ``zorg`` (their presence is care data; such a
viewer gets at most "care involved: yes/no" on the case page).
"""

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.db.models import Prefetch, Q, QuerySet, prefetch_related_objects
from django.utils import timezone

from partners.models import Domain
from privacy.categories import Category
from privacy.policy import Disclosure

from .models import Action, Assessment, Case, CaseChange, CaseStatus, Detention, Goal, Tier


@dataclasses.dataclass(frozen=True)
class TimelineItem:
    """One row. ``kind``: offence, detention, journal, plan, team or change. ``at`` orders same-day rows.
    ``category``: the category of the sharing matrix the row belongs to."""

    on: dt.date
    at: dt.datetime
    kind: str
    title: str
    text: str = ""
    by: str = ""
    category: str = Category.PLAN


Source = Callable[[Case, Disclosure], Iterator[TimelineItem]]


def timeline(case: Case, disclosure: Disclosure) -> list[TimelineItem]:
    """Everything on the case's timeline that ``disclosure`` may read, newest first."""
    sources: list[Source] = []
    if disclosure.reads(Category.JUSTITIEEL):
        sources += [_offences, _detentions]
    sources.append(_journal)
    if disclosure.reads(Category.PLAN):
        sources += [_goals, _actions, _assessments, _team, _changes]
    items = [item for source in sources for item in source(case, disclosure)]
    return sorted(items, key=lambda item: (item.on, item.at), reverse=True)


def prefetch_shared(case: Case, disclosure: Disclosure) -> None:
    """Read the case's detentions and assessments once for a page that shows them twice — on the
    timeline and in their own cards (the case page) — into ``case``; ``shared_rows`` then serves both.
    Only what this viewer's timeline reads is fetched: detentions for ``justitieel``, assessments for
    ``plan``. Same rows and order as the timeline's own queries; one query each."""
    lookups: list[Prefetch[Any, Any, Any]] = []
    if disclosure.reads(Category.JUSTITIEEL):
        lookups.append(Prefetch("detentions", queryset=Detention.objects.select_related("source_organisation")))
    if disclosure.reads(Category.PLAN):
        lookups.append(Prefetch("assessments", queryset=Assessment.objects.select_related("assessed_by")))
    prefetch_related_objects([case], *lookups)


def shared_rows(case: Case, name: str, query: QuerySet[Any]) -> Iterable[Any]:
    """The ``name`` rows ``prefetch_shared`` read into ``case``, or else ``query`` (its own read)."""
    cached = getattr(case, "_prefetched_objects_cache", {})  # where Django keeps prefetched rows
    return cached.get(name, query)


def categories_of(items: list[TimelineItem]) -> set[str]:
    """The categories the items disclose (for the access log)."""
    return {str(item.category) for item in items}


def _offences(case: Case, disclosure: Disclosure) -> Iterator[TimelineItem]:
    for offence in case.offences.select_related("offence_type", "source_organisation"):
        outcome = "" if offence.outcome == "open" else f" ({offence.get_outcome_display()})"
        title = f"Delict: {offence.offence_type}{outcome}"
        yield TimelineItem(
            offence.committed_on,
            offence.recorded_at,
            "offence",
            title,
            offence.description,
            str(offence.source_organisation),
            Category.JUSTITIEEL,
        )


def _detentions(case: Case, disclosure: Disclosure) -> Iterator[TimelineItem]:
    for detention in shared_rows(case, "detentions", case.detentions.select_related("source_organisation")):
        by = str(detention.source_organisation)
        title = f"Detentie: {detention.institution}"
        yield TimelineItem(detention.started_on, detention.recorded_at, "detention", title, "", by, Category.JUSTITIEEL)
        if detention.released_on:
            yield TimelineItem(
                detention.released_on,
                detention.recorded_at,
                "detention",
                "Vrijgelaten",
                detention.institution,
                by,
                Category.JUSTITIEEL,
            )


def _journal(case: Case, disclosure: Disclosure) -> Iterator[TimelineItem]:
    readable = sorted(disclosure.readable)
    for entry in case.journal.filter(category__in=readable).select_related("author", "organisation"):
        by = f"{entry.author} ({entry.organisation})"
        yield TimelineItem(
            entry.occurred_on, entry.created_at, "journal", entry.get_kind_display(), entry.text, by, entry.category
        )


def _goals(case: Case, disclosure: Disclosure) -> Iterator[TimelineItem]:
    for goal in Goal.objects.filter(plan__case=case).select_related("created_by"):
        title = f"Doel toegevoegd ({goal.get_leefgebied_display()})"
        yield TimelineItem(
            timezone.localdate(goal.created_at), goal.created_at, "plan", title, goal.description, str(goal.created_by)
        )


def _actions(case: Case, disclosure: Disclosure) -> Iterator[TimelineItem]:
    for action in Action.objects.filter(goal__plan__case=case).select_related("goal", "created_by", "owning_organisation"):
        title = f"Actie toegevoegd ({action.goal.get_leefgebied_display()}, {action.owning_organisation})"
        yield TimelineItem(
            timezone.localdate(action.created_at), action.created_at, "plan", title, action.description, str(action.created_by)
        )


def _assessments(case: Case, disclosure: Disclosure) -> Iterator[TimelineItem]:
    for assessment in shared_rows(case, "assessments", case.assessments.select_related("assessed_by")):
        shown = {name: score for name, score in assessment.scores().items() if disclosure.shows("assessment", name)}
        scores = ", ".join(f"{name} {score}" for name, score in shown.items())
        yield TimelineItem(
            assessment.assessed_on, assessment.created_at, "plan", "Leefgebieden beoordeeld", scores, str(assessment.assessed_by)
        )


def zorg_member_q(prefix: str = "") -> Q:
    """Team entries of a zorg-domain organisation or of a named professional of one."""
    return Q(**{f"{prefix}organisation__domain": Domain.ZORG}) | Q(**{f"{prefix}user__organisation__domain": Domain.ZORG})


def _team(case: Case, disclosure: Disclosure) -> Iterator[TimelineItem]:
    team = case.team.select_related("organisation", "user", "added_by")
    if not disclosure.reads(Category.ZORG):
        team = team.exclude(zorg_member_q())
    for member in team:
        who = str(member.organisation or member.user)
        yield TimelineItem(member.starts_on, member.created_at, "team", f"In het casusteam: {who}", "", str(member.added_by))
        if member.ends_on:
            yield TimelineItem(member.ends_on, member.created_at, "team", f"Uit het casusteam: {who}", "")


def _changes(case: Case, disclosure: Disclosure) -> Iterator[TimelineItem]:
    for change in CaseChange.objects.filter(case=case).select_related("from_user", "to_user", "changed_by"):
        yield TimelineItem(
            timezone.localdate(change.changed_at),
            change.changed_at,
            "change",
            change_title(change),
            change.reason,
            str(change.changed_by),
        )


_LABELS = {"tier": dict(Tier.choices), "status": dict(CaseStatus.choices)}


def change_title(change: CaseChange) -> str:
    """A Dutch one-line description of a recorded change, e.g. "Niveau: Lokale PGA → Top X (ZVHRU)"."""
    if change.kind in _LABELS:
        old = _LABELS[change.kind].get(change.from_value, change.from_value or "—")
        new = _LABELS[change.kind].get(change.to_value, change.to_value)
        return f"{change.get_kind_display()}: {old} → {new}"
    return f"{change.get_kind_display()}: {change.from_user or '—'} → {change.to_user or '—'}"
