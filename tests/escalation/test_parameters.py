"""The rule-set parameter schema: version 1 is valid, and a wrong document is refused key by key."""

import copy

import pytest
from django.core.exceptions import ValidationError

from escalation.parameters import VERSION_1, OffenceFlag, parameters_parse


def changed(path: str, value) -> dict:
    """Version 1 with one key set (``"top_x.age_max"``) or, for ``value is KeyError``, removed."""
    document = copy.deepcopy(VERSION_1)
    *sections, key = path.split(".")
    target = document
    for section in sections:
        target = target[section]
    if value is KeyError:
        del target[key]
    else:
        target[key] = value
    return document


def errors_of(document) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        parameters_parse(document)
    return caught.value.message_dict


def test_version_1_has_the_starting_parameters_of_the_issue():
    parameters = parameters_parse(VERSION_1)

    assert (parameters.top_x.age_min, parameters.top_x.age_max) == (None, 23)
    assert (parameters.top_x.window_months, parameters.top_x.min_offences, parameters.top_x.min_serious_offences) == (24, 3, 1)
    assert (parameters.doorgroeier.age_min, parameters.doorgroeier.age_max, parameters.doorgroeier.min_offences) == (16, 27, 1)
    assert parameters.doorgroeier.offence_flags == (OffenceFlag.DRUG_RELATED, OffenceFlag.VIOLENT)
    assert parameters.doorgroeier.drug_network_required is True
    assert parameters.top_x.min_problem_areas == parameters.doorgroeier.min_problem_areas == 2
    assert parameters.problem_score_max == 2
    assert (parameters.exit.period_months, parameters.exit.blocking_score) == (12, 1)


def test_the_document_survives_a_round_trip():
    assert parameters_parse(VERSION_1).as_json() == VERSION_1


@pytest.mark.parametrize(
    ("path", "value", "key", "message"),
    [
        ("top_x.age_max", KeyError, "top_x.age_max", "Deze parameter ontbreekt."),
        ("top_x.leeftijd", 23, "top_x.leeftijd", "Onbekende parameter."),
        ("top_x.age_max", "23", "top_x.age_max", "Verwacht een geheel getal."),
        ("top_x.age_max", True, "top_x.age_max", "Verwacht een geheel getal."),
        ("top_x.window_months", 0, "top_x.window_months", "Verwacht een getal van 1 tot en met 120."),
        ("problem_score_max", 6, "problem_score_max", "Verwacht een getal van 1 tot en met 5."),
        ("doorgroeier.age_min", 30, "doorgroeier.age_min", "De minimumleeftijd ligt boven de maximumleeftijd."),
        ("doorgroeier.offence_flags", [], "doorgroeier.offence_flags", None),
        ("doorgroeier.offence_flags", ["drugs"], "doorgroeier.offence_flags", None),
        ("doorgroeier.drug_network_required", "ja", "doorgroeier.drug_network_required", "Verwacht ja of nee (true/false)."),
        ("exit", [], "exit", "Verwacht een object met parameters."),
        ("exit.period_months", -1, "exit.period_months", "Verwacht een getal van 0 tot en met 120."),
    ],
)
def test_a_wrong_document_is_refused_with_a_message_per_key(path, value, key, message):
    errors = errors_of(changed(path, value))

    assert key in errors
    if message:
        assert message in errors[key]


def test_a_document_that_is_not_an_object_is_refused():
    assert "parameters" in errors_of(["geen", "object"])


def test_an_optional_minimum_age_may_be_empty():
    assert parameters_parse(changed("doorgroeier.age_min", None)).doorgroeier.age_min is None
