"""Reference lists: the Utrecht wijken, offence types with their statutory maximum, interventions.

Each is named by a stable lowercase ``code`` (``overvecht``, ``sr-310``) that the API uses.
Offence types carry their statutory source; "serious" is derived from the maximum sentence
(≥ 4 years, or life imprisonment — DOMAIN.md §5.4).
"""

from django.db import models

from pga.validators import validate_single_line

SERIOUS_MIN_YEARS = 4  # DOMAIN.md §5.4: criminal cooperation counts offences with a maximum of ≥ 4 years


class Wijk(models.Model):
    """One of the ten districts of Utrecht (DOMAIN.md §9)."""

    code = models.SlugField("code", max_length=64, unique=True)
    name = models.CharField("naam", max_length=100, unique=True, validators=[validate_single_line])

    class Meta:
        verbose_name = "wijk"
        verbose_name_plural = "wijken"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class OffenceType(models.Model):
    """A statutory provision with its maximum prison sentence (DOMAIN.md §11).

    ``max_sentence_years`` is the statutory maximum in whole years; ``life_imprisonment`` marks
    provisions whose maximum is life (then ``max_sentence_years`` holds the alternative temporary
    maximum). ``source`` cites the article and where the number was checked.
    """

    code = models.SlugField("code", max_length=64, unique=True)
    name = models.CharField("omschrijving", max_length=200, validators=[validate_single_line])
    statute = models.CharField("wetsartikel", max_length=100, validators=[validate_single_line])
    max_sentence_years = models.PositiveSmallIntegerField("strafmaximum (jaren)")
    life_imprisonment = models.BooleanField("levenslang", default=False)
    drug_related = models.BooleanField("drugsgerelateerd", default=False)
    violent = models.BooleanField("geweld", default=False)
    source = models.CharField("bron", max_length=300, validators=[validate_single_line])
    active = models.BooleanField("in gebruik", default=True)

    class Meta:
        verbose_name = "delicttype"
        verbose_name_plural = "delicttypen"
        ordering = ["statute", "code"]

    def __str__(self) -> str:
        return f"{self.statute} — {self.name}"

    @property
    def serious(self) -> bool:
        """Maximum sentence ≥ 4 years or life (DOMAIN.md §5.4)."""
        return self.life_imprisonment or self.max_sentence_years >= SERIOUS_MIN_YEARS


class Intervention(models.Model):
    """An intervention from the policy note (DOMAIN.md §6); administrators extend the list."""

    code = models.SlugField("code", max_length=64, unique=True)
    name = models.CharField("naam", max_length=200, validators=[validate_single_line])
    active = models.BooleanField("in gebruik", default=True)

    class Meta:
        verbose_name = "interventie"
        verbose_name_plural = "interventies"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
