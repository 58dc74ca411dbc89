"""The access log: who saw or changed which personal data, when, through which organisation and why.

One ``AccessLogEntry`` per request that reads or writes personal data, in the same transaction
(``privacy.access_log``). The fields follow NEN 7513 (logging of access to patient records: who, on
whose behalf, what, when, why, outcome) and the BIO logging control (12.4). Persons appear only as a
keyed pseudonym (``AccessLogSubject``), never as name or BSN, so log rows survive the erasure of the
person's data. The table is append-only: the database refuses UPDATE and DELETE (migration 0003), and
``AccessLogSeal`` rows chain the entries with a hash in order, so tampering is detectable
(``python manage.py verify_access_log``).
"""

from django.conf import settings
from django.db import models

from partners.models import Organisation


class Outcome(models.TextChoices):
    ALLOWED = "toegestaan", "Toegestaan"
    DENIED = "geweigerd", "Geweigerd"


class AccessAction(models.TextChoices):
    READ = "lezen", "Lezen"
    LIST = "lijst", "Lijst"
    SEARCH = "zoeken", "Zoeken"
    EXPORT = "exporteren", "Exporteren"
    PRINT = "afdrukken", "Afdrukken"
    CREATE = "aanmaken", "Aanmaken"
    UPDATE = "wijzigen", "Wijzigen"
    DELETE = "verwijderen", "Verwijderen"
    CHECK = "controle", "Hit/no-hit-controle"


OBJECT_TYPE_LABELS = {
    "case": "casus",
    "person": "persoon",
    "offence": "delict",
    "detention": "detentie",
    "assessment": "beoordeling",
    "journal": "journaalregel",
    "goal": "doel",
    "action": "actie",
    "team": "casusteam",
    "family": "familie",
    "decision": "besluit",
    "proposal": "voorstel",
    "recommendation": "advies",
    "conference": "casusoverleg",
    "agenda_item": "agendapunt",
    "subject_request": "verzoek betrokkene",
    "legal_hold": "bewaarplicht",
}
"""Dutch names of the object types views and serializers note (``privacy.access_log.note``)."""


class AccessLogEntry(models.Model):
    """One request. ``at`` is UTC. ``object_ids`` are the UUIDs (text) of what was returned or changed."""

    id = models.BigAutoField(primary_key=True)
    at = models.DateTimeField("tijdstip (UTC)")
    user = models.ForeignKey(  # indexed by accesslog_user_at
        settings.AUTH_USER_MODEL, verbose_name="gebruiker", on_delete=models.PROTECT, null=True, related_name="+", db_index=False
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name="organisatie", on_delete=models.PROTECT, null=True, related_name="+"
    )
    role = models.CharField("rol", max_length=32, blank=True)
    application = models.CharField("partnerkoppeling (client-id)", max_length=100, blank=True)
    action = models.CharField("handeling", max_length=16, choices=AccessAction.choices)
    view = models.CharField("scherm of API-route", max_length=100, blank=True)
    object_type = models.CharField("soort gegeven", max_length=32, blank=True)
    object_ids = models.JSONField("gegevens", default=list)
    categories = models.JSONField("categorieën", default=list)
    purpose = models.CharField("doel", max_length=200, blank=True)
    break_the_glass = models.BooleanField("noodtoegang", default=False)
    outcome = models.CharField("uitkomst", max_length=16, choices=Outcome.choices, default=Outcome.ALLOWED)
    status_code = models.PositiveSmallIntegerField("HTTP-status", null=True)
    client_ip = models.GenericIPAddressField("IP-adres", null=True)
    request_id = models.CharField("verzoek-id", max_length=64, blank=True)
    query = models.CharField("zoekvraag (geanonimiseerd)", max_length=200, blank=True)

    class Meta:
        verbose_name = "toegangslogregel"
        verbose_name_plural = "toegangslog"
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["user", "at"], name="accesslog_user_at"),
            models.Index(fields=["at"], name="accesslog_at"),
            models.Index(fields=["outcome", "at"], name="accesslog_outcome_at"),
            models.Index(fields=["break_the_glass", "at"], name="accesslog_btg_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.action} {self.object_type}"

    @property
    def object_type_label(self) -> str:
        """``"casus, beoordeling"`` for ``"case,assessment"``: the object types in Dutch."""
        return ", ".join(OBJECT_TYPE_LABELS.get(kind, kind) for kind in self.object_type.split(",") if kind)


class AccessLogSubject(models.Model):
    """A person concerned by an access-log row, as the keyed pseudonym of ``privacy.pseudonyms``."""

    id = models.BigAutoField(primary_key=True)
    entry = models.ForeignKey(AccessLogEntry, on_delete=models.PROTECT, related_name="subjects")
    pseudonym = models.CharField("pseudoniem", max_length=64)

    class Meta:
        verbose_name = "betrokkene in het toegangslog"
        verbose_name_plural = "betrokkenen in het toegangslog"
        indexes = [models.Index(fields=["pseudonym", "entry"], name="accesslog_subject_pseudonym")]
        constraints = [models.UniqueConstraint(fields=["entry", "pseudonym"], name="accesslog_subject_unique")]

    def __str__(self) -> str:
        return self.pseudonym[:12]


class AccessLogSeal(models.Model):
    """A link of the hash chain: SHA-256 over the previous seal's hash and the canonical form of every
    entry with ``first_entry_id <= id <= last_entry_id``. Written by a periodic job (``privacy.chain``);
    the entries themselves are never updated."""

    id = models.BigAutoField(primary_key=True)
    first_entry_id = models.BigIntegerField("eerste regel")
    last_entry_id = models.BigIntegerField("laatste regel", unique=True)
    entry_count = models.PositiveIntegerField("aantal regels")
    previous_hash = models.CharField("vorige hash", max_length=64)
    hash = models.CharField("hash", max_length=64)
    sealed_at = models.DateTimeField("verzegeld op (UTC)")

    class Meta:
        verbose_name = "zegel van het toegangslog"
        verbose_name_plural = "zegels van het toegangslog"
        ordering = ["last_entry_id"]

    def __str__(self) -> str:
        return f"Zegel {self.first_entry_id}–{self.last_entry_id}"
