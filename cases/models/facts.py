"""Dated facts on a case: offences, detention periods, leefgebied assessments, journal entries.

An offence is recorded by a straf partner and corrected only by its source organisation. Offences
ending in ``sepot`` (dismissed) or ``vrijspraak`` (acquitted) never count as an offence anywhere
(``Offence.objects.counting()``). Assessment scores follow the five-point self-reliance scale of
DOMAIN.md §11: 1 acute problem … 5 fully self-reliant.
"""

import datetime as dt
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from partners.models import Organisation
from pga.validators import free_text_validators, validate_single_line
from privacy.categories import Category

from .case import Case
from .reference import OffenceType


class Leefgebied(models.TextChoices):
    """The five basic conditions plus motivation (DOMAIN.md §6)."""

    DAGBESTEDING = "dagbesteding", "Dagbesteding"
    ZORG = "zorg", "Zorg"
    HUISVESTING = "huisvesting", "Huisvesting"
    IDENTITEITSBEWIJS = "identiteitsbewijs", "Identiteitsbewijs"
    INKOMEN = "inkomen", "Inkomen"
    MOTIVATIE = "motivatie", "Motivatie"


class OffenceOutcome(models.TextChoices):
    OPEN = "open", "Open"
    SEPOT = "sepot", "Sepot"
    VRIJSPRAAK = "vrijspraak", "Vrijspraak"
    VEROORDELING = "veroordeling", "Veroordeling"


NON_COUNTING_OUTCOMES = (OffenceOutcome.SEPOT, OffenceOutcome.VRIJSPRAAK)


class OffenceQuerySet(models.QuerySet["Offence"]):
    def counting(self) -> "OffenceQuerySet":
        """Offences that count: not dismissed (sepot) and not acquitted (vrijspraak)."""
        return self.exclude(outcome__in=NON_COUNTING_OUTCOMES)


class Offence(models.Model):
    """An offence committed on ``committed_on`` (a date), of a statutory type (``justitieel``)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="offences")
    committed_on = models.DateField("pleegdatum")
    offence_type = models.ForeignKey(OffenceType, verbose_name="delicttype", on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField("afdoening", max_length=16, choices=OffenceOutcome.choices, default=OffenceOutcome.OPEN)
    description = models.TextField("toelichting", blank=True, validators=free_text_validators)
    source_organisation = models.ForeignKey(Organisation, verbose_name="bron", on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    legal_basis = models.TextField(
        "grondslag", blank=True, help_text="De grondslag waaronder dit gegeven gedeeld is (deelmatrix)."
    )

    objects = OffenceQuerySet.as_manager()

    class Meta:
        verbose_name = "delict"
        verbose_name_plural = "delicten"
        ordering = ["-committed_on"]
        indexes = [models.Index(fields=["case", "committed_on"])]

    def __str__(self) -> str:
        return f"{self.committed_on} {self.offence_type.statute}"

    @property
    def counts(self) -> bool:
        return self.outcome not in NON_COUNTING_OUTCOMES

    def clean(self) -> None:
        today = timezone.localdate()
        if self.committed_on and self.committed_on > today:
            raise ValidationError({"committed_on": "De pleegdatum ligt in de toekomst."})
        if self.committed_on and self.case_id and self.committed_on < self.case.person.date_of_birth:
            raise ValidationError({"committed_on": "De pleegdatum ligt vóór de geboortedatum."})


class Detention(models.Model):
    """A detention period. The case director keeps directing the case throughout (DOMAIN.md §1)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="detentions")
    institution = models.CharField("inrichting", max_length=200, validators=[validate_single_line])
    started_on = models.DateField("begin")
    expected_release_on = models.DateField("verwachte vrijlating", null=True, blank=True)
    released_on = models.DateField("vrijgelaten op", null=True, blank=True)
    source_organisation = models.ForeignKey(Organisation, verbose_name="bron", on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    legal_basis = models.TextField(
        "grondslag", blank=True, help_text="De grondslag waaronder dit gegeven gedeeld is (deelmatrix)."
    )

    class Meta:
        verbose_name = "detentie"
        verbose_name_plural = "detenties"
        ordering = ["-started_on"]

    def __str__(self) -> str:
        return f"{self.institution} vanaf {self.started_on}"

    def clean(self) -> None:
        today = timezone.localdate()
        errors: dict[str, str] = {}
        if self.started_on and self.started_on > today:
            errors["started_on"] = "De begindatum ligt in de toekomst."
        if self.started_on and self.case_id and self.started_on < self.case.person.date_of_birth:
            errors["started_on"] = "De begindatum ligt vóór de geboortedatum."
        if self.started_on and self.expected_release_on and self.expected_release_on < self.started_on:
            errors["expected_release_on"] = "De verwachte vrijlating ligt vóór de begindatum."
        if self.released_on and self.started_on and self.released_on < self.started_on:
            errors["released_on"] = "De vrijlating ligt vóór de begindatum."
        if self.released_on and self.released_on > today:
            errors["released_on"] = "De vrijlating ligt in de toekomst; vul dan de verwachte vrijlating in."
        if errors:
            raise ValidationError(errors)

    def is_current_on(self, day: dt.date | None = None) -> bool:
        """In detention on ``day``: started, not yet released."""
        day = day or timezone.localdate()
        return self.started_on <= day and (self.released_on is None or day < self.released_on)


_score = [MinValueValidator(1), MaxValueValidator(5)]


class Assessment(models.Model):
    """One dated record of the six leefgebied scores, each 1–5 (DOMAIN.md §11)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assessments")
    assessed_on = models.DateField("datum", default=timezone.localdate)
    dagbesteding = models.PositiveSmallIntegerField("dagbesteding", validators=_score)
    zorg = models.PositiveSmallIntegerField("zorg", validators=_score)
    huisvesting = models.PositiveSmallIntegerField("huisvesting", validators=_score)
    identiteitsbewijs = models.PositiveSmallIntegerField("identiteitsbewijs", validators=_score)
    inkomen = models.PositiveSmallIntegerField("inkomen", validators=_score)
    motivatie = models.PositiveSmallIntegerField("motivatie", validators=_score)
    note = models.TextField("toelichting", blank=True, validators=free_text_validators)
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    legal_basis = models.TextField(
        "grondslag", blank=True, help_text="De grondslag waaronder dit gegeven gedeeld is (deelmatrix)."
    )

    class Meta:
        verbose_name = "beoordeling"
        verbose_name_plural = "beoordelingen"
        ordering = ["-assessed_on", "-created_at"]
        get_latest_by = ["assessed_on", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    dagbesteding__range=(1, 5),
                    zorg__range=(1, 5),
                    huisvesting__range=(1, 5),
                    identiteitsbewijs__range=(1, 5),
                    inkomen__range=(1, 5),
                    motivatie__range=(1, 5),
                ),
                name="assessment_scores_1_to_5",
                violation_error_message="Elke score ligt tussen 1 en 5.",
            ),
        ]

    def __str__(self) -> str:
        return f"Beoordeling {self.assessed_on}"

    def clean(self) -> None:
        if self.assessed_on and self.assessed_on > timezone.localdate():
            raise ValidationError({"assessed_on": "De datum ligt in de toekomst."})
        if self.assessed_on and self.case_id and self.assessed_on < self.case.person.date_of_birth:
            raise ValidationError({"assessed_on": "De datum ligt vóór de geboortedatum."})

    def scores(self) -> dict[str, int]:
        """``{leefgebied code: score}`` in the order of ``Leefgebied``."""
        return {code: getattr(self, code) for code in Leefgebied.values}


class JournalKind(models.TextChoices):
    CONTACT = "contact", "Contactmoment"
    NOTITIE = "notitie", "Notitie"


class JournalEntry(models.Model):
    """A contact moment or note, written by a team member."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="journal")
    kind = models.CharField("soort", max_length=16, choices=JournalKind.choices, default=JournalKind.NOTITIE)
    occurred_on = models.DateField("datum", default=timezone.localdate)
    text = models.TextField("tekst", validators=free_text_validators)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    category = models.CharField(
        "categorie",
        max_length=16,
        choices=Category.choices,
        default=Category.PLAN,
        help_text="Bepaalt wie de tekst mag lezen (deelmatrix).",
    )
    legal_basis = models.TextField(
        "grondslag", blank=True, help_text="De grondslag waaronder dit gegeven gedeeld is (deelmatrix)."
    )

    class Meta:
        verbose_name = "journaalregel"
        verbose_name_plural = "journaal"
        ordering = ["-occurred_on", "-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_on}"

    def clean(self) -> None:
        if self.occurred_on and self.occurred_on > timezone.localdate():
            raise ValidationError({"occurred_on": "De datum ligt in de toekomst."})
        if self.occurred_on and self.case_id and self.occurred_on < self.case.person.date_of_birth:
            raise ValidationError({"occurred_on": "De datum ligt vóór de geboortedatum."})
        if not (self.text or "").strip():
            raise ValidationError({"text": "Vul een tekst in."})
