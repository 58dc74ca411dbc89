"""Rule set version 1, active: the starting parameters of issue #3, still to be confirmed with the partners.

The exit period (12 calendar months, DOMAIN.md §5.6) moves here from the former setting
``PGA_EXIT_PERIOD_MONTHS``. The document is copied in full, not imported from
``escalation.parameters``, so this migration keeps meaning what it meant when it was written. The
reverse removes version 1 only while it is the only rule set.
"""

from django.db import migrations
from django.utils import timezone

VERSION_1 = {
    "problem_score_max": 2,
    "top_x": {
        "age_min": None,
        "age_max": 23,
        "window_months": 24,
        "min_offences": 3,
        "min_serious_offences": 1,
        "min_problem_areas": 2,
    },
    "doorgroeier": {
        "age_min": 16,
        "age_max": 27,
        "window_months": 24,
        "min_offences": 1,
        "offence_flags": ["drug_related", "violent"],
        "drug_network_required": True,
        "min_problem_areas": 2,
    },
    "exit": {"period_months": 12, "blocking_score": 1},
}

NOTE = (
    "Startwaarden bij de ingebruikname (werkwijze PGA en Top X regio Utrecht): nog te bevestigen met de ketenpartners. "
    "Top X → ZVHRU: leeftijd t/m 23, minimaal 3 delicten in 24 maanden waarvan minimaal 1 ernstig "
    "(strafmaximum ≥ 4 jaar), minimaal 2 leefgebieden op 1–2. Doorgroeier → lokale PGA: leeftijd 16–27, "
    "minimaal 1 drugsgerelateerd of gewelddadig delict in 24 maanden, netwerk in de drugswereld, minimaal "
    "2 leefgebieden op 1–2. Uitstroom: 12 maanden na het laatste delict en geen leefgebied op 1."
)


def create(apps, schema_editor):
    RuleSet = apps.get_model("escalation", "RuleSet")
    if not RuleSet.objects.filter(version=1).exists():
        RuleSet.objects.create(version=1, status="active", parameters=VERSION_1, note=NOTE, activated_at=timezone.now())


def remove(apps, schema_editor):
    RuleSet = apps.get_model("escalation", "RuleSet")
    if RuleSet.objects.exclude(version=1).exists():
        raise RuntimeError("Er zijn al latere beoordelingskaders; versie 1 blijft staan.")
    RuleSet.objects.filter(version=1).delete()


class Migration(migrations.Migration):
    dependencies = [("escalation", "0001_rule_sets")]

    operations = [migrations.RunPython(create, remove)]
