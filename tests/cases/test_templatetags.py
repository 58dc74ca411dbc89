"""The timeline's date filters give exactly what Django's ``date`` filter gives (issue #6: they replace
it in the case timeline for speed, so the page must not change by a character)."""

import datetime as dt

from django.template import engines
from django.template.defaultfilters import date as django_date
from django.utils import timezone, translation

from cases.templatetags.pga import iso_date, short_date


def test_the_date_filters_match_djangos_for_every_day_of_several_years():
    with translation.override("nl"):
        for offset in range(0, 4 * 366):
            day = dt.date(2024, 1, 1) + dt.timedelta(days=offset)
            assert (iso_date(day), short_date(day)) == (django_date(day, "Y-m-d"), django_date(day, "j b Y"))


def test_a_moment_is_shown_as_its_local_day_and_no_date_as_nothing():
    moment = dt.datetime(2026, 3, 31, 23, 30, tzinfo=dt.UTC)  # 1 April in Amsterdam
    with translation.override("nl"), timezone.override("Europe/Amsterdam"):
        assert (iso_date(moment), short_date(moment)) == ("2026-04-01", "1 apr 2026")
    assert (iso_date(None), short_date(None)) == ("", "")


def test_in_a_template_they_show_a_moment_as_djangos_filter_does():
    template = engines["django"].from_string(
        "{% load pga %}{{ at|iso_date }} {{ at|short_date }}|{{ at|date:'Y-m-d' }} {{ at|date:'j b Y' }}"
    )
    moment = dt.datetime(2026, 3, 31, 23, 30, tzinfo=dt.UTC)
    with translation.override("nl"), timezone.override("Europe/Amsterdam"):
        ours, djangos = template.render({"at": moment}).split("|")
    assert ours == djangos == "2026-04-01 1 apr 2026"
