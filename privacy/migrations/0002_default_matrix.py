"""Version 1 of the sharing matrix: the defaults of DOMAIN.md §8 and issue #4.

- Case and process directors (any domain): every category, read and write.
- Straf partners: identificatie, justitieel, plan, netwerk; of zorg only "care involved: yes/no".
- Zorg partners: identificatie, zorg, plan; of justitieel only the date of the last offence.
- Sociaal partners: identificatie, sociaal, plan.
- Regie partners (municipality and ZVH staff who do not direct): identificatie and plan — the
  brief is silent on them, so least privilege.

The legal bases cite the statutes these exchanges rest on; the privacy officer confirms them against
the region's privacy covenant before go-live (the matrix note says so).
"""

from django.db import migrations

GEEN, KENMERK, LEZEN, LEZEN_SCHRIJVEN = 0, 1, 2, 3

BASIS = {
    "identificatie": "Art. 6 lid 1 sub e AVG (publieke taak); art. 10 Wabb (gebruik BSN); privacyconvenant ZVHRU.",
    "justitieel": "Art. 10 AVG jo. art. 33 UAVG; art. 20 Wpg en art. 39f Wjsg (verstrekking binnen een samenwerkingsverband); "
    "privacyconvenant ZVHRU.",
    "zorg": "Art. 9 AVG jo. art. 30 UAVG; alleen met toestemming of bij een conflict van plichten (beroepsgeheim, "
    "art. 7:457 BW); privacyconvenant ZVHRU.",
    "sociaal": "Art. 6 lid 1 sub e AVG; Wmo 2015, Jeugdwet en Participatiewet voor zover noodzakelijk; privacyconvenant ZVHRU.",
    "plan": "Art. 6 lid 1 sub e AVG; gezamenlijk plan van aanpak volgens het privacyconvenant ZVHRU.",
    "netwerk": "Art. 6 lid 1 sub e AVG; systeemgerichte aanpak van criminele families volgens het privacyconvenant ZVHRU.",
}
KENMERK_BASIS = {
    "zorg": "Alleen of er zorg betrokken is (ja/nee), voor afstemming zonder inhoud: dataminimalisatie (art. 5 lid 1 sub c "
    "AVG); art. 30 UAVG.",
    "justitieel": "Alleen de datum van het laatste delict, voor de uitstroomtermijn: dataminimalisatie "
    "(art. 5 lid 1 sub c AVG); art. 39f Wjsg.",
}
CATEGORIES = ["identificatie", "justitieel", "zorg", "sociaal", "plan", "netwerk"]
PARTNERS = {
    "straf": {"identificatie": LEZEN, "justitieel": LEZEN_SCHRIJVEN, "zorg": KENMERK, "plan": LEZEN_SCHRIJVEN, "netwerk": LEZEN},
    "zorg": {"identificatie": LEZEN, "zorg": LEZEN_SCHRIJVEN, "justitieel": KENMERK, "plan": LEZEN_SCHRIJVEN},
    "sociaal": {"identificatie": LEZEN, "sociaal": LEZEN_SCHRIJVEN, "plan": LEZEN_SCHRIJVEN},
    "regie": {"identificatie": LEZEN, "plan": LEZEN_SCHRIJVEN},
}


def _basis(category, access):
    if access == GEEN:
        return ""
    return KENMERK_BASIS[category] if access == KENMERK else BASIS[category]


def load(apps, schema_editor):
    SharingMatrix = apps.get_model("privacy", "SharingMatrix")
    SharingRule = apps.get_model("privacy", "SharingRule")
    if SharingMatrix.objects.exists():
        return
    matrix = SharingMatrix.objects.create(
        version=1,
        status="actief",
        note="Standaardwaarden bij de ingebruikname (werkwijze PGA regio Utrecht). De grondslagen bevestigt de privacyfunctionaris aan de hand van het "
        "privacyconvenant van de regio voordat het systeem in gebruik gaat.",
    )
    rules = []
    for role in ("case_director", "process_director"):
        for category in CATEGORIES:
            rules.append(SharingRule(matrix=matrix, role=role, category=category, access=LEZEN_SCHRIJVEN, legal_basis=BASIS[category]))
    for domain, cells in PARTNERS.items():
        for category in CATEGORIES:
            access = cells.get(category, GEEN)
            rules.append(
                SharingRule(matrix=matrix, role="partner", domain=domain, category=category, access=access, legal_basis=_basis(category, access))
            )
    SharingRule.objects.bulk_create(rules)


def unload(apps, schema_editor):
    apps.get_model("privacy", "SharingMatrix").objects.filter(version=1).delete()


class Migration(migrations.Migration):
    dependencies = [("privacy", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
