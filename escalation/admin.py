"""Rule sets in the admin (/beheer/): administrators edit drafts and activate them.

Every write goes through ``escalation.services`` (administrators only, audited). A draft is edited in
a form with one field per parameter; an active or retired version is read-only. New versions start
from an existing one (action "Nieuw concept op basis van deze versie"), never from an empty form, and
nothing is deleted: every recommendation names the version it used.
"""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join

from partners.models import User
from partners.reauth import RecentAuthenticationAdminMixin

from . import services
from .forms import RuleSetDraftForm, document_initial, parameter_fields
from .models import DirectorCapacity, RuleSet, RuleSetStatus, TierCapacity

READ_ONLY = (
    "version",
    "status",
    "note",
    "parameter_table",
    "based_on",
    "created_by",
    "created_at",
    "activated_by",
    "activated_at",
)


def parameter_shown(field: forms.Field, value: Any) -> str:
    """A parameter's value as the administrator reads it: "geen" for an empty one (no limit), "ja"/"nee",
    the Dutch labels of chosen options; numbers as they are."""
    if value is None or value == "" or value == []:
        return "geen"
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, list | tuple):
        labels = dict(getattr(field, "choices", []))
        return ", ".join(str(labels.get(item, item)) for item in value)
    return str(value)


@admin.register(RuleSet)
class RuleSetAdmin(RecentAuthenticationAdminMixin, admin.ModelAdmin):
    list_display = ("version", "status", "short_note", "created_by", "activated_by", "activated_at", "retired_at")
    list_filter = ("status",)
    ordering = ("-version",)
    actions = ("activate", "create_draft")
    form = RuleSetDraftForm

    @admin.display(description="toelichting")
    def short_note(self, obj: RuleSet) -> str:
        return obj.note if len(obj.note) <= 80 else f"{obj.note[:79]}…"

    @admin.display(description="parameters")
    def parameter_table(self, obj: RuleSet) -> str:
        initial = document_initial(obj.parameters if isinstance(obj.parameters, dict) else {})
        rows = ((field.label, parameter_shown(field, initial.get(name))) for name, field in parameter_fields().items())
        return format_html("<table>{}</table>", format_html_join("", "<tr><th>{}</th><td>{}</td></tr>", rows))

    def _is_draft(self, obj: RuleSet | None) -> bool:
        return obj is not None and obj.status == RuleSetStatus.DRAFT

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if self._is_draft(obj):
            return ["note", *parameter_fields()]
        return READ_ONLY

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return () if self._is_draft(obj) else READ_ONLY

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        if self._is_draft(obj):
            kwargs["fields"] = ["note"]  # the parameter fields are the form's own, not model fields
        return super().get_form(request, obj, change, **kwargs)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """Active and retired versions are view-only."""
        return (obj is None or self._is_draft(obj)) and super().has_change_permission(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: RuleSet, form: Any, change: bool) -> None:
        services.rule_set_update_draft(
            actor=self._actor(request), rule_set=obj, parameters=form.cleaned_data["parameters"], note=form.cleaned_data["note"]
        )

    def _actor(self, request: HttpRequest) -> User:
        return request.user  # type: ignore[return-value]

    def _one(self, request: HttpRequest, queryset: QuerySet[RuleSet]) -> RuleSet | None:
        if queryset.count() != 1:
            self.message_user(request, "Kies precies één beoordelingskader.", messages.ERROR)
            return None
        return queryset.get()

    @admin.action(description="Activeren (de actieve versie vervalt)", permissions=["change"])
    def activate(self, request: HttpRequest, queryset: QuerySet[RuleSet]) -> None:
        rule_set = self._one(request, queryset)
        if rule_set is None:
            return
        try:
            services.rule_set_activate(actor=self._actor(request), rule_set=rule_set)
        except (PermissionDenied, ValidationError) as error:
            self.message_user(request, " ".join(getattr(error, "messages", [str(error)])), messages.ERROR)
            return
        self.message_user(request, f"Versie {rule_set.version} is nu het actieve beoordelingskader.", messages.SUCCESS)

    @admin.action(description="Nieuw concept op basis van deze versie", permissions=["change"])
    def create_draft(self, request: HttpRequest, queryset: QuerySet[RuleSet]) -> None:
        rule_set = self._one(request, queryset)
        if rule_set is None:
            return
        try:
            draft = services.rule_set_create_draft(actor=self._actor(request), based_on=rule_set)
        except (PermissionDenied, ValidationError) as error:
            self.message_user(request, " ".join(getattr(error, "messages", [str(error)])), messages.ERROR)
            return
        self.message_user(request, f"Concept versie {draft.version} aangemaakt op basis van versie {rule_set.version}.")


# --- Capacity (DOMAIN.md §3) ------------------------------------------------------------------


@admin.register(TierCapacity)
class TierCapacityAdmin(admin.ModelAdmin):
    """Capacity per tier; exceeding it is warned about on the decision form, never refused."""

    list_display = ("tier", "capacity", "note")


@admin.register(DirectorCapacity)
class DirectorCapacityAdmin(admin.ModelAdmin):
    """Capacity per director; a row without a director is the default for the role."""

    list_display = ("role", "user", "capacity", "note")
    list_filter = ("role",)
