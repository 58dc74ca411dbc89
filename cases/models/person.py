"""Persons and families (criminal systems, DOMAIN.md §5.3).

A BSN is optional; when given it is exactly nine digits, passes the eleven-check (``stdnum.nl.bsn``)
and is not ``000000000``, and no two persons share it. The person concerned is normally told they are
registered: record when, or why not (§5.8). Family members are never added automatically — each
membership carries a written justification (Amsterdam's evaluation, §5.5).
"""

import datetime as dt
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.nl import bsn as stdnum_bsn

from pga.validators import free_text_validators, validate_single_line

from ..rules import age_on
from .reference import Wijk


def validate_bsn(value: str) -> None:
    """A BSN: exactly 9 digits, eleven-check, not all zeros. Raises ``ValidationError`` (Dutch)."""
    if len(value) != 9 or not value.isascii() or not value.isdigit():
        raise ValidationError("Een BSN bestaat uit precies 9 cijfers.", code="bsn_length")
    if value == "000000000":
        raise ValidationError("000000000 is geen geldig BSN.", code="bsn_zero")
    try:
        stdnum_bsn.validate(value)
    except StdnumError:
        raise ValidationError("Dit BSN klopt niet (elfproef).", code="bsn_checksum") from None


# The identification data of a person, in the order forms and the API show them.
PERSON_FIELDS = (
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
)


class Gender(models.TextChoices):
    MAN = "man", "Man"
    VROUW = "vrouw", "Vrouw"
    ANDERS = "anders", "Anders"
    ONBEKEND = "onbekend", "Onbekend"


class Person(models.Model):
    """A young person in the approach. Identification data (DOMAIN.md §8 ``identificatie``)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    bsn = models.CharField("BSN", max_length=9, null=True, blank=True, unique=True, validators=[validate_bsn])
    given_names = models.CharField("voornamen", max_length=200, validators=[validate_single_line])
    surname_prefix = models.CharField("tussenvoegsel", max_length=20, blank=True, validators=[validate_single_line])
    surname = models.CharField("achternaam", max_length=200, validators=[validate_single_line])
    date_of_birth = models.DateField("geboortedatum")
    gender = models.CharField("geslacht", max_length=16, choices=Gender.choices, default=Gender.ONBEKEND)
    wijk = models.ForeignKey(Wijk, verbose_name="wijk", on_delete=models.PROTECT, related_name="persons", null=True, blank=True)
    lvb = models.BooleanField("LVB", default=False, help_text="Licht verstandelijke beperking.")
    informed_on = models.DateField("geïnformeerd op", null=True, blank=True)
    not_informed_reason = models.TextField("reden niet geïnformeerd", blank=True, validators=free_text_validators)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "persoon"
        verbose_name_plural = "personen"
        ordering = ["surname", "given_names"]
        indexes = [models.Index(fields=["surname", "date_of_birth"])]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.given_names, self.surname_prefix, self.surname) if part)

    def age_on(self, day: dt.date | None = None) -> int:
        """Age in whole years on ``day`` (default: today, local time)."""
        return age_on(date_of_birth=self.date_of_birth, day=day or timezone.localdate())

    @property
    def age(self) -> int:
        return self.age_on()

    def clean(self) -> None:
        if self.bsn == "":
            self.bsn = None
        today = timezone.localdate()
        errors: dict[str, str] = {}
        if self.date_of_birth and self.date_of_birth > today:
            errors["date_of_birth"] = "De geboortedatum ligt in de toekomst."
        elif self.date_of_birth and self.date_of_birth.year < 1900:
            errors["date_of_birth"] = "Deze geboortedatum is niet mogelijk."
        if self.informed_on and self.informed_on > today:
            errors["informed_on"] = "De datum van informeren ligt in de toekomst."
        if self.informed_on and self.date_of_birth and self.informed_on < self.date_of_birth:
            errors["informed_on"] = "De datum van informeren ligt vóór de geboortedatum."
        if self.informed_on and self.not_informed_reason.strip():
            errors["not_informed_reason"] = "Geef een datum van informeren óf een reden, niet allebei."
        if errors:
            raise ValidationError(errors)


class Family(models.Model):
    """A family network treated as one system (DOMAIN.md §5.3, ``netwerk`` category)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField("naam", max_length=200, validators=[validate_single_line])
    description = models.TextField("toelichting", blank=True, validators=free_text_validators)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "familie"
        verbose_name_plural = "families"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class FamilyRole(models.TextChoices):
    OUDER = "ouder", "Ouder"
    KIND = "kind", "Kind"
    BROER_ZUS = "broer_zus", "Broer of zus"
    PARTNER = "partner", "Partner"
    OVERIG = "overig", "Overig familielid"


class FamilyMembership(models.Model):
    """A person's place in a family, always with a written justification (never automatic)."""

    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="family_memberships")
    role = models.CharField("rol in de familie", max_length=16, choices=FamilyRole.choices)
    justification = models.TextField("onderbouwing", validators=free_text_validators)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "familielid"
        verbose_name_plural = "familieleden"
        constraints = [
            models.UniqueConstraint(
                fields=["family", "person"],
                name="family_membership_unique",
                violation_error_message="Deze persoon hoort al bij deze familie.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} in {self.family}"

    def clean(self) -> None:
        if not self.justification.strip():
            raise ValidationError({"justification": "Onderbouw waarom deze persoon bij de familie hoort."})
