"""Caseload filters shared by the browser caseload and ``GET /api/v1/cases/``.

Filter on tier, status, wijk (by code), target group, and a name search over given names, surname
prefix and surname. BSN search is not a filter: a BSN never appears in a URL (it is a POST form in the
browser and a field of the hit/no-hit check in the API).
"""

import django_filters
from django.db.models import Q, QuerySet

from .models import Case, CaseStatus, TargetGroup, Tier, Wijk


class CaseFilter(django_filters.FilterSet):
    tier = django_filters.ChoiceFilter(label="Niveau", choices=Tier.choices)
    status = django_filters.ChoiceFilter(label="Status", choices=CaseStatus.choices)
    target_group = django_filters.ChoiceFilter(label="Doelgroep", choices=TargetGroup.choices)
    wijk = django_filters.ModelChoiceFilter(
        label="Wijk", field_name="person__wijk", queryset=Wijk.objects.all(), to_field_name="code"
    )
    naam = django_filters.CharFilter(label="Naam", method="filter_name", max_length=100)

    class Meta:
        model = Case
        fields = ["tier", "status", "target_group", "wijk"]

    def filter_name(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        """Every word must occur in the given names, prefix or surname (case-insensitive)."""
        for word in value.split()[:5]:
            queryset = queryset.filter(
                Q(person__given_names__icontains=word)
                | Q(person__surname__icontains=word)
                | Q(person__surname_prefix__icontains=word)
            )
        return queryset
