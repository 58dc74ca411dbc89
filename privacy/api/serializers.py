"""API v1 serializers of the privacy app: the question and the answer of the hit/no-hit check.

The question is a BSN (checked with the project's ``validate_bsn``: 9 digits, eleven-check), or given
names, surname and date of birth — one of the two, never a mix, so a client cannot get a no-hit for a
half-filled question. The answer holds ``known`` and, when known, ``contacts``: nothing else about the
person (DOMAIN.md §8, issue #4 "Hit/no-hit check"). The Dutch texts partner developers read come from
``extend_schema_serializer`` and ``help_text`` (``pga.api.schema``).
"""

import datetime as dt
from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from cases.api.serializers import ApiSerializer
from cases.models.person import validate_bsn
from pga.validators import validate_single_line

EITHER = "Geef óf een `bsn`, óf `given_names`, `surname` en `date_of_birth`."


@extend_schema_serializer(
    description="De vraag van een hit/no-hit-controle: óf een `bsn`, óf `given_names`, `surname` en `date_of_birth` "
    "(niet allebei). Namen vergelijken we zonder op hoofdletters te letten; `surname` mag het tussenvoegsel bevatten."
)
class HitCheckSerializer(ApiSerializer):
    bsn = serializers.CharField(
        required=False,
        allow_null=True,
        allow_blank=True,
        max_length=9,
        validators=[validate_bsn],
        help_text="Burgerservicenummer: 9 cijfers die de elfproef doorstaan.",
    )
    given_names = serializers.CharField(
        required=False,
        allow_null=True,
        allow_blank=True,
        max_length=200,
        validators=[validate_single_line],
        help_text="Voornamen, zoals in de basisregistratie personen.",
    )
    surname = serializers.CharField(
        required=False,
        allow_null=True,
        allow_blank=True,
        max_length=200,
        validators=[validate_single_line],
        help_text="Achternaam, eventueel met tussenvoegsel (`van Dijk`).",
    )
    date_of_birth = serializers.DateField(required=False, allow_null=True, help_text="Geboortedatum (JJJJ-MM-DD).")

    def validate_date_of_birth(self, value: dt.date | None) -> dt.date | None:
        if value is not None and value > timezone.localdate():
            raise serializers.ValidationError("De geboortedatum ligt in de toekomst.")
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = {name: value for name, value in attrs.items() if value not in (None, "")}
        by_bsn = "bsn" in attrs
        names = [name for name in ("given_names", "surname", "date_of_birth") if name in attrs]
        if by_bsn and names:
            raise serializers.ValidationError(EITHER)
        if not by_bsn and len(names) < 3:
            if not names:
                raise serializers.ValidationError(EITHER)
            missing = {name: ["Vul dit in, of zoek alleen op `bsn`."] for name in ("given_names", "surname", "date_of_birth")}
            raise serializers.ValidationError({name: message for name, message in missing.items() if name not in attrs})
        return attrs


@extend_schema_serializer(description="Wie u kunt benaderen over een bekende persoon.")
class ContactSerializer(serializers.Serializer):
    organisation = serializers.CharField(help_text="Naam van de organisatie, bijvoorbeeld `Gemeente Utrecht`.")
    role = serializers.CharField(
        help_text="De rol daar: `casusregisseur`, of `aanmelder` zolang de casus nog geen casusregisseur heeft."
    )


@extend_schema_serializer(
    description="Het antwoord van een hit/no-hit-controle: alleen of de persoon in een lopende aanpak bekend is, en zo ja "
    "wie u kunt benaderen. Het antwoord bevat nooit een naam, BSN, UUID of ander gegeven van de persoon."
)
class HitSerializer(serializers.Serializer):
    known = serializers.BooleanField(help_text="Waar als de persoon in een lopende aanpak (een open casus) bekend is.")
    contacts = ContactSerializer(
        many=True,
        required=False,
        help_text="Alleen als `known` waar is: per lopende casus de organisatie en rol om te benaderen, zonder herhalingen.",
    )
