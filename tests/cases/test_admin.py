"""The admin holds reference lists, never case content (administrators see no case content)."""

from django.contrib import admin

from cases.models import Case, FamilyMembership, JournalEntry, Offence, OffenceType, Person, Wijk


def test_reference_lists_are_in_the_admin():
    assert admin.site.is_registered(Wijk)
    assert admin.site.is_registered(OffenceType)


def test_personal_data_is_not_in_the_admin():
    for model in (Person, Case, Offence, JournalEntry, FamilyMembership):
        assert not admin.site.is_registered(model), model
