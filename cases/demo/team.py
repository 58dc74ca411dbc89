"""Demo case teams, journals and the recorded history of tier, status and director changes.

A team holds the registering organisation, every organisation that recorded a fact or owns an action,
plus partners that fit the tier (more and heavier partners for Top X, DOMAIN.md §3), sometimes a named
professional instead of a whole organisation, and now and then a partner that has left the team (its
until date in the past). Journal entries are written by the directors and the team's partners.
"""

import datetime as dt

from dateutil.relativedelta import relativedelta

from cases.models import CaseChange, CaseStatus, CaseTeamMember, ChangeKind, JournalEntry, JournalKind, Tier
from partners.models import User
from privacy import policy
from privacy.categories import Category

from . import texts
from .accounts import CASE_DIRECTORS
from .context import Demo
from .people import age_at
from .rows import Draft, Rows

EXTRA_PARTNERS: dict[str, tuple[str, ...]] = {
    Tier.BASISINZET: ("jou", "buurtteams", "halt"),
    Tier.LOKALE_PGA: ("jou", "buurtteams", "altrecht", "reclassering-nederland", "leger-des-heils-jbr", "werk-en-inkomen"),
    Tier.ZVHRU: ("reclassering-nederland", "altrecht", "de-waag", "inforsa", "openbaar-ministerie", "verslavingsreclassering"),
}
EXTRA_FOR_MINORS = ("halt", "smvn", "raad-voor-de-kinderbescherming")
EXTRA_COUNT: dict[str, tuple[int, int]] = {Tier.BASISINZET: (1, 2), Tier.LOKALE_PGA: (1, 2), Tier.ZVHRU: (2, 3)}
# Professionals sometimes named in a team instead of their organisation: username -> organisation code.
NAMED_MEMBERS = {"altrecht": "altrecht", "buurtteam": "buurtteams", "reclassering": "reclassering-nederland"}


def team_extend(demo: Demo, draft: Draft) -> None:
    """Add partners that fit the tier, sometimes a named professional, sometimes a partner that left."""
    case = draft.case
    candidates = list(EXTRA_PARTNERS[case.tier])
    if age_at(draft.person, case.opened_on) < 18:
        candidates.extend(EXTRA_FOR_MINORS)
    candidates = [code for code in candidates if code not in draft.organisations]
    low, high = EXTRA_COUNT[case.tier]
    extras = demo.rng.sample(candidates, k=min(len(candidates), demo.rng.randint(low, high)))
    draft.organisations.update(extras)
    if extras and case.status == CaseStatus.ACTIEF and demo.chance(0.1) and draft.first_day < demo.today - dt.timedelta(days=3):
        draft.ended[extras[0]] = demo.day_between(draft.first_day, demo.today - dt.timedelta(days=2))
    if case.tier != Tier.BASISINZET and demo.chance(0.12):
        named = demo.rng.choice(sorted(NAMED_MEMBERS))
        if NAMED_MEMBERS[named] not in draft.organisations:
            draft.named_users.add(named)


def team_rows(demo: Demo, draft: Draft, rows: Rows) -> None:
    for code in sorted(draft.organisations):
        member = CaseTeamMember(id=demo.uuid(), case=draft.case, organisation=demo.organisations[code])
        member.ends_on = draft.ended.get(code)
        rows.team.append(_dated(member, draft))
    for username in sorted(draft.named_users):
        rows.team.append(_dated(CaseTeamMember(id=demo.uuid(), case=draft.case, user=demo.users[username]), draft))


def _dated(member: CaseTeamMember, draft: Draft) -> CaseTeamMember:
    member.starts_on = draft.case.opened_on
    member.added_by = draft.actor
    return member


def _authors(demo: Demo, draft: Draft) -> list[User]:
    case = draft.case
    authors = [user for user in (case.case_director, case.process_director) if user is not None]
    current = sorted(code for code in draft.organisations if code not in draft.ended)
    authors += [user for code in current if (user := demo.partner_user(code))]
    authors += [demo.users[name] for name in sorted(draft.named_users)]
    return authors or [case.registered_by]


def journal_add(demo: Demo, draft: Draft, rows: Rows) -> None:
    """Short Dutch notes and contact moments between the opening and today (or the closing)."""
    case, authors = draft.case, _authors(demo, draft)
    rows.journal.append(_entry(demo, draft, authors[0], JournalKind.NOTITIE, texts.JOURNAL_REGISTERED, case.opened_on))
    if case.status == CaseStatus.AANGEMELD:
        return
    for _ in range(demo.rng.randint(2, 7)):
        kind = demo.weighted({JournalKind.CONTACT: 6, JournalKind.NOTITIE: 4})
        template, category = demo.rng.choice(texts.JOURNAL_CONTACT if kind == JournalKind.CONTACT else texts.JOURNAL_NOTE)
        writers = [user for user in authors if policy.disclosure_for(user).writes(category)]
        if not writers:  # nobody in this team writes that category: no such note
            continue
        day = demo.day_between(draft.first_day, draft.last_day)
        rows.journal.append(_entry(demo, draft, demo.rng.choice(writers), kind, template, day, category))
    if case.status == CaseStatus.AFGESLOTEN:
        rows.journal.append(_entry(demo, draft, draft.actor, JournalKind.NOTITIE, texts.JOURNAL_CLOSED, draft.last_day))


def _entry(
    demo: Demo, draft: Draft, author: User, kind: str, template: str, day: dt.date, category: str = Category.PLAN
) -> JournalEntry:
    """A journal entry as its author would write it: their category's legal basis as provenance."""
    amount = f"{demo.rng.randint(8, 180) * 100:,}".replace(",", ".")
    text = template.format(voornaam=draft.person.given_names.split()[0], bedrag=amount)
    return JournalEntry(
        id=demo.uuid(),
        case=draft.case,
        kind=kind,
        occurred_on=day,
        text=text,
        author=author,
        organisation=author.organisation,
        category=category,
        legal_basis=policy.disclosure_for(author).legal_basis(category),
    )


def changes_add(demo: Demo, draft: Draft, rows: Rows) -> None:
    """The recorded history: activation, escalation to Top X, director handover, closing, reopening."""
    case, actor = draft.case, draft.actor
    activated = _activated_on(demo, draft)
    if activated:
        rows.changes.append(_change(demo, draft, ChangeKind.STATUS, activated, actor, CaseStatus.AANGEMELD, CaseStatus.ACTIEF))
    if case.tier == Tier.ZVHRU:
        _escalation(demo, draft, rows, activated or case.opened_on)
    if case.reopened_on:
        closed = demo.day_between(case.opened_on + relativedelta(months=13), case.reopened_on - dt.timedelta(days=30))
        rows.changes.append(_change(demo, draft, ChangeKind.STATUS, closed, actor, CaseStatus.ACTIEF, CaseStatus.AFGESLOTEN))
        rows.changes.append(
            _change(demo, draft, ChangeKind.STATUS, case.reopened_on, actor, CaseStatus.AFGESLOTEN, CaseStatus.ACTIEF)
        )
    if case.closed_on:
        before = CaseStatus.ACTIEF if activated else CaseStatus.AANGEMELD
        change = _change(demo, draft, ChangeKind.STATUS, case.closed_on, actor, before, CaseStatus.AFGESLOTEN)
        change.reason = case.closing_note
        rows.changes.append(change)
    if case.case_director and case.status != CaseStatus.AANGEMELD and demo.chance(0.06):
        _handover(demo, draft, rows, activated or case.opened_on)


def _activated_on(demo: Demo, draft: Draft) -> dt.date | None:
    case = draft.case
    if case.status == CaseStatus.AANGEMELD or case.closing_reason == "niet_opgenomen":
        return None
    return min(case.opened_on + dt.timedelta(days=demo.rng.randint(5, 30)), draft.last_day)


def _escalation(demo: Demo, draft: Draft, rows: Rows, after: dt.date) -> None:
    case = draft.case
    day = demo.day_between(after, min(after + dt.timedelta(days=200), draft.last_day))
    director = case.process_director
    assert director is not None  # noqa: S101 — a zvhru case always has one (model constraint)
    tier = _change(demo, draft, ChangeKind.TIER, day, director, Tier.LOKALE_PGA, Tier.ZVHRU)
    tier.reason = texts.ESCALATION_REASON
    rows.changes.append(tier)
    rows.changes.append(
        CaseChange(
            id=demo.uuid(),
            case=case,
            kind=ChangeKind.PROCESS_DIRECTOR,
            to_user=director,
            changed_by=director,
            changed_at=demo.moment(day),
        )
    )


def _handover(demo: Demo, draft: Draft, rows: Rows, after: dt.date) -> None:
    case = draft.case
    previous = demo.users[demo.rng.choice([name for name in CASE_DIRECTORS if name != case.case_director.username])]  # type: ignore[union-attr]
    day = demo.day_between(after, draft.last_day)
    change = CaseChange(id=demo.uuid(), case=case, kind=ChangeKind.CASE_DIRECTOR, from_user=previous, to_user=case.case_director)
    change.reason, change.changed_by, change.changed_at = texts.HANDOVER_REASON, previous, demo.moment(day)
    rows.changes.append(change)


def _change(demo: Demo, draft: Draft, kind: str, day: dt.date, by: User, old: str, new: str) -> CaseChange:
    return CaseChange(
        id=demo.uuid(), case=draft.case, kind=kind, from_value=old, to_value=new, changed_by=by, changed_at=demo.moment(day)
    )
