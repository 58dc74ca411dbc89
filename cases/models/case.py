"""A case (casus): one person's trajectory in the approach, with tier, status, directors and team.

Rules held here as database constraints (the services check them first, with Dutch messages):
- from ``lokale_pga`` up a case has a case director; a ``zvhru`` case also a process director (§3);
- a closed case has a closing date and reason; a person has at most one case that is not closed;
- a team entry is either an organisation or a named user, with inclusive from/until dates.
"""

import datetime as dt
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from partners.models import Organisation
from pga.validators import free_text_validators

from .person import Person


class Tier(models.TextChoices):
    """The escalation model's three tiers, lowest first (DOMAIN.md §3)."""

    BASISINZET = "basisinzet", "Basisinzet"
    LOKALE_PGA = "lokale_pga", "Lokale PGA"
    ZVHRU = "zvhru", "Top X (ZVHRU)"


class TargetGroup(models.TextChoices):
    """Target groups (DOMAIN.md §4)."""

    JONGE_AANWAS = "jonge_aanwas", "Jonge aanwas"
    DOORGROEIER = "doorgroeier", "(Potentiële) doorgroeier"
    TOP_X = "top_x", "Top X-jongere"
    CRIMINEEL_SYSTEEM = "crimineel_systeem", "Lid crimineel systeem"


class CaseStatus(models.TextChoices):
    AANGEMELD = "aangemeld", "Aangemeld"
    ACTIEF = "actief", "Actief"
    AFGESLOTEN = "afgesloten", "Afgesloten"


class DrugNetworkIndication(models.TextChoices):
    """Whether the person has a network in the drug world (§5.1); recorded by a straf partner."""

    JA = "ja", "Ja"
    NEE = "nee", "Nee"
    ONBEKEND = "onbekend", "Onbekend"


class ClosingReason(models.TextChoices):
    DOELEN_BEHAALD = "doelen_behaald", "Doelen behaald / uitgestroomd"
    NIET_OPGENOMEN = "niet_opgenomen", "Niet opgenomen (aanmelding afgewezen)"
    VERHUISD = "verhuisd", "Verhuisd buiten de regio"
    OVERGEDRAGEN = "overgedragen", "Overgedragen aan een andere aanpak"
    OVERLEDEN = "overleden", "Overleden"
    OVERIG = "overig", "Overig"


TIERS_NEEDING_CASE_DIRECTOR = (Tier.LOKALE_PGA, Tier.ZVHRU)


class Case(models.Model):
    """One person's case. ``id`` (a UUID) is the only identifier that appears in URLs."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(Person, verbose_name="persoon", on_delete=models.PROTECT, related_name="cases")
    tier = models.CharField("niveau", max_length=16, choices=Tier.choices, default=Tier.BASISINZET)
    target_group = models.CharField("doelgroep", max_length=32, choices=TargetGroup.choices)
    status = models.CharField("status", max_length=16, choices=CaseStatus.choices, default=CaseStatus.AANGEMELD)
    registering_organisation = models.ForeignKey(
        Organisation, verbose_name="aanmeldende organisatie", on_delete=models.PROTECT, related_name="registered_cases"
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="aangemeld door", on_delete=models.PROTECT, related_name="+"
    )
    case_director = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="casusregisseur",
        on_delete=models.PROTECT,
        related_name="directed_cases",
        null=True,
        blank=True,
    )
    process_director = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="procesregisseur",
        on_delete=models.PROTECT,
        related_name="process_directed_cases",
        null=True,
        blank=True,
    )
    drug_network_indication = models.CharField(
        "netwerk in de drugswereld", max_length=16, choices=DrugNetworkIndication.choices, default=DrugNetworkIndication.ONBEKEND
    )
    opened_on = models.DateField("geopend op", default=timezone.localdate)
    reopened_on = models.DateField("heropend op", null=True, blank=True)
    closed_on = models.DateField("afgesloten op", null=True, blank=True)
    closing_reason = models.CharField("reden afsluiting", max_length=32, choices=ClosingReason.choices, blank=True)
    closing_note = models.TextField("toelichting afsluiting", blank=True, validators=free_text_validators)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "casus"
        verbose_name_plural = "casussen"
        ordering = ["-opened_on"]
        indexes = [models.Index(fields=["status", "tier"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(tier__in=TIERS_NEEDING_CASE_DIRECTOR) | Q(case_director__isnull=False),
                name="case_director_required_from_lokale_pga",
                violation_error_message="Vanaf lokale PGA heeft een casus een casusregisseur.",
            ),
            models.CheckConstraint(
                condition=~Q(tier=Tier.ZVHRU) | Q(process_director__isnull=False),
                name="process_director_required_for_zvhru",
                violation_error_message="Een Top X-casus (ZVHRU) heeft een procesregisseur.",
            ),
            models.CheckConstraint(
                condition=~Q(status=CaseStatus.AFGESLOTEN) | (Q(closed_on__isnull=False) & ~Q(closing_reason="")),
                name="closed_case_has_date_and_reason",
                violation_error_message="Een afgesloten casus heeft een datum en een reden van afsluiting.",
            ),
            models.UniqueConstraint(
                fields=["person"],
                condition=~Q(status=CaseStatus.AFGESLOTEN),
                name="one_open_case_per_person",
                violation_error_message="Deze persoon heeft al een lopende casus.",
            ),
        ]

    def __str__(self) -> str:
        return f"Casus {self.person} ({self.get_tier_display()})"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.tier in TIERS_NEEDING_CASE_DIRECTOR and not self.case_director_id:
            errors["case_director"] = "Vanaf lokale PGA heeft een casus een casusregisseur."
        if self.tier == Tier.ZVHRU and not self.process_director_id:
            errors["process_director"] = "Een Top X-casus (ZVHRU) heeft een procesregisseur."
        if self.status == CaseStatus.AFGESLOTEN and not self.closing_reason:
            errors["closing_reason"] = "Geef een reden van afsluiting."
        today = timezone.localdate()
        for field in ("opened_on", "reopened_on", "closed_on"):
            value = getattr(self, field)
            if value and value > today:
                errors[field] = "Deze datum ligt in de toekomst."
        if errors:
            raise ValidationError(errors)

    @property
    def started_on(self) -> dt.date:
        """The date the current period in the approach began: the reopening date, else the opening."""
        return self.reopened_on or self.opened_on


class CaseTeamMember(models.Model):
    """A case-team entry: an organisation or a named user, from/until inclusive.

    Removing an entry sets ``ends_on`` to yesterday, so the history stays readable.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="team")
    organisation = models.ForeignKey(
        Organisation, verbose_name="organisatie", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="gebruiker",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="team_memberships",
    )
    starts_on = models.DateField("vanaf", default=timezone.localdate)
    ends_on = models.DateField("tot en met", null=True, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "teamlid"
        verbose_name_plural = "casusteam"
        ordering = ["starts_on"]
        indexes = [
            models.Index(fields=["organisation", "case"]),
            models.Index(fields=["user", "case"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(organisation__isnull=False) & Q(user__isnull=True))
                | (Q(organisation__isnull=True) & Q(user__isnull=False)),
                name="team_member_is_organisation_or_user",
                violation_error_message="Kies een organisatie óf een persoon.",
            ),
        ]

    def __str__(self) -> str:
        return str(self.organisation or self.user)

    def clean(self) -> None:
        if bool(self.organisation_id) == bool(self.user_id):
            raise ValidationError("Kies een organisatie óf een persoon.")
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on - dt.timedelta(days=1):
            raise ValidationError({"ends_on": "De einddatum ligt vóór de begindatum."})

    def is_current_on(self, day: dt.date | None = None) -> bool:
        day = day or timezone.localdate()
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)


class ChangeKind(models.TextChoices):
    TIER = "tier", "Niveau"
    STATUS = "status", "Status"
    CASE_DIRECTOR = "case_director", "Casusregisseur"
    PROCESS_DIRECTOR = "process_director", "Procesregisseur"


class CaseChange(models.Model):
    """A recorded change of tier, status or director: who, when, from what to what, and why."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField("soort", max_length=32, choices=ChangeKind.choices)
    from_value = models.CharField(max_length=32, blank=True)
    to_value = models.CharField(max_length=32, blank=True)
    from_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    to_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reason = models.TextField("toelichting", blank=True, validators=free_text_validators)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "wijziging"
        verbose_name_plural = "wijzigingen"
        ordering = ["-changed_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.changed_at:%Y-%m-%d})"
