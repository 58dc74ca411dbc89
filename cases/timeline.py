"""The case timeline: one list of what happened, newest first (issue #2, case page).

Offences, detention periods, journal entries, plan changes (goals and actions added, assessments),
team changes and recorded tier/status/director changes. Each source is one query, so the page runs a
constant number of queries whatever the case's history.
"""

import dataclasses
import datetime as dt
from collections.abc import Iterator

from django.utils import timezone

from .models import Action, Case, CaseChange, CaseStatus, Goal, Tier


@dataclasses.dataclass(frozen=True)
class TimelineItem:
    """One row. ``kind``: offence, detention, journal, plan, team or change. ``at`` orders same-day rows."""

    on: dt.date
    at: dt.datetime
    kind: str
    title: str
    text: str = ""
    by: str = ""


def timeline(case: Case) -> list[TimelineItem]:
    """Everything on the case's timeline, newest first."""
    sources = (_offences, _detentions, _journal, _goals, _actions, _assessments, _team, _changes)
    items = [item for source in sources for item in source(case)]
    return sorted(items, key=lambda item: (item.on, item.at), reverse=True)


def _offences(case: Case) -> Iterator[TimelineItem]:
    for offence in case.offences.select_related("offence_type", "source_organisation"):
        outcome = "" if offence.outcome == "open" else f" ({offence.get_outcome_display()})"
        title = f"Delict: {offence.offence_type}{outcome}"
        yield TimelineItem(
            offence.committed_on, offence.recorded_at, "offence", title, offence.description, str(offence.source_organisation)
        )


def _detentions(case: Case) -> Iterator[TimelineItem]:
    for detention in case.detentions.select_related("source_organisation"):
        by = str(detention.source_organisation)
        yield TimelineItem(detention.started_on, detention.recorded_at, "detention", f"Detentie: {detention.institution}", "", by)
        if detention.released_on:
            yield TimelineItem(
                detention.released_on, detention.recorded_at, "detention", "Vrijgelaten", detention.institution, by
            )


def _journal(case: Case) -> Iterator[TimelineItem]:
    for entry in case.journal.select_related("author", "organisation"):
        by = f"{entry.author} ({entry.organisation})"
        yield TimelineItem(entry.occurred_on, entry.created_at, "journal", entry.get_kind_display(), entry.text, by)


def _goals(case: Case) -> Iterator[TimelineItem]:
    for goal in Goal.objects.filter(plan__case=case).select_related("created_by"):
        title = f"Doel toegevoegd ({goal.get_leefgebied_display()})"
        yield TimelineItem(
            timezone.localdate(goal.created_at), goal.created_at, "plan", title, goal.description, str(goal.created_by)
        )


def _actions(case: Case) -> Iterator[TimelineItem]:
    for action in Action.objects.filter(goal__plan__case=case).select_related("goal", "created_by", "owning_organisation"):
        title = f"Actie toegevoegd ({action.goal.get_leefgebied_display()}, {action.owning_organisation})"
        yield TimelineItem(
            timezone.localdate(action.created_at), action.created_at, "plan", title, action.description, str(action.created_by)
        )


def _assessments(case: Case) -> Iterator[TimelineItem]:
    for assessment in case.assessments.select_related("assessed_by"):
        scores = ", ".join(f"{name} {score}" for name, score in assessment.scores().items())
        yield TimelineItem(
            assessment.assessed_on, assessment.created_at, "plan", "Leefgebieden beoordeeld", scores, str(assessment.assessed_by)
        )


def _team(case: Case) -> Iterator[TimelineItem]:
    for member in case.team.select_related("organisation", "user", "added_by"):
        who = str(member.organisation or member.user)
        yield TimelineItem(member.starts_on, member.created_at, "team", f"In het casusteam: {who}", "", str(member.added_by))
        if member.ends_on:
            yield TimelineItem(member.ends_on, member.created_at, "team", f"Uit het casusteam: {who}", "")


def _changes(case: Case) -> Iterator[TimelineItem]:
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
