"""Give every organisation an auth group and put its users in it (issue #4 "Case-level access").

django-guardian keeps the per-case permissions of an organisation in a case team as group
permissions (``privacy.grants``); ``Organisation.save`` and ``User.save`` keep this up to date from now on.
"""

import django.db.models.deletion
from django.db import migrations, models


def groups_create(apps, schema_editor):
    Organisation = apps.get_model("partners", "Organisation")
    Group = apps.get_model("auth", "Group")
    User = apps.get_model("partners", "User")
    for organisation in Organisation.objects.filter(group__isnull=True):
        organisation.group, _ = Group.objects.get_or_create(name=f"organisatie:{organisation.code}"[:150])
        organisation.save(update_fields=["group"])
    memberships = User.groups.through
    for user_id, group_id in User.objects.filter(organisation__isnull=False).values_list("pk", "organisation__group_id"):
        memberships.objects.get_or_create(user_id=user_id, group_id=group_id)


def groups_delete(apps, schema_editor):
    Organisation = apps.get_model("partners", "Organisation")
    Group = apps.get_model("auth", "Group")
    group_ids = list(Organisation.objects.exclude(group=None).values_list("group_id", flat=True))
    Organisation.objects.update(group=None)
    Group.objects.filter(pk__in=group_ids).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("partners", "0003_constraint_messages"),
    ]

    operations = [
        migrations.AddField(
            model_name="organisation",
            name="group",
            field=models.OneToOneField(
                blank=True,
                editable=False,
                help_text="De groep waarin django-guardian de casusrechten van deze organisatie bijhoudt.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="organisation",
                to="auth.group",
                verbose_name="groep",
            ),
        ),
        migrations.RunPython(groups_create, groups_delete),
    ]
