"""The sharing policy: what of a case a user may see and write, per category (DOMAIN.md §8, issue #4).

One module decides, and everything goes through it — browser pages, API responses, search results,
exports, conference agendas, recommendations and the timeline. Seeing a *case* at all is decided
elsewhere (``cases.selectors.cases_visible_to``: team membership, 404 for outsiders); this module
decides which *data* of a visible case reach the user:

- ``disclosure_for(user)`` reads the active sharing matrix once per request and answers with a
  ``Disclosure``: the ``Access`` level per ``Category`` and the legal basis of each cell.
- ``FIELDS`` says which category (and minimum level) each field of each kind of record needs.
  ``shown_fields`` / ``Shown`` / ``redact`` drop what the matrix does not allow: the key is *absent*
  from an API response (not ``null``), and a template never receives it.

Source of the defaults: DOMAIN.md §8 and issue #4 (migration ``0002_default_matrix``).
"""

import dataclasses
from collections.abc import Iterable, Mapping
from typing import Any

from partners.models import Role, User

from .categories import Access, Category

C = Category


@dataclasses.dataclass(frozen=True)
class Need:
    """What one field needs: every category in ``categories`` at ``level`` or higher."""

    categories: frozenset[Category]
    level: Access = Access.LEZEN


def need(*categories: Category, level: Access = Access.LEZEN) -> Need:
    return Need(frozenset(categories), level)


ALWAYS = Need(frozenset())
"""Not personal data by itself (ids, timestamps of records, reference codes)."""

IDENT, JUST, ZORG, SOC, PLAN, NET = (need(c) for c in (C.IDENTIFICATIE, C.JUSTITIEEL, C.ZORG, C.SOCIAAL, C.PLAN, C.NETWERK))

FIELDS: dict[str, dict[str, Need]] = {
    "person": {
        "id": ALWAYS,
        "bsn": IDENT,
        "given_names": IDENT,
        "surname_prefix": IDENT,
        "surname": IDENT,
        "full_name": IDENT,
        "date_of_birth": IDENT,
        "age": IDENT,
        "gender": IDENT,
        "wijk": IDENT,
        "lvb": ZORG,
        "informed_on": PLAN,
        "not_informed_reason": PLAN,
    },
    "case": {
        "id": ALWAYS,
        "person": IDENT,
        "tier": PLAN,
        "status": PLAN,
        "target_group": PLAN,
        "case_director": PLAN,
        "process_director": PLAN,
        "registering_organisation": PLAN,
        "opened_on": PLAN,
        "reopened_on": PLAN,
        "closed_on": PLAN,
        "closing_reason": PLAN,
        "closing_note": PLAN,
        "reason": PLAN,
        "drug_network_indication": JUST,
        # Derived values carry their sources' category (issue #4).
        "last_offence_on": need(C.JUSTITIEEL, level=Access.KENMERK),
        "earliest_exit_on": JUST,
        "exit_on": JUST,
        "in_detention": JUST,
        "care_involved": need(C.ZORG, level=Access.KENMERK),
    },
    "assessment": {
        "id": ALWAYS,
        "assessed_on": PLAN,
        "dagbesteding": SOC,
        "zorg": ZORG,
        "huisvesting": SOC,
        "identiteitsbewijs": SOC,
        "inkomen": SOC,
        "motivatie": PLAN,
        # Free text about all leefgebieden: only for who reads every category it may touch.
        "note": need(C.ZORG, C.SOCIAAL, C.PLAN),
        "assessed_by": PLAN,
        "created_at": ALWAYS,
        "legal_basis": PLAN,
    },
}
"""Per kind of record, per field: what it needs. Records that belong to one category as a whole
(offences, detentions: ``justitieel``; goals, actions: ``plan``; families: ``netwerk``; journal
entries: their own ``category``) are filtered as rows with ``RECORD_CATEGORIES`` instead."""

RECORD_CATEGORIES: dict[str, Category] = {
    "offence": C.JUSTITIEEL,
    "detention": C.JUSTITIEEL,
    "goal": C.PLAN,
    "action": C.PLAN,
    "team": C.PLAN,
    "family": C.NETWERK,
    "decision": C.PLAN,
}


@dataclasses.dataclass(frozen=True)
class Disclosure:
    """What one user may do with each category: ``levels`` (missing → ``GEEN``) and the legal basis
    of each cell in ``bases``. ``matrix_version`` names the matrix it came from (for provenance)."""

    levels: Mapping[Category, Access]
    bases: Mapping[Category, str] = dataclasses.field(default_factory=dict)
    matrix_version: int | None = None

    def level(self, category: Category | str) -> Access:
        return self.levels.get(Category(category), Access.GEEN)

    def reads(self, category: Category | str) -> bool:
        return self.level(category) >= Access.LEZEN

    def writes(self, category: Category | str) -> bool:
        return self.level(category) >= Access.LEZEN_SCHRIJVEN

    def meets(self, requirement: Need) -> bool:
        return all(self.level(category) >= requirement.level for category in requirement.categories)

    def shows(self, kind: str, field: str) -> bool:
        """True when ``field`` of a ``kind`` record may be shown. Unknown fields are not (deny by default)."""
        requirement = FIELDS[kind].get(field)
        return requirement is not None and self.meets(requirement)

    @property
    def readable(self) -> frozenset[Category]:
        """The categories this user reads in full."""
        return frozenset(category for category in Category if self.reads(category))

    @property
    def disclosed(self) -> frozenset[Category]:
        """The categories of which this user sees anything (a ``KENMERK`` at least)."""
        return frozenset(category for category in Category if self.level(category) > Access.GEEN)

    def legal_basis(self, category: Category | str) -> str:
        return self.bases.get(Category(category), "")


NOTHING = Disclosure(levels={})


def disclosure_for(user: Any) -> Disclosure:
    """The user's ``Disclosure`` under the active sharing matrix; remembered on the user object, so
    one request reads the matrix once. Anonymous users, administrators and privacy officers see no
    case content (``NOTHING``) whatever the matrix says."""
    if not getattr(user, "is_authenticated", False) or user.role in (Role.ADMINISTRATOR, Role.PRIVACY_OFFICER):
        return NOTHING
    cached = getattr(user, "_pga_disclosure", None)
    if cached is None:
        cached = _disclosure_from_matrix(user)
        user._pga_disclosure = cached
    return cached


def _disclosure_from_matrix(user: User) -> Disclosure:
    from .models import MatrixStatus, SharingRule

    organisation = user.organisation
    rules = SharingRule.objects.filter(matrix__status=MatrixStatus.ACTIEF, role=user.role).select_related("matrix")
    # Specificity: an organisation's cell over its domain's, a domain's over the general one.
    best: dict[Category, tuple[int, SharingRule]] = {}
    version = None
    for rule in rules:
        version = rule.matrix.version
        if rule.organisation_id is not None:
            rank = 2 if organisation is not None and rule.organisation_id == organisation.pk else -1
        elif rule.domain:
            rank = 1 if organisation is not None and rule.domain == organisation.domain else -1
        else:
            rank = 0
        category = Category(rule.category)
        if rank >= 0 and rank >= best.get(category, (-1, rule))[0]:
            best[category] = (rank, rule)
    return Disclosure(
        levels={category: Access(rule.access) for category, (_, rule) in best.items()},
        bases={category: rule.legal_basis for category, (_, rule) in best.items()},
        matrix_version=version,
    )


def shown_fields(kind: str, fields: Iterable[str], disclosure: Disclosure) -> list[str]:
    """The names among ``fields`` of a ``kind`` record that ``disclosure`` shows, in order."""
    return [name for name in fields if disclosure.shows(kind, name)]


def redact(kind: str, values: Mapping[str, Any], disclosure: Disclosure) -> dict[str, Any]:
    """A copy of ``values`` without the keys ``disclosure`` does not show (absent, not ``None``)."""
    return {name: value for name, value in values.items() if disclosure.shows(kind, name)}


class Shown:
    """A read-only view of a model instance for templates, with only the attributes the disclosure
    shows: others raise ``AttributeError`` (a template renders nothing). ``get_<field>_display``
    follows its field. Related managers are never passed through."""

    __slots__ = ("_disclosure", "_kind", "_obj")

    def __init__(self, kind: str, obj: Any, disclosure: Disclosure) -> None:
        object.__setattr__(self, "_kind", kind)
        object.__setattr__(self, "_obj", obj)
        object.__setattr__(self, "_disclosure", disclosure)

    def __getattr__(self, name: str) -> Any:
        field = (
            name.removeprefix("get_").removesuffix("_display") if name.startswith("get_") and name.endswith("_display") else name
        )
        if name == "pk" or self._disclosure.shows(self._kind, field):
            return getattr(self._obj, name)
        raise AttributeError(name)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("Shown is read-only")

    def __str__(self) -> str:
        return str(self._obj) if self._disclosure.reads(Category.IDENTIFICATIE) else ""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Shown) and other._obj == self._obj

    def __hash__(self) -> int:
        return hash(self._obj)

    @property
    def shown(self) -> dict[str, bool]:
        """``{field: True}`` for every field shown, for ``{% if shown.lvb %}`` in templates."""
        return {field: True for field in FIELDS[self._kind] if self._disclosure.shows(self._kind, field)}


def rows_readable(kind: str, disclosure: Disclosure) -> bool:
    """True when rows of a whole-category ``kind`` (``RECORD_CATEGORIES``) may be shown."""
    return disclosure.reads(RECORD_CATEGORIES[kind])
