"""Effective per-case permissions and break-the-glass (issue #4, "Case-level access"; DOMAIN.md §8).

The dated case team, the case's two directors and active break-the-glass grants are the source of
truth. ``case_permissions_sync`` derives from them the django-guardian rows (``cases.view_case``) in
``CaseUserObjectPermission`` and ``CaseGroupObjectPermission`` and brings the tables in line by
inserting and deleting only the difference, so calling it twice changes nothing:

- a director (case or process) and a named user in the team today → a user row;
- an organisation in the team today → a row for the organisation's group (it counts only for users
  with a case-worker role: ``cases.selectors.cases_visible_to`` keeps that condition in its query);
- an active break-the-glass grant → a user row that points at the grant when the grant is the only
  reason; that row counts only while the grant is active, so expiry ends access at once.

Every service that changes the team or the directors calls ``case_permissions_sync`` inside its own
transaction — not ``on_commit``: the same request reads through the new rows. Team entries start and
end with the calendar and grants expire with the clock, so ``case_permissions_refresh`` (the Celery
task ``privacy.case_permissions_refresh``, nightly, and ``manage.py sync_case_permissions``) runs the
same derivation for every case. The derivation takes an app registry, so the data migration
``privacy/migrations/0004_case_permissions`` uses it with the historical models.

Break-the-glass: a case or process director outside a case's team takes emergency *read* access with
a written reason (``break_the_glass``); it lasts ``settings.PGA_BREAK_THE_GLASS_HOURS`` (24), is
marked in the access log (``cases.selectors.case_get``) and opens a review for the privacy officer.
"""

import dataclasses
import datetime as dt
import uuid
from typing import Any

from django.apps import apps as django_apps
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from cases.models import Case
from partners.models import Role, User

from . import access_log
from .models import BreakTheGlassGrant, PrivacyReview, ReviewKind

VIEW_CODENAME = "view_case"
BREAK_THE_GLASS_ROLES = frozenset({Role.CASE_DIRECTOR, Role.PROCESS_DIRECTOR})
REASON_MIN_LENGTH = 20
REASON_TOO_SHORT = f"Schrijf op waarom u noodtoegang nodig heeft (minstens {REASON_MIN_LENGTH} tekens)."


# --- Deriving the guardian rows ------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class SyncResult:
    """Rows inserted, deleted and changed (a user row's grant) by one sync."""

    created: int = 0
    deleted: int = 0
    updated: int = 0

    def __add__(self, other: "SyncResult") -> "SyncResult":
        return SyncResult(self.created + other.created, self.deleted + other.deleted, self.updated + other.updated)


@dataclasses.dataclass(frozen=True)
class _Models:
    """The models the derivation uses: the running ones, or a migration's historical ones."""

    case: Any
    team: Any
    grant: Any
    user_perm: Any
    group_perm: Any
    organisation: Any
    group: Any
    permission: Any
    content_type: Any


def _models(registry: Any) -> _Models:
    return _Models(
        case=registry.get_model("cases", "Case"),
        team=registry.get_model("cases", "CaseTeamMember"),
        grant=registry.get_model("privacy", "BreakTheGlassGrant"),
        user_perm=registry.get_model("privacy", "CaseUserObjectPermission"),
        group_perm=registry.get_model("privacy", "CaseGroupObjectPermission"),
        organisation=registry.get_model("partners", "Organisation"),
        group=registry.get_model("auth", "Group"),
        permission=registry.get_model("auth", "Permission"),
        content_type=registry.get_model("contenttypes", "ContentType"),
    )


def _current_team_q(day: dt.date) -> Q:
    """Team entries current on ``day`` (the rule of ``cases.access.current_team_q``)."""
    return Q(starts_on__lte=day) & (Q(ends_on__isnull=True) | Q(ends_on__gte=day))


def _view_permission(m: _Models) -> Any:
    content_type, _ = m.content_type.objects.get_or_create(app_label="cases", model="case")
    permission, _ = m.permission.objects.get_or_create(
        content_type=content_type, codename=VIEW_CODENAME, defaults={"name": "Can view casus"}
    )
    return permission


def _organisation_group_id(m: _Models, organisation_id: int) -> int:
    """The organisation's group, created when an organisation (made by a data migration) has none."""
    organisation = m.organisation.objects.get(pk=organisation_id)
    if organisation.group_id is None:
        organisation.group, _ = m.group.objects.get_or_create(name=f"organisatie:{organisation.code}"[:150])
        m.organisation.objects.filter(pk=organisation_id).update(group=organisation.group)
    return int(organisation.group_id)


def _derive(m: _Models, case_ids: list[Any] | None, today: dt.date, now: dt.datetime) -> tuple[dict, set]:
    """The rows the sources ask for: ``{(case_id, user_id): grant_id or None}`` and ``{(case_id, group_id)}``."""
    in_cases = Q() if case_ids is None else Q(case_id__in=case_ids)
    users: dict[tuple[Any, int], Any] = {}
    groups: set[tuple[Any, int]] = set()
    cases = m.case.objects.all() if case_ids is None else m.case.objects.filter(pk__in=case_ids)
    for case_id, case_director_id, process_director_id in cases.values_list("pk", "case_director_id", "process_director_id"):
        for user_id in (case_director_id, process_director_id):
            if user_id is not None:
                users[(case_id, user_id)] = None
    team = m.team.objects.filter(in_cases, _current_team_q(today))
    for case_id, user_id, organisation_id, group_id in team.values_list(
        "case_id", "user_id", "organisation_id", "organisation__group_id"
    ):
        if user_id is not None:
            users[(case_id, user_id)] = None
        elif organisation_id is not None:
            groups.add((case_id, group_id if group_id is not None else _organisation_group_id(m, organisation_id)))
    grants = m.grant.objects.filter(in_cases, expires_at__gt=now, revoked_at__isnull=True).order_by("expires_at")
    for grant_id, case_id, user_id in grants.values_list("pk", "case_id", "user_id"):
        key = (case_id, user_id)
        if users.get(key, grant_id) is not None:  # no other reason: the latest-expiring grant is the reason
            users[key] = grant_id
    return users, groups


def _sync(m: _Models, case_ids: list[Any] | None, today: dt.date, now: dt.datetime) -> SyncResult:
    permission = _view_permission(m)
    wanted_users, wanted_groups = _derive(m, case_ids, today, now)
    in_cases = Q() if case_ids is None else Q(content_object_id__in=case_ids)

    user_rows = m.user_perm.objects.filter(in_cases, permission=permission)
    have_users = {
        (case_id, user_id): (pk, grant_id)
        for pk, case_id, user_id, grant_id in user_rows.values_list("pk", "content_object_id", "user_id", "grant_id")
    }
    group_rows = m.group_perm.objects.filter(in_cases, permission=permission)
    have_groups = {
        (case_id, group_id): pk for pk, case_id, group_id in group_rows.values_list("pk", "content_object_id", "group_id")
    }

    stale_users = [pk for key, (pk, _) in have_users.items() if key not in wanted_users]
    stale_groups = [pk for key, pk in have_groups.items() if key not in wanted_groups]
    deleted = 0
    if stale_users:
        deleted += m.user_perm.objects.filter(pk__in=stale_users).delete()[0]
    if stale_groups:
        deleted += m.group_perm.objects.filter(pk__in=stale_groups).delete()[0]

    updated = 0
    changed: dict[Any, list[int]] = {}
    for key, (pk, grant_id) in have_users.items():
        if key in wanted_users and wanted_users[key] != grant_id:
            changed.setdefault(wanted_users[key], []).append(pk)
    for grant_id, pks in changed.items():
        updated += m.user_perm.objects.filter(pk__in=pks).update(grant_id=grant_id)

    new_users = [
        m.user_perm(content_object_id=case_id, user_id=user_id, permission=permission, grant_id=grant_id)
        for (case_id, user_id), grant_id in sorted(wanted_users.items(), key=str)
        if (case_id, user_id) not in have_users
    ]
    new_groups = [
        m.group_perm(content_object_id=case_id, group_id=group_id, permission=permission)
        for case_id, group_id in sorted(wanted_groups, key=str)
        if (case_id, group_id) not in have_groups
    ]
    # ignore_conflicts: a concurrent sync of the same case may have inserted the same row first.
    m.user_perm.objects.bulk_create(new_users, batch_size=2000, ignore_conflicts=True)
    m.group_perm.objects.bulk_create(new_groups, batch_size=2000, ignore_conflicts=True)
    return SyncResult(created=len(new_users) + len(new_groups), deleted=deleted, updated=updated)


def case_permissions_sync(case: Case, *, today: dt.date | None = None) -> SyncResult:
    """Bring the guardian rows of ``case`` in line with its team on ``today`` (default: today), its
    directors and its active break-the-glass grants. Idempotent; a constant number of queries.

    Call it inside the transaction of every write that changes the team or the directors.
    """
    return _sync(_models(django_apps), [case.pk], today or timezone.localdate(), timezone.now())


def case_permissions_refresh(*, today: dt.date | None = None, registry: Any = None) -> SyncResult:
    """Run the derivation for every case: team entries that started or ended, grants that expired.

    The nightly job and ``manage.py sync_case_permissions``; ``registry`` is a migration's app
    registry (``privacy/migrations/0004_case_permissions``). Works through the cases in batches.
    """
    m = _models(registry or django_apps)
    today, now = today or timezone.localdate(), timezone.now()
    result = SyncResult()
    case_ids = list(m.case.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(case_ids), 2000):
        result += _sync(m, case_ids[start : start + 2000], today, now)
    return result  # rows of deleted cases went with them (on delete cascade)


# --- Break-the-glass -----------------------------------------------------------------------------


def may_break_the_glass(user: User) -> bool:
    """Case and process directors with access today (not applications) may take emergency access."""
    return bool(user.is_authenticated and user.has_access_on() and not user.is_application and user.role in BREAK_THE_GLASS_ROLES)


def active_grant(user: User, case: Case) -> BreakTheGlassGrant | None:
    """The user's active (not expired, not revoked) grant on ``case`` that expires last, if any."""
    grants = BreakTheGlassGrant.objects.filter(user=user, case=case, expires_at__gt=timezone.now(), revoked_at__isnull=True)
    return grants.order_by("-expires_at").first()


@transaction.atomic
def break_the_glass(*, actor: User, case: Case, reason: str) -> BreakTheGlassGrant:
    """Give ``actor`` emergency read access to ``case`` for ``PGA_BREAK_THE_GLASS_HOURS`` hours.

    Only a case or process director (``PermissionDenied`` otherwise) who does not already see the
    case through its team or as its director, with a written reason of at least 20 characters
    (``ValidationError``). Creates the ``BreakTheGlassGrant``, syncs the case's permissions, opens a
    ``PrivacyReview`` (noodtoegang) for the privacy officer and notes the use in the access log.
    """
    from cases import access  # cases.access is the one place that knows the relation to a case

    if not may_break_the_glass(actor):
        raise PermissionDenied("Alleen casusregisseurs en procesregisseurs kunnen noodtoegang nemen.")
    reason = (reason or "").strip()
    if len(reason) < REASON_MIN_LENGTH:
        raise ValidationError({"reason": REASON_TOO_SHORT})
    if access.relation(actor, case).is_member:
        raise ValidationError("U heeft al toegang tot deze casus; noodtoegang is niet nodig.")
    if active_grant(actor, case) is not None:
        raise ValidationError("U heeft al noodtoegang tot deze casus.")
    now = timezone.now()
    grant = BreakTheGlassGrant(
        case=case,
        user=actor,
        reason=reason,
        granted_at=now,
        expires_at=now + dt.timedelta(hours=settings.PGA_BREAK_THE_GLASS_HOURS),
    )
    grant.full_clean()
    grant.save()
    case_permissions_sync(case)
    PrivacyReview.objects.create(kind=ReviewKind.BREAK_THE_GLASS, grant=grant, created_at=now)
    access_log.note("case", [case.pk], persons=[case.person_id], purpose=break_the_glass_purpose(grant.pk), break_the_glass=True)
    return grant


def break_the_glass_purpose(grant_id: uuid.UUID | str) -> str:
    """The access log's purpose for a use of a grant: ``noodtoegang: <grant id>``."""
    return f"noodtoegang: {grant_id}"
