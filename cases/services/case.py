"""Writes on the case itself: registration (aanmelding), direction, moves applied by decisions,
the person and their family, and the team. See ``cases.services`` for the rules every service keeps."""

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils import timezone

from partners.models import Organisation, Role, User
from privacy.categories import Category
from privacy.grants import case_permissions_sync

from .. import access, selectors
from ..access import Act
from ..models import (
    Case,
    CaseChange,
    CasePlan,
    CaseStatus,
    CaseTeamMember,
    Family,
    FamilyMembership,
    Person,
    TargetGroup,
    Tier,
)
from ..models import person as person_model
from .sharing import categories_of, require_writes


def _save(instance: Model) -> None:
    instance.full_clean()
    instance.save()


def _assign(instance: Model, fields: dict[str, Any], allowed: frozenset[str] | set[str]) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "Dit veld kunt u hier niet wijzigen."))
    for name, value in fields.items():
        setattr(instance, name, value)


def _relation(actor: User, case: Case) -> access.Relation:
    rel = access.relation(actor, case)
    if not rel.is_member:
        raise PermissionDenied("U heeft geen toegang tot deze casus.")
    return rel


# --- Registration (aanmelding) -----------------------------------------------------------------

PERSON_FIELDS = frozenset(person_model.PERSON_FIELDS)


@transaction.atomic
def case_register(
    *,
    actor: User,
    target_group: str,
    person: Person | None = None,
    person_data: dict[str, Any] | None = None,
    tier: str = Tier.BASISINZET,
    case_director: User | None = None,
    process_director: User | None = None,
    team_organisations: list[Organisation] | None = None,
    confirm_new_person: bool = False,
) -> Case:
    """Register a person (new, from ``person_data``, or an existing ``person`` the actor may see).

    Only users of registering organisations (DOMAIN.md §5.7). The case starts ``aangemeld`` with an
    empty plan. The registering organisation joins the team — so the registrant, their colleagues and
    their application keep sight of it, and a municipal aanmelding without a director is an intake
    any PGA-expert can pick up — unless the registrant directs the case themselves (then they see it
    as its director). ``team_organisations`` join too. Raises ``PermissionDenied`` or ``ValidationError``
    (e.g. a BSN already known, a person with a case that is still open). An aanmelding never sets
    ``zvhru``; one for Top X brings the Zorg- en Veiligheidshuis into the team (issue #3). A new person whose surname
    and date of birth match someone already known is refused until ``confirm_new_person`` says the
    registrant checked that it is someone else.
    """
    if not access.may_register(actor):
        raise PermissionDenied("Uw organisatie mag niemand aanmelden.")
    if tier == Tier.ZVHRU:
        raise ValidationError(
            {"tier": "Een aanmelding zet nooit Top X (ZVHRU): dat besluit de procesregisseur in het casusoverleg."}
        )
    if (person is None) == (person_data is None):
        raise ValidationError({"person": "Geef een nieuwe persoon óf een bestaande persoon."})
    if person is None:
        if (person_data or {}).get("lvb"):
            require_writes(actor, Category.ZORG)  # lvb is health data (DOMAIN.md §8, issue #4)
        person = _person_create(actor=actor, data=person_data or {}, confirm_new_person=confirm_new_person)
    elif not selectors.persons_visible_to(actor).filter(pk=person.pk).exists():
        raise ValidationError({"person_id": "Onbekende persoon."})
    if selectors.open_case_of(person) is not None:
        raise ValidationError({"person": "Deze persoon heeft al een lopende casus."})
    case = Case(
        person=person,
        target_group=target_group,
        tier=tier,
        registering_organisation=actor.organisation,
        registered_by=actor,
        case_director=case_director,
        process_director=process_director,
    )
    _check_directors(case)
    _save_unique(case, {"person": "Deze persoon heeft al een lopende casus."})
    CasePlan.objects.create(case=case)
    organisations = set(team_organisations or [])
    if actor not in (case_director, process_director) and actor.organisation is not None:
        organisations.add(actor.organisation)
    if target_group == TargetGroup.TOP_X:  # the ZVHRU's process directors see every Top X aanmelding (issue #3)
        organisations.add(Organisation.objects.get(code=settings.PGA_ZVH_ORGANISATION_CODE))
    for organisation in sorted(organisations, key=lambda o: o.pk):
        if not organisation.is_active_on():
            raise ValidationError({"team_organisations": f"{organisation} neemt niet (meer) deel."})
        _save(CaseTeamMember(case=case, organisation=organisation, added_by=actor))
    case_permissions_sync(case)  # in this transaction: the same request reads through the rows (issue #4)
    return case


def _save_unique(instance: Model, errors: dict[str, str]) -> None:
    """Save, turning a unique-constraint race (two registrations at once) into a ``ValidationError``."""
    instance.full_clean()
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError:
        raise ValidationError(errors) from None


def _person_create(*, actor: User, data: dict[str, Any], confirm_new_person: bool) -> Person:
    person = Person()
    _assign(person, data, PERSON_FIELDS)
    person.full_clean(validate_unique=False, validate_constraints=False)
    if person.bsn:
        check = selectors.person_duplicates(actor, bsn=person.bsn)
        if check.known_elsewhere:
            raise ValidationError({"bsn": check.known_message})
        if check.visible:
            raise ValidationError({"bsn": "Deze persoon staat al in het systeem; kies de bestaande persoon."})
    if not confirm_new_person:
        by_name = selectors.person_duplicates(actor, surname=person.surname, date_of_birth=person.date_of_birth)
        if by_name.found:
            whom = f" {by_name.known_message}" if by_name.known_elsewhere else ""
            message = (
                f"Er is al iemand met deze achternaam en geboortedatum bekend.{whom} Is dit een andere persoon, bevestig dat dan."
            )
            raise ValidationError({"confirm_new_person": message})
    _save_unique(person, {"bsn": "Dit BSN is al bekend."})
    return person


def _check_directors(case: Case) -> None:
    errors = {}
    if case.case_director is not None and (
        case.case_director.role != Role.CASE_DIRECTOR or not case.case_director.has_access_on()
    ):
        errors["case_director"] = "Kies een actieve PGA-expert (casusregisseur)."
    if case.process_director is not None and (
        case.process_director.role != Role.PROCESS_DIRECTOR or not case.process_director.has_access_on()
    ):
        errors["process_director"] = "Kies een actieve procesregisseur."
    if errors:
        raise ValidationError(errors)


# --- Directing a case: target group, directors, drug-network indication ----------------------

# A hand-over of direction is a recorded change and needs a written reason (issue #2).
DECISION_FIELDS = frozenset({"case_director", "process_director"})
CASE_FIELDS = frozenset({"target_group", "case_director", "process_director", "closing_note"})
# Tier and status change only by a decision (escalation.services.decision_make → case_move_apply).
MOVE_FIELDS = frozenset({"tier", "status", "case_director", "process_director"})


@transaction.atomic
def case_update(*, actor: User, case: Case, reason: str = "", **changes: Any) -> Case:
    """Change the target group, the directors (a hand-over) or the drug-network indication.

    The drug-network indication is recorded by straf partners; everything else by the case's
    directors. A change of director needs a ``reason`` and is recorded as ``CaseChange``. Tier and
    status are not changed here: they move only by a decision (issue #3). Raises ``PermissionDenied``
    or ``ValidationError``.
    """
    case = Case.objects.select_for_update().get(pk=case.pk)
    rel = _relation(actor, case)
    indication = changes.pop("drug_network_indication", None)
    if indication is not None and indication != case.drug_network_indication:
        access.require(rel, Act.RECORD_DRUG_NETWORK)
        require_writes(actor, Category.JUSTITIEEL)  # the indication is justitieel (issue #4)
        case.drug_network_indication = indication
    changes = {name: value for name, value in changes.items() if getattr(case, name, None) != value}
    if changes:
        access.require(rel, Act.DIRECT_CASE)
        require_writes(actor, Category.PLAN)  # direction is part of the plan (issue #4)
        if DECISION_FIELDS & set(changes) and not reason.strip():
            raise ValidationError({"reason": "Onderbouw de overdracht van de regie."})
        _assign(case, changes, CASE_FIELDS)
        _check_directors(case)
        _record_changes(actor=actor, case=case, changes=changes, reason=reason)
    _save(case)
    if DECISION_FIELDS & set(changes):
        case_permissions_sync(case)
    return case


def _record_changes(*, actor: User, case: Case, changes: dict[str, Any], reason: str) -> None:
    old = Case.objects.get(pk=case.pk)
    for name in ("tier", "status"):
        if name in changes:
            _save(
                CaseChange(
                    case=case,
                    kind=name,
                    from_value=getattr(old, name),
                    to_value=getattr(case, name),
                    reason=reason,
                    changed_by=actor,
                )
            )
    for name in ("case_director", "process_director"):
        if name in changes:
            _save(
                CaseChange(
                    case=case,
                    kind=name,
                    from_user=getattr(old, name),
                    to_user=getattr(case, name),
                    reason=reason,
                    changed_by=actor,
                )
            )


def case_move_apply(
    *,
    actor: User,
    case: Case,
    reason: str,
    to_tier: str | None = None,
    to_status: str | None = None,
    closing_reason: str = "",
    process_director: User | None = None,
    case_director: User | None = None,
) -> Case:
    """Apply a decided move of tier or status, and the directors it needs; record it as ``CaseChange``.

    Only ``escalation.services.decision_make`` calls this: it holds the case's row lock and has
    checked the move table, the decider's role, the rationale and the exit-date override. Closing
    sets ``closed_on`` (today) and the reason; reopening restarts the period (``reopened_on``).
    Raises ``ValidationError`` when the result breaks a case invariant (e.g. no case director).
    """
    changes: dict[str, Any] = {"tier": to_tier, "status": to_status}
    changes = {name: value for name, value in changes.items() if value}
    changes |= {"process_director": process_director, "case_director": case_director}
    changes = {name: value for name, value in changes.items() if getattr(case, name) != value}
    was_closed = case.status == CaseStatus.AFGESLOTEN
    _assign(case, changes, MOVE_FIELDS)
    today = timezone.localdate()
    if to_status == CaseStatus.AFGESLOTEN:
        case.closed_on, case.closing_reason = today, closing_reason
    elif to_status == CaseStatus.ACTIEF and was_closed:
        case.reopened_on, case.closed_on, case.closing_reason, case.closing_note = today, None, "", ""
    _check_directors(case)
    _record_changes(actor=actor, case=case, changes=changes, reason=reason)
    _save(case)
    if DECISION_FIELDS & set(changes):
        case_permissions_sync(case)
    return case


def team_organisation_join(*, case: Case, organisation: Organisation, added_by: User) -> CaseTeamMember | None:
    """Bring ``organisation`` into the team from today unless it is already listed; None when it was.

    For rules that add a partner by themselves (a Top X aanmelding or a proposal into ZVHRU brings in
    the Zorg- en Veiligheidshuis, issue #3) — so no MANAGE_TEAM check: the caller's rule is the right.
    """
    if selectors.team_listed(case).filter(organisation=organisation).exists():
        return None
    member = CaseTeamMember(case=case, organisation=organisation, added_by=added_by)
    _save(member)
    case_permissions_sync(case)
    return member


# --- Person and family ------------------------------------------------------------------------


@transaction.atomic
def person_update(*, actor: User, person: Person, **changes: Any) -> Person:
    """Update identification data; by a director of one of the person's cases the actor may see, who writes
    the categories of the fields that change (``privacy.policy.FIELDS["person"]``: ``lvb`` is zorg)."""
    cases = selectors.cases_visible_to(actor).filter(person=person)
    if not any(access.allowed(access.relation(actor, case), Act.UPDATE_PERSON) for case in cases):
        raise PermissionDenied(access.DENIED_MESSAGES[Act.UPDATE_PERSON])
    person = Person.objects.select_for_update().get(pk=person.pk)
    if "bsn" in changes and changes["bsn"] != person.bsn and not access.may_register(actor):
        # A BSN check is the hit/no-hit answer, which only registering organisations get (DOMAIN.md §8).
        raise PermissionDenied("Alleen medewerkers van aanmeldende organisaties wijzigen een BSN.")
    changed = [name for name, value in changes.items() if name in PERSON_FIELDS and getattr(person, name) != value]
    require_writes(actor, *categories_of("person", changed))  # DOMAIN.md §8, issue #4
    _assign(person, changes, PERSON_FIELDS)
    if "bsn" in changes and person.bsn and Person.objects.filter(bsn=person.bsn).exclude(pk=person.pk).exists():
        raise ValidationError({"bsn": "Dit BSN hoort al bij een andere persoon."})
    _save(person)
    return person


@transaction.atomic
def family_member_add(
    *, actor: User, case: Case, role: str, justification: str, family: Family | None = None, family_name: str = ""
) -> FamilyMembership:
    """Add the case's person to a family (existing, or new with ``family_name``), with a justification.

    Never automatic: a director of the case decides and writes down why (DOMAIN.md §5.3, §5.5).
    """
    access.require(_relation(actor, case), Act.MANAGE_FAMILY)
    require_writes(actor, Category.NETWERK)  # family and relations (DOMAIN.md §8)
    if family is None:
        family = Family(name=family_name)
        _save(family)
    membership = FamilyMembership(family=family, person=case.person, role=role, justification=justification, added_by=actor)
    try:
        with transaction.atomic():
            _save(membership)
    except IntegrityError:
        raise ValidationError({"family": "Deze persoon hoort al bij deze familie."}) from None
    return membership


# --- Team ------------------------------------------------------------------------------------


@transaction.atomic
def team_member_add(
    *,
    actor: User,
    case: Case,
    organisation: Organisation | None = None,
    user: User | None = None,
    starts_on: dt.date | None = None,
) -> CaseTeamMember:
    """Add an organisation or a named professional to the team (by the case's directors).

    ``starts_on`` (default today) may lie in the future (a planned entry) but not in the past: the
    team's history is not rewritten. Only case workers (case and process directors, partners) can be
    named: administrators and privacy officers never see case content (DOMAIN.md §2).
    """
    access.require(_relation(actor, case), Act.MANAGE_TEAM)
    require_writes(actor, Category.PLAN)
    today = timezone.localdate()
    member = CaseTeamMember(case=case, organisation=organisation, user=user, added_by=actor, starts_on=starts_on or today)
    if member.starts_on < today:
        raise ValidationError({"starts_on": "Een teamlid begint vandaag of later; de geschiedenis van het team verandert niet."})
    if organisation is not None and not organisation.is_active_on():
        raise ValidationError({"organisation": "Deze organisatie neemt niet (meer) deel."})
    if user is not None and (not user.has_access_on() or not user.is_case_worker or user.is_application):
        raise ValidationError({"user": "Kies een actieve professional met een rol in casussen."})
    duplicate = selectors.team_listed(case).filter(organisation=organisation, user=user)
    if duplicate.exists():
        raise ValidationError("Staat al in het casusteam.")
    _save(member)
    case_permissions_sync(case)
    return member


@transaction.atomic
def team_member_remove(*, actor: User, member: CaseTeamMember) -> CaseTeamMember:
    """End a team entry: its until date becomes yesterday, so it stays in the history.

    A planned entry (starting after today) is cancelled: until becomes the day before its start, a
    period that never grants access. Raises ``ValidationError`` for an entry already ended.
    """
    access.require(_relation(actor, member.case), Act.MANAGE_TEAM)
    require_writes(actor, Category.PLAN)
    if not selectors.team_listed(member.case).filter(pk=member.pk).exists():
        raise ValidationError("Dit teamlid is al beëindigd.")
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    member.ends_on = max(yesterday, member.starts_on - dt.timedelta(days=1))
    _save(member)
    case_permissions_sync(member.case)
    return member
