"""The categories of personal data and the levels of access to them (DOMAIN.md §8, issue #4).

Every piece of personal data belongs to exactly one ``Category``; the sharing matrix
(``privacy.models.SharingRule``) gives each partner domain or organisation, per role, an ``Access``
level to each category. ``KENMERK`` is the level of the matrix's two exceptions in DOMAIN.md §8:
a single derived indicator of a category without its content — "care involved: yes/no" of ``zorg``
for straf partners, "date of the last offence" of ``justitieel`` for zorg partners.
"""

from django.db import models


class Category(models.TextChoices):
    """GDPR-relevant kinds of data. ``justitieel`` is criminal-offence data (AVG art. 10, UAVG art. 31–33);
    ``zorg`` is health data, a special category (AVG art. 9, UAVG art. 30)."""

    IDENTIFICATIE = "identificatie", "Identificatie"
    JUSTITIEEL = "justitieel", "Justitieel"
    ZORG = "zorg", "Zorg"
    SOCIAAL = "sociaal", "Sociaal domein"
    PLAN = "plan", "Plan van aanpak"
    NETWERK = "netwerk", "Netwerk (familie en relaties)"


class Access(models.IntegerChoices):
    """What a cell of the sharing matrix allows, in increasing order."""

    GEEN = 0, "Geen"
    KENMERK = 1, "Alleen kenmerk"
    LEZEN = 2, "Lezen"
    LEZEN_SCHRIJVEN = 3, "Lezen en schrijven"
