"""The effective per-case permissions in django-guardian's direct foreign-key tables (issue #4), and
rows for the cases that exist already, derived by ``privacy.grants`` from their teams, directors and
grants (the same derivation the services and the nightly job use)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def permissions_derive(apps, schema_editor):
    from privacy.grants import case_permissions_refresh

    if apps.get_model("cases", "Case").objects.exists():
        case_permissions_refresh(registry=apps)


class Migration(migrations.Migration):

    dependencies = [
        ('auth', '0012_alter_user_first_name_max_length'),
        ('cases', '0005_provenance'),
        ('partners', '0004_organisation_group'),
        ('privacy', '0003_access_log_append_only'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='CaseGroupObjectPermission',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('content_object', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='group_object_permissions', to='cases.case', verbose_name='casus')),
                ('group', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='auth.group')),
                ('permission', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='auth.permission')),
            ],
            options={
                'verbose_name': 'casusrecht van een organisatie',
                'verbose_name_plural': 'casusrechten van organisaties',
                'abstract': False,
                'indexes': [models.Index(fields=['content_object', 'group'], name='case_group_perm_case_group')],
                'unique_together': {('group', 'permission', 'content_object')},
            },
        ),
        migrations.CreateModel(
            name='CaseUserObjectPermission',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('content_object', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='user_object_permissions', to='cases.case', verbose_name='casus')),
                ('grant', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='privacy.breaktheglassgrant', verbose_name='noodtoegang')),
                ('permission', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='auth.permission')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'casusrecht van een gebruiker',
                'verbose_name_plural': 'casusrechten van gebruikers',
                'abstract': False,
                'indexes': [models.Index(fields=['content_object', 'user'], name='case_user_perm_case_user')],
                'unique_together': {('user', 'permission', 'content_object')},
            },
        ),
        migrations.RunPython(permissions_derive, migrations.RunPython.noop),
    ]
