"""The form in which an administrator edits a draft rule set: one field per parameter.

The fields are generated from the schema in ``escalation.parameters`` (labels, kinds and bounds), so
the form can never drift from what the engine reads. ``clean`` assembles the JSON document and
validates it with ``parameters_parse``; the service validates again when it saves.
"""

import dataclasses
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from cases.forms import StyledForm
from cases.forms.base import free_text_field
from cases.models import Case, CaseStatus, ClosingReason, Tier
from partners.models import User

from .models import RuleSet
from .moves import STATUS_MOVES, TIER_MOVES, Move, may_decide
from .parameters import BOOL, FLAGS, OFFENCE_FLAG_LABELS, OPTIONAL_INT, SECTIONS, Parameters, parameters_parse

SEPARATOR = "__"  # form field "top_x__age_max" ↔ document key "top_x.age_max"


def _form_field(field: dataclasses.Field[Any], section_label: str) -> forms.Field:
    meta = field.metadata
    label = f"{section_label}: {meta['label']}" if section_label else meta["label"]
    if meta["kind"] == BOOL:
        return forms.BooleanField(label=label, required=False, help_text=meta["help"])
    if meta["kind"] == FLAGS:
        choices = [(flag.value, text) for flag, text in OFFENCE_FLAG_LABELS.items()]
        return forms.MultipleChoiceField(
            label=label, choices=choices, widget=forms.CheckboxSelectMultiple, help_text=meta["help"]
        )
    return forms.IntegerField(
        label=label, min_value=meta["min"], max_value=meta["max"], required=meta["kind"] != OPTIONAL_INT, help_text=meta["help"]
    )


def parameter_fields() -> dict[str, forms.Field]:
    """``{form field name: field}`` for every parameter, top-level first, then per section."""
    fields: dict[str, forms.Field] = {}
    for field in dataclasses.fields(Parameters):
        if field.name not in SECTIONS:
            fields[field.name] = _form_field(field, "")
    for name, cls in SECTIONS.items():
        section_label = next(f.metadata["label"] for f in dataclasses.fields(Parameters) if f.name == name)
        for field in dataclasses.fields(cls):
            fields[f"{name}{SEPARATOR}{field.name}"] = _form_field(field, section_label)
    return fields


def document_initial(document: dict[str, Any]) -> dict[str, Any]:
    """The form's initial values from a JSON document."""
    initial = {key: value for key, value in document.items() if key not in SECTIONS}
    for name in SECTIONS:
        initial |= {f"{name}{SEPARATOR}{key}": value for key, value in document.get(name, {}).items()}
    return initial


class RuleSetDraftForm(forms.ModelForm):
    """A draft's note and parameters. ``cleaned_data["parameters"]`` holds the validated document."""

    class Meta:
        model = RuleSet
        fields = ("note",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields |= parameter_fields()
        if self.instance.pk and isinstance(self.instance.parameters, dict):
            self.initial.update(document_initial(self.instance.parameters))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        document: dict[str, Any] = {name: {} for name in SECTIONS}
        for key in parameter_fields():
            section, _, name = key.rpartition(SEPARATOR)
            target = document[section] if section else document
            target[name] = cleaned.get(key)
        if self.errors:
            return cleaned
        try:
            parameters_parse(document)
        except ValidationError as error:
            for key, messages in error.message_dict.items():
                self.add_error(key.replace(".", SEPARATOR) if key.replace(".", SEPARATOR) in self.fields else None, messages)
        cleaned["parameters"] = document
        return cleaned


# --- Proposals and decisions (the case page) ----------------------------------------------------

_STATUS_VERBS: dict[tuple[str, str], str] = {
    (CaseStatus.AANGEMELD, CaseStatus.ACTIEF): "Aanmelding aannemen",
    (CaseStatus.AANGEMELD, CaseStatus.AFGESLOTEN): "Aanmelding afwijzen (niet opgenomen)",
    (CaseStatus.ACTIEF, CaseStatus.AFGESLOTEN): "Casus afsluiten",
    (CaseStatus.AFGESLOTEN, CaseStatus.ACTIEF): "Casus heropenen",
}


def tier_choices(case: Case) -> list[tuple[str, str]]:
    """The tier moves the table allows from the case's tier, lowest tier first, with a Dutch verb."""
    order = list(Tier.values)
    targets = sorted(TIER_MOVES[case.tier], key=order.index)
    return [
        (to, f"{'Opschalen' if order.index(to) > order.index(case.tier) else 'Afschalen'} naar {Tier(to).label}")
        for to in targets
    ]


def move_choices(case: Case) -> list[tuple[str, str]]:
    """Every move the table allows now, as ``"tier:<to>"`` or ``"status:<to>"``; a closed case only reopens."""
    tiers = [] if case.status == CaseStatus.AFGESLOTEN else [(f"tier:{to}", label) for to, label in tier_choices(case)]
    statuses = [(f"status:{to}", _STATUS_VERBS[(case.status, to)]) for to in sorted(STATUS_MOVES[case.status])]
    return tiers + statuses


def decidable_choices(case: Case, decider: User | None) -> list[tuple[str, str]]:
    """``move_choices`` narrowed to the moves ``decider`` takes themselves (all when no decider is given)."""
    choices = move_choices(case)
    if decider is None:
        return choices
    is_case_director = case.case_director_id == decider.pk
    has_director = case.case_director_id is not None

    def decidable(value: str) -> bool:
        kind, target = value.split(":", 1)
        move = Move(
            case.tier, case.status, to_tier=target if kind == "tier" else None, to_status=target if kind == "status" else None
        )
        return may_decide(move, role=decider.role, is_case_director=is_case_director, case_has_case_director=has_director)

    return [(value, label) for value, label in choices if decidable(value)]


class ProposalForm(StyledForm):
    to_tier = forms.ChoiceField(label="Voorstel: naar niveau")
    rationale = free_text_field("Onderbouwing", rows=4)

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_tier"].choices = tier_choices(case)  # type: ignore[attr-defined]


class DecisionForm(StyledForm):
    """A decision on the case page. ``from_tier`` travels hidden: the tier the decider saw (stale → refused)."""

    from_tier = forms.CharField(widget=forms.HiddenInput)
    move = forms.ChoiceField(label="Besluit", widget=forms.RadioSelect)
    rationale = free_text_field("Onderbouwing", rows=4)
    closing_reason = forms.ChoiceField(
        label="Reden van afsluiten",
        required=False,
        choices=[("", "—"), *ClosingReason.choices],
        help_text="Bij afsluiten of afwijzen.",
    )
    override_reason = free_text_field(
        "Reden om vóór de vroegste uitstroomdatum af te sluiten",
        required=False,
        rows=2,
        help_text="Alleen nodig als de vroegste uitstroomdatum nog niet is bereikt.",
    )

    def __init__(self, *args: Any, case: Case, decider: User | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["move"].choices = decidable_choices(case, decider)  # type: ignore[attr-defined]

    def service_data(self) -> dict[str, Any]:
        """The keyword arguments of ``services.decision_make`` (without actor and case)."""
        data = self.cleaned_data
        kind, target = data["move"].split(":", 1)
        return {
            "from_tier": data["from_tier"],
            "to_tier": target if kind == "tier" else None,
            "to_status": target if kind == "status" else None,
            "rationale": data["rationale"],
            "closing_reason": data.get("closing_reason") or "",
            "override_reason": data.get("override_reason") or "",
        }
