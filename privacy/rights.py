"""The rights of the person concerned: inzage, rectificatie and wissing (AVG art. 12, 15, 16, 17;
DOMAIN.md §8; issue #4 "Rights of the person concerned").

Only the privacy officer (``Role.PRIVACY_OFFICER``) registers and decides requests; every service here
checks that again inside its transaction, after the view did.

- **Requests** (``SubjectRequest``) are answered within one month of receipt (AVG art. 12(3)):
  ``due_on = received_on + 1 month`` with ``dateutil.relativedelta``, so 31 January gives 28 or 29
  February. A decision is ``toegewezen``, ``deels_toegewezen`` or ``afgewezen`` with a reasoned text
  (art. 12(4): a refusal states its reasons), the deciding user and the UTC time; it is never changed.
- **Inzage** (art. 15): ``inzage(person)`` gathers everything held about the person, per category of
  DOMAIN.md §8, each item with its source organisation and legal basis where the record has them, and
  the disclosure register — which organisations and users saw or received what, when and on which basis —
  from the access log rows carrying the person's pseudonym (``privacy.pseudonyms``). The number of
  queries does not depend on the number of cases or records.
- **Rectificatie** (art. 16): the correction itself is made by the case director through the normal
  edit pages; django-auditlog keeps the old and new values, which ``history(person)`` shows.
- **Wissing** (art. 17) is a decision, not a button: it may be refused with reasons, lawfully so where
  keeping the data protects a third party such as a child (art. 17(3), art. 23 AVG; DOMAIN.md §8). An
  active legal hold (``LegalHold``) blocks granting it. Granting only records the decision: the actual
  destruction or anonymisation is done by the retention job of issue #5, which nothing here replaces.

``SubjectRequest`` and ``LegalHold`` are audited with django-auditlog (registered below; the module
is imported when the app is ready).
"""

import dataclasses
import datetime as dt
import json
from collections.abc import Iterable, Sequence
from typing import Any

from auditlog.models import LogEntry
from auditlog.registry import auditlog
from dateutil.relativedelta import relativedelta
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.utils import formats, timezone

from partners.models import Role, User

from .categories import Category
from .models import AccessLogEntry, LegalHold, Outcome, RequestKind, RequestStatus, SubjectRequest
from .pseudonyms import pseudonym

for _model in (SubjectRequest, LegalHold):
    if not auditlog.contains(_model):
        auditlog.register(_model)

DECIDED_STATUSES = (RequestStatus.GRANTED, RequestStatus.PARTLY, RequestStatus.REFUSED)
"""The outcomes of a decision (``open`` is the state before it)."""

HOLD_BLOCKS = "Er geldt een bewaarplicht (legal hold): "
"""Start of the message that refuses to grant an erasure while a legal hold is in force."""

HISTORY_LIMIT = 500
"""At most this many auditlog entries on a correction request's page (newest first)."""


# --- who may -------------------------------------------------------------------------------------


def is_privacy_officer(user: Any) -> bool:
    """A signed-in privacy officer whose organisation takes part today (``privacy.services``)."""
    from .services import is_privacy_officer as officer_today

    return officer_today(user)


def _require_officer(user: Any) -> None:
    if not is_privacy_officer(user):
        raise PermissionDenied("Alleen de privacyfunctionaris behandelt verzoeken van betrokkenen.")


# --- requests ------------------------------------------------------------------------------------


def due_on_for(received_on: dt.date) -> dt.date:
    """The last day to answer a request received on ``received_on``: one calendar month later
    (AVG art. 12(3)); at a month's end the last day of the shorter month (31 Jan → 28/29 Feb)."""
    return received_on + relativedelta(months=1)


def _save(instance: models.Model) -> None:
    instance.full_clean()
    instance.save()


@transaction.atomic
def request_register(*, actor: User, person: Any, kind: str, received_on: dt.date, description: str) -> SubjectRequest:
    """Register a request of ``kind`` (inzage, correctie, verwijdering) for ``person``, received on
    ``received_on``; its due date follows from ``due_on_for``. Raises ``ValidationError`` (Dutch)."""
    _require_officer(actor)
    errors: dict[str, str] = {}
    if person is None:
        errors["person"] = "Kies de persoon om wie het gaat."
    if kind not in RequestKind.values:
        errors["kind"] = "Kies inzage, correctie of verwijdering."
    if received_on > timezone.localdate():
        errors["received_on"] = "De ontvangstdatum ligt in de toekomst."
    if not (description or "").strip():
        errors["description"] = "Omschrijf het verzoek."
    if errors:
        raise ValidationError(errors)
    subject_request = SubjectRequest(
        person=person,
        kind=kind,
        received_on=received_on,
        due_on=due_on_for(received_on),
        description=description,
        registered_by=actor,
    )
    _save(subject_request)
    return subject_request


def requests_open(today: dt.date | None = None) -> QuerySet[SubjectRequest]:
    """Open requests, the most urgent first, each annotated ``overdue`` (due date before ``today``)."""
    today = today or timezone.localdate()
    return (
        SubjectRequest.objects.filter(status=RequestStatus.OPEN)
        .select_related("person")
        .annotate(overdue=ExpressionWrapper(Q(due_on__lt=today), output_field=BooleanField()))
        .order_by("due_on", "received_on", "id")
    )


def requests_decided(limit: int = 25) -> QuerySet[SubjectRequest]:
    """The most recently decided requests."""
    return (
        SubjectRequest.objects.exclude(status=RequestStatus.OPEN)
        .select_related("person", "decided_by")
        .order_by("-decided_at")[:limit]
    )


@transaction.atomic
def request_decide(*, actor: User, subject_request: SubjectRequest, status: str, decision: str) -> SubjectRequest:
    """Decide an open request: ``status`` toegewezen / deels_toegewezen / afgewezen with the reasoned
    ``decision`` text (AVG art. 12(4)), recording the decider and the time (UTC).

    For an erasure request (art. 17) an active legal hold on the person blocks granting it, wholly or
    partly: ``ValidationError("Er geldt een bewaarplicht (legal hold): …")``. Refusing stays possible —
    lawfully so where keeping the data protects a third party, e.g. a child. Granting an erasure only
    records the decision; the destruction itself is the retention job's (issue #5).

    A decision is final: deciding a request that is no longer open raises ``ValidationError``.
    """
    _require_officer(actor)
    # Lock the request, and the person so that no legal hold can be placed meanwhile (hold_place locks too).
    locked = SubjectRequest.objects.select_for_update().get(pk=subject_request.pk)
    if locked.status != RequestStatus.OPEN:
        raise ValidationError("Over dit verzoek is al besloten; een besluit wordt niet gewijzigd.")
    errors: dict[str, str] = {}
    if status not in DECIDED_STATUSES:
        errors["status"] = "Kies toegewezen, deels toegewezen of afgewezen."
    if not (decision or "").strip():
        errors["decision"] = "Schrijf het besluit met de motivering."
    if errors:
        raise ValidationError(errors)
    if locked.kind == RequestKind.VERWIJDERING and status != RequestStatus.REFUSED and locked.person_id is not None:
        _lock_person(locked.person_id)
        holds = list(active_holds(locked.person_id))
        if holds:
            reasons = "; ".join(hold.reason.strip() for hold in holds)
            raise ValidationError(
                {"status": f"{HOLD_BLOCKS}{reasons} Hef de bewaarplicht eerst op, of wijs het verzoek gemotiveerd af."}
            )
    locked.status = status
    locked.decision = decision
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    _save(locked)
    return locked


# --- legal holds ---------------------------------------------------------------------------------


def _lock_person(person_id: Any) -> None:
    from cases.models import Person

    Person.objects.select_for_update().filter(pk=person_id).values_list("pk", flat=True).first()


def active_holds(person_id: Any) -> QuerySet[LegalHold]:
    """The legal holds in force on the person (placed, not lifted)."""
    return LegalHold.objects.filter(person_id=person_id, lifted_at__isnull=True).select_related("placed_by")


@transaction.atomic
def hold_place(*, actor: User, person: Any, reason: str) -> LegalHold:
    """Place a legal hold on ``person``: while in force, no erasure request can be granted."""
    _require_officer(actor)
    if not (reason or "").strip():
        raise ValidationError({"reason": "Geef de reden van de bewaarplicht."})
    _lock_person(person.pk)
    hold = LegalHold(person=person, reason=reason, placed_by=actor, placed_at=timezone.now())
    _save(hold)
    return hold


@transaction.atomic
def hold_lift(*, actor: User, hold: LegalHold) -> LegalHold:
    """Lift a legal hold (it stays on record with who lifted it and when)."""
    _require_officer(actor)
    locked = LegalHold.objects.select_for_update().get(pk=hold.pk)
    if locked.lifted_at is not None:
        raise ValidationError("Deze bewaarplicht is al opgeheven.")
    locked.lifted_by = actor
    locked.lifted_at = timezone.now()
    _save(locked)
    return locked


# --- inzage (AVG art. 15) ------------------------------------------------------------------------


@dataclasses.dataclass
class Field:
    """One value: ``name`` (the model field), ``label`` (Dutch), ``value`` (JSON-safe), ``display`` (Dutch text)."""

    name: str
    label: str
    value: Any
    display: str


@dataclasses.dataclass
class Item:
    """One record (or the part of a record in one category), with its provenance where known."""

    kind: str
    title: str
    id: str
    fields: list[Field]
    source_organisation: str | None = None
    legal_basis: str | None = None


@dataclasses.dataclass
class Section:
    category: str
    label: str
    items: list[Item]


@dataclasses.dataclass
class DisclosureRow:
    """One row of the disclosure register (an allowed access-log row about the person)."""

    at: dt.datetime
    organisation: str
    role: str
    user: str
    application: str
    action: str
    object_type: str
    categories: list[str]
    purpose: str
    break_the_glass: bool


@dataclasses.dataclass
class Inzage:
    person_id: str
    generated_at: dt.datetime
    sections: list[Section]
    register: list[DisclosureRow]

    def as_json(self) -> dict[str, Any]:
        """The same content as the HTML page, JSON-safe (dates ISO 8601, times UTC)."""
        return {
            "person": self.person_id,
            "generated_at": self.generated_at.isoformat(),
            "categories": [
                {
                    "category": section.category,
                    "label": section.label,
                    "items": [
                        {
                            "kind": item.kind,
                            "title": item.title,
                            "id": item.id,
                            "fields": [
                                {"name": f.name, "label": f.label, "value": f.value, "display": f.display} for f in item.fields
                            ],
                            **({"source_organisation": item.source_organisation} if item.source_organisation is not None else {}),
                            **({"legal_basis": item.legal_basis} if item.legal_basis is not None else {}),
                        }
                        for item in section.items
                    ],
                }
                for section in self.sections
            ],
            "disclosure_register": [
                {
                    "at": row.at.isoformat(),
                    "organisation": row.organisation,
                    "role": row.role,
                    "user": row.user,
                    "application": row.application,
                    "action": row.action,
                    "object_type": row.object_type,
                    "categories": row.categories,
                    "purpose": row.purpose,
                    "break_the_glass": row.break_the_glass,
                }
                for row in self.register
            ],
        }


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool | int | float | str) or value is None:
        return value
    if isinstance(value, dict | list):
        return value
    return str(value)


def _display(value: Any) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return "Ja" if value else "Nee"
    if isinstance(value, dt.datetime):
        return formats.date_format(timezone.localtime(value), "j F Y H:i")
    if isinstance(value, dt.date):
        return formats.date_format(value, "j F Y")
    return str(value)


# Dutch labels for fields the models leave without a verbose name.
LABELS = {
    "author": "auteur",
    "decided_by": "besloten door",
    "proposed_by": "voorgesteld door",
    "from_value": "van",
    "to_value": "naar",
    "changed_at": "gewijzigd op",
    "added_at": "toegevoegd op",
    "created_at": "aangemaakt op",
}


def _field(obj: models.Model, name: str, label: str | None = None, value: Any = None) -> Field:
    """The field ``name`` of ``obj``: its verbose name, its value, choices as their label, related
    objects as their text (the caller ``select_related`` them: no query here)."""
    try:
        model_field = obj._meta.get_field(name)
        verbose = str(getattr(model_field, "verbose_name", name))
    except FieldDoesNotExist:
        model_field, verbose = None, name
    if verbose == name.replace("_", " "):
        verbose = LABELS.get(name, verbose)
    if value is None:
        value = getattr(obj, name)
    choices = getattr(model_field, "choices", None)
    if choices and isinstance(value, str):
        display = str(dict(choices).get(value, value)) if value else "–"
        return Field(name, label or verbose, value, display)
    if isinstance(value, models.Model):
        return Field(name, label or verbose, str(value), str(value))
    if isinstance(value, dict | list):
        return Field(name, label or verbose, value, json.dumps(value, ensure_ascii=False, indent=1, cls=DjangoJSONEncoder))
    return Field(name, label or verbose, _json_value(value), _display(value))


def advice_text(recommendation: dict[str, Any]) -> str:
    """The stored advice (``Decision.recommendation``) as Dutch lines for a reader, not as JSON:
    the recommended tier, then each criterion with its verdict and facts."""
    from cases.models import Tier  # privacy imports the other apps. models lazily
    from escalation.criteria import LABELS as CRITERION_LABELS

    tiers = dict(Tier.choices)
    verdicts = {True: "voldaan", False: "niet voldaan", None: "door de regisseurs te beoordelen"}
    lines = [f"Geadviseerd niveau: {tiers.get(recommendation.get('recommended_tier', ''), '–')}"]
    for criterion in recommendation.get("criteria", []):
        label = CRITERION_LABELS.get(criterion.get("code", ""), criterion.get("code", ""))
        lines.append(f"{label}: {verdicts.get(criterion.get('met'), '–')}")
        lines.extend(f"  – {fact}" for fact in criterion.get("facts", []))
    return "\n".join(lines)


def _fields(obj: models.Model, names: Iterable[str]) -> list[Field]:
    return [_field(obj, name) for name in names]


def _org(organisation: Any) -> str | None:
    return str(organisation) if organisation is not None else None


PERSON_IDENTIFICATION = ("bsn", "given_names", "surname_prefix", "surname", "date_of_birth", "gender", "wijk")
CASE_PLAN_FIELDS = (
    "tier",
    "status",
    "target_group",
    "registering_organisation",
    "case_director",
    "process_director",
    "opened_on",
    "reopened_on",
    "closed_on",
    "closing_reason",
    "closing_note",
)


def inzage(person: Any) -> Inzage:
    """Everything held about ``person`` per category, and the disclosure register (AVG art. 15(1)
    and (3); DOMAIN.md §8). A bounded number of queries, whatever the number of cases or records.

    Records that belong to one category as a whole are placed there (offences and detentions
    ``justitieel``; goals, actions and the team ``plan``; family memberships ``netwerk``); free text
    goes to the category its author chose (journal entries, rationales, conference notes); the
    leefgebied scores are split by their category (``privacy.policy.FIELDS``). Third parties' data
    (other members of a family) is left out (art. 15(4)).
    """
    from cases.models import (
        Action,
        Assessment,
        Case,
        CaseChange,
        CaseTeamMember,
        Detention,
        FamilyMembership,
        Goal,
        JournalEntry,
        Offence,
        Person,
    )
    from escalation.models import AgendaItem, Decision, FlagKind, Proposal, ReviewFlag

    person = Person.objects.select_related("wijk").get(pk=person.pk)
    sections: dict[str, list[Item]] = {category.value: [] for category in Category}

    def add(category: str, item: Item) -> None:
        sections[Category(category).value].append(item)

    pid = str(person.pk)
    add(Category.IDENTIFICATIE, Item("person", "Persoonsgegevens", pid, _fields(person, PERSON_IDENTIFICATION)))
    add(Category.ZORG, Item("person", "Licht verstandelijke beperking", pid, _fields(person, ("lvb",))))
    add(
        Category.PLAN,
        Item("person", "Informeren van de betrokkene", pid, _fields(person, ("informed_on", "not_informed_reason"))),
    )

    cases = list(
        Case.objects.filter(person=person)
        .select_related("registering_organisation", "case_director", "process_director")
        .order_by("opened_on", "created_at")
    )
    case_titles = {case.pk: f"casus {number}, geopend {_display(case.opened_on)}" for number, case in enumerate(cases, 1)}

    def of(case_id: Any) -> str:
        return f" ({case_titles[case_id]})" if case_id in case_titles else ""

    for case in cases:
        add(
            Category.PLAN,
            Item(
                "case", f"Casus{of(case.pk)}", str(case.pk), _fields(case, CASE_PLAN_FIELDS), _org(case.registering_organisation)
            ),
        )
        add(
            Category.JUSTITIEEL,
            Item("case", f"Netwerk in de drugswereld{of(case.pk)}", str(case.pk), _fields(case, ("drug_network_indication",))),
        )

    for member in CaseTeamMember.objects.filter(case__person=person).select_related("organisation", "user").order_by("starts_on"):
        fields = [_field(member, "organisation") if member.organisation_id else _field(member, "user")]
        fields += _fields(member, ("starts_on", "ends_on"))
        add(Category.PLAN, Item("team", f"Lid van het casusteam{of(member.case_id)}", str(member.pk), fields))

    for change in CaseChange.objects.filter(case__person=person).order_by("changed_at"):
        fields = [*_fields(change, ("kind", "from_value", "to_value", "reason", "changed_at"))]
        add(Category.PLAN, Item("case_change", f"Wijziging van de casus{of(change.case_id)}", str(change.pk), fields))

    for offence in Offence.objects.filter(case__person=person).select_related("offence_type", "source_organisation"):
        fields = [
            _field(offence, "committed_on"),
            _field(offence, "offence_type", value=f"{offence.offence_type.name} ({offence.offence_type.statute})"),
            _field(offence, "outcome"),
            _field(offence, "description"),
        ]
        add(
            Category.JUSTITIEEL,
            Item(
                "offence",
                f"Delict{of(offence.case_id)}",
                str(offence.pk),
                fields,
                _org(offence.source_organisation),
                offence.legal_basis,
            ),
        )

    for detention in Detention.objects.filter(case__person=person).select_related("source_organisation"):
        fields = _fields(detention, ("institution", "started_on", "expected_release_on", "released_on"))
        add(
            Category.JUSTITIEEL,
            Item(
                "detention",
                f"Detentie{of(detention.case_id)}",
                str(detention.pk),
                fields,
                _org(detention.source_organisation),
                detention.legal_basis,
            ),
        )

    for assessment in Assessment.objects.filter(case__person=person):
        aid, basis = str(assessment.pk), assessment.legal_basis
        add(
            Category.ZORG,
            Item(
                "assessment",
                f"Beoordeling leefgebied zorg{of(assessment.case_id)}",
                aid,
                _fields(assessment, ("assessed_on", "zorg")),
                None,
                basis,
            ),
        )
        social = _fields(assessment, ("assessed_on", "dagbesteding", "huisvesting", "identiteitsbewijs", "inkomen"))
        add(
            Category.SOCIAAL,
            Item("assessment", f"Beoordeling sociale leefgebieden{of(assessment.case_id)}", aid, social, None, basis),
        )
        plan = _fields(assessment, ("assessed_on", "motivatie", "note"))
        add(
            Category.PLAN,
            Item("assessment", f"Beoordeling motivatie en toelichting{of(assessment.case_id)}", aid, plan, None, basis),
        )

    for entry in JournalEntry.objects.filter(case__person=person).select_related("organisation", "author"):
        fields = _fields(entry, ("kind", "occurred_on", "text", "author"))
        add(
            entry.category,
            Item(
                "journal", f"Journaalregel{of(entry.case_id)}", str(entry.pk), fields, _org(entry.organisation), entry.legal_basis
            ),
        )

    for goal in Goal.objects.filter(plan__case__person=person).select_related("plan"):
        add(
            Category.PLAN,
            Item("goal", f"Doel{of(goal.plan.case_id)}", str(goal.pk), _fields(goal, ("leefgebied", "description", "achieved"))),
        )

    actions = Action.objects.filter(goal__plan__case__person=person).select_related(
        "owning_organisation", "responsible_user", "intervention", "goal__plan"
    )
    for action in actions:
        fields = _fields(action, ("description", "kind", "status", "due_on", "responsible_user", "intervention"))
        add(
            Category.PLAN,
            Item("action", f"Actie{of(action.goal.plan.case_id)}", str(action.pk), fields, _org(action.owning_organisation)),
        )

    for decision in Decision.objects.filter(case__person=person).select_related("decided_by", "decided_by_organisation"):
        names = ["kind", "from_tier", "to_tier", "from_status", "to_status", "closing_reason", "rationale"]
        names += ["override_reason", "decided_by", "decided_by_role", "decided_on"]
        fields = [f for f in _fields(decision, names) if f.value not in ("", None)]
        add(
            decision.rationale_category,
            Item("decision", f"Besluit{of(decision.case_id)}", str(decision.pk), fields, _org(decision.decided_by_organisation)),
        )
        if decision.recommendation:
            # The rule engine's advice at that moment holds offence and detention facts (issue #4).
            advice = _field(decision, "recommendation", value=decision.recommendation)
            advice = Field(advice.name, advice.label, advice.value, advice_text(decision.recommendation))
            add(
                Category.JUSTITIEEL, Item("decision", f"Advies bij het besluit{of(decision.case_id)}", str(decision.pk), [advice])
            )

    for proposal in Proposal.objects.filter(case__person=person).select_related("proposed_by", "organisation"):
        fields = _fields(proposal, ("from_tier", "to_tier", "rationale", "status", "proposed_by", "created_at"))
        add(
            proposal.rationale_category,
            Item("proposal", f"Voorstel{of(proposal.case_id)}", str(proposal.pk), fields, _org(proposal.organisation)),
        )

    # The nightly jobs' signals (issue #5) with how they were handled; an exit review rests on the
    # date of the last offence, so it is justitieel like that date.
    for flag in ReviewFlag.objects.filter(case__person=person).select_related("closed_by"):
        names = ["kind", "status", "reason", "basis_on", "raised_on", "due_on", "closed_on", "closed_by", "closing_note"]
        fields = [f for f in _fields(flag, names) if f.value not in ("", None)]
        category = Category.JUSTITIEEL if flag.kind == FlagKind.UITSTROOM else Category.PLAN
        add(category, Item("review_flag", f"Signaal{of(flag.case_id)}", str(flag.pk), fields))

    for agenda_item in AgendaItem.objects.filter(case__person=person).select_related("conference"):
        fields = [
            _field(agenda_item, "conference", label="casusoverleg", value=_display(agenda_item.conference.starts_at)),
            _field(agenda_item, "source"),
            _field(agenda_item, "notes"),
        ]
        add(
            agenda_item.notes_category,
            Item("agenda_item", f"Agendapunt casusoverleg{of(agenda_item.case_id)}", str(agenda_item.pk), fields),
        )

    memberships = FamilyMembership.objects.filter(person=person).select_related("family")
    for membership in memberships:
        fields = [
            _field(membership, "family", label="familie", value=membership.family.name),
            _field(membership.family, "description", label="toelichting familie"),
            *_fields(membership, ("role", "justification", "added_at")),
        ]
        add(Category.NETWERK, Item("family", "Familie", str(membership.pk), fields))

    return Inzage(
        person_id=pid,
        generated_at=timezone.now(),
        sections=[Section(category.value, str(category.label), sections[category.value]) for category in Category],
        register=disclosure_register(person.pk),
    )


def disclosure_register(person_id: Any) -> list[DisclosureRow]:
    """Who saw or received the person's data: every allowed access-log row with the person's
    pseudonym, oldest first (one query). Denied attempts disclosed nothing and are left out."""
    labels = dict(Category.choices)
    roles = dict(Role.choices)
    entries = (
        AccessLogEntry.objects.filter(subjects__pseudonym=pseudonym(person_id), outcome=Outcome.ALLOWED)
        .select_related("organisation", "user")
        .order_by("at", "id")
    )
    return [
        DisclosureRow(
            at=entry.at,
            organisation=str(entry.organisation) if entry.organisation is not None else "",
            role=str(roles.get(entry.role, entry.role)),
            user=str(entry.user) if entry.user is not None else "",
            application=entry.application,
            action=entry.get_action_display(),
            object_type=entry.object_type_label,
            categories=[str(labels.get(category, category)) for category in entry.categories],
            purpose=entry.purpose,
            break_the_glass=entry.break_the_glass,
        )
        for entry in entries
    ]


# --- correction history (AVG art. 16) ------------------------------------------------------------


@dataclasses.dataclass
class Change:
    field: str
    old: str
    new: str


@dataclasses.dataclass
class HistoryRow:
    timestamp: dt.datetime
    actor: str
    action: str
    record: str
    record_repr: str
    changes: list[Change]


_ACTIONS = {LogEntry.Action.CREATE: "aangemaakt", LogEntry.Action.UPDATE: "gewijzigd", LogEntry.Action.DELETE: "verwijderd"}


def history(person: Any, limit: int = HISTORY_LIMIT) -> list[HistoryRow]:
    """The auditlog history of the person's records — the person, their family memberships, their
    cases and everything under them — newest first, at most ``limit`` rows, with old and new values
    per field (choices as their labels; users, organisations and reference data by name, other related
    records by id). A bounded number of queries: the record ids per kind of record, the log entries,
    then one per kind of name."""
    from cases.models import (
        Action,
        Assessment,
        Case,
        CaseChange,
        CasePlan,
        CaseTeamMember,
        Detention,
        FamilyMembership,
        Goal,
        JournalEntry,
        Offence,
        Person,
    )

    related: Sequence[tuple[type[models.Model], QuerySet[Any]]] = (
        (Case, Case.objects.filter(person=person)),
        (FamilyMembership, FamilyMembership.objects.filter(person=person)),
        (CaseTeamMember, CaseTeamMember.objects.filter(case__person=person)),
        (CaseChange, CaseChange.objects.filter(case__person=person)),
        (Offence, Offence.objects.filter(case__person=person)),
        (Detention, Detention.objects.filter(case__person=person)),
        (Assessment, Assessment.objects.filter(case__person=person)),
        (JournalEntry, JournalEntry.objects.filter(case__person=person)),
        (CasePlan, CasePlan.objects.filter(case__person=person)),
        (Goal, Goal.objects.filter(plan__case__person=person)),
        (Action, Action.objects.filter(goal__plan__case__person=person)),
    )
    types = ContentType.objects.get_for_models(Person, *(model for model, _ in related))
    condition = Q(content_type=types[Person], object_pk=str(person.pk))
    for model, queryset in related:
        # The ids as auditlog writes them (``str(pk)``); fetched, not cast in SQL, so SQLite (the demo) agrees.
        ids = [str(pk) for pk in queryset.values_list("pk", flat=True)]
        if ids:
            condition |= Q(content_type=types[model], object_pk__in=ids)
    entries = list(
        LogEntry.objects.filter(condition).select_related("actor", "content_type").order_by("-timestamp", "-id")[:limit]
    )
    names = _Names.for_entries(entries)
    rows = []
    for entry in entries:
        model = entry.content_type.model_class()
        changes = []
        for name, values in (entry.changes_dict or {}).items():
            field = _concrete_field(model, name)
            if field is None or name in HISTORY_SKIPPED:
                continue
            old, new = [*values, None, None][:2] if isinstance(values, list | tuple) else (None, values)
            changes.append(Change(_history_label(field), names.display(field, old), names.display(field, new)))
        rows.append(
            HistoryRow(
                timestamp=entry.timestamp,
                actor=str(entry.actor) if entry.actor is not None else "systeem",
                action=_ACTIONS.get(entry.action, str(entry.action)),
                record=str(model._meta.verbose_name) if model is not None else entry.content_type.model,
                record_repr=entry.object_repr,
                changes=changes,
            )
        )
    return rows


HISTORY_SKIPPED = frozenset({"id", "created_at", "updated_at", "recorded_at", "added_at"})
"""Bookkeeping fields left out of the correction history (the row has its own time)."""

HISTORY_LABELS = {
    **LABELS,
    "case": "casus",
    "plan": "plan",
    "goal": "doel",
    "family": "familie",
    "organisation": "organisatie",
    "created_by": "aangemaakt door",
    "recorded_by": "vastgelegd door",
    "added_by": "toegevoegd door",
    "assessed_by": "beoordeeld door",
    "changed_by": "gewijzigd door",
    "from_user": "van gebruiker",
    "to_user": "naar gebruiker",
}


def _concrete_field(model: Any, name: str) -> Any:
    """The concrete field ``name`` of ``model`` (not a reverse relation), or ``None``."""
    if model is None:
        return None
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return field if getattr(field, "concrete", False) else None


def _history_label(field: Any) -> str:
    verbose = str(field.verbose_name)
    return HISTORY_LABELS.get(field.name, verbose) if verbose == field.name.replace("_", " ") else verbose


class _Names:
    """Texts for the ids of users, organisations and reference data in auditlog values: one query per
    related model for all entries together, never one per value."""

    def __init__(self, texts: dict[tuple[type[models.Model], str], str]) -> None:
        self.texts = texts

    @classmethod
    def for_entries(cls, entries: Sequence[LogEntry]) -> "_Names":
        from cases.models import Intervention, OffenceType, Wijk
        from partners.models import Organisation

        resolvable = (User, Organisation, OffenceType, Wijk, Intervention)
        wanted: dict[type[models.Model], set[str]] = {model: set() for model in resolvable}
        for entry in entries:
            model = entry.content_type.model_class()
            for name, values in (entry.changes_dict or {}).items():
                field = _concrete_field(model, name)
                target = getattr(field, "related_model", None) if field is not None and field.many_to_one else None
                if target in wanted and isinstance(values, list | tuple):
                    wanted[target].update(str(value) for value in values if value not in (None, "None", ""))
        texts: dict[tuple[type[models.Model], str], str] = {}
        for model, ids in wanted.items():
            valid = [value for value in ids if value.isdigit()]
            for obj in model._default_manager.filter(pk__in=valid):
                texts[(model, str(obj.pk))] = str(obj)
        return cls(texts)

    def display(self, field: Any, value: Any) -> str:
        if value in (None, "None", ""):
            return "–"
        text = str(value)
        if field.choices:
            return str(dict(field.choices).get(text, text))
        if field.many_to_one:
            return self.texts.get((field.related_model, text), text)
        if isinstance(field, models.BooleanField):
            return {"True": "Ja", "False": "Nee"}.get(text, text)
        if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
            try:
                return _display(dt.date.fromisoformat(text))
            except ValueError:
                return text
        return text
