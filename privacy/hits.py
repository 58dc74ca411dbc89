"""Hit/no-hit: is this person already in an approach, and if so, whom to contact — nothing else.

DOMAIN.md §8: outsiders cannot even learn that a case exists; "a hit/no-hit check (is this person
already in an approach? then: who to contact) is the most they get". Issue #4 ("Hit/no-hit check"):
registering organisations ask with a BSN, or with given names, surname and date of birth, and get
only ``known`` and, when known, the organisation and role of the case director; other organisations
get 403; the check is rate-limited and logged. The aanmelding's duplicate check gives the same answer
for people the registrant may not see (``cases.selectors.person_duplicates`` uses ``hit_for``).

*Known* means: a matching person has a case that is not closed (is "in an approach"). A person whose
cases are all closed is not known here — the check does not reveal a past approach. The contacts are
per open case the case director's organisation (role ``casusregisseur``), or the registering
organisation (role ``aanmelder``) while the case has no case director.

Every check writes an access-log row with action ``controle`` (``AccessAction.CHECK``): the matched
persons go into the row as pseudonyms, so the privacy officer sees who checked on person X; the
criteria are kept only as ``redacted_query`` (which fields, never their values). The answer itself
never holds an id, a name or anything else about the person.
"""

import dataclasses
import datetime as dt
import uuid
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet, Value
from django.db.models.functions import Concat, Lower, Trim

from cases.access import may_register
from cases.models import Case, CaseStatus, Person
from partners.models import User

from . import access_log
from .categories import Category
from .models import AccessAction

DIRECTOR_ROLE = "casusregisseur"
REGISTRANT_ROLE = "aanmelder"
NOT_REGISTERING = "Alleen organisaties die mogen aanmelden, kunnen controleren of iemand al bekend is."


@dataclasses.dataclass(frozen=True, order=True)
class Contact:
    """Whom to contact about a known person: an organisation's name and a role (Dutch)."""

    organisation: str
    role: str


@dataclasses.dataclass(frozen=True)
class Hit:
    """The whole answer of a hit/no-hit check: ``known``, and when known the ``contacts`` (sorted,
    without repeats). Deliberately nothing else — no ids, names, tiers or dates."""

    known: bool
    contacts: tuple[Contact, ...] = ()

    def as_dict(self) -> dict[str, object]:
        """The API's answer: ``{"known": false}`` or ``{"known": true, "contacts": [...]}``."""
        if not self.known:
            return {"known": False}
        return {"known": True, "contacts": [dataclasses.asdict(contact) for contact in self.contacts]}


NO_HIT = Hit(known=False)


def matching_persons(
    *,
    bsn: str | None = None,
    given_names: str | None = None,
    surname: str | None = None,
    date_of_birth: dt.date | None = None,
) -> QuerySet[Person]:
    """Persons with this BSN, or with this surname and date of birth (and these given names, when
    given). Names compare case-insensitively and ignore surrounding spaces; the surname may include
    the prefix ("van Dijk" matches prefix "van", surname "Dijk"). No criteria, no match."""
    match = Q(pk__in=[])
    if bsn:
        match |= Q(bsn=bsn.strip())
    if surname and surname.strip() and date_of_birth:
        wanted = " ".join(surname.split()).lower()
        by_name = Q(date_of_birth=date_of_birth) & (Q(surname__iexact=surname.strip()) | Q(hit_full_surname=wanted))
        if given_names and given_names.strip():
            by_name &= Q(given_names__iexact=" ".join(given_names.split()))
        match |= by_name
    full_surname = Lower(Trim(Concat("surname_prefix", Value(" "), "surname")))
    return Person.objects.annotate(hit_full_surname=full_surname).filter(match)


def hit_for(persons: Iterable[Person | uuid.UUID]) -> Hit:
    """The hit/no-hit answer about ``persons`` (or their ids): known when one of them has a case that
    is not closed; per such case the case director's organisation, else the registering organisation."""
    ids = [person.pk if isinstance(person, Person) else person for person in persons]
    if not ids:
        return NO_HIT
    cases = (
        Case.objects.filter(person__in=ids)
        .exclude(status=CaseStatus.AFGESLOTEN)
        .select_related("case_director__organisation", "registering_organisation")
    )
    contacts = {_contact(case) for case in cases}
    return Hit(known=True, contacts=tuple(sorted(contacts))) if contacts else NO_HIT


def _contact(case: Case) -> Contact:
    director = case.case_director
    if director is not None and director.organisation is not None:
        return Contact(director.organisation.name, DIRECTOR_ROLE)
    return Contact(case.registering_organisation.name, REGISTRANT_ROLE)


def hit_check(
    actor: User,
    *,
    bsn: str | None = None,
    given_names: str | None = None,
    surname: str | None = None,
    date_of_birth: dt.date | None = None,
) -> Hit:
    """Answer whether the person is known (in an approach) and whom to contact; see the module doc.

    Only users of registering organisations (``cases.access.may_register``); others get
    ``PermissionDenied``. Writes the check into this request's access-log row (action ``controle``,
    the matched persons as pseudonyms, the criteria redacted) — also when nothing matched.
    """
    if not may_register(actor):
        access_log.note_denied("person")
        access_log.note(action=AccessAction.CHECK, purpose="hit/no-hit-controle")
        raise PermissionDenied(NOT_REGISTERING)
    persons = list(
        matching_persons(bsn=bsn, given_names=given_names, surname=surname, date_of_birth=date_of_birth).values_list(
            "pk", flat=True
        )
    )
    hit = hit_for(persons)
    access_log.note(
        "person",
        persons=persons,
        categories=[Category.PLAN] if hit.known else [],
        purpose="hit/no-hit-controle",
        action=AccessAction.CHECK,
        query=access_log.redacted_query(
            bsn=bsn or "",
            voornamen=given_names or "",
            achternaam=surname or "",
            geboortedatum=date_of_birth.isoformat() if date_of_birth else "",
        ),
    )
    return hit
