"""The casusoverleg (case conference): agenda, notes, action items and minutes (issue #3, DOMAIN.md §2, §9).

A conference has a date and time, a chair (a procesregisseur ZVHRU), attendees (users and whole
organisations) and agenda items, one per case. The chair manages the agenda and writes the minutes;
once finalised (``afgerond``) the minutes are locked and later changes are dated addenda only.
Each attendee sees only the items of cases they may see (``escalation.selectors``).
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from cases.models import Action, Case
from partners.models import Organisation
from pga.validators import free_text_validators
from privacy.categories import Category


class ConferenceStatus(models.TextChoices):
    GEPLAND = "gepland", "Gepland"
    AFGEROND = "afgerond", "Afgerond"


class CaseConference(models.Model):
    """One casusoverleg. ``status == afgerond`` locks agenda, notes and decisions taken in it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    starts_at = models.DateTimeField("datum en tijd")
    chair = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="voorzitter", on_delete=models.PROTECT, related_name="+")
    attendees = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name="deelnemers", blank=True, related_name="+")
    organisations = models.ManyToManyField(Organisation, verbose_name="deelnemende organisaties", blank=True, related_name="+")
    status = models.CharField("status", max_length=16, choices=ConferenceStatus.choices, default=ConferenceStatus.GEPLAND)
    notes = models.TextField("algemene notities", blank=True, validators=free_text_validators)
    finalised_at = models.DateTimeField("verslag vastgesteld op", null=True, blank=True)
    finalised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "casusoverleg"
        verbose_name_plural = "casusoverleggen"
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="gepland") | models.Q(finalised_at__isnull=False),
                name="conference_finalised_has_date",
                violation_error_message="Een afgerond casusoverleg heeft een datum van vaststellen.",
            ),
        ]

    def __str__(self) -> str:
        return f"Casusoverleg {timezone.localtime(self.starts_at):%d-%m-%Y %H:%M}"

    @property
    def is_locked(self) -> bool:
        return self.status == ConferenceStatus.AFGEROND


class AgendaSource(models.TextChoices):
    """Why a case is on the agenda (the system's proposal, or the chair by hand)."""

    PROPOSAL = "proposal", "Voorstel naar of uit Top X"
    ADVIES_WIJKT_AF = "advies_wijkt_af", "Advies wijkt af van het niveau"
    UITSTROOM = "uitstroom", "Vroegste uitstroomdatum verstreken"
    ACHTERSTALLIGE_ACTIES = "achterstallige_acties", "Achterstallige acties"
    NIEUWE_AANMELDING = "nieuwe_aanmelding", "Nieuwe Top X-aanmelding"
    HANDMATIG = "handmatig", "Door de voorzitter toegevoegd"


class AgendaItem(models.Model):
    """One case on one conference's agenda, with the notes and the action items agreed on it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    conference = models.ForeignKey(CaseConference, on_delete=models.CASCADE, related_name="items")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="agenda_items")
    order = models.PositiveIntegerField("volgorde", default=0)
    source = models.CharField("reden", max_length=32, choices=AgendaSource.choices)
    notes = models.TextField("notities", blank=True, validators=free_text_validators)
    notes_category = models.CharField("categorie van de notities", max_length=16, choices=Category.choices, default=Category.PLAN)
    actions = models.ManyToManyField(Action, verbose_name="afspraken", blank=True, related_name="+")

    class Meta:
        verbose_name = "agendapunt"
        verbose_name_plural = "agendapunten"
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["conference", "case"],
                name="one_agenda_item_per_case",
                violation_error_message="Deze casus staat al op de agenda.",
            ),
        ]

    def __str__(self) -> str:
        return f"Agendapunt {self.order}"


class ConferenceAddendum(models.Model):
    """A dated addition to finalised minutes; the minutes themselves never change again."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    conference = models.ForeignKey(CaseConference, on_delete=models.CASCADE, related_name="addenda")
    text = models.TextField("aanvulling", validators=free_text_validators)
    category = models.CharField("categorie", max_length=16, choices=Category.choices, default=Category.PLAN)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField("toegevoegd op", default=timezone.now)

    class Meta:
        verbose_name = "aanvulling op het verslag"
        verbose_name_plural = "aanvullingen op het verslag"
        ordering = ["added_at"]

    def __str__(self) -> str:
        return f"Aanvulling {timezone.localtime(self.added_at):%d-%m-%Y %H:%M}"
