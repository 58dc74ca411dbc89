"""Retention after closure (issue #5 job 4): periods per closing reason, the destruction list and
its tombstones. The seeded periods are PLACEHOLDERS (``confirmed_at`` empty): every screen marks them
"voorlopige waarde, nog te bevestigen door de privacyfunctionaris" until the privacy officer confirms
them. The reasoning behind each number is stored with it (``rationale``) and repeated here.

- niet_opgenomen 6: the person never entered the approach; half a year answers questions about the
  refusal and a renewed registration, nothing more is needed (proportionality, AVG art. 5(1)(e)).
- doelen_behaald, verhuisd, overig 24: relapse after exit, or a return to the region, mostly happens
  within two years; a renewed registration can then build on the earlier plan.
- overgedragen 60: another approach took the case over and may ask for its history while its own
  trajectory runs (often several years); five years covers that.
- overleden 6: data of the deceased are not personal data under the AVG (recital 27), but the case
  holds data of others (family, network); half a year for the case's administrative close-down.
To be checked against the municipality's Selectielijst and the Zorg- en Veiligheidshuis covenant.
"""

import django.core.validators
import django.db.models.deletion
import uuid
from django.conf import settings
from django.db import migrations, models


PERIODS = {
    "niet_opgenomen": (
        6,
        "Aanmelding afgewezen: de persoon is nooit in de aanpak gekomen. Een half jaar om vragen over het "
        "besluit en een nieuwe aanmelding te kunnen beantwoorden.",
    ),
    "doelen_behaald": (
        24,
        "Uitgestroomd met behaalde doelen. Terugval na uitstroom valt meestal binnen twee jaar; een nieuwe "
        "aanmelding kan dan voortbouwen op het plan.",
    ),
    "verhuisd": (24, "Verhuisd buiten de regio. Wie terugkeert, doet dat meestal binnen twee jaar."),
    "overgedragen": (
        60,
        "Overgedragen aan een andere aanpak, die tijdens haar eigen traject (vaak jaren) naar de voorgeschiedenis "
        "kan vragen.",
    ),
    "overleden": (
        6,
        "Gegevens van overledenen zijn geen persoonsgegevens (AVG overweging 27), maar de casus bevat gegevens "
        "van anderen (familie, netwerk). Een half jaar voor de administratieve afronding.",
    ),
    "overig": (24, "Overige afsluitingen: dezelfde termijn als uitstroom."),
}


def seed_periods(apps, schema_editor):
    RetentionPeriod = apps.get_model("privacy", "RetentionPeriod")
    for reason, (months, rationale) in PERIODS.items():
        RetentionPeriod.objects.get_or_create(closing_reason=reason, defaults={"months": months, "rationale": rationale})


def unseed_periods(apps, schema_editor):
    apps.get_model("privacy", "RetentionPeriod").objects.filter(confirmed_at__isnull=True).delete()


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0005_provenance'),
        ('jobs', '0002_schedule'),
        ('privacy', '0004_case_permissions'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='DestructionListItem',
            fields=[
                ('id', models.BigAutoField(primary_key=True, serialize=False)),
                ('case_ref', models.UUIDField(verbose_name='casusnummer')),
                ('status', models.CharField(choices=[('voorgesteld', 'Voorgesteld'), ('goedgekeurd', 'Goedgekeurd'), ('aangehouden', 'Aangehouden (bewaarplicht)'), ('vernietigd', 'Vernietigd'), ('ingetrokken', 'Ingetrokken')], default='voorgesteld', max_length=16, verbose_name='status')),
                ('listed_on', models.DateField(verbose_name='op de lijst gezet op')),
                ('eligible_on', models.DateField(verbose_name='te vernietigen vanaf')),
                ('period_months', models.PositiveSmallIntegerField(verbose_name='bewaartermijn (maanden)')),
                ('approved_at', models.DateTimeField(blank=True, null=True, verbose_name='goedgekeurd op (UTC)')),
                ('error', models.TextField(blank=True, help_text='Soort fout en plaats in de code; nooit gegevens.', verbose_name='fout bij vernietigen')),
                ('created_at', models.DateTimeField(verbose_name='aangemaakt op (UTC)')),
                ('approved_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='goedgekeurd door')),
                ('case', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='cases.case', verbose_name='casus')),
                ('hold', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='privacy.legalhold', verbose_name='bewaarplicht')),
                ('job_run', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='jobs.jobrun')),
            ],
            options={
                'verbose_name': 'vernietigingslijst: casus',
                'verbose_name_plural': 'vernietigingslijst',
                'ordering': ['eligible_on', 'id'],
            },
        ),
        migrations.CreateModel(
            name='DestructionRecord',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('case_ref', models.UUIDField(unique=True, verbose_name='casusnummer')),
                ('closing_reason', models.CharField(choices=[('doelen_behaald', 'Doelen behaald / uitgestroomd'), ('niet_opgenomen', 'Niet opgenomen (aanmelding afgewezen)'), ('verhuisd', 'Verhuisd buiten de regio'), ('overgedragen', 'Overgedragen aan een andere aanpak'), ('overleden', 'Overleden'), ('overig', 'Overig')], max_length=32, verbose_name='reden afsluiting')),
                ('tier', models.CharField(choices=[('basisinzet', 'Basisinzet'), ('lokale_pga', 'Lokale PGA'), ('zvhru', 'Top X (ZVHRU)')], max_length=16, verbose_name='niveau')),
                ('closed_year', models.PositiveSmallIntegerField(verbose_name='afgesloten in (jaar)')),
                ('closed_month', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(12)], verbose_name='afgesloten in (maand)')),
                ('period_months', models.PositiveSmallIntegerField(verbose_name='toegepaste bewaartermijn (maanden)')),
                ('person_erased', models.BooleanField(help_text='Nee: de persoon heeft nog een andere casus.', verbose_name='persoon verwijderd')),
                ('deleted', models.JSONField(default=dict, verbose_name='verwijderde rijen per tabel')),
                ('anonymised', models.JSONField(default=dict, verbose_name='geanonimiseerde rijen per tabel')),
                ('approved_at', models.DateTimeField(verbose_name='goedgekeurd op (UTC)')),
                ('destroyed_at', models.DateTimeField(verbose_name='vernietigd op (UTC)')),
                ('approved_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='goedgekeurd door')),
                ('item', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='record', to='privacy.destructionlistitem', verbose_name='lijstregel')),
                ('job_run', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='jobs.jobrun')),
            ],
            options={
                'verbose_name': 'vernietigingsverklaring',
                'verbose_name_plural': 'vernietigingsverklaringen',
                'ordering': ['-destroyed_at'],
            },
        ),
        migrations.CreateModel(
            name='RetentionPeriod',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('closing_reason', models.CharField(choices=[('doelen_behaald', 'Doelen behaald / uitgestroomd'), ('niet_opgenomen', 'Niet opgenomen (aanmelding afgewezen)'), ('verhuisd', 'Verhuisd buiten de regio'), ('overgedragen', 'Overgedragen aan een andere aanpak'), ('overleden', 'Overleden'), ('overig', 'Overig')], max_length=32, unique=True, verbose_name='reden afsluiting')),
                ('months', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(240)], verbose_name='bewaartermijn (maanden na afsluiting)')),
                ('rationale', models.TextField(blank=True, verbose_name='onderbouwing')),
                ('confirmed_at', models.DateTimeField(blank=True, null=True, verbose_name='bevestigd op (UTC)')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='gewijzigd op')),
                ('confirmed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='bevestigd door')),
            ],
            options={
                'verbose_name': 'bewaartermijn',
                'verbose_name_plural': 'bewaartermijnen',
                'ordering': ['closing_reason'],
            },
        ),
        migrations.AddIndex(
            model_name='destructionlistitem',
            index=models.Index(fields=['status', 'eligible_on'], name='destruction_status_eligible'),
        ),
        migrations.AddConstraint(
            model_name='destructionlistitem',
            constraint=models.UniqueConstraint(condition=models.Q(('status', 'ingetrokken'), _negated=True), fields=('case_ref',), name='one_destruction_item_per_case', violation_error_message='Deze casus staat al op de vernietigingslijst.'),
        ),
        migrations.AddConstraint(
            model_name='destructionlistitem',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('status__in', ['goedgekeurd', 'vernietigd']), _negated=True), models.Q(('approved_at__isnull', False), ('approved_by__isnull', False)), _connector='OR'), name='approved_destruction_has_approver', violation_error_message='Een goedgekeurde vernietiging heeft een goedkeurder.'),
        ),
        migrations.AddConstraint(
            model_name='retentionperiod',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('confirmed_at__isnull', True), ('confirmed_by__isnull', True)), models.Q(('confirmed_at__isnull', False), ('confirmed_by__isnull', False)), _connector='OR'), name='retention_period_confirmed_pair'),
        ),
        migrations.RunPython(seed_periods, unseed_periods),
    ]
