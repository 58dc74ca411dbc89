"""The browser forms check shape only — and do it in Dutch: BSN format, NUL bytes and control
characters, lengths, choices — and carry a service's ValidationError onto the right fields.
"""

import pytest
from django.core.exceptions import ValidationError

from cases.filters import CaseFilter
from cases.forms import (
    SCORE_LABELS,
    ActionOwnerForm,
    AssessmentForm,
    BsnSearchForm,
    JournalForm,
    RegistrationForm,
    TeamMemberForm,
    apply_service_errors,
    style_widgets,
)
from cases.models import Case


@pytest.mark.parametrize(
    ("bsn", "message"),
    [
        ("1234567", "Een BSN bestaat uit precies 9 cijfers."),
        ("1234567890", "Een BSN bestaat uit precies 9 cijfers."),
        ("12345678x", "Een BSN bestaat uit precies 9 cijfers."),
        ("１１１２２２３３３", "Een BSN bestaat uit precies 9 cijfers."),  # full-width digits are not ASCII
        ("111222334", "Dit BSN klopt niet (elfproef)."),
        ("000000000", "000000000 is geen geldig BSN."),
        ("", "Dit veld is vereist."),
    ],
)
def test_bsn_search_form_refuses_each_kind_of_bad_bsn(bsn, message):
    form = BsnSearchForm({"bsn": bsn})
    assert not form.is_valid()
    assert form.errors["bsn"] == [message]


def test_bsn_search_form_accepts_a_valid_bsn_with_spaces_around():
    form = BsnSearchForm({"bsn": " 111222333 "})
    assert form.is_valid()
    assert form.cleaned_data["bsn"] == "111222333"


def test_journal_text_allows_tab_and_newlines_but_no_other_control_characters():
    ok = JournalForm({"kind": "notitie", "occurred_on": "2024-01-01", "text": "a\tb\r\nc"})
    assert ok.is_valid(), ok.errors
    assert ok.cleaned_data["text"] == "a\tb\r\nc"
    for bad, message in (("a\x00b", "Null-tekens zijn niet toegestaan."), ("a\x0bb", "Bevat niet-toegestane stuurtekens.")):
        form = JournalForm({"kind": "notitie", "occurred_on": "2024-01-01", "text": bad})
        assert not form.is_valid()
        assert message in form.errors["text"]


def test_free_text_is_limited_to_10000_characters():
    assert JournalForm({"kind": "notitie", "occurred_on": "2024-01-01", "text": "x" * 10_000}).is_valid()
    form = JournalForm({"kind": "notitie", "occurred_on": "2024-01-01", "text": "x" * 10_001})
    assert form.errors["text"] == ["Zorg dat deze waarde niet meer dan 10000 tekens bevat (het zijn er nu 10001)."]


@pytest.mark.django_db
def test_registration_form_refuses_a_tab_in_a_name_and_an_unknown_wijk():
    form = RegistrationForm({"given_names": "Sem\tJan", "surname": "Groot", "date_of_birth": "2005-01-01", "wijk": "atlantis"})
    assert not form.is_valid()
    assert form.errors["given_names"] == ["Bevat niet-toegestane tekens (zoals tabs, regeleinden of stuurtekens)."]
    assert "wijk" in form.errors
    assert form.errors["target_group"] == ["Dit veld is vereist."]


@pytest.mark.django_db
def test_registration_form_gives_an_empty_bsn_as_none():
    data = {
        "bsn": "",
        "given_names": "Sem",
        "surname": "Groot",
        "date_of_birth": "2005-01-01",
        "gender": "man",
        "target_group": "doorgroeier",
        "tier": "basisinzet",
    }
    form = RegistrationForm(data)
    assert form.is_valid(), form.errors
    person = form.person_data()
    assert person["bsn"] is None
    assert person["surname_prefix"] == ""
    assert set(person) == {
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
    }


@pytest.mark.parametrize("score", ["0", "6", "3.5", ""])
def test_assessment_scores_are_one_to_five(score):
    data = {
        "assessed_on": "2024-01-01",
        "dagbesteding": "3",
        "zorg": "3",
        "huisvesting": "3",
        "identiteitsbewijs": "3",
        "inkomen": "3",
        "motivatie": score,
    }
    form = AssessmentForm(data)
    assert not form.is_valid()
    assert list(form.errors) == ["motivatie"]


def test_assessment_form_has_the_six_leefgebieden_with_the_scale_labels():
    form = AssessmentForm()
    assert list(form.fields)[1:7] == ["dagbesteding", "zorg", "huisvesting", "identiteitsbewijs", "inkomen", "motivatie"]
    assert [label for _, label in form.fields["inkomen"].choices] == [f"{n} – {SCORE_LABELS[n]}" for n in range(1, 6)]
    assert SCORE_LABELS[1] == "Acute problematiek" and SCORE_LABELS[5] == "Volledig zelfredzaam"


@pytest.mark.django_db
def test_action_owner_form_offers_only_what_the_owner_may_change():
    assert set(ActionOwnerForm().fields) == {"responsible_user", "due_on", "status"}


@pytest.mark.django_db
def test_team_member_form_needs_one_of_organisation_or_person():
    form = TeamMemberForm({"organisation": "", "user": ""})
    assert not form.is_valid()
    assert form.non_field_errors() == ["Kies een organisatie óf een persoon."]


def test_service_errors_land_on_their_fields_and_the_rest_above_the_form():
    form = JournalForm({"kind": "notitie", "occurred_on": "2024-01-01", "text": "tekst"})
    assert form.is_valid()
    apply_service_errors(
        form, ValidationError({"occurred_on": "De datum ligt in de toekomst.", "case_director": "Kies een regisseur."})
    )
    assert form.errors["occurred_on"] == ["De datum ligt in de toekomst."]
    assert form.non_field_errors() == ["Kies een regisseur."]
    apply_service_errors(form, ValidationError("Staat al in het casusteam."))
    assert "Staat al in het casusteam." in form.non_field_errors()


def test_widgets_carry_the_utrecht_classes_and_errors_are_described():
    form = JournalForm({"kind": "notitie", "occurred_on": "", "text": ""})
    form.is_valid()
    html = str(form["text"])
    assert "utrecht-textarea" in html
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_text_error"' in html
    assert "utrecht-select" in str(form["kind"])
    assert 'type="date"' in str(form["occurred_on"])


@pytest.mark.django_db
def test_filter_form_is_styled_with_an_all_option():
    filterset = CaseFilter({}, queryset=Case.objects.none())
    style_widgets(filterset.form, empty_label="Alle")
    html = str(filterset.form["tier"])
    assert "utrecht-select" in html
    assert ">Alle</option>" in html
    assert ">Alle</option>" in str(filterset.form["wijk"])
