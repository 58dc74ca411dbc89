"""The write side of the sharing matrix for the services (DOMAIN.md §8, issue #4).

``access.Act`` says *who* may act on a case (team, directors, straf partners); the sharing matrix says
which *categories* of personal data their role and domain may write. A service asks both: the act
first (its message says who may), then ``require_writes`` for every category the record holds.
What is stored keeps its provenance: ``legal_basis_for`` gives the matrix cells' legal bases for the
record's categories (issue #4: "Every entry records its source organisation and the legal basis it
was shared under").
"""

from django.core.exceptions import PermissionDenied

from partners.models import User
from privacy import policy
from privacy.categories import Category

# How a category reads in a Dutch sentence: "… geen justitiële gegevens vastleggen."
CATEGORY_NOUNS: dict[Category, str] = {
    Category.IDENTIFICATIE: "identificatiegegevens",
    Category.JUSTITIEEL: "justitiële gegevens",
    Category.ZORG: "zorggegevens",
    Category.SOCIAAL: "gegevens uit het sociaal domein",
    Category.PLAN: "gegevens van het plan van aanpak",
    Category.NETWERK: "gegevens over familie en relaties",
}


def nouns(categories: list[Category]) -> str:
    """``"zorggegevens en gegevens uit het sociaal domein"``."""
    words = [CATEGORY_NOUNS[Category(category)] for category in categories]
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} en {words[-1]}"


def require_writes(actor: User, *categories: Category) -> policy.Disclosure:
    """The actor's ``Disclosure``; raises ``PermissionDenied`` (Dutch) unless it writes every one of
    ``categories`` under the active sharing matrix."""
    disclosure = policy.disclosure_for(actor)
    missing = [Category(category) for category in categories if not disclosure.writes(category)]
    if missing:
        raise PermissionDenied(f"Volgens de deelmatrix mag uw organisatie in deze rol geen {nouns(missing)} vastleggen.")
    return disclosure


def categories_of(kind: str, fields: list[str]) -> list[Category]:
    """The categories ``fields`` of a ``kind`` record need (``privacy.policy.FIELDS``), in a stable order."""
    needed = {category for name in fields if name in policy.FIELDS[kind] for category in policy.FIELDS[kind][name].categories}
    return sorted(needed)


def legal_basis_for(disclosure: policy.Disclosure, *categories: Category) -> str:
    """The legal basis of the matrix cell(s) the record was written under. One category: its basis; more
    (an assessment): each basis behind its category's label, one per line, each distinct basis once."""
    if len(categories) == 1:
        return disclosure.legal_basis(categories[0])
    lines, seen = [], set()
    for category in categories:
        basis = disclosure.legal_basis(category)
        if basis and basis not in seen:
            seen.add(basis)
            lines.append(f"{Category(category).label}: {basis}")
    return "\n".join(lines)
