"""Make the access log append-only in the database itself (NEN 7513 §6; BIO 12.4.2; issue #4 "Access log").

On PostgreSQL a trigger refuses every UPDATE and DELETE on the access-log entries, their subjects and
the hash-chain seals, whoever issues it (the application, the admin, a database console). TRUNCATE is
left alone on purpose: the test suite empties tables with it, and it needs table-owner rights that the
application role should not have in production. Integrity beyond that is shown by the hash chain
(``privacy.chain``). Other databases (none in use) get no trigger.
"""

from django.db import migrations

TABLES = ("privacy_accesslogentry", "privacy_accesslogsubject", "privacy_accesslogseal")

FUNCTION = """
CREATE OR REPLACE FUNCTION privacy_access_log_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'Het toegangslog is alleen aanvulbaar: % op % is niet toegestaan', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION, params=None)  # None: the % in the message are not placeholders
    for table in TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION privacy_access_log_append_only()"
        )


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
    schema_editor.execute("DROP FUNCTION IF EXISTS privacy_access_log_append_only()")


class Migration(migrations.Migration):
    dependencies = [("privacy", "0002_default_matrix")]

    operations = [migrations.RunPython(forward, backward)]
