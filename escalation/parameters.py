"""The parameters of a rule set (beoordelingskader), their schema and its validation.

A rule set stores its parameters as one JSON document (``RuleSet.parameters``); this module is the
schema of that document, written as typed frozen dataclasses, and the only code that reads it
(docs/decisions/0007-rule-sets-as-data.md). ``parameters_parse`` turns a document into a
``Parameters`` object or raises ``ValidationError`` with one Dutch message per offending key
(``"top_x.age_max"``). Every field carries its Dutch label and bounds (``meta``), which the admin form uses too.

The thresholds themselves are DOMAIN.md §5 (all *configurable*); version 1's values are in
``VERSION_1``, exactly as issue #3 lists them and still to be confirmed with the partners.
"""

import dataclasses
from dataclasses import field
from enum import StrEnum
from typing import Any

from django.core.exceptions import ValidationError


class OffenceFlag(StrEnum):
    """Flags of an offence type that a criterion can count (DOMAIN.md §5.1, §5.4, §11)."""

    SERIOUS = "serious"
    DRUG_RELATED = "drug_related"
    VIOLENT = "violent"


OFFENCE_FLAG_LABELS = {
    OffenceFlag.SERIOUS: "ernstig (strafmaximum ≥ 4 jaar)",
    OffenceFlag.DRUG_RELATED: "drugsgerelateerd",
    OffenceFlag.VIOLENT: "gewelddadig",
}

INT, OPTIONAL_INT, BOOL, FLAGS = "int", "optional_int", "bool", "flags"


def meta(label: str, kind: str = INT, minimum: int = 0, maximum: int = 120, help_text: str = "") -> dict[str, Any]:
    """A parameter's metadata: Dutch label, kind, inclusive bounds (ints) and help text."""
    return {"label": label, "kind": kind, "min": minimum, "max": maximum, "help": help_text}


@dataclasses.dataclass(frozen=True)
class TopXParameters:
    """``top_x`` → ``zvhru`` (DOMAIN.md §5.2)."""

    age_min: int | None = field(metadata=meta("Minimumleeftijd (jaren)", OPTIONAL_INT, 0, 99, "Leeg: geen ondergrens."))
    age_max: int = field(metadata=meta("Maximumleeftijd (jaren, tot en met)", INT, 0, 99))
    window_months: int = field(metadata=meta("Periode voor delicten (maanden terug vanaf de peildatum)", INT, 1, 120))
    min_offences: int = field(metadata=meta("Minimum aantal delicten in die periode", INT, 1, 100))
    min_serious_offences: int = field(metadata=meta("Waarvan minimaal ernstig (strafmaximum ≥ 4 jaar)", INT, 0, 100))
    min_problem_areas: int = field(metadata=meta("Minimum aantal leefgebieden met een probleemscore", INT, 0, 6))


@dataclasses.dataclass(frozen=True)
class DoorgroeierParameters:
    """``doorgroeier`` → ``lokale_pga`` (DOMAIN.md §5.1)."""

    age_min: int | None = field(metadata=meta("Minimumleeftijd (jaren)", OPTIONAL_INT, 0, 99, "Leeg: geen ondergrens."))
    age_max: int = field(metadata=meta("Maximumleeftijd (jaren, tot en met)", INT, 0, 99))
    window_months: int = field(metadata=meta("Periode voor delicten (maanden terug vanaf de peildatum)", INT, 1, 120))
    min_offences: int = field(metadata=meta("Minimum aantal delicten met een van de kenmerken hieronder", INT, 1, 100))
    offence_flags: tuple[OffenceFlag, ...] = field(metadata=meta("Kenmerken die meetellen (een van)", FLAGS))
    drug_network_required: bool = field(metadata=meta("Netwerk in de drugswereld vereist", BOOL))
    min_problem_areas: int = field(metadata=meta("Minimum aantal leefgebieden met een probleemscore", INT, 0, 6))


@dataclasses.dataclass(frozen=True)
class ExitParameters:
    """``exit``: flag for an exit (uitstroom) review (DOMAIN.md §5.6)."""

    period_months: int = field(metadata=meta("Uitstroomtermijn (maanden na het laatste delict)", INT, 0, 120))
    blocking_score: int = field(
        metadata=meta(
            "Geen uitstroom zolang een leefgebied op of onder deze score staat",
            INT,
            0,
            5,
            "0: de scores houden uitstroom niet tegen.",
        )
    )


@dataclasses.dataclass(frozen=True)
class Parameters:
    """The whole document. ``problem_score_max``: a leefgebied scoring 1…this counts as a problem."""

    problem_score_max: int = field(metadata=meta("Een leefgebied telt als probleem bij een score van 1 tot en met", INT, 1, 5))
    top_x: TopXParameters = field(metadata={"label": "Top X → ZVHRU"})
    doorgroeier: DoorgroeierParameters = field(metadata={"label": "Doorgroeier → lokale PGA"})
    exit: ExitParameters = field(metadata={"label": "Uitstroom"})

    def as_json(self) -> dict[str, Any]:
        """The JSON document (flags as their string values)."""
        return json_safe(dataclasses.asdict(self))


@dataclasses.dataclass(frozen=True)
class Rules:
    """What the engine needs of a rule set: its version and its typed parameters (no database)."""

    version: int
    parameters: Parameters


SECTIONS: dict[str, type] = {"top_x": TopXParameters, "doorgroeier": DoorgroeierParameters, "exit": ExitParameters}

# Rule set version 1 (issue #3): the starting parameters, to be confirmed with the partners.
VERSION_1: dict[str, Any] = {
    "problem_score_max": 2,
    "top_x": {
        "age_min": None,
        "age_max": 23,
        "window_months": 24,
        "min_offences": 3,
        "min_serious_offences": 1,
        "min_problem_areas": 2,
    },
    "doorgroeier": {
        "age_min": 16,
        "age_max": 27,
        "window_months": 24,
        "min_offences": 1,
        "offence_flags": ["drug_related", "violent"],
        "drug_network_required": True,
        "min_problem_areas": 2,
    },
    "exit": {"period_months": 12, "blocking_score": 1},
}


def json_safe(value: Any) -> Any:
    """Tuples as lists and enum members as their values, recursively."""
    if isinstance(value, dict):
        return {key: json_safe(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(item) for item in value]
    if isinstance(value, StrEnum):
        return value.value
    return value


def parameters_parse(document: Any) -> Parameters:
    """Validate a JSON document against the schema and return it typed.

    Raises ``ValidationError`` whose ``message_dict`` maps ``"section.key"`` (or ``"key"`` at the top)
    to Dutch messages: missing and unknown keys, wrong types, values outside the bounds, and a
    minimum age above the maximum age.
    """
    errors: dict[str, list[str]] = {}
    top = _mapping(document, "", errors)
    _unknown(top, {"problem_score_max", *SECTIONS}, "", errors)
    problem_score_max = _value(top, "problem_score_max", Parameters, "", errors)
    sections = {name: _section(cls, top.get(name), name, errors) for name, cls in SECTIONS.items()}
    if errors:
        raise ValidationError(errors)
    return Parameters(problem_score_max=problem_score_max, **sections)


def _section(cls: type, data: Any, name: str, errors: dict[str, list[str]]) -> Any:
    mapping = _mapping(data, name, errors)
    fields = {field.name for field in dataclasses.fields(cls)}
    _unknown(mapping, fields, f"{name}.", errors)
    values = {field: _value(mapping, field, cls, f"{name}.", errors) for field in fields}
    if values.get("age_min") is not None and isinstance(values.get("age_max"), int) and values["age_min"] > values["age_max"]:
        errors.setdefault(f"{name}.age_min", []).append("De minimumleeftijd ligt boven de maximumleeftijd.")
    return None if any(key.startswith(f"{name}.") or key == name for key in errors) else cls(**values)


def _mapping(data: Any, name: str, errors: dict[str, list[str]]) -> dict[str, Any]:
    if isinstance(data, dict):
        return data
    errors.setdefault(name or "parameters", []).append("Verwacht een object met parameters.")
    return {}


def _unknown(data: dict[str, Any], known: set[str], prefix: str, errors: dict[str, list[str]]) -> None:
    for key in sorted(set(data) - known):
        errors.setdefault(f"{prefix}{key}", []).append("Onbekende parameter.")


def _value(data: dict[str, Any], name: str, cls: type, prefix: str, errors: dict[str, list[str]]) -> Any:
    """One value checked against its field's kind and bounds; records an error and returns None if wrong."""
    meta = next(field.metadata for field in dataclasses.fields(cls) if field.name == name)
    key = f"{prefix}{name}"
    if name not in data:
        errors.setdefault(key, []).append("Deze parameter ontbreekt.")
        return None
    value, kind = data[name], meta["kind"]
    if kind == BOOL:
        return value if isinstance(value, bool) else _error(errors, key, "Verwacht ja of nee (true/false).")
    if kind == FLAGS:
        return _flags(value, key, errors)
    if value is None and kind == OPTIONAL_INT:
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        return _error(errors, key, "Verwacht een geheel getal.")
    if not meta["min"] <= value <= meta["max"]:
        return _error(errors, key, f"Verwacht een getal van {meta['min']} tot en met {meta['max']}.")
    return value


def _flags(value: Any, key: str, errors: dict[str, list[str]]) -> tuple[OffenceFlag, ...] | None:
    allowed = {flag.value for flag in OffenceFlag}
    if not isinstance(value, list) or not value or not all(isinstance(item, str) and item in allowed for item in value):
        return _error(errors, key, f"Verwacht een niet-lege lijst met kenmerken uit: {', '.join(sorted(allowed))}.")
    return tuple(OffenceFlag(item) for item in dict.fromkeys(value))


def _error(errors: dict[str, list[str]], key: str, message: str) -> Any:
    """Record ``message`` for ``key``; returns None, the value a wrong parameter gets."""
    errors.setdefault(key, []).append(message)
    return None
