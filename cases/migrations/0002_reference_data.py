"""Reference data: the ten Utrecht wijken, the starter set of offence types, the interventions.

DOMAIN.md §6, §9 and §11. Every offence type carries its statutory maximum and, in ``source``,
where that number was checked (see docs/reference-data.md for the table and the deviations from
DOMAIN.md). Rows are upserted by ``code``, so re-running is harmless; the reverse deletes exactly
these codes.

Checked on 2026-11-30. Maxima are whole years of gevangenisstraf for the basic offence (the lid named
in ``statute``); aggravated variants (e.g. Sr 311 lid 2, Sr 157 onder 2°/3°) are not separate rows.
"""

from django.db import migrations

CHECKED = "gecontroleerd 2026-11-30"

WIJKEN = [
    ("binnenstad", "Binnenstad"),
    ("oost", "Oost"),
    ("noordoost", "Noordoost"),
    ("noordwest", "Noordwest"),
    ("overvecht", "Overvecht"),
    ("west", "West"),
    ("zuidwest", "Zuidwest"),
    ("zuid", "Zuid"),
    ("leidsche-rijn", "Leidsche Rijn"),
    ("vleuten-de-meern", "Vleuten-De Meern"),
]

# Opiumwet: current maxima (6 / 8 / 12) are stated as geldend recht in the MvT of wetsvoorstel
# 36 705 (March 2025), which proposes raising them; the Opiumwet text itself (BWBR0001941, valid from
# 16-04-2024) could not be read article by article.
_OPW_HARD = (
    "Opiumwet art. 10 lid {lid} jo. art. 2 onder {onder}; maximum {jaar} jr genoemd als geldend recht in "
    "MvT Kamerstukken II 2024/25, 36 705, nr. 3 (wetsvoorstel verhoging, nog niet in werking); "
    "wettekst BWBR0001941 (geldig vanaf 16-04-2024) niet per artikel ingezien; " + CHECKED
)

# (code, name, statute, max_sentence_years, life_imprisonment, drug_related, violent, source)
OFFENCE_TYPES = [
    (
        "opw-10-2",
        "Harddrugs (lijst I): aanwezig hebben",
        "Opiumwet 10 lid 2",
        6,
        False,
        True,
        False,
        _OPW_HARD.format(lid=2, onder="C", jaar=6),
    ),
    (
        "opw-10-3",
        "Harddrugs (lijst I): verkopen, vervoeren, vervaardigen",
        "Opiumwet 10 lid 3",
        8,
        False,
        True,
        False,
        _OPW_HARD.format(lid=3, onder="B/D", jaar=8),
    ),
    (
        "opw-10-4",
        "Harddrugs (lijst I): binnen of buiten Nederland brengen",
        "Opiumwet 10 lid 4",
        12,
        False,
        True,
        False,
        _OPW_HARD.format(lid=4, onder="A", jaar=12),
    ),
    (
        "opw-11-2",
        "Softdrugs (lijst II): aanwezig hebben, telen",
        "Opiumwet 11 lid 2",
        2,
        False,
        True,
        False,
        "Opiumwet art. 11 lid 2 jo. art. 3 onder B/C/D: 2 jr; alleen tegen wettekst zoals geciteerd op "
        "hennepadvocaat-hennepkwekerij.nl (niet officieel); niet geverifieerd tegen wettekst BWBR0001941; "
        + CHECKED,
    ),
    (
        "opw-11-3",
        "Softdrugs (lijst II): beroeps- of bedrijfsmatig telen",
        "Opiumwet 11 lid 3",
        4,
        False,
        True,
        False,
        "Opiumwet art. 11 lid 3 jo. art. 3 onder B; 4 jr volgens DOMAIN.md, niet geverifieerd tegen wettekst; "
        "een niet-officieel citaat (hennepadvocaat-hennepkwekerij.nl) noemt 6 jr: nakijken op "
        "wetten.overheid.nl; " + CHECKED,
    ),
    (
        "sr-310",
        "Diefstal",
        "Sr 310",
        4,
        False,
        False,
        False,
        "Sr art. 310: 4 jr; wettekst geciteerd in Sdu Commentaar Sr (bijgewerkt 27-03-2017) en cbs.nl; "
        "(wetten.overheid.nl BWBR0001854); " + CHECKED,
    ),
    (
        "sr-311",
        "Gekwalificeerde diefstal",
        "Sr 311 lid 1",
        6,
        False,
        False,
        False,
        "Sr art. 311 lid 1: 6 jr (lid 2: 9 jr bij woninginbraak met braak of in vereniging); wettekst "
        "'laatste versie' via explore.law en Sdu Commentaar Sr; (wetten.overheid.nl BWBR0001854); " + CHECKED,
    ),
    (
        "sr-312",
        "Diefstal met geweld (beroving)",
        "Sr 312 lid 1",
        9,
        False,
        False,
        True,
        "Sr art. 312 lid 1: 9 jr; wettekst geciteerd in Sdu Commentaar Sr (bijgewerkt 27-03-2017); "
        "(wetten.overheid.nl BWBR0001854); " + CHECKED,
    ),
    (
        "sr-416",
        "Opzetheling",
        "Sr 416",
        4,
        False,
        False,
        False,
        "Sr art. 416 lid 1: 4 jr; wettekst geciteerd (securlabel.com, rechtshulpzoetermeer.nl); "
        "(wetten.overheid.nl BWBR0001854); " + CHECKED,
    ),
    (
        "sr-420bis",
        "Witwassen",
        "Sr 420bis",
        6,
        False,
        False,
        False,
        "Sr art. 420bis lid 1: 6 jr sinds 01-01-2015 (Stb. 2014, 445; was 4); wettekst via "
        "wetten.legaltools.nl met wijzigingshistorie; wijkt af van DOMAIN.md (4); " + CHECKED,
    ),
    (
        "sr-420ter",
        "Gewoontewitwassen",
        "Sr 420ter",
        8,
        False,
        False,
        False,
        "Sr art. 420ter: 8 jr (was 6 tot de verhoging per 01-01-2015, Stb. 2014, 445); wettekst zelf niet "
        "ingezien, bron: advocatenpagina vandijkvandermeer.nl; wijkt af van DOMAIN.md (6); " + CHECKED,
    ),
    (
        "sr-140",
        "Deelneming aan een criminele organisatie",
        "Sr 140 lid 1",
        6,
        False,
        False,
        False,
        "Sr art. 140 lid 1: 6 jr (oprichters/leiders: +1/3, lid 3); wettekst geciteerd 2018 "
        "(akasdorp.wordpress.com), geen latere verhoging gevonden (36 463 wijzigt dit niet); " + CHECKED,
    ),
    (
        "sr-157",
        "Ontploffing teweegbrengen, gemeen gevaar voor goederen (plofkraak)",
        "Sr 157 onder 1°",
        12,
        False,
        False,
        True,
        "Sr art. 157 onder 1°: 12 jr (2°: 15 jr bij levensgevaar; 3°: levenslang/30 jr bij dood); wettekst "
        "via uwwet.nl; (wetten.overheid.nl BWBR0001854); " + CHECKED,
    ),
    (
        "sr-285",
        "Bedreiging",
        "Sr 285 lid 1",
        2,
        False,
        False,
        True,
        "Sr art. 285 lid 1: 2 jr volgens DOMAIN.md en tekst t/m 2018; niet geverifieerd tegen huidige wettekst: "
        "Stb. 2021, 544 verhoogde de strafmaat voor bedreiging (voorstel: 3 jr), nakijken; " + CHECKED,
    ),
    (
        "sr-287",
        "Doodslag",
        "Sr 287",
        25,
        False,
        False,
        True,
        "Sr art. 287: 25 jr sinds 01-07-2023 (Wet verhoging wettelijk strafmaximum doodslag, Kamerstukken "
        "35 871; was 15); wettekst zelf niet ingezien; wijkt af van DOMAIN.md (15); " + CHECKED,
    ),
    (
        "sr-289",
        "Moord",
        "Sr 289",
        30,
        True,
        False,
        True,
        "Sr art. 289: levenslang of tijdelijk ten hoogste 30 jr; wettekst geciteerd (verschil.nl, "
        "stapelendekoning.nl); (wetten.overheid.nl BWBR0001854); " + CHECKED,
    ),
    (
        "sr-302",
        "Zware mishandeling",
        "Sr 302 lid 1",
        8,
        False,
        False,
        True,
        "Sr art. 302 lid 1: 8 jr (lid 2, dood ten gevolge: 10 jr); wettekst via omgevingsweb.nl; "
        "(wetten.overheid.nl BWBR0001854); " + CHECKED,
    ),
]

INTERVENTIONS = [
    ("credible-messengers", "Credible messengers (verbindingsofficieren)"),
    ("buddynetwerk", "Buddynetwerk"),
    ("banen-met-status", "Banen met status (jobcoaching, stages met status)"),
    ("vog-ondersteuning", "VOG-ondersteuning"),
    ("popup-businessclub", "Pop-up BusinessClub"),
    ("crew-030", "Crew 030"),
    ("sport", "Sport- en dagbestedingstrajecten"),
    ("jouw-uitweg", "Jouw Uitweg (uitstappen zonder gezichtsverlies)"),
    ("meidenaanpak", "Meidenaanpak"),
    ("jongerenrechtbank", "Jongerenrechtbank"),
    ("wijkrechtspraak", "Wijkrechtspraak"),
    ("spreekuur-beschermingsbewind", "Online spreekuur beschermingsbewind"),
    ("multidisciplinair-toezichtteam", "Multidisciplinair toezichtteam"),
    ("omgevingsadvies-reclassering", "Omgevingsadvies reclassering"),
    ("bestuurlijk-toezicht", "Bestuurlijk toezicht"),
    ("cosa", "COSA-cirkels"),
    ("schuldhulp", "Schuldhulpverlening en schuldregeling"),
]


def load(apps, schema_editor):
    Wijk = apps.get_model("cases", "Wijk")
    OffenceType = apps.get_model("cases", "OffenceType")
    Intervention = apps.get_model("cases", "Intervention")

    for code, name in WIJKEN:
        Wijk.objects.update_or_create(code=code, defaults={"name": name})

    for code, name, statute, max_years, life, drug, violent, source in OFFENCE_TYPES:
        if len(source) > 300:
            raise ValueError(f"source of {code} is {len(source)} characters (max 300)")
        OffenceType.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "statute": statute,
                "max_sentence_years": max_years,
                "life_imprisonment": life,
                "drug_related": drug,
                "violent": violent,
                "source": source,
                "active": True,
            },
        )

    for code, name in INTERVENTIONS:
        Intervention.objects.update_or_create(code=code, defaults={"name": name, "active": True})


def unload(apps, schema_editor):
    apps.get_model("cases", "Intervention").objects.filter(code__in=[c for c, _ in INTERVENTIONS]).delete()
    apps.get_model("cases", "OffenceType").objects.filter(code__in=[row[0] for row in OFFENCE_TYPES]).delete()
    apps.get_model("cases", "Wijk").objects.filter(code__in=[c for c, _ in WIJKEN]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(load, unload),
    ]
