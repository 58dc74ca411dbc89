"""Erasure of one approved case at the end of its retention period (issue #5 job 4; DOMAIN.md §8).

``case_destroy(item=…)`` runs in one transaction, under row locks on the list item, the case and the
person. What happens to what, and why:

- **Deleted**: the case and everything under it — team, changes, offences, detentions, assessments,
  journal, plan/goals/actions, agenda items (with their agreed actions), proposals, decisions, review
  flags, what-if moves, guardian rows and break-the-glass grants (with their free-text reason). Django's
  deletion collector follows every cascading foreign key, so a relation added later is deleted too and
  a protecting one stops the erasure rather than leaving half a case.
- **The person**, when no other case of theirs is left: deleted with their family memberships and
  their lifted legal holds; families left without members are deleted. With another case left, the
  person stays: their identification serves that case.
- **Scrubbed, kept** (records that also concern others): the person's identifying strings — full name
  with and without tussenvoegsel, "achternaam, voornaam", the BSN, the date of birth (ISO, dd-mm-jjjj,
  d-m-jjjj, "17 maart 2004") — are replaced by ``[verwijderd]`` in the general notes and addenda of
  every casusoverleg the case was on (the one permitted change to locked minutes, ADR 0010), and, when
  the person is erased, in their surviving families (name, description, the other members'
  justifications — the family links) and in their AVG requests
  (kept as the record that a request was handled). A surname on its own is not scrubbed: relatives
  whose records remain carry it too.
- **Break-the-glass reviews** (``PrivacyReview.grant`` protects the grant) are kept as the record of the
  officer's judgement: re-pointed at the access-log row of the grant's first use (who, when — the person
  only as a keyed pseudonym), without the grant and its reason, the note scrubbed.
- **django-auditlog**: entries of every deleted object are anonymised (kept with action, time and actor;
  ``changes``, ``changes_text``, ``serialized_data``, ``additional_data`` emptied, ``object_repr``
  ``[vernietigd]``); entries of scrubbed objects are scrubbed the same way as the objects. The admin's
  own log (``django_admin_log``) likewise. The deletion itself writes no auditlog entries (they would
  copy every deleted value); the tombstone is its record.
- **Not touched**: the access log (append-only, enforced by triggers; it holds only keyed pseudonyms).

The tombstone (``DestructionRecord``) counts the rows deleted and anonymised per table.
"""

import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from auditlog.context import disable_auditlog
from auditlog.models import LogEntry
from django.contrib.admin.models import LogEntry as AdminLogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, models, transaction
from django.db.models import Exists, OuterRef
from django.db.models.deletion import Collector
from django.utils import timezone

from cases.models import Case, CaseStatus, Family, FamilyMembership, Person
from escalation.models import AgendaItem, CaseConference, ConferenceAddendum
from jobs.models import JobRun

from .models import (
    AccessLogEntry,
    BreakTheGlassGrant,
    DestructionListItem,
    DestructionRecord,
    DestructionStatus,
    LegalHold,
    PrivacyReview,
    SubjectRequest,
)

REMOVED = "[verwijderd]"
DESTROYED = "[vernietigd]"
MONTHS_NL = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)
MONTHS_SHORT_NL = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")
LOG_FIELDS = ("changes", "changes_text", "object_repr", "serialized_data", "additional_data")

Ids = dict[type[models.Model], list[str]]


# --- What identifies the person ------------------------------------------------------------------


def _words(text: str) -> str:
    """A phrase as a regex: each word escaped, any run of whitespace between words."""
    return r"\s+".join(re.escape(word) for word in text.split())


def _name_patterns(person: Person) -> list[str]:
    given = person.given_names.split()
    firsts = {" ".join(given), given[0]} if given else {""}
    prefixes = {person.surname_prefix.strip(), ""}
    names: set[str] = set()
    for first in firsts:
        for prefix in prefixes:
            surname = _words(f"{prefix} {person.surname}")
            names.add(_words(f"{first} {prefix} {person.surname}"))
            names.add(rf"{surname}\s*,\s*{_words(first)}")  # "De Vries, Jan"
            if prefix:
                names.add(rf"{_words(person.surname)}\s*,\s*{_words(f'{first} {prefix}')}")  # "Vries, Jan de"
    return [f"(?<!\\w){name}(?!\\w)" for name in names if name]


def _bsn_patterns(bsn: str | None) -> list[str]:
    if not bsn:
        return []
    return [
        rf"(?<!\d){bsn[:4]}[ .]?{bsn[4:6]}[ .]?{bsn[6:]}(?!\d)",
        rf"(?<!\d){bsn[:3]}[ .]?{bsn[3:6]}[ .]?{bsn[6:]}(?!\d)",
    ]


def _date_patterns(day: dt.date) -> list[str]:
    months = f"(?:{MONTHS_NL[day.month - 1]}|{MONTHS_SHORT_NL[day.month - 1]}\\.?)"
    return [
        rf"(?<!\d){day:%Y-%m-%d}(?!\d)",
        rf"(?<!\d)0?{day.day}[-/.]0?{day.month}[-/.]{day.year}(?!\d)",
        rf"(?<!\d)0?{day.day}\s+{months}\s+{day.year}(?!\d)",
    ]


def identifying_pattern(person: Person) -> re.Pattern[str]:
    """One case-insensitive pattern matching the person's full name (with and without tussenvoegsel,
    first given name only, "achternaam, voornaam"), BSN (plain, 1234.56.789, 123 456 789) and date of
    birth (2004-03-17, 17-03-2004, 17-3-2004, 17/03/2004, 17 maart 2004). Longest alternatives first."""
    patterns = [*_name_patterns(person), *_bsn_patterns(person.bsn), *_date_patterns(person.date_of_birth)]
    return re.compile("|".join(sorted(patterns, key=len, reverse=True)), re.IGNORECASE)


def scrub(value: Any, pattern: re.Pattern[str]) -> Any:
    """``value`` with every match of ``pattern`` replaced by ``[verwijderd]``: strings, and the strings
    (keys too) inside JSON lists and objects. Other values unchanged."""
    if isinstance(value, str):
        return pattern.sub(REMOVED, value)
    if isinstance(value, list):
        return [scrub(item, pattern) for item in value]
    if isinstance(value, dict):
        return {scrub(key, pattern): scrub(item, pattern) for key, item in value.items()}
    return value


# --- Scrubbing and anonymising rows --------------------------------------------------------------


def _scrub_rows(queryset: models.QuerySet[Any], fields: Iterable[str], pattern: re.Pattern[str]) -> list[str]:
    """Scrub ``fields`` of the rows of ``queryset`` (one UPDATE per changed row, only those); returns
    the ids (text) of the rows changed."""
    fields = tuple(fields)
    changed = []
    for row in queryset.values("pk", *fields):
        new = {field: scrub(row[field], pattern) for field in fields}
        new = {field: value for field, value in new.items() if value != row[field]}
        if new:
            queryset.model._default_manager.filter(pk=row["pk"]).update(**new)
            changed.append(str(row["pk"]))
    return changed


def _log_entries(model: type[models.Model], ids: list[str]) -> models.QuerySet[LogEntry]:
    content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
    return LogEntry.objects.filter(content_type=content_type, object_pk__in=ids)


def _anonymise_logs(ids: Ids, anonymised: Counter[str]) -> None:
    """Empty the auditlog and admin-log entries of the deleted objects ``ids`` (one UPDATE per model)."""
    for model, pks in ids.items():
        if not pks or model._meta.auto_created:  # many-to-many rows have no log entries of their own
            continue
        entries = _log_entries(model, pks)
        anonymised["auditlog.LogEntry"] += entries.update(
            changes={}, changes_text="", object_repr=DESTROYED, serialized_data=None, additional_data=None
        )
        content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
        admin = AdminLogEntry.objects.filter(content_type=content_type, object_id__in=pks)
        anonymised["admin.LogEntry"] += admin.update(object_repr=DESTROYED, change_message="")


def _scrub_kept(kept: Ids, pattern: re.Pattern[str], anonymised: Counter[str]) -> None:
    """Scrub the auditlog entries of the kept objects whose text was scrubbed."""
    for model, pks in kept.items():
        if pks:
            anonymised["auditlog.LogEntry"] += len(_scrub_rows(_log_entries(model, pks), LOG_FIELDS, pattern))


# --- Deleting ------------------------------------------------------------------------------------


def _delete(objects: Sequence[models.Model]) -> tuple[Counter[str], Ids]:
    """Delete ``objects`` and everything that cascades from them, without auditlog entries.
    Returns the rows deleted per model label and the ids (text) of every deleted object per model.
    Raises ``django.db.models.ProtectedError`` when a protecting relation is in the way."""
    ids: Ids = defaultdict(list)
    if not objects:
        return Counter(), ids
    collector = Collector(using=DEFAULT_DB_ALIAS, origin=objects[0])
    collector.collect(objects)
    for model, instances in collector.data.items():
        ids[model] += [str(instance.pk) for instance in instances]
    for queryset in collector.fast_deletes:
        ids[queryset.model] += [str(pk) for pk in queryset.values_list("pk", flat=True)]
    with disable_auditlog():
        _, counts = collector.delete()
    return Counter({label: n for label, n in counts.items() if n}), ids


def _repoint_reviews(case: Case, pattern: re.Pattern[str], anonymised: Counter[str], kept: Ids) -> None:
    """Keep each break-the-glass review of the case without its grant: pointed at the access-log row
    of the grant's first use (if it has no row yet), the note scrubbed."""
    grants = list(BreakTheGlassGrant.objects.filter(case=case).values_list("pk", flat=True))
    for review in PrivacyReview.objects.filter(grant__in=grants).select_for_update():
        first_use = AccessLogEntry.objects.filter(purpose__contains=f"noodtoegang: {review.grant_id}").order_by("id").first()
        review.entry_id = review.entry_id or (first_use.pk if first_use else None)
        review.grant_id = None
        review.note = scrub(review.note, pattern)
        PrivacyReview.objects.filter(pk=review.pk).update(entry_id=review.entry_id, grant_id=None, note=review.note)
        anonymised["privacy.PrivacyReview"] += 1
        kept[PrivacyReview].append(str(review.pk))


def _scrub_conferences(case: Case, pattern: re.Pattern[str], anonymised: Counter[str], kept: Ids) -> None:
    """Scrub the minutes of every casusoverleg the case was on — unless another case of the same
    person was on it too (the name there may be about that case)."""
    others = AgendaItem.objects.filter(conference=OuterRef("pk"), case__person=case.person_id).exclude(case=case)
    conferences = CaseConference.objects.filter(items__case=case).exclude(Exists(others))
    changed = _scrub_rows(conferences, ["notes"], pattern)
    anonymised["escalation.CaseConference"] += len(changed)
    kept[CaseConference] += changed
    changed = _scrub_rows(ConferenceAddendum.objects.filter(conference__in=conferences), ["text"], pattern)
    anonymised["escalation.ConferenceAddendum"] += len(changed)
    kept[ConferenceAddendum] += changed


def _erase_person(person: Person, pattern: re.Pattern[str], anonymised: Counter[str], kept: Ids) -> tuple[Counter[str], Ids]:
    """Delete the person (memberships, lifted holds); delete families left empty; scrub surviving
    families (name, description, the other members' justifications) and the person's AVG requests."""
    family_ids = list(FamilyMembership.objects.filter(person=person).values_list("family_id", flat=True))
    requests = SubjectRequest.objects.filter(person=person)
    changed = _scrub_rows(requests, ["description", "decision"], pattern)
    anonymised["privacy.SubjectRequest"] += len(changed)
    kept[SubjectRequest] += changed
    deleted, ids = _delete([person])
    empty = list(Family.objects.filter(pk__in=family_ids).exclude(Exists(FamilyMembership.objects.filter(family=OuterRef("pk")))))
    more, more_ids = _delete(empty)
    deleted.update(more)
    for model, pks in more_ids.items():
        ids[model] += pks
    changed = _scrub_rows(Family.objects.filter(pk__in=family_ids), ["name", "description"], pattern)
    anonymised["cases.Family"] += len(changed)
    kept[Family] += changed
    changed = _scrub_rows(FamilyMembership.objects.filter(family__in=family_ids), ["justification"], pattern)
    anonymised["cases.FamilyMembership"] += len(changed)
    kept[FamilyMembership] += changed
    return deleted, ids


@transaction.atomic
def case_destroy(*, item: DestructionListItem, run: JobRun | None = None) -> DestructionRecord:
    """Destroy the case of the approved list ``item`` and write its tombstone (see the module docstring).

    Raises ``ValidationError`` when the item is not ``goedgekeurd``, its case is gone or no longer
    closed, or a legal hold is in force on the person; ``ProtectedError`` when a protecting relation is
    in the way. Everything is rolled back then.
    """
    item = DestructionListItem.objects.select_for_update().get(pk=item.pk)
    if item.status != DestructionStatus.GOEDGEKEURD or item.case_id is None or item.approved_by_id is None:
        raise ValidationError("Alleen een goedgekeurde casus op de vernietigingslijst wordt vernietigd.")
    case = Case.objects.select_for_update().get(pk=item.case_id)
    person = Person.objects.select_for_update().get(pk=case.person_id)
    if case.status != CaseStatus.AFGESLOTEN or case.closed_on is None:
        raise ValidationError("De casus is niet (meer) afgesloten.")
    if LegalHold.objects.filter(person=person, lifted_at__isnull=True).exists():
        raise ValidationError("Er geldt een bewaarplicht (legal hold) op de persoon.")
    pattern = identifying_pattern(person)
    anonymised: Counter[str] = Counter()
    kept: Ids = defaultdict(list)
    facts = {"case_ref": case.pk, "closing_reason": case.closing_reason, "tier": case.tier, "closed_on": case.closed_on}
    _scrub_conferences(case, pattern, anonymised, kept)
    _repoint_reviews(case, pattern, anonymised, kept)
    deleted, ids = _delete([case])
    person_erased = not Case.objects.filter(person=person).exists()
    if person_erased:
        more, more_ids = _erase_person(person, pattern, anonymised, kept)
        deleted.update(more)
        for model, pks in more_ids.items():
            ids[model] += pks
    _anonymise_logs(ids, anonymised)
    _scrub_kept(kept, pattern, anonymised)
    return _tombstone(item, facts, person_erased=person_erased, deleted=deleted, anonymised=anonymised, run=run)


def _tombstone(
    item: DestructionListItem,
    facts: dict[str, Any],
    *,
    person_erased: bool,
    deleted: Counter[str],
    anonymised: Counter[str],
    run: JobRun | None,
) -> DestructionRecord:
    now = timezone.now()
    record = DestructionRecord(
        item=item,
        case_ref=facts["case_ref"],
        closing_reason=facts["closing_reason"],
        tier=facts["tier"],
        closed_year=facts["closed_on"].year,
        closed_month=facts["closed_on"].month,
        period_months=item.period_months,
        person_erased=person_erased,
        deleted=dict(sorted(deleted.items())),
        anonymised={label: n for label, n in sorted(anonymised.items()) if n},
        approved_by_id=item.approved_by_id or 0,  # set: case_destroy checked it
        approved_at=item.approved_at or now,
        destroyed_at=now,
        job_run=run,
    )
    record.full_clean()
    record.save()
    item.status, item.case, item.error = DestructionStatus.VERNIETIGD, None, ""
    item.save(update_fields=["status", "case", "error"])
    return record
