"""API v1 serializers: the shape and syntax of cases, persons and what hangs under a case.

They check types, lengths, choices and control characters (the model field validators) and turn
codes and usernames into objects; every business rule stays in ``cases.services``, which the views
call with ``validated_data``. Reference data is named by its stable lowercase ``code``, users by their
username, persons and cases by their UUID — never a sequential id, never a BSN in a URL.

Error messages are Dutch and name what is wrong, never a Python repr: a list where one code is
expected says so, a username that exists but cannot be chosen here says why. The texts partner
developers read in the OpenAPI docs come from ``extend_schema_serializer`` and ``help_text``; the
docstrings here are developer notes and stay out of the schema (``pga.api.schema``).

Every serializer of personal data follows the sharing matrix (DOMAIN.md §8, issue #4): ``Disclosed``
cuts the fields of persons, cases and assessments to what the caller may see; ``Recorded`` notes the
whole-category records (offences, detentions, goals, actions, journal, team) in the access log, whose
views decide which rows the caller may see at all (``cases.api.base.InCase``, ``cases.api.resources``).
"""

import datetime as dt
from typing import Any, cast

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from partners.models import Organisation, Role, User
from pga.api.disclosure import Disclosed, Recorded
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


def json_kind(value: Any) -> str:
    """What a JSON value is, in Dutch, for error messages: ``lijst``, ``object``, ``getal`` …"""
    if isinstance(value, bool):
        return "waar/onwaar"
    if isinstance(value, int | float):
        return "getal"
    if isinstance(value, list):
        return "lijst"
    return "object" if isinstance(value, dict) else "waarde"


class CodeField(serializers.SlugRelatedField):
    """Reference data by its stable lowercase ``code``; exactly one JSON string."""

    default_error_messages = {"does_not_exist": 'Onbekende code "{value}".', "not_text": "Geef één code als tekst, geen {kind}."}

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(slug_field="code", **kwargs)

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, str):
            self.fail("not_text", kind=json_kind(data))
        return super().to_internal_value(data)


def code_field(queryset: QuerySet[Any] | None = None, *, unknown: str = "Onbekende code", **kwargs: Any) -> CodeField:
    """Reference data by code (``overvecht``, ``sr-310``, ``politie-midden-nederland``); ``unknown`` names
    what was not found (``Onbekende wijk``). Read-only without a queryset."""
    if queryset is None:
        kwargs["read_only"] = True
    else:
        kwargs["error_messages"] = {"does_not_exist": f'{unknown} "{{value}}".', **kwargs.get("error_messages", {})}
    return CodeField(queryset=queryset, **kwargs)


class UsernameField(serializers.SlugRelatedField):
    """A user by username, from ``queryset``. A user who exists but is not in it gets ``not_eligible``
    (e.g. "geen actieve casusregisseur") rather than "unknown": usernames are not secret to partners."""

    default_error_messages = {
        "does_not_exist": 'Onbekende gebruiker "{value}".',
        "not_eligible": "Deze gebruiker kunt u hier niet kiezen.",
        "not_text": "Geef één gebruikersnaam als tekst, geen {kind}.",
    }

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(slug_field="username", **kwargs)

    def to_internal_value(self, data: Any) -> User:
        if not isinstance(data, str):
            self.fail("not_text", kind=json_kind(data))
        try:
            return cast(QuerySet[User], self.get_queryset()).get(username=data)
        except User.DoesNotExist:
            self.fail("not_eligible" if User.objects.filter(username=data).exists() else "does_not_exist", value=data)


def username_field(queryset: QuerySet[User] | None = None, *, not_eligible: str = "", **kwargs: Any) -> UsernameField:
    """A user by username; ``not_eligible`` says why an existing user cannot be chosen here."""
    if queryset is None:
        kwargs["read_only"] = True
    elif not_eligible:
        kwargs["error_messages"] = {"not_eligible": not_eligible}
    return UsernameField(queryset=queryset, **kwargs)


def people() -> QuerySet[User]:
    """Users who can be named on a case (team member, responsible for an action): active people."""
    return User.objects.filter(is_active=True, is_application=False)


def person_field(label: str, help_text: str) -> UsernameField:
    """An active professional (not an application) by username."""
    return username_field(
        people(),
        not_eligible="Deze gebruiker is geen actieve medewerker.",
        required=False,
        allow_null=True,
        label=label,
        help_text=help_text,
    )


def case_director_field() -> UsernameField:
    return username_field(
        selectors.active_case_directors(),
        not_eligible="Deze gebruiker is geen actieve casusregisseur.",
        required=False,
        allow_null=True,
        label="Casusregisseur",
        help_text="Gebruikersnaam van de casusregisseur (PGA-expert); verplicht vanaf niveau `lokale_pga`.",
    )


def process_director_field() -> UsernameField:
    return username_field(
        User.objects.filter(is_active=True, role=Role.PROCESS_DIRECTOR),
        not_eligible="Deze gebruiker is geen actieve procesregisseur.",
        required=False,
        allow_null=True,
        label="Procesregisseur",
        help_text="Gebruikersnaam van de procesregisseur; verplicht op niveau `zvhru`.",
    )


class ChoiceField(serializers.ChoiceField):
    """One value of the choices; a JSON list or object gets a clear message instead of its Python repr."""

    default_error_messages = {"not_single": "Geef één waarde, geen {kind}."}

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, list | dict):
            self.fail("not_single", kind=json_kind(data))
        return super().to_internal_value(data)


class UUIDField(serializers.UUIDField):
    """A UUID as JSON text. DRF's own field also takes a number (as ``UUID(int=…)``) and answers in English."""

    default_error_messages = {"invalid": "Geen geldige UUID."}

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


NOT_AN_OBJECT = "Verwacht een JSON-object met velden."


class ApiSerializer(serializers.Serializer):
    default_error_messages = {"invalid": NOT_AN_OBJECT}


class ApiModelSerializer(serializers.ModelSerializer):
    default_error_messages = {"invalid": NOT_AN_OBJECT}
    serializer_choice_field = ChoiceField


class VisiblePersonField(serializers.PrimaryKeyRelatedField):
    """A person the caller may see, by UUID. Unknown and invisible persons get the same message."""

    default_error_messages = {"does_not_exist": "Onbekende persoon.", "incorrect_type": "Onbekende persoon."}

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(pk_field=UUIDField(), **kwargs)

    def get_queryset(self) -> QuerySet[Person]:
        return selectors.persons_visible_to(self.context["request"].user)


class CaseGoalField(serializers.PrimaryKeyRelatedField):
    """A goal of the case in the URL, by UUID; goals of other cases do not exist here."""

    default_error_messages = {"does_not_exist": "Onbekend doel.", "incorrect_type": "Onbekend doel."}

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(pk_field=UUIDField(), **kwargs)

    def get_queryset(self) -> QuerySet[Goal]:
        return Goal.objects.filter(plan__case=self.context["case"])


def free_text(**kwargs: Any) -> serializers.CharField:
    """Free text: tab and newlines allowed, no other control characters, at most 10,000 characters."""
    return serializers.CharField(validators=free_text_validators, **kwargs)


# --- Persons and cases -------------------------------------------------------------------------


@extend_schema_serializer(
    description="Een persoon met een casus. Het BSN is optioneel: 9 cijfers die de elfproef doorstaan (niet `000000000`), "
    "en hoort bij één persoon."
)
class PersonSerializer(Disclosed, ApiModelSerializer):
    """Identification data (and ``lvb``, zorg). The BSN is checked for shape here; whether it is already known, in the service."""

    disclosure_kind = "person"

    wijk = code_field(
        Wijk.objects.all(),
        unknown="Onbekende wijk",
        required=False,
        allow_null=True,
        help_text="Code van de wijk, bijvoorbeeld `overvecht`.",
    )

    def subject_of(self, instance: Person) -> Any:
        return instance.pk

    class Meta:
        model = Person
        fields = ["id", *PERSON_FIELDS]
        # No UniqueValidator: a known BSN is answered by the service's hit/no-hit message.
        extra_kwargs = {
            "bsn": {"validators": [validate_bsn], "help_text": "Burgerservicenummer: 9 cijfers, of null."},
            "lvb": {"help_text": "Licht verstandelijke beperking."},
        }


@extend_schema_serializer(
    description="Een casus: niveau, status, doelgroep en regie, met de afgeleide datums van het laatste tellende delict "
    "en de vroegste uitstroomdatum."
)
class CaseSerializer(Disclosed, ApiModelSerializer):
    """A case as read and updated. ``last_offence_on``, ``in_detention`` and ``care_involved`` come from
    ``selectors.with_case_facts``."""

    disclosure_kind = "case"

    case_director = case_director_field()
    process_director = process_director_field()
    registering_organisation = code_field(help_text="Code van de organisatie die de persoon aanmeldde.")
    last_offence_on = serializers.DateField(
        read_only=True,
        allow_null=True,
        help_text="Datum van het laatste delict dat telt (geen sepot of vrijspraak); null als er geen is.",
    )
    earliest_exit_on = serializers.SerializerMethodField(
        help_text="Vroegste uitstroomdatum: het laatste tellende delict, of de (her)opening als er sindsdien geen is, "
        "plus de uitstroomtermijn (standaard 12 maanden)."
    )
    in_detention = serializers.BooleanField(read_only=True, help_text="Waar als de persoon vandaag in detentie is.")
    care_involved = serializers.BooleanField(
        read_only=True, help_text="Waar als er vandaag een zorgpartner in het casusteam staat (zorg betrokken: ja/nee)."
    )
    reason = free_text(
        write_only=True,
        required=False,
        allow_blank=True,
        help_text="Onderbouwing van de wijziging; verplicht bij een andere regisseur (overdracht).",
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
            "care_involved",
            "reason",
        ]
        # Tier and status move only by a decision: POST /api/v1/cases/{id}/decisions/ (issue #3).
        read_only_fields = ["person", "tier", "status", "opened_on", "reopened_on", "closed_on", "closing_reason"]
        extra_kwargs = {
            "person": {"help_text": "UUID van de persoon."},
            "tier": {"help_text": "Niveau; verandert alleen door een besluit (`/decisions/`)."},
            "status": {"help_text": "Status; verandert alleen door een besluit (`/decisions/`)."},
            "drug_network_indication": {
                "help_text": "Netwerk in de drugswereld; alleen partners uit het strafdomein leggen dit vast."
            },
        }

    def get_earliest_exit_on(self, case: Case) -> dt.date:
        return selectors.exit_date_for(case)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        """Tier and status move only by a decision (issue #3): say so instead of ignoring them."""
        sent = self.initial_data if isinstance(self.initial_data, dict) else {}
        moved = [name for name in ("tier", "status") if name in sent and sent[name] != getattr(self.instance, name, None)]
        if moved:
            message = "Verandert alleen door een besluit: POST /api/v1/cases/{id}/decisions/."
            raise serializers.ValidationError({name: [message] for name in moved})
        return attrs


@extend_schema_serializer(
    description="Een aanmelding: óf een nieuwe persoon in `person`, óf de `person_id` van een bestaande persoon die u mag zien. "
    "De casus begint met status `aangemeld`."
)
class CaseRegisterSerializer(ApiSerializer):
    """An aanmelding: a new ``person`` or the ``person_id`` of a person the caller may see (one of both)."""

    person = PersonSerializer(required=False, source="person_data", help_text="Een nieuwe persoon.")
    person_id = VisiblePersonField(required=False, source="person", help_text="UUID van een bestaande persoon die u mag zien.")
    target_group = ChoiceField(choices=TargetGroup.choices)
    tier = ChoiceField(choices=Tier.choices, required=False, help_text="Niveau; standaard `basisinzet`.")
    case_director = case_director_field()
    process_director = process_director_field()
    team = code_field(
        Organisation.objects.all(),
        unknown="Onbekende organisatie",
        many=True,
        required=False,
        source="team_organisations",
        error_messages={"not_a_list": 'Geef een lijst van organisatiecodes, bijvoorbeeld `["jou"]`.'},
        help_text="Codes van organisaties die ook in het casusteam komen, bijvoorbeeld `jou`. Uw eigen organisatie komt er "
        "vanzelf in, tenzij u de casus zelf regisseert.",
    )
    confirm_new_person = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Waar als u hebt gecontroleerd dat een nieuwe persoon met dezelfde achternaam en geboortedatum "
        "als iemand die al bekend is, een andere persoon is.",
    )


# --- Under a case ------------------------------------------------------------------------------


LEGAL_BASIS_HELP = "De grondslag uit de deelmatrix waaronder dit gegeven is vastgelegd en gedeeld (herkomst)."


@extend_schema_serializer(
    description="Een delict. De kenmerken `serious`, `drug_related` en `violent` volgen uit het delicttype. Een delict met "
    "afdoening `sepot` of `vrijspraak` telt nergens mee (`counts` is onwaar)."
)
class OffenceSerializer(Recorded, ApiModelSerializer):
    record_kind = "offence"

    offence_type = code_field(
        OffenceType.objects.filter(active=True),
        unknown="Onbekend delicttype",
        help_text="Code van het delicttype (wetsartikel), bijvoorbeeld `sr-310` of `opw-10-2`.",
    )
    source_organisation = code_field(help_text="Code van de organisatie die het delict registreerde; alleen die corrigeert het.")
    serious = serializers.BooleanField(source="offence_type.serious", read_only=True, help_text="Ernstig delict.")
    drug_related = serializers.BooleanField(source="offence_type.drug_related", read_only=True, help_text="Drugsdelict.")
    violent = serializers.BooleanField(source="offence_type.violent", read_only=True, help_text="Geweldsdelict.")
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
            "legal_basis",
        ]
        read_only_fields = ["legal_basis"]
        extra_kwargs = {"legal_basis": {"help_text": LEGAL_BASIS_HELP}}


@extend_schema_serializer(
    description="Een detentieperiode: inrichting, begin, verwachte en werkelijke vrijlating. De casusregisseur blijft de "
    "casus tijdens de detentie regisseren."
)
class DetentionSerializer(Recorded, ApiModelSerializer):
    record_kind = "detention"

    source_organisation = code_field(help_text="Code van de organisatie die de detentie registreerde.")

    class Meta:
        model = Detention
        fields = [
            "id",
            "institution",
            "started_on",
            "expected_release_on",
            "released_on",
            "source_organisation",
            "recorded_at",
            "legal_basis",
        ]
        read_only_fields = ["legal_basis"]
        extra_kwargs = {"legal_basis": {"help_text": LEGAL_BASIS_HELP}}


@extend_schema_serializer(description="Een doel in het plan van aanpak, op één van de zes leefgebieden.")
class GoalSerializer(Recorded, ApiModelSerializer):
    record_kind = "goal"

    class Meta:
        model = Goal
        fields = ["id", "leefgebied", "description", "achieved", "created_at", "updated_at"]


@extend_schema_serializer(
    description="Een actie onder een doel van deze casus: wat, door welke organisatie, eventueel wie en wanneer, en "
    "welke interventie. Een actie blijft bij haar doel."
)
class ActionSerializer(Recorded, ApiModelSerializer):
    """An action under a goal of this case. Moving it to another goal is refused by the service."""

    record_kind = "action"

    goal = CaseGoalField(help_text="UUID van een doel van deze casus.")
    owning_organisation = code_field(
        Organisation.objects.all(),
        unknown="Onbekende organisatie",
        help_text="Code van de organisatie die de actie uitvoert, bijvoorbeeld `jou`; zij staat in het casusteam.",
    )
    responsible_user = person_field("Verantwoordelijke", "Gebruikersnaam van de verantwoordelijke professional.")
    intervention = code_field(
        Intervention.objects.filter(active=True),
        unknown="Onbekende interventie",
        required=False,
        allow_null=True,
        help_text="Code van de interventie, bijvoorbeeld `credible-messengers`.",
    )
    is_overdue = serializers.BooleanField(read_only=True, help_text="Waar als de actie open of lopend is en over datum.")

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


@extend_schema_serializer(
    description="Een gedateerde beoordeling van de zes leefgebieden, elk van 1 (acuut probleem) tot 5 (volledig zelfredzaam)."
)
class AssessmentSerializer(Disclosed, ApiModelSerializer):
    """Scores per category: the zorg score is ``zorg``, the social-domain scores ``sociaal``, the note needs
    every category it may touch (``privacy.policy.FIELDS["assessment"]``)."""

    disclosure_kind = "assessment"

    assessed_by = username_field(label="Beoordelaar", help_text="Gebruikersnaam van wie de beoordeling vastlegde.")

    def subject_of(self, instance: Assessment) -> Any:
        """The person of the case in the context (``InCase``): no query for the assessment's case."""
        return getattr(self.context.get("case"), "person_id", None)

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
            "legal_basis",
        ]
        read_only_fields = ["legal_basis"]
        extra_kwargs = {"legal_basis": {"help_text": LEGAL_BASIS_HELP}}


@extend_schema_serializer(
    description="Een contactmoment of notitie. Auteur, organisatie en grondslag legt de API zelf vast. De categorie "
    "(standaard `plan`) bepaalt wie de tekst leest: alleen wie die categorie volgens de deelmatrix mag lezen, ziet de "
    "regel; vastleggen mag wie de categorie mag schrijven."
)
class JournalEntrySerializer(Recorded, ApiModelSerializer):
    """A journal entry carries the category its author chose (issue #4); the view lists only entries of
    categories the caller reads, and the service refuses a category the author may not write."""

    record_kind = "journal"

    author = username_field(label="Auteur", help_text="Gebruikersnaam van de auteur.")
    organisation = code_field(help_text="Code van de organisatie van de auteur.")

    def record_category(self, instance: JournalEntry) -> str:
        return str(instance.category)

    class Meta:
        model = JournalEntry
        fields = ["id", "kind", "occurred_on", "text", "category", "author", "organisation", "created_at", "legal_basis"]
        read_only_fields = ["legal_basis"]
        extra_kwargs = {
            "category": {
                "help_text": "Categorie van de tekst: `identificatie`, `justitieel`, `zorg`, `sociaal`, `plan` (standaard) "
                "of `netwerk`."
            },
            "legal_basis": {"help_text": LEGAL_BASIS_HELP},
        }


@extend_schema_serializer(
    description="Een regel in het casusteam: een organisatie (`organisation`) óf een professional op naam (`user`), "
    "van `starts_on` tot en met `ends_on` (leeg: geen einddatum)."
)
class TeamMemberSerializer(Recorded, ApiModelSerializer):
    """A team entry: an ``organisation`` (code) or a named ``user`` (username), not both. Entries of zorg
    organisations are listed only to callers who read ``zorg`` (``cases.api.resources.Team``)."""

    record_kind = "team"

    organisation = code_field(
        Organisation.objects.all(),
        unknown="Onbekende organisatie",
        required=False,
        allow_null=True,
        help_text="Code van de organisatie, bijvoorbeeld `altrecht`.",
    )
    user = person_field("Professional", "Gebruikersnaam van de professional.")

    class Meta:
        model = CaseTeamMember
        fields = ["id", "organisation", "user", "starts_on", "ends_on"]
        read_only_fields = ["ends_on"]
        extra_kwargs = {"starts_on": {"help_text": "Eerste dag; standaard vandaag, niet in het verleden."}}
