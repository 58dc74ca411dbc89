"""What the demo generator works with: one seeded random source, today's date, the reference data.

Determinism: every choice comes from ``Demo.rng`` (``random.Random`` with a fixed seed) or ``Demo.faker``
(seeded the same way), ids included, and every date is relative to ``today``
(``django.utils.timezone.localdate()`` at the start of the load). The same day gives the same data.
"""

import dataclasses
import datetime as dt
import random
import uuid
from collections.abc import Mapping, Sequence
from typing import TypeVar

from django.utils import timezone
from faker import Faker

from cases.models import Intervention, OffenceType, Wijk
from partners.models import Organisation, User

T = TypeVar("T")

# The demo account of a partner organisation, used as author / responsible professional.
ORGANISATION_USERS = {
    "politie-midden-nederland": "politie",
    "reclassering-nederland": "reclassering",
    "altrecht": "altrecht",
    "jou": "jou",
    "openbaar-ministerie": "om",
    "buurtteams": "buurtteam",
}


class ReferenceDataMissingError(Exception):
    """The reference data (organisations, wijken, offence types) is not there: migrate first."""


def reference_check() -> None:
    """Raise ``ReferenceDataMissingError`` unless the reference-data migrations have run."""
    if Wijk.objects.count() < 10 or not OffenceType.objects.exists() or not Organisation.objects.filter(code="zvhru").exists():
        raise ReferenceDataMissingError("Referentiegegevens ontbreken; draai eerst 'manage.py migrate'.")


@dataclasses.dataclass
class Demo:
    rng: random.Random
    faker: Faker
    today: dt.date
    organisations: dict[str, Organisation]
    users: dict[str, User]
    wijken: dict[str, Wijk]
    offence_types: dict[str, OffenceType]
    interventions: dict[str, Intervention]
    used_bsns: set[str]

    @classmethod
    def start(cls, *, seed: int, users: dict[str, User], reserved_bsns: Sequence[str] = ()) -> "Demo":
        """A generator seeded with ``seed``, working with the demo ``users``."""
        faker = Faker("nl_NL")
        faker.seed_instance(seed)
        demo = cls(
            rng=random.Random(seed),
            faker=faker,
            today=timezone.localdate(),
            organisations=Organisation.objects.in_bulk(field_name="code"),
            users=users,
            wijken=Wijk.objects.in_bulk(field_name="code"),
            offence_types=OffenceType.objects.in_bulk(field_name="code"),
            interventions=Intervention.objects.in_bulk(field_name="code"),
            used_bsns=set(reserved_bsns),
        )
        return demo

    def uuid(self) -> uuid.UUID:
        """A version-4 UUID drawn from the seeded generator, so ids are the same on every load."""
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def chance(self, probability: float) -> bool:
        return self.rng.random() < probability

    def weighted(self, table: Mapping[T, float]) -> T:
        """One key of ``table``, drawn with the values as weights."""
        return self.rng.choices(list(table), weights=list(table.values()))[0]

    def day_between(self, first: dt.date, last: dt.date) -> dt.date:
        """A day in ``[first, last]`` (both inclusive); ``first`` when the range is empty."""
        return first + dt.timedelta(days=self.rng.randint(0, max(0, (last - first).days)))

    def days_ago(self, low: int, high: int) -> dt.date:
        return self.today - dt.timedelta(days=self.rng.randint(low, high))

    def partner_user(self, organisation_code: str) -> User | None:
        """The demo account of a partner organisation, if it has one."""
        username = ORGANISATION_USERS.get(organisation_code)
        return self.users[username] if username else None

    def moment(self, day: dt.date) -> dt.datetime:
        """An aware datetime during office hours on ``day`` (local time)."""
        return timezone.make_aware(dt.datetime.combine(day, dt.time(self.rng.randint(9, 16), self.rng.choice((0, 15, 30, 45)))))
