"""Rights of the person concerned (AVG art. 15–17): requests with a deadline and a reasoned decision,
and legal holds that block erasure (issue #4, DOMAIN.md §8)."""

import uuid

from django.conf import settings
from django.db import models

from pga.validators import free_text_validators


class RequestKind(models.TextChoices):
    INZAGE = "inzage", "Inzage (art. 15 AVG)"
    CORRECTIE = "correctie", "Rectificatie (art. 16 AVG)"
    VERWIJDERING = "verwijdering", "Wissing (art. 17 AVG)"


class RequestStatus(models.TextChoices):
    OPEN = "open", "In behandeling"
    GRANTED = "toegewezen", "Toegewezen"
    PARTLY = "deels_toegewezen", "Deels toegewezen"
    REFUSED = "afgewezen", "Afgewezen"


class SubjectRequest(models.Model):
    """A request by (or for) a person; answered within one month (AVG art. 12(3)) by the privacy
    officer with a reasoned ``decision``. ``person`` is cleared if the person's data is erased."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(
        "cases.Person", verbose_name="persoon", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kind = models.CharField("soort", max_length=16, choices=RequestKind.choices)
    received_on = models.DateField("ontvangen op")
    due_on = models.DateField("uiterste datum")
    description = models.TextField("verzoek", validators=free_text_validators)
    status = models.CharField("status", max_length=24, choices=RequestStatus.choices, default=RequestStatus.OPEN)
    decision = models.TextField("besluit en motivering", blank=True, validators=free_text_validators)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="geregistreerd door", on_delete=models.PROTECT, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="besloten door", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField("besloten op (UTC)", null=True, blank=True)

    class Meta:
        verbose_name = "verzoek van betrokkene"
        verbose_name_plural = "verzoeken van betrokkenen"
        ordering = ["due_on"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} van {self.received_on:%d-%m-%Y}"


class LegalHold(models.Model):
    """Keeps a person's data from erasure while it is in force (e.g. to protect a child)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey("cases.Person", verbose_name="persoon", on_delete=models.CASCADE, related_name="+")
    reason = models.TextField("reden", validators=free_text_validators)
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="geplaatst door", on_delete=models.PROTECT, related_name="+"
    )
    placed_at = models.DateTimeField("geplaatst op (UTC)")
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="opgeheven door", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    lifted_at = models.DateTimeField("opgeheven op (UTC)", null=True, blank=True)

    class Meta:
        verbose_name = "bewaarplicht (legal hold)"
        verbose_name_plural = "bewaarplichten (legal holds)"
        ordering = ["-placed_at"]

    def __str__(self) -> str:
        return f"Legal hold van {self.placed_at:%d-%m-%Y}"
