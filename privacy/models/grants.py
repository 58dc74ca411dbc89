"""Effective per-case permissions, held by django-guardian in direct foreign-key tables (issue #4).

The dated case team (``cases.CaseTeamMember``), the case's two directors and active break-the-glass
grants are the source of truth; ``privacy.grants.case_permissions_sync`` derives these rows from
them (``cases.view_case`` only) and nothing else writes them. Named users, directors and grant
holders get a user row; an organisation in the team gets a row for its group (``Organisation.group``).
Lists and detail pages filter with ``EXISTS`` on these two tables (``cases.selectors.cases_visible_to``).

Direct foreign keys instead of guardian's generic tables: a real foreign key to the case, an index the
``EXISTS`` can use, and cascading deletes (django-guardian, "Performance tuning: direct foreign keys").
"""

from django.db import models
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from .oversight import BreakTheGlassGrant


class CaseUserObjectPermission(UserObjectPermissionBase):
    """A user's permission on one case. ``grant`` is set when a break-the-glass grant is the only
    reason the user has it: the row then counts only while that grant is active (not expired, not
    revoked), so expiry ends access at once, before the nightly job removes the row."""

    # A visible related name: guardian finds direct tables through the case's reverse relations.
    content_object = models.ForeignKey(
        "cases.Case", verbose_name="casus", on_delete=models.CASCADE, related_name="user_object_permissions"
    )
    grant = models.ForeignKey(
        BreakTheGlassGrant, verbose_name="noodtoegang", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = "casusrecht van een gebruiker"
        verbose_name_plural = "casusrechten van gebruikers"
        indexes = [models.Index(fields=["content_object", "user"], name="case_user_perm_case_user")]


class CaseGroupObjectPermission(GroupObjectPermissionBase):
    """An organisation's permission on one case, through the organisation's group. It counts only
    for users with a case-worker role (``partners.models.CASE_WORKER_ROLES``, DOMAIN.md §2)."""

    content_object = models.ForeignKey(
        "cases.Case", verbose_name="casus", on_delete=models.CASCADE, related_name="group_object_permissions"
    )

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = "casusrecht van een organisatie"
        verbose_name_plural = "casusrechten van organisaties"
        indexes = [models.Index(fields=["content_object", "group"], name="case_group_perm_case_group")]
