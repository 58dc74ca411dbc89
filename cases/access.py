"""Who may do what on a case — the baseline access rules, declared as one table.

Seeing a case (DOMAIN.md §8, issue #2): a user sees a case while they direct it (case or process
director), are a named member of its team, or their organisation is in its team — the last only for
the roles ``case_director``, ``process_director`` and ``partner``. Seeing is decided in SQL by
``cases.selectors.cases_visible_to`` (on django-guardian rows that ``privacy.grants`` derives from the
team, the directors and break-the-glass grants); outsiders get 404.

Break-the-glass (issue #4): a case or process director outside the team may take emergency *read*
access. Their ``Relation`` says ``break_the_glass`` and permits no act at all.

Acting on a case someone may see is decided here, from their ``Relation`` to the case. Services call
``require`` (raising ``PermissionDenied`` → 403); views call ``allowed`` to show only the forms that
will work. The same table serves UI and API.
"""

import dataclasses
import datetime as dt
from collections.abc import Callable
from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils import timezone

from partners.models import Domain, Role, User
from privacy import grants, policy
from privacy.categories import Category

from .models import Case, CaseTeamMember


class Act(StrEnum):
    """Things a user can do to a case they may see."""

    RECORD_OFFENCE = "record_offence"
    RECORD_DETENTION = "record_detention"
    RECORD_DRUG_NETWORK = "record_drug_network"
    WRITE_JOURNAL = "write_journal"
    RECORD_ASSESSMENT = "record_assessment"
    EDIT_PLAN = "edit_plan"
    MANAGE_TEAM = "manage_team"
    DIRECT_CASE = "direct_case"  # tier, status, target group, directors
    UPDATE_PERSON = "update_person"
    MANAGE_FAMILY = "manage_family"


@dataclasses.dataclass(frozen=True)
class Relation:
    """How one user stands to one case today."""

    user: User
    case: Case
    is_case_director: bool
    is_process_director: bool
    is_named_member: bool
    organisation_in_team: bool
    break_the_glass: bool = False  # sees the case only through an active emergency grant: read only

    @property
    def is_director(self) -> bool:
        return self.is_case_director or self.is_process_director

    @property
    def is_member(self) -> bool:
        """Directs the case or is in its team today: the rule ``privacy.grants`` derives the rows of
        ``cases_visible_to`` from, for one case in Python. A break-the-glass user sees the case but is
        not a member."""
        return self.is_director or self.is_named_member or (self.organisation_in_team and self.user.is_case_worker)

    @property
    def is_straf(self) -> bool:
        return self.user.organisation is not None and self.user.organisation.domain == Domain.STRAF

    @property
    def may_take_direction(self) -> bool:
        """A case without a case director may be picked up by a director-role user who sees it."""
        return self.case.case_director_id is None and self.user.role in (Role.CASE_DIRECTOR, Role.PROCESS_DIRECTOR)


def current_team_q(day: dt.date, prefix: str = "") -> Q:
    """Team entries current on ``day`` (from/until inclusive)."""
    return Q(**{f"{prefix}starts_on__lte": day}) & (Q(**{f"{prefix}ends_on__isnull": True}) | Q(**{f"{prefix}ends_on__gte": day}))


def relation(user: User, case: Case, day: dt.date | None = None) -> Relation:
    """The user's relation to ``case`` on ``day`` (default today). One query for the team."""
    day = day or timezone.localdate()
    if not user.is_authenticated or not user.has_access_on(day):
        return Relation(user, case, False, False, False, False)
    entries = CaseTeamMember.objects.filter(current_team_q(day), case=case).filter(
        Q(user=user) | Q(organisation_id=user.organisation_id)
    )
    kinds = {("user" if entry_user else "organisation") for entry_user in entries.values_list("user_id", flat=True)}
    rel = Relation(
        user=user,
        case=case,
        is_case_director=case.case_director_id == user.pk,
        is_process_director=case.process_director_id == user.pk,
        is_named_member="user" in kinds,
        organisation_in_team="organisation" in kinds,
    )
    if not rel.is_member and user.role in grants.BREAK_THE_GLASS_ROLES:
        rel = dataclasses.replace(rel, break_the_glass=grants.active_grant(user, case) is not None)
    return rel


RULES: dict[Act, Callable[[Relation], bool]] = {
    Act.RECORD_OFFENCE: lambda r: r.is_member and r.is_straf,
    Act.RECORD_DETENTION: lambda r: r.is_member and (r.is_straf or r.is_director),
    Act.RECORD_DRUG_NETWORK: lambda r: r.is_member and r.is_straf,
    Act.WRITE_JOURNAL: lambda r: r.is_member,
    Act.RECORD_ASSESSMENT: lambda r: r.is_member,
    Act.EDIT_PLAN: lambda r: r.is_director,
    Act.MANAGE_TEAM: lambda r: r.is_director,
    Act.DIRECT_CASE: lambda r: r.is_director or (r.is_member and r.may_take_direction),
    Act.UPDATE_PERSON: lambda r: r.is_director,
    Act.MANAGE_FAMILY: lambda r: r.is_director,
}

DENIED_MESSAGES: dict[Act, str] = {
    Act.RECORD_OFFENCE: "Alleen ketenpartners uit het strafdomein registreren delicten.",
    Act.RECORD_DETENTION: "Alleen strafpartners en de regisseurs registreren detentie.",
    Act.RECORD_DRUG_NETWORK: "Alleen ketenpartners uit het strafdomein leggen de netwerkindicatie vast.",
    Act.WRITE_JOURNAL: "U staat niet in het casusteam.",
    Act.RECORD_ASSESSMENT: "U staat niet in het casusteam.",
    Act.EDIT_PLAN: "Alleen de casusregisseur en de procesregisseur wijzigen het plan van aanpak.",
    Act.MANAGE_TEAM: "Alleen de casusregisseur en de procesregisseur beheren het casusteam.",
    Act.DIRECT_CASE: "Alleen de regisseurs van deze casus wijzigen niveau, status, doelgroep of regie.",
    Act.UPDATE_PERSON: "Alleen de regisseurs van deze casus wijzigen de persoonsgegevens.",
    Act.MANAGE_FAMILY: "Alleen de regisseurs van deze casus beheren familieverbanden.",
}


# What each act writes (privacy.policy, DOMAIN.md §8). ``allowed`` asks the sharing matrix too, so a form
# is offered only when saving it will work; the services refuse with the matrix's own message
# (``cases.services.sharing.require_writes``). A journal entry's category is chosen in the form.
WRITES: dict[Act, tuple[Category, ...]] = {
    Act.RECORD_OFFENCE: (Category.JUSTITIEEL,),
    Act.RECORD_DETENTION: (Category.JUSTITIEEL,),
    Act.RECORD_DRUG_NETWORK: (Category.JUSTITIEEL,),
    Act.WRITE_JOURNAL: (),
    Act.RECORD_ASSESSMENT: (Category.ZORG, Category.SOCIAAL, Category.PLAN),
    Act.EDIT_PLAN: (Category.PLAN,),
    Act.MANAGE_TEAM: (Category.PLAN,),
    Act.DIRECT_CASE: (Category.PLAN,),
    Act.UPDATE_PERSON: (Category.IDENTIFICATIE,),
    Act.MANAGE_FAMILY: (Category.NETWERK,),
}


def _related(rel: Relation, act: Act) -> bool:
    """The relation's part of the rule. Break-the-glass access is read only: it permits nothing."""
    if rel.break_the_glass and not rel.is_member:
        return False
    return RULES[act](rel)


def allowed(rel: Relation, act: Act) -> bool:
    """True when the relation permits ``act`` and the sharing matrix lets the user write what it holds."""
    disclosure = policy.disclosure_for(rel.user)
    return _related(rel, act) and all(disclosure.writes(category) for category in WRITES[act])


def require(rel: Relation, act: Act) -> None:
    """Raise ``PermissionDenied`` (Dutch message) unless the relation permits ``act``. The matrix part is
    the services' own check (``cases.services.sharing.require_writes``), with its own message."""
    if not _related(rel, act):
        raise PermissionDenied(DENIED_MESSAGES[act])


def allowed_acts(rel: Relation) -> frozenset[Act]:
    """Every act the relation permits; templates use it to show only forms that will work."""
    return frozenset(act for act in Act if allowed(rel, act))


def may_correct_offence(user: User, offence_source_organisation_id: int) -> bool:
    """Only the source organisation corrects an offence (issue #2)."""
    return user.organisation_id == offence_source_organisation_id


def may_update_action(rel: Relation, owning_organisation_id: int) -> bool:
    """Directors update any action; team members update the actions their organisation owns."""
    return rel.is_director or (rel.is_member and rel.user.organisation_id == owning_organisation_id)


def may_register(user: User) -> bool:
    """Registering organisations register (DOMAIN.md §5.7); administrators and privacy officers never."""
    return bool(
        user.is_authenticated
        and user.has_access_on()
        and user.is_case_worker
        and user.organisation is not None
        and user.organisation.may_register
    )
