"""Admin for the functioneel beheerder: organisations, users and partner applications.

The admin must not become a way around the access rules (DOMAIN.md §2: administrators see no case
content). So, for anyone but a technical superuser:
- a user's superuser flag, permissions, groups and password are not editable, nor are superusers,
  application service users, or one's own account (no self-promotion into a partner role);
- a partner application's secret, client id and service user are not editable — new credentials come
  from ``manage.py create_partner_application``, which shows the secret once; tokens, grants and the
  audit log's stored changes (which hold personal data) are not in the admin at all.
"""

from typing import Any

from auditlog.models import LogEntry
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from oauth2_provider.models import (
    get_access_token_model,
    get_application_model,
    get_grant_model,
    get_id_token_model,
    get_refresh_token_model,
)

from .models import Organisation, User

for model in (
    get_application_model(),
    get_access_token_model(),
    get_grant_model(),
    get_id_token_model(),
    get_refresh_token_model(),
):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
if admin.site.is_registered(LogEntry):
    admin.site.unregister(LogEntry)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "domain", "may_register", "active_from", "active_until")
    list_filter = ("domain", "may_register")
    search_fields = ("name", "code")


@admin.register(User)
class PartnerUserAdmin(UserAdmin):
    list_display = ("username", "first_name", "last_name", "organisation", "role", "is_active", "is_application")
    list_filter = ("role", "organisation", "is_active", "is_application")
    fieldsets = (*UserAdmin.fieldsets, ("Organisatie en rol", {"fields": ("organisation", "role", "is_application")}))  # type: ignore[misc]
    superuser_only_fields = (
        "is_superuser",
        "is_staff",
        "groups",
        "user_permissions",
        "is_application",
        "last_login",
        "date_joined",
    )

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if request.user.is_superuser:
            return super().get_readonly_fields(request, obj)
        return self.superuser_only_fields

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and not request.user.is_superuser and (obj.is_superuser or obj.is_application or obj == request.user):
            return False
        return super().has_change_permission(request, obj)

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> HttpResponse:
        if not request.user.is_superuser:
            raise PermissionDenied("Wachtwoorden worden niet door beheerders ingesteld.")
        return super().user_change_password(request, id, form_url)


@admin.register(get_application_model())
class PartnerApplicationAdmin(admin.ModelAdmin):
    """Partner applications: rename or revoke (delete); credentials only through the command."""

    list_display = ("name", "client_id", "organisation")
    fields = ("name", "client_id", "user", "authorization_grant_type", "created", "updated")
    readonly_fields = ("client_id", "user", "authorization_grant_type", "created", "updated")

    @admin.display(description="organisatie")
    def organisation(self, obj: Any) -> Any:
        return obj.user.organisation if obj.user_id else None

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
