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

from partners.models import CASE_WORKER_ROLES, Organisation, Role, User
from pga.validators import FREE_TEXT_MAX_LENGTH, validate_free_text, validate_single_line

from .models import (
    ActionKind,
    ActionStatus,
    CaseStatus,
    ClosingReason,
    DrugNetworkIndication,
    Gender,
    Intervention,
    JournalKind,
    Leefgebied,
    OffenceOutcome,
    OffenceType,
    TargetGroup,
    Tier,
    Wijk,
)
from .models.person import validate_bsn

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


def _widget_class(widget: forms.Widget) -> str:
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
            field.widget.attrs["class"] = f"{_widget_class(field.widget)} {field.widget.attrs.get('class', '')}".strip()
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


# --- Caseload -------------------------------------------------------------------------------


class BsnSearchForm(StyledForm):
    """Search a person by BSN. Always sent by POST: a BSN never appears in a URL."""

    bsn = forms.CharField(
        label="BSN",
        max_length=20,
        validators=[validate_bsn],
        help_text="Negen cijfers.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_bsn(self) -> str:
        return "".join(self.cleaned_data["bsn"].split())


# --- Registration (aanmelding) --------------------------------------------------------------


class CaseRegistrationFields(StyledForm):
    """The case half of an aanmelding: target group, tier, directors and the first team."""

    target_group = forms.ChoiceField(label="Doelgroep", choices=[("", "Kies een doelgroep"), *TargetGroup.choices])
    tier = forms.ChoiceField(label="Niveau", choices=Tier.choices, initial=Tier.BASISINZET)
    case_director = UserChoiceField(
        label="Casusregisseur",
        queryset=User.objects.none(),
        required=False,
        empty_label="Nog geen casusregisseur",
        help_text="Verplicht vanaf Lokale PGA.",
    )
    process_director = UserChoiceField(
        label="Procesregisseur",
        queryset=User.objects.none(),
        required=False,
        empty_label="Geen",
        help_text="Verplicht bij Top X (ZVHRU).",
    )
    team_organisations = forms.ModelMultipleChoiceField(
        label="Andere organisaties in het casusteam",
        queryset=Organisation.objects.none(),
        to_field_name="code",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="U komt zelf (op naam) in het team, tenzij u de casus regisseert.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        workers = case_workers()
        self.fields["case_director"].queryset = workers.filter(role=Role.CASE_DIRECTOR)  # type: ignore[attr-defined]
        self.fields["process_director"].queryset = workers.filter(role=Role.PROCESS_DIRECTOR)  # type: ignore[attr-defined]
        self.fields["team_organisations"].queryset = active_organisations()  # type: ignore[attr-defined]

    def case_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "target_group": data["target_group"],
            "tier": data["tier"],
            "case_director": data.get("case_director"),
            "process_director": data.get("process_director"),
            "team_organisations": list(data.get("team_organisations") or []),
        }


class RegistrationForm(CaseRegistrationFields):
    """A new person with a new case. The duplicate check runs in the view before saving."""

    field_order = [
        "bsn",
        "given_names",
        "surname_prefix",
        "surname",
        "date_of_birth",
        "gender",
        "wijk",
        "lvb",
        "informed_on",
        "not_informed_reason",
        "target_group",
        "tier",
        "case_director",
        "process_director",
        "team_organisations",
        "confirm_new",
    ]
    PERSON_FIELDS = field_order[:10]

    bsn = forms.CharField(
        label="BSN",
        max_length=20,
        required=False,
        validators=[validate_bsn],
        help_text="Negen cijfers; laat leeg als het BSN niet bekend is.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "spellcheck": "false"}),
    )
    given_names = line_field("Voornamen", autocomplete="off")
    surname_prefix = line_field("Tussenvoegsel", max_length=20, required=False, autocomplete="off")
    surname = line_field("Achternaam", autocomplete="off")
    date_of_birth = date_field("Geboortedatum")
    gender = forms.ChoiceField(label="Geslacht", choices=Gender.choices, initial=Gender.ONBEKEND)
    wijk = forms.ModelChoiceField(
        label="Wijk", queryset=Wijk.objects.all(), to_field_name="code", required=False, empty_label="Onbekend / buiten Utrecht"
    )
    lvb = forms.BooleanField(label="Licht verstandelijke beperking (LVB)", required=False)
    informed_on = date_field(
        "Geïnformeerd op", required=False, help_text="De datum waarop de persoon over de aanmelding is verteld."
    )
    not_informed_reason = free_text_field(
        "Reden niet geïnformeerd", required=False, rows=2, help_text="Alleen als de persoon niet is geïnformeerd."
    )
    confirm_new = forms.BooleanField(
        label="Ik heb de gevonden personen bekeken: dit is een andere persoon.",
        required=False,
        widget=forms.CheckboxInput,
    )

    def clean_bsn(self) -> str | None:
        return "".join(self.cleaned_data["bsn"].split()) or None

    def person_data(self) -> dict[str, Any]:
        data = {name: self.cleaned_data.get(name) for name in self.PERSON_FIELDS}
        data["surname_prefix"] = data["surname_prefix"] or ""
        data["not_informed_reason"] = data["not_informed_reason"] or ""
        return data


class ExistingPersonRegistrationForm(CaseRegistrationFields):
    """A new case for a person the user already sees."""


# --- Facts ------------------------------------------------------------------------------------


class JournalForm(StyledForm):
    kind = forms.ChoiceField(label="Soort", choices=JournalKind.choices, initial=JournalKind.CONTACT)
    occurred_on = date_field("Datum")
    text = free_text_field("Tekst", rows=4)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["occurred_on"].initial = timezone.localdate


class OffenceForm(StyledForm):
    committed_on = date_field("Pleegdatum")
    offence_type = forms.ModelChoiceField(
        label="Delicttype",
        queryset=OffenceType.objects.filter(active=True),
        to_field_name="code",
        empty_label="Kies een delicttype",
    )
    outcome = forms.ChoiceField(label="Afdoening", choices=OffenceOutcome.choices, initial=OffenceOutcome.OPEN)
    description = free_text_field("Toelichting", required=False, rows=3)


class DetentionForm(StyledForm):
    institution = line_field("Inrichting")
    started_on = date_field("Begindatum")
    expected_release_on = date_field("Verwachte vrijlating", required=False)
    released_on = date_field("Vrijgelaten op", required=False)


class AssessmentForm(StyledForm):
    """One dated score per leefgebied on the five-point scale (DOMAIN.md §11)."""

    assessed_on = date_field("Datum van de beoordeling")
    note = free_text_field("Toelichting", required=False, rows=3)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assessed_on"].initial = timezone.localdate
        for code, label in Leefgebied.choices:
            widget = forms.RadioSelect(attrs={"class": _widget_class(forms.RadioSelect())})
            self.fields[code] = forms.TypedChoiceField(label=str(label), choices=SCORE_CHOICES, coerce=int, widget=widget)
        self.order_fields(["assessed_on", *Leefgebied.values, "note"])


# --- Plan -------------------------------------------------------------------------------------


class GoalForm(StyledForm):
    leefgebied = forms.ChoiceField(label="Leefgebied", choices=Leefgebied.choices)
    description = free_text_field("Doel", rows=3)
    achieved = forms.BooleanField(label="Doel behaald", required=False)


class ActionForm(StyledForm):
    """An action as the directors edit it; ``ActionOwnerForm`` is what the owning partner may change."""

    description = free_text_field("Actie", rows=3)
    kind = forms.ChoiceField(label="Soort", choices=ActionKind.choices, widget=forms.RadioSelect)
    intervention = forms.ModelChoiceField(
        label="Interventie",
        queryset=Intervention.objects.filter(active=True),
        to_field_name="code",
        required=False,
        empty_label="Geen",
    )
    owning_organisation = forms.ModelChoiceField(
        label="Eigenaar (organisatie)", queryset=Organisation.objects.none(), to_field_name="code"
    )
    responsible_user = UserChoiceField(
        label="Verantwoordelijke",
        queryset=User.objects.none(),
        required=False,
        empty_label="Nog niet toegewezen",
        help_text="Een professional van de eigenaar.",
    )
    due_on = date_field("Uiterlijk op", required=False)
    status = forms.ChoiceField(label="Status", choices=ActionStatus.choices, initial=ActionStatus.OPEN)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "owning_organisation" in self.fields:
            self.fields["owning_organisation"].queryset = active_organisations()  # type: ignore[attr-defined]
        self.fields["responsible_user"].queryset = case_workers()  # type: ignore[attr-defined]


class ActionOwnerForm(ActionForm):
    """The owning organisation's team members change status, responsible professional and due date."""

    description = None  # type: ignore[assignment]
    kind = None  # type: ignore[assignment]
    intervention = None  # type: ignore[assignment]
    owning_organisation = None  # type: ignore[assignment]


# --- Team and direction -----------------------------------------------------------------------


class TeamMemberForm(StyledForm):
    organisation = forms.ModelChoiceField(
        label="Organisatie", queryset=Organisation.objects.none(), to_field_name="code", required=False, empty_label="—"
    )
    user = UserChoiceField(label="Of een persoon", queryset=User.objects.none(), required=False, empty_label="—")
    starts_on = date_field("Vanaf", required=False, help_text="Leeg laten voor vandaag.")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = active_organisations()  # type: ignore[attr-defined]
        self.fields["user"].queryset = case_workers()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("organisation") and not data.get("user") and not self.errors:
            raise ValidationError("Kies een organisatie óf een persoon.")
        return data


class CaseDirectionForm(StyledForm):
    """Tier, status, target group and directors; every change needs a written reason."""

    tier = forms.ChoiceField(label="Niveau", choices=Tier.choices)
    status = forms.ChoiceField(label="Status", choices=CaseStatus.choices)
    target_group = forms.ChoiceField(label="Doelgroep", choices=TargetGroup.choices)
    case_director = UserChoiceField(label="Casusregisseur", queryset=User.objects.none(), required=False, empty_label="Geen")
    process_director = UserChoiceField(label="Procesregisseur", queryset=User.objects.none(), required=False, empty_label="Geen")
    closing_reason = forms.ChoiceField(
        label="Reden van afsluiten",
        choices=[("", "—"), *ClosingReason.choices],
        required=False,
        help_text="Alleen bij de status Afgesloten.",
    )
    closing_note = free_text_field("Toelichting bij afsluiten", required=False, rows=2)
    reason = free_text_field(
        "Reden van de wijziging", rows=3, help_text="Bijvoorbeeld het besluit van het casusoverleg of de reden van overdracht."
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        workers = case_workers()
        self.fields["case_director"].queryset = workers.filter(role=Role.CASE_DIRECTOR)  # type: ignore[attr-defined]
        self.fields["process_director"].queryset = workers.filter(role=Role.PROCESS_DIRECTOR)  # type: ignore[attr-defined]

    def changes(self) -> dict[str, Any]:
        """The case fields as the service takes them; closing fields only when closing."""
        data = self.cleaned_data
        changes = {name: data.get(name) for name in ("tier", "status", "target_group", "case_director", "process_director")}
        if data.get("status") == CaseStatus.AFGESLOTEN:
            changes["closing_reason"] = data.get("closing_reason") or ""
            changes["closing_note"] = data.get("closing_note") or ""
        return changes


class DrugNetworkForm(StyledForm):
    drug_network_indication = forms.ChoiceField(
        label="Netwerk in de drugswereld", choices=DrugNetworkIndication.choices, widget=forms.RadioSelect
    )
