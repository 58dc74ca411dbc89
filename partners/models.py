"""Partner organisations of the covenant and the people (and applications) who act for them.

An organisation belongs to one domain (DOMAIN.md §7), may or may not register people (§5.7), and
takes part only between its active-from and active-until dates: past its until date every one of its
users and applications loses all access. A user belongs to one organisation and has one role (§2).

Each organisation has an auth ``Group`` (``Organisation.group``), and its users are members of it:
django-guardian holds the per-case permissions of an organisation in the team as group permissions
(``privacy.grants``, issue #4 "Case-level access"). ``Organisation.save`` creates the group and
``User.save`` keeps the membership in step with ``User.organisation``; bulk inserts (the demo) call
``organisation_memberships_sync``.
"""

import datetime as dt
import hashlib
import hmac
import secrets
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import AbstractUser, Group
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django_otp.models import Device, ThrottlingMixin, TimestampMixin

from pga.validators import validate_single_line


class Domain(models.TextChoices):
    """The partner domains of DOMAIN.md §7."""

    STRAF = "straf", "Straf"
    ZORG = "zorg", "Zorg"
    SOCIAAL = "sociaal", "Sociaal"
    REGIE = "regie", "Regie"


class Role(models.TextChoices):
    """The roles of DOMAIN.md §2."""

    CASE_DIRECTOR = "case_director", "PGA-expert (casusregisseur)"
    PROCESS_DIRECTOR = "process_director", "Procesregisseur ZVHRU"
    PARTNER = "partner", "Ketenpartner"
    ADMINISTRATOR = "administrator", "Functioneel beheerder"
    PRIVACY_OFFICER = "privacy_officer", "Privacyfunctionaris"


# Roles that see a case because their organisation is in its team. Administrators and privacy
# officers never see case content through their organisation (DOMAIN.md §2).
CASE_WORKER_ROLES = frozenset({Role.CASE_DIRECTOR, Role.PROCESS_DIRECTOR, Role.PARTNER})


class OrganisationQuerySet(models.QuerySet["Organisation"]):
    def active_on(self, day: dt.date) -> "OrganisationQuerySet":
        """Organisations taking part on ``day`` (both bounds inclusive)."""
        return self.filter(active_from__lte=day).filter(models.Q(active_until__isnull=True) | models.Q(active_until__gte=day))


class Organisation(models.Model):
    """A covenant partner (DOMAIN.md §7). ``code`` is the stable lowercase name used in the API."""

    code = models.SlugField("code", max_length=64, unique=True)
    name = models.CharField("naam", max_length=200, unique=True, validators=[validate_single_line])
    domain = models.CharField("domein", max_length=16, choices=Domain.choices)
    may_register = models.BooleanField("mag aanmelden", default=False)
    active_from = models.DateField("actief vanaf", default=dt.date(2021, 9, 1))
    active_until = models.DateField("actief tot en met", null=True, blank=True)
    group = models.OneToOneField(
        Group,
        verbose_name="groep",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="organisation",
        help_text="De groep waarin django-guardian de casusrechten van deze organisatie bijhoudt.",
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = "organisatie"
        verbose_name_plural = "organisaties"
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(active_until__isnull=True) | models.Q(active_until__gte=models.F("active_from")),
                name="organisation_active_period_valid",
                violation_error_message="De einddatum ligt vóór de begindatum.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Save, first giving a new organisation its group (see the module docstring)."""
        if self.group_id is None:
            self.group, _ = Group.objects.get_or_create(name=organisation_group_name(self.code))
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "group"}
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if self.active_until and self.active_from and self.active_until < self.active_from:
            raise ValidationError({"active_until": "De einddatum ligt vóór de begindatum."})

    def is_active_on(self, day: dt.date | None = None) -> bool:
        """True while the organisation takes part on ``day`` (default: today, local time)."""
        day = day or timezone.localdate()
        return self.active_from <= day and (self.active_until is None or day <= self.active_until)


def organisation_group_name(code: str) -> str:
    """The name of an organisation's auth group, e.g. ``organisatie:politie-midden-nederland``."""
    return f"organisatie:{code}"[:150]


class User(AbstractUser):  # type: ignore[django-manager-missing]  # BackupCodeDevice.user comes from django-otp's Device
    """A professional (or a partner application's service user) acting for one organisation.

    ``is_active = False`` ends all access at once, sessions included. A partner application has a
    service user (``is_application = True``, no usable password): its API calls act as that user.
    """

    organisation = models.ForeignKey(
        Organisation, verbose_name="organisatie", on_delete=models.PROTECT, related_name="users", null=True, blank=True
    )
    role = models.CharField("rol", max_length=32, choices=Role.choices, default=Role.PARTNER)
    is_application = models.BooleanField("applicatie", default=False, help_text="Service-gebruiker van een partnerapplicatie.")

    class Meta:
        verbose_name = "gebruiker"
        verbose_name_plural = "gebruikers"
        ordering = ["username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Save, then keep the user in their organisation's group (and in no other organisation's)."""
        super().save(*args, **kwargs)
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "organisation" in update_fields:
            organisation_memberships_sync([self.pk])

    def has_access_on(self, day: dt.date | None = None) -> bool:
        """True when the user is active and belongs to an organisation that takes part on ``day``."""
        return bool(self.is_active and self.organisation is not None and self.organisation.is_active_on(day))

    @property
    def is_case_worker(self) -> bool:
        """Roles that work on case content (case and process directors, partners)."""
        return self.role in CASE_WORKER_ROLES


def organisation_memberships_sync(user_ids: Iterable[int] | None = None) -> None:
    """Put users (default: all) in their organisation's group and take them out of other organisations'.

    Other groups (made by a technical superuser) are left alone. Idempotent; a constant number of queries.
    """
    memberships = User.groups.through
    users = User.objects.all() if user_ids is None else User.objects.filter(pk__in=list(user_ids))
    wanted = set(users.filter(organisation__group__isnull=False).values_list("pk", "organisation__group_id"))
    present = memberships.objects.filter(user__in=users, group__organisation__isnull=False)
    have = set(present.values_list("user_id", "group_id"))
    stale = have - wanted
    if stale:
        stale_q = models.Q()
        for user_id, group_id in stale:
            stale_q |= models.Q(user_id=user_id, group_id=group_id)
        memberships.objects.filter(stale_q).delete()
    memberships.objects.bulk_create(
        [memberships(user_id=user_id, group_id=group_id) for user_id, group_id in sorted(wanted - have)], ignore_conflicts=True
    )


# --- Backup codes: the second factor without the phone (issue #7) --------------------------------

BACKUP_CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read from paper, typed by hand
BACKUP_CODE_LENGTH = 10  # 10 symbols of 31: 49.5 bits, so stored salted and hashed (ASVS 2.6.2)


def backup_code_normalised(text: str) -> str:
    """``"ab3k-7mnp9x"`` typed as ``" AB3K 7MNP-9X "`` → ``"ab3k7mnp9x"``: case, spaces and dashes don't count."""
    return "".join(ch for ch in text.lower() if ch not in " -\t")


def backup_code_digest(code: str, salt: bytes) -> str:
    """SHA-256 of ``salt`` + the normalised code, as 64 hex digits."""
    return hashlib.sha256(salt + backup_code_normalised(code).encode()).hexdigest()


class BackupCodeDevice(TimestampMixin, ThrottlingMixin, Device):
    """A user's backup codes, a second factor for when the phone with the authenticator is not at hand.

    django-otp's own static device keeps its codes in plain text, and they are short (40 bits); ASVS
    4.0.3 item 2.6.2 asks for 112 bits or salted hashes. Here each code has its own random 16-byte salt
    and only its SHA-256 is stored (``BackupCode``). A code works once: it is deleted when used. Wrong
    codes throttle the device like a TOTP device (each failure doubles the wait). ``codes_replace``
    makes a new set and returns the codes, the only time they are known in plain text.
    """

    class Meta(Device.Meta):
        verbose_name = "set herstelcodes"
        verbose_name_plural = "sets herstelcodes"

    def get_throttle_factor(self) -> int:
        """Seconds of the first wait after a wrong code; it doubles with each further one."""
        return 1

    def verify_token(self, token: str) -> bool:
        """True, and the code used up, when ``token`` is one of the unused codes (not throttled)."""
        allowed, _ = self.verify_is_allowed()
        if not allowed:
            return False
        typed = backup_code_normalised(str(token))
        match = None
        if len(typed) == BACKUP_CODE_LENGTH:
            for code in self.codes.all():
                if hmac.compare_digest(code.digest, backup_code_digest(typed, bytes(code.salt))):
                    match = code
        if match is None:
            self.throttle_increment()
            return False
        match.delete()
        self.throttle_reset(commit=False)
        self.set_last_used_timestamp(commit=False)
        self.save()
        return True

    def codes_replace(self, count: int) -> list[str]:
        """Delete the unused codes and make ``count`` new ones; returns them formatted ``xxxxx-xxxxx``."""
        codes = ["".join(secrets.choice(BACKUP_CODE_ALPHABET) for _ in range(BACKUP_CODE_LENGTH)) for _ in range(count)]
        self.codes.all().delete()
        rows = []
        for code in codes:
            salt = secrets.token_bytes(16)
            rows.append(BackupCode(device=self, salt=salt, digest=backup_code_digest(code, salt)))
        BackupCode.objects.bulk_create(rows)
        half = BACKUP_CODE_LENGTH // 2
        return [f"{code[:half]}-{code[half:]}" for code in codes]


class BackupCode(models.Model):
    """One unused backup code of a ``BackupCodeDevice``: a salt and the SHA-256, never the code."""

    device = models.ForeignKey(BackupCodeDevice, on_delete=models.CASCADE, related_name="codes")
    salt = models.BinaryField(max_length=16)
    digest = models.CharField(max_length=64)

    class Meta:
        verbose_name = "herstelcode"
        verbose_name_plural = "herstelcodes"

    def __str__(self) -> str:
        return f"herstelcode {self.pk} van {self.device_id}"
