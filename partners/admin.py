from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import Organisation, User


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
