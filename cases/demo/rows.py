"""The generated rows, collected per model, and how they reach the database.

Rows are built in memory first (with ids drawn from the seeded generator), then each model in
dependency order is validated and written with ``bulk_create`` (which skips the audit signal: demo
data is not a user's change). Every row passes its field validators and ``clean()``; every tenth row
also the checks that cost a query each (related rows exist, uniqueness, the model constraints), which
the database enforces for all rows anyway — within the one transaction, so a bad row loads nothing.
"""

import dataclasses
import datetime as dt
import uuid
from collections import defaultdict

from django.db.models import Model

from cases.models import (
    Action,
    Assessment,
    Case,
    CaseChange,
    CasePlan,
    CaseTeamMember,
    Detention,
    Family,
    FamilyMembership,
    Goal,
    JournalEntry,
    Offence,
    Person,
)
from partners.models import User


@dataclasses.dataclass
class Draft:
    """One case while it is being built: the dates that bound its facts and who is in its team."""

    case: Case
    plan: CasePlan
    first_day: dt.date  # opening date; facts of the case happen from here
    last_day: dt.date  # closing date, or today
    last_offence_day: dt.date  # offences after this day would break the exit rule (DOMAIN.md §5.6)
    organisations: set[str] = dataclasses.field(default_factory=set)  # organisation codes in the team
    named_users: set[str] = dataclasses.field(default_factory=set)  # usernames in the team
    ended: dict[str, dt.date] = dataclasses.field(default_factory=dict)  # organisation code -> team until
    offences: list[Offence] = dataclasses.field(default_factory=list)
    assessments: list[Assessment] = dataclasses.field(default_factory=list)

    @property
    def person(self) -> Person:
        return self.case.person

    @property
    def actor(self) -> User:
        """Who acts for the case: its case director, else whoever registered it."""
        return self.case.case_director or self.case.registered_by


@dataclasses.dataclass
class Rows:
    persons: list[Person] = dataclasses.field(default_factory=list)
    families: list[Family] = dataclasses.field(default_factory=list)
    cases: list[Case] = dataclasses.field(default_factory=list)
    plans: list[CasePlan] = dataclasses.field(default_factory=list)
    team: list[CaseTeamMember] = dataclasses.field(default_factory=list)
    offences: list[Offence] = dataclasses.field(default_factory=list)
    detentions: list[Detention] = dataclasses.field(default_factory=list)
    assessments: list[Assessment] = dataclasses.field(default_factory=list)
    goals: list[Goal] = dataclasses.field(default_factory=list)
    actions: list[Action] = dataclasses.field(default_factory=list)
    journal: list[JournalEntry] = dataclasses.field(default_factory=list)
    changes: list[CaseChange] = dataclasses.field(default_factory=list)
    memberships: list[FamilyMembership] = dataclasses.field(default_factory=list)
    # created_at is auto_now_add; the plan on the timeline should show when a goal was really set.
    goal_dates: dict[uuid.UUID, dt.datetime] = dataclasses.field(default_factory=dict)


SAVE_ORDER: tuple[tuple[str, type[Model]], ...] = (
    ("persons", Person),
    ("families", Family),
    ("cases", Case),
    ("plans", CasePlan),
    ("team", CaseTeamMember),
    ("offences", Offence),
    ("detentions", Detention),
    ("assessments", Assessment),
    ("goals", Goal),
    ("actions", Action),
    ("journal", JournalEntry),
    ("changes", CaseChange),
    ("memberships", FamilyMembership),
)


FULL_CHECK_EVERY = 10


def rows_save(rows: Rows) -> None:
    """Validate every row (``full_clean``) and bulk-insert, parents before children.

    Raises ``ValidationError`` on the first invalid row — a bug in the generator, never data loss:
    the caller runs inside one transaction.
    """
    for name, model in SAVE_ORDER:
        objects: list[Model] = getattr(rows, name)
        relations = [field.name for field in model._meta.concrete_fields if field.is_relation]
        for index, instance in enumerate(objects):
            if index % FULL_CHECK_EVERY == 0:
                instance.full_clean()
            else:
                instance.full_clean(exclude=relations, validate_unique=False, validate_constraints=False)
        model._default_manager.bulk_create(objects, batch_size=500)
    _backdate_goals(rows.goal_dates)


def _backdate_goals(goal_dates: dict[uuid.UUID, dt.datetime]) -> None:
    by_moment: dict[dt.datetime, list[uuid.UUID]] = defaultdict(list)
    for goal_id, moment in goal_dates.items():
        by_moment[moment].append(goal_id)
    for moment, ids in by_moment.items():
        Goal.objects.filter(pk__in=ids).update(created_at=moment, updated_at=moment)
