"""Browser forms of the case app: the shape of what a user types, nothing more.

The rules (who may, which dates make sense, duplicates, status moves) live in ``cases.services``;
views call a service with ``form.service_data()`` and map its ``ValidationError`` back onto the
fields with ``apply_service_errors``. The forms only check syntax: required fields, lengths, choices,
date formats, a BSN's own format, and that free text holds no NUL byte (Django's ``CharField``).
Every widget gets the Utrecht NL Design System class for its kind.
"""

from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import QuerySet
from django.utils import timezone

from partners.models import CASE_WORKER_ROLES, Organisation, User
from pga.validators import FREE_TEXT_MAX_LENGTH, validate_free_text, validate_single_line

from ..models.person import validate_bsn

# Labels of the five-point self-reliance scale (DOMAIN.md §11, as in the Zelfredzaamheid-Matrix).
SCORE_LABELS = {
    1: "Acute problematiek",
    2: "Niet zelfredzaam",
    3: "Beperkt zelfredzaam",
    4: "Voldoende zelfredzaam",
    5: "Volledig zelfredzaam",
}
SCORE_CHOICES = [(score, f"{score} – {label}") for score, label in SCORE_LABELS.items()]

_WIDGET_CLASSES: dict[type[forms.Widget], str] = {
    forms.Textarea: "utrecht-textarea utrecht-textarea--html-textarea",
    forms.Select: "utrecht-select utrecht-select--html-select",
    forms.CheckboxInput: "utrecht-checkbox utrecht-checkbox--html-input",
    forms.RadioSelect: "utrecht-radio-button utrecht-radio-button--html-input",
    forms.CheckboxSelectMultiple: "utrecht-checkbox utrecht-checkbox--html-input",
}


def widget_class(widget: forms.Widget) -> str:
    for kind in type(widget).__mro__:
        if kind in _WIDGET_CLASSES:
            return _WIDGET_CLASSES[kind]
    return "utrecht-textbox utrecht-textbox--html-input"


class DateInput(forms.DateInput):
    """A native date picker (keyboard-operable); the value travels as ISO ``YYYY-MM-DD``."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def date_field(label: str, *, required: bool = True, help_text: str = "") -> forms.DateField:
    return forms.DateField(label=label, required=required, help_text=help_text, widget=DateInput())


def free_text_field(label: str, *, required: bool = True, rows: int = 4, help_text: str = "") -> forms.CharField:
    """Free text: tab and newlines allowed, other control characters and NUL bytes not."""
    return forms.CharField(
        label=label,
        required=required,
        max_length=FREE_TEXT_MAX_LENGTH,
        strip=False,
        help_text=help_text,
        validators=[validate_free_text],
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def line_field(label: str, *, max_length: int = 200, required: bool = True, **attrs: str) -> forms.CharField:
    """One line of text: no control characters at all."""
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        validators=[validate_single_line],
        widget=forms.TextInput(attrs=attrs),
    )


def active_organisations() -> QuerySet[Organisation]:
    return Organisation.objects.active_on(timezone.localdate())


def case_workers() -> QuerySet[User]:
    """Active professionals (not applications) who can work on cases."""
    return (
        User.objects.filter(is_active=True, is_application=False, role__in=CASE_WORKER_ROLES, organisation__isnull=False)
        .select_related("organisation")
        .order_by("last_name", "first_name", "username")
    )


class UserChoiceField(forms.ModelChoiceField):
    """A user shown as "Naam (Organisatie)"."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj} ({obj.organisation})" if obj.organisation_id else str(obj)


def style_widgets(form: forms.BaseForm, *, empty_label: str | None = None) -> None:
    """Give every widget of ``form`` its Utrecht class (also for forms made elsewhere, e.g. filters)."""
    for field in form.fields.values():
        if "utrecht-" not in field.widget.attrs.get("class", ""):
            field.widget.attrs["class"] = f"{widget_class(field.widget)} {field.widget.attrs.get('class', '')}".strip()
        if empty_label is not None and getattr(field, "empty_label", None) is not None:
            field.empty_label = empty_label  # type: ignore[attr-defined]
            # The widget holds a shallow copy of the choices bound to the class-level field; rebind.
            field.widget.choices = field.choices  # type: ignore[attr-defined]


class StyledForm(forms.Form):
    """A form whose widgets carry the Utrecht classes; Django adds aria-invalid/-describedby itself."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        style_widgets(self)

    def service_data(self) -> dict[str, Any]:
        """The cleaned values under the names the service expects."""
        return dict(self.cleaned_data)


def apply_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ``ValidationError`` on the matching fields; anything else above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for name, messages in error.message_dict.items():
        target = name if name in form.fields and name != NON_FIELD_ERRORS else None
        for message in messages:
            if form.has_error(target) and message in form.errors.get(target or NON_FIELD_ERRORS, []):
                continue
            form.add_error(target, message)


class BsnField(forms.CharField):
    """A BSN as people type it: spaces and dots between the digits are dropped before the check
    (nine digits, eleven-check, not ``000000000``). Empty becomes ``None`` when not required."""

    def __init__(self, *, help_text: str = "Negen cijfers.", **kwargs: Any) -> None:
        attrs = {"inputmode": "numeric", "autocomplete": "off", "spellcheck": "false"}
        super().__init__(
            label="BSN",
            max_length=20,
            validators=[validate_bsn],
            help_text=help_text,
            widget=forms.TextInput(attrs=attrs),
            **kwargs,
        )

    def to_python(self, value: Any) -> str | None:
        text = "".join(str(super().to_python(value)).replace(".", " ").split())
        return text or None
