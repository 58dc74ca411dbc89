"""The sharing matrix in the admin (/beheer/), and what the admin must not show (issue #4; ADR 0011).

Sharing matrix (DOMAIN.md §8). An administrator edits a *concept* version: its note and its cells
(inline ``SharingRule`` rows, each with its legal basis). The active version and replaced versions are
read-only, so what a partner could see on a given day stays traceable. New versions come only from an
existing one (action "Kopie als nieuw concept", ``privacy.services.matrix_copy``) and a concept
becomes the active version through the action "Activeren" (``privacy.services.matrix_activate``:
administrators only, one active at a time under a row lock). Every change is audited by
django-auditlog (``privacy.audit``). Versions are never deleted; an unused concept may be.

Retention periods (issue #5 job 4; ``privacy.retention``). One row per closing reason, seeded by
migration 0005; an administrator changes the number of months and its reasoning, never adds or deletes a
row. A changed value is a placeholder again ("voorlopige waarde, nog te bevestigen door de
privacyfunctionaris") until the privacy officer confirms it on /privacy/vernietiging/. Audited.

Not in the admin (NEN 7513 §6; BIO 12.4.2): the access log, its seals and the privacy officer's
reviews — the log is append-only and belongs to the privacy officer's pages (``privacy.views.officer``),
not to the administrator. The TOTP devices of the second factor (``partners.otp``) are shown without
their secret key: django-otp's own admin would show the key and its QR code to any administrator, who
could then pass as the privacy officer. Only a technical superuser may delete a device (a reset).
"""

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django_otp.plugins.otp_totp.models import TOTPDevice

from partners.models import BackupCodeDevice, User
from partners.reauth import RecentAuthenticationAdminMixin

from . import retention, services
from .models import PLACEHOLDER_LABEL, MatrixStatus, RetentionPeriod, SharingMatrix, SharingRule

# --- Sharing matrix ----------------------------------------------------------------------------


def _is_concept(obj: SharingMatrix | None) -> bool:
    return obj is not None and obj.status == MatrixStatus.CONCEPT


class SharingRuleInline(admin.TabularInline):
    model = SharingRule
    fields = ("role", "domain", "organisation", "category", "access", "legal_basis")
    extra = 0
    show_change_link = False

    def formfield_for_dbfield(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "legal_basis" and field is not None:
            field.required = False  # only a cell that shares anything needs one (SharingRule.clean)
        return field

    def get_extra(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> int:
        return 1 if _is_concept(obj) else 0

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_concept(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_concept(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_concept(obj) and super().has_delete_permission(request, obj)


@admin.register(SharingMatrix)
class SharingMatrixAdmin(RecentAuthenticationAdminMixin, admin.ModelAdmin):
    list_display = ("version", "status", "short_note", "activated_by", "activated_at", "created_at")
    list_filter = ("status",)
    ordering = ("-version",)
    actions = ("copy_as_concept", "activate")
    inlines = (SharingRuleInline,)
    fields = ("version", "status", "note", "activated_by", "activated_at", "created_at")
    readonly_fields = ("version", "status", "activated_by", "activated_at", "created_at")

    @admin.display(description="toelichting")
    def short_note(self, obj: SharingMatrix) -> str:
        return obj.note if len(obj.note) <= 80 else f"{obj.note[:79]}…"

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return self.readonly_fields if _is_concept(obj) else self.fields

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """The active and replaced versions are view-only."""
        return (obj is None or _is_concept(obj)) and super().has_change_permission(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # a new version is always a copy ("Kopie als nieuw concept")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_concept(obj) and super().has_delete_permission(request, obj)

    def save_model(self, request: HttpRequest, obj: SharingMatrix, form: Any, change: bool) -> None:
        if not _is_concept(SharingMatrix.objects.filter(pk=obj.pk).first()):
            raise PermissionDenied("Alleen een concept kan worden gewijzigd.")
        super().save_model(request, obj, form, change)

    def _actor(self, request: HttpRequest) -> User:
        return request.user  # type: ignore[return-value]

    def _one(self, request: HttpRequest, queryset: QuerySet[SharingMatrix]) -> SharingMatrix | None:
        if queryset.count() != 1:
            self.message_user(request, "Kies precies één versie van de deelmatrix.", messages.ERROR)
            return None
        return queryset.get()

    @admin.action(description="Kopie als nieuw concept", permissions=["change"])
    def copy_as_concept(self, request: HttpRequest, queryset: QuerySet[SharingMatrix]) -> None:
        matrix = self._one(request, queryset)
        if matrix is None:
            return
        try:
            concept = services.matrix_copy(actor=self._actor(request), matrix=matrix)
        except (PermissionDenied, ValidationError) as error:
            self.message_user(request, " ".join(getattr(error, "messages", [str(error)])), messages.ERROR)
            return
        self.message_user(request, f"Concept versie {concept.version} aangemaakt als kopie van versie {matrix.version}.")

    @admin.action(description="Activeren (de actieve versie wordt vervangen)", permissions=["change"])
    def activate(self, request: HttpRequest, queryset: QuerySet[SharingMatrix]) -> None:
        matrix = self._one(request, queryset)
        if matrix is None:
            return
        try:
            services.matrix_activate(actor=self._actor(request), matrix=matrix)
        except (PermissionDenied, ValidationError) as error:
            self.message_user(request, " ".join(getattr(error, "messages", [str(error)])), messages.ERROR)
            return
        self.message_user(request, f"Versie {matrix.version} is nu de actieve deelmatrix.", messages.SUCCESS)


# --- Retention periods ------------------------------------------------------------------------


@admin.register(RetentionPeriod)
class RetentionPeriodAdmin(RecentAuthenticationAdminMixin, admin.ModelAdmin):
    list_display = ("closing_reason", "months", "confirmation")
    fields = ("closing_reason", "months", "rationale", "confirmation")
    readonly_fields = ("closing_reason", "confirmation")

    @admin.display(description="bevestiging")
    def confirmation(self, obj: RetentionPeriod) -> str:
        if obj.is_placeholder:
            return f"⚠ {PLACEHOLDER_LABEL.capitalize()}"
        return f"Bevestigd door {obj.confirmed_by} op {obj.confirmed_at:%d-%m-%Y}"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # one row per closing reason, from the migration

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a reason without a period would never be destroyed, silently

    def save_model(self, request: HttpRequest, obj: RetentionPeriod, form: Any, change: bool) -> None:
        before = RetentionPeriod.objects.filter(pk=obj.pk).values_list("months", flat=True).first()
        retention.period_changed(obj, months_before=before)
        super().save_model(request, obj, form, change)
        if obj.is_placeholder:
            self.message_user(request, f"{obj}: {PLACEHOLDER_LABEL}.", messages.WARNING)


# --- Second-factor devices: no secret key in the admin -----------------------------------------


class DeviceColumns:
    """Dutch column names for django-otp devices (their fields are named in English strings no catalog
    reaches)."""

    @admin.display(description="gebruiker", ordering="user")
    def device_user(self, obj: Any) -> Any:
        return obj.user

    @admin.display(description="naam")
    def device_name(self, obj: Any) -> str:
        return str(obj.name)

    @admin.display(description="bevestigd", boolean=True)
    def device_confirmed(self, obj: Any) -> bool:
        return bool(obj.confirmed)

    @admin.display(description="ingesteld op", ordering="created_at")
    def device_created_at(self, obj: Any) -> Any:
        return obj.created_at

    @admin.display(description="laatst gebruikt op", ordering="last_used_at")
    def device_last_used_at(self, obj: Any) -> Any:
        return obj.last_used_at


class ConfirmedFilter(admin.SimpleListFilter):
    title = "bevestigd"
    parameter_name = "bevestigd"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("ja", "Ja"), ("nee", "Nee")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() in ("ja", "nee"):
            return queryset.filter(confirmed=self.value() == "ja")
        return queryset


if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)


@admin.register(TOTPDevice)
class SecondFactorDeviceAdmin(RecentAuthenticationAdminMixin, DeviceColumns, admin.ModelAdmin):
    """Which users have an authenticator; a technical superuser deletes one to reset it."""

    list_display = ("device_user", "device_name", "device_confirmed", "device_created_at", "device_last_used_at")
    list_filter = (ConfirmedFilter,)
    fields = list_display
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)


@admin.register(BackupCodeDevice)
class BackupCodeDeviceAdmin(DeviceColumns, admin.ModelAdmin):
    """Which users have backup codes and how many are left; the codes themselves are stored hashed and
    never shown. A technical superuser deletes a set when the user's codes may have been seen by others."""

    list_display = ("device_user", "codes_left", "device_created_at", "device_last_used_at")
    fields = ("device_user", "device_name", "device_created_at", "device_last_used_at")
    readonly_fields = fields

    @admin.display(description="ongebruikte codes")
    def codes_left(self, obj: BackupCodeDevice) -> int:
        return obj.codes.count()

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)
