"""Forms for a person's identification data and their place in a family.

Shape only: the BSN's own format (nine digits, eleven-check, not all zeros), names without control
characters, dates as dates. The rules (duplicates, who may edit, justification required) are in
``cases.services``.
"""

from typing import Any

from django import forms

from privacy import policy
from privacy.categories import Category

from ..models import Family, FamilyRole, Gender, Wijk
from ..models.person import PERSON_FIELDS
from .base import BsnField, StyledForm, date_field, free_text_field, line_field


class PersonFields(StyledForm):
    """The identification fields of a person, shared by the aanmelding and the person edit form."""

    PERSON_FIELDS = list(PERSON_FIELDS)

    bsn = BsnField(required=False, help_text="Negen cijfers; laat leeg als het BSN niet bekend is.")
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

    def without_unwritable(self, disclosure: policy.Disclosure) -> "PersonFields":
        """Drop the person fields the user may not write under the sharing matrix (``lvb`` is zorg,
        issue #4), so the form never offers what saving would refuse. Returns the form itself."""
        for name in self.PERSON_FIELDS:
            # Registering takes no identificatie write (partners only read it); other categories do.
            categories = policy.FIELDS["person"][name].categories - {Category.IDENTIFICATIE}
            if name in self.fields and not all(disclosure.writes(category) for category in categories):
                del self.fields[name]
        return self

    def person_data(self) -> dict[str, Any]:
        data = {name: self.cleaned_data.get(name) for name in self.PERSON_FIELDS if name in self.fields}
        data["surname_prefix"] = data["surname_prefix"] or ""
        data["not_informed_reason"] = data.get("not_informed_reason") or ""
        return data


class PersonForm(PersonFields):
    """Edit a person's identification data (the case's directors)."""


class FamilyMembershipForm(StyledForm):
    """Link the case's person to a family: an existing one the user can see, or a new one."""

    family = forms.ModelChoiceField(
        label="Bestaande familie", queryset=Family.objects.none(), required=False, empty_label="Nieuwe familie"
    )
    family_name = line_field("Naam nieuwe familie", required=False, help_text="Alleen bij een nieuwe familie.")
    role = forms.ChoiceField(label="Rol in de familie", choices=FamilyRole.choices)
    justification = free_text_field(
        "Onderbouwing",
        rows=4,
        help_text="Waarom hoort deze persoon bij deze familie (crimineel systeem)? Personen worden nooit automatisch gekoppeld.",
    )

    def __init__(self, *args: Any, families: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if families is not None:
            self.fields["family"].queryset = families  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("family") and not (data.get("family_name") or "").strip():
            self.add_error("family_name", "Kies een bestaande familie of geef de nieuwe familie een naam.")
        return data
