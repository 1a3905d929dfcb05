"""On PostgreSQL, the database itself refuses UPDATE and DELETE on audit entries (decision 0004).

SQLite has no such trigger here: Django's test flush empties tables with DELETE there, and the
application refuses changes to entries in any case (Event.save, delete, bulk writes). PostgreSQL's
flush uses TRUNCATE, which a row trigger does not see; the checkpoints catch a truncated table.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION resolve_audit_event_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_event rows are append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_event_append_only
    BEFORE UPDATE OR DELETE ON audit_event
    FOR EACH ROW EXECUTE FUNCTION resolve_audit_event_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS audit_event_append_only ON audit_event;
DROP FUNCTION IF EXISTS resolve_audit_event_append_only();
"""


def on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0006_event_key_id"),
    ]

    operations = [
        migrations.RunPython(on_postgresql(CREATE), on_postgresql(DROP), elidable=False),
    ]
