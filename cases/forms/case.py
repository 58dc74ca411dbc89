"""Forms of the case page and the caseload: facts, plan, team, direction, registration, search."""

from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from partners.models import Organisation, Role, User
from privacy.categories import Category

from ..models import (
    ActionKind,
    ActionStatus,
    DrugNetworkIndication,
    Intervention,
    JournalKind,
    Leefgebied,
    OffenceOutcome,
    OffenceType,
    TargetGroup,
    Tier,
)
from ..models.person import PERSON_FIELDS
from .base import (
    SCORE_CHOICES,
    BsnField,
    StyledForm,
    UserChoiceField,
    active_organisations,
    case_workers,
    date_field,
    free_text_field,
    line_field,
    widget_class,
)
from .person import PersonFields

# --- Caseload -------------------------------------------------------------------------------


class BsnSearchForm(StyledForm):
    """Search a person by BSN. Always sent by POST: a BSN never appears in a URL."""

    bsn = BsnField()


# --- Registration (aanmelding) --------------------------------------------------------------


class CaseRegistrationFields(StyledForm):
    """The case half of an aanmelding: target group, tier, directors and the first team."""

    target_group = forms.ChoiceField(label="Doelgroep", choices=[("", "Kies een doelgroep"), *TargetGroup.choices])
    # Top X (ZVHRU) is never set by an aanmelding: the procesregisseur decides it (issue #3).
    tier = forms.ChoiceField(label="Niveau", choices=[c for c in Tier.choices if c[0] != Tier.ZVHRU], initial=Tier.BASISINZET)
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


class RegistrationForm(PersonFields, CaseRegistrationFields):
    """A new person with a new case. The duplicate check runs in the view before saving."""

    field_order = [
        *PERSON_FIELDS,
        "target_group",
        "tier",
        "case_director",
        "process_director",
        "team_organisations",
        "confirm_new",
    ]

    confirm_new = forms.BooleanField(
        label="Ik heb het gecontroleerd: dit is een andere persoon.",
        required=False,
        widget=forms.CheckboxInput,
    )


class ExistingPersonRegistrationForm(CaseRegistrationFields):
    """A new case for a person the user already sees."""


# --- Facts ------------------------------------------------------------------------------------


class JournalForm(StyledForm):
    """A journal entry. ``category`` (DOMAIN.md §8, issue #4: free text gets a category chosen by its
    author, default ``plan``) offers only the ``categories`` the author may write under the sharing
    matrix (``privacy.policy.Disclosure.writes``); left empty it is ``plan``."""

    kind = forms.ChoiceField(label="Soort", choices=JournalKind.choices, initial=JournalKind.CONTACT)
    occurred_on = date_field("Datum")
    category = forms.ChoiceField(
        label="Categorie",
        required=False,
        initial=Category.PLAN,
        help_text="Bepaalt wie de tekst mag lezen: alleen wie deze categorie volgens de deelmatrix mag inzien.",
    )
    text = free_text_field("Tekst", rows=4)

    def __init__(self, *args: Any, categories: Iterable[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["occurred_on"].initial = timezone.localdate
        allowed = [Category(category) for category in (categories if categories is not None else [Category.PLAN])]
        self.fields["category"].choices = [(c.value, c.label) for c in Category if c in allowed]  # type: ignore[attr-defined]
        if Category.PLAN not in allowed and allowed:
            self.fields["category"].initial = allowed[0]

    def clean_category(self) -> str:
        """Empty means the default: ``plan`` (or the only category the author may write)."""
        return self.cleaned_data.get("category") or str(self.fields["category"].initial)


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
            widget = forms.RadioSelect(attrs={"class": widget_class(forms.RadioSelect())})
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
    """Target group and directors; a hand-over needs a written reason. Tier and status move by a decision."""

    target_group = forms.ChoiceField(label="Doelgroep", choices=TargetGroup.choices)
    case_director = UserChoiceField(label="Casusregisseur", queryset=User.objects.none(), required=False, empty_label="Geen")
    process_director = UserChoiceField(label="Procesregisseur", queryset=User.objects.none(), required=False, empty_label="Geen")
    reason = free_text_field(
        "Reden van de wijziging", rows=3, required=False, help_text="Verplicht bij een overdracht van de regie."
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        workers = case_workers()
        self.fields["case_director"].queryset = workers.filter(role=Role.CASE_DIRECTOR)  # type: ignore[attr-defined]
        self.fields["process_director"].queryset = workers.filter(role=Role.PROCESS_DIRECTOR)  # type: ignore[attr-defined]

    def changes(self) -> dict[str, Any]:
        """The case fields as the service takes them."""
        return {name: self.cleaned_data.get(name) for name in ("target_group", "case_director", "process_director")}


class DrugNetworkForm(StyledForm):
    drug_network_indication = forms.ChoiceField(
        label="Netwerk in de drugswereld", choices=DrugNetworkIndication.choices, widget=forms.RadioSelect
    )
