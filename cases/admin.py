"""Admin for reference lists only. Case content is deliberately not in the admin: the admin would
bypass the access rules, and administrators see no case content (DOMAIN.md §2)."""

from django.contrib import admin

from .models import Intervention, OffenceType, Wijk


@admin.register(Wijk)
class WijkAdmin(admin.ModelAdmin):
    list_display = ("name", "code")
    search_fields = ("name", "code")


@admin.register(OffenceType)
class OffenceTypeAdmin(admin.ModelAdmin):
    list_display = ("statute", "name", "code", "max_sentence_years", "life_imprisonment", "drug_related", "violent", "active")
    list_filter = ("drug_related", "violent", "active")
    search_fields = ("statute", "name", "code")


@admin.register(Intervention)
class InterventionAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "active")
    list_filter = ("active",)
    search_fields = ("name", "code")
