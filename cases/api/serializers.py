"""API v1 serializers: the shape and syntax of cases, persons and what hangs under a case.

They check types, lengths, choices and control characters (the model field validators) and turn
codes and usernames into objects; every business rule stays in ``cases.services``, which the views
call with ``validated_data``. Reference data is named by its stable lowercase ``code``, users by their
username, persons and cases by their UUID — never a sequential id, never a BSN in a URL.
"""

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from partners.models import Organisation, Role, User
from pga.validators import free_text_validators

from .. import selectors
from ..models import (
    Action,
    Assessment,
    Case,
    CaseTeamMember,
    Detention,
    Goal,
    Intervention,
    JournalEntry,
    Offence,
    OffenceType,
    Person,
    TargetGroup,
    Tier,
    Wijk,
)
from ..models.person import PERSON_FIELDS, validate_bsn


def code_field(queryset: QuerySet[Any] | None = None, **kwargs: Any) -> serializers.SlugRelatedField:
    """Reference data by its stable lowercase ``code`` (``overvecht``, ``sr-310``, ``politie-midden-nederland``)."""
    if queryset is None:
        kwargs["read_only"] = True
    kwargs.setdefault("help_text", "Code (kleine letters), bijvoorbeeld `overvecht` of `sr-310`.")
    return serializers.SlugRelatedField(slug_field="code", queryset=queryset, **kwargs)


def username_field(queryset: QuerySet[User] | None = None, **kwargs: Any) -> serializers.SlugRelatedField:
    """A user by username."""
    if queryset is None:
        kwargs["read_only"] = True
    kwargs.setdefault("help_text", "Gebruikersnaam.")
    return serializers.SlugRelatedField(slug_field="username", queryset=queryset, **kwargs)


def people() -> QuerySet[User]:
    """Users who can be named on a case (team member, responsible for an action): active people."""
    return User.objects.filter(is_active=True, is_application=False)


class VisiblePersonField(serializers.PrimaryKeyRelatedField):
    """A person the caller may see, by UUID. Unknown and invisible persons get the same message."""

    default_error_messages = {"does_not_exist": "Onbekende persoon.", "incorrect_type": "Onbekende persoon."}

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(pk_field=serializers.UUIDField(), **kwargs)

    def get_queryset(self) -> QuerySet[Person]:
        return selectors.persons_visible_to(self.context["request"].user)


class CaseGoalField(serializers.PrimaryKeyRelatedField):
    """A goal of the case in the URL, by UUID; goals of other cases do not exist here."""

    default_error_messages = {"does_not_exist": "Onbekend doel.", "incorrect_type": "Onbekend doel."}

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(pk_field=serializers.UUIDField(), **kwargs)

    def get_queryset(self) -> QuerySet[Goal]:
        return Goal.objects.filter(plan__case=self.context["case"])


def free_text(**kwargs: Any) -> serializers.CharField:
    """Free text: tab and newlines allowed, no other control characters, at most 10,000 characters."""
    return serializers.CharField(validators=free_text_validators, **kwargs)


# --- Persons and cases -------------------------------------------------------------------------


class PersonSerializer(serializers.ModelSerializer):
    """Identification data. The BSN is checked for shape here; whether it is already known, in the service."""

    wijk = code_field(Wijk.objects.all(), required=False, allow_null=True)

    class Meta:
        model = Person
        fields = ["id", *PERSON_FIELDS]
        # No UniqueValidator: a known BSN is answered by the service's hit/no-hit message.
        extra_kwargs = {"bsn": {"validators": [validate_bsn]}}


class CaseSerializer(serializers.ModelSerializer):
    """A case as read and updated. ``last_offence_on`` and ``in_detention`` come from ``selectors.with_case_facts``."""

    case_director = username_field(selectors.active_case_directors(), required=False, allow_null=True)
    process_director = username_field(
        User.objects.filter(is_active=True, role=Role.PROCESS_DIRECTOR), required=False, allow_null=True
    )
    registering_organisation = code_field()
    last_offence_on = serializers.DateField(read_only=True, allow_null=True)
    earliest_exit_on = serializers.SerializerMethodField()
    in_detention = serializers.BooleanField(read_only=True)
    reason = free_text(
        write_only=True, required=False, allow_blank=True, help_text="Toelichting bij een wijziging van niveau, status of regie."
    )

    class Meta:
        model = Case
        fields = [
            "id",
            "person",
            "tier",
            "status",
            "target_group",
            "case_director",
            "process_director",
            "drug_network_indication",
            "registering_organisation",
            "opened_on",
            "reopened_on",
            "closed_on",
            "closing_reason",
            "closing_note",
            "last_offence_on",
            "earliest_exit_on",
            "in_detention",
            "reason",
        ]
        read_only_fields = ["person", "opened_on", "reopened_on", "closed_on"]

    @extend_schema_field(serializers.DateField())
    def get_earliest_exit_on(self, case: Case) -> dt.date:
        return selectors.exit_date_for(case)


class CaseRegisterSerializer(serializers.Serializer):
    """An aanmelding: a new ``person`` or the ``person_id`` of a person the caller may see (one of both)."""

    person = PersonSerializer(required=False, source="person_data", help_text="Een nieuwe persoon.")
    person_id = VisiblePersonField(required=False, source="person", help_text="Een bestaande persoon die u mag zien.")
    target_group = serializers.ChoiceField(choices=TargetGroup.choices)
    tier = serializers.ChoiceField(choices=Tier.choices, required=False)
    case_director = username_field(selectors.active_case_directors(), required=False, allow_null=True)
    process_director = username_field(
        User.objects.filter(is_active=True, role=Role.PROCESS_DIRECTOR), required=False, allow_null=True
    )
    team = code_field(
        Organisation.objects.all(),
        many=True,
        required=False,
        source="team_organisations",
        help_text="Organisaties in het casusteam.",
    )
    confirm_new_person = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Waar als u hebt gecontroleerd dat een nieuwe persoon met dezelfde achternaam en geboortedatum "
        "als iemand die al bekend is, een andere persoon is.",
    )


# --- Under a case ------------------------------------------------------------------------------


class OffenceSerializer(serializers.ModelSerializer):
    offence_type = code_field(OffenceType.objects.filter(active=True))
    source_organisation = code_field()
    serious = serializers.BooleanField(source="offence_type.serious", read_only=True)
    drug_related = serializers.BooleanField(source="offence_type.drug_related", read_only=True)
    violent = serializers.BooleanField(source="offence_type.violent", read_only=True)
    counts = serializers.BooleanField(read_only=True, help_text="Onwaar bij sepot en vrijspraak: telt nergens als delict.")

    class Meta:
        model = Offence
        fields = [
            "id",
            "committed_on",
            "offence_type",
            "outcome",
            "description",
            "source_organisation",
            "serious",
            "drug_related",
            "violent",
            "counts",
            "recorded_at",
        ]


class DetentionSerializer(serializers.ModelSerializer):
    source_organisation = code_field()

    class Meta:
        model = Detention
        fields = ["id", "institution", "started_on", "expected_release_on", "released_on", "source_organisation", "recorded_at"]


class GoalSerializer(serializers.ModelSerializer):
    class Meta:
        model = Goal
        fields = ["id", "leefgebied", "description", "achieved", "created_at", "updated_at"]


class ActionSerializer(serializers.ModelSerializer):
    """An action under a goal of this case. Moving it to another goal is refused by the service."""

    goal = CaseGoalField()
    owning_organisation = code_field(Organisation.objects.all())
    responsible_user = username_field(people(), required=False, allow_null=True)
    intervention = code_field(Intervention.objects.filter(active=True), required=False, allow_null=True)
    is_overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = Action
        fields = [
            "id",
            "goal",
            "description",
            "owning_organisation",
            "responsible_user",
            "due_on",
            "status",
            "kind",
            "intervention",
            "is_overdue",
            "created_at",
            "updated_at",
        ]


class AssessmentSerializer(serializers.ModelSerializer):
    assessed_by = username_field()

    class Meta:
        model = Assessment
        fields = [
            "id",
            "assessed_on",
            "dagbesteding",
            "zorg",
            "huisvesting",
            "identiteitsbewijs",
            "inkomen",
            "motivatie",
            "note",
            "assessed_by",
            "created_at",
        ]


class JournalEntrySerializer(serializers.ModelSerializer):
    author = username_field()
    organisation = code_field()

    class Meta:
        model = JournalEntry
        fields = ["id", "kind", "occurred_on", "text", "author", "organisation", "created_at"]


class TeamMemberSerializer(serializers.ModelSerializer):
    """A team entry: an ``organisation`` (code) or a named ``user`` (username), not both."""

    organisation = code_field(Organisation.objects.all(), required=False, allow_null=True)
    user = username_field(people(), required=False, allow_null=True)

    class Meta:
        model = CaseTeamMember
        fields = ["id", "organisation", "user", "starts_on", "ends_on"]
        read_only_fields = ["ends_on"]
