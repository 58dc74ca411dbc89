"""Reference data: the covenant partners of DOMAIN.md §7, with their domain.

Only Gemeente Utrecht, Politie Midden-Nederland and Openbaar Ministerie may register (§5.7).
Policy and financial partners (RIEC, Belastingdienst, …) are not case partners and are not listed.
"""

from django.db import migrations

ORGANISATIONS = [
    # (code, name, domain, may_register)
    ("openbaar-ministerie", "Openbaar Ministerie", "straf", True),
    ("politie-midden-nederland", "Politie Midden-Nederland", "straf", True),
    ("reclassering-nederland", "Reclassering Nederland", "straf", False),
    ("leger-des-heils-jbr", "Leger des Heils Jeugdbescherming & Reclassering", "straf", False),
    ("verslavingsreclassering", "Verslavingsreclassering", "straf", False),
    ("dji", "Dienst Justitiële Inrichtingen", "straf", False),
    ("halt", "HALT", "straf", False),
    ("raad-voor-de-kinderbescherming", "Raad voor de Kinderbescherming", "straf", False),
    ("altrecht", "Altrecht", "zorg", False),
    ("inforsa", "Inforsa", "zorg", False),
    ("de-waag", "De Waag", "zorg", False),
    ("lister", "Lister", "zorg", False),
    ("ggd-utrecht", "GGD Utrecht", "zorg", False),
    ("jou", "JoU Jongerenwerk", "sociaal", False),
    ("buurtteams", "Lokalis / Buurtteams", "sociaal", False),
    ("smvn", "SMVN Veilig Thuis en Jeugdbescherming", "sociaal", False),
    ("portaal", "Portaal", "sociaal", False),
    ("bo-ex", "BO-EX", "sociaal", False),
    ("mitros", "Mitros", "sociaal", False),
    ("werk-en-inkomen", "Gemeente Utrecht Werk & Inkomen", "sociaal", False),
    ("gemeente-utrecht", "Gemeente Utrecht", "regie", True),
    ("zvhru", "Zorg- en Veiligheidshuis Regio Utrecht", "regie", False),
]


def load(apps, schema_editor):
    Organisation = apps.get_model("partners", "Organisation")
    for code, name, domain, may_register in ORGANISATIONS:
        Organisation.objects.update_or_create(code=code, defaults={"name": name, "domain": domain, "may_register": may_register})


def unload(apps, schema_editor):
    apps.get_model("partners", "Organisation").objects.filter(code__in=[row[0] for row in ORGANISATIONS]).delete()


class Migration(migrations.Migration):
    dependencies = [("partners", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
