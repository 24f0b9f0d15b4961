"""PostgreSQL: refuse UPDATE and DELETE on audit records in the database itself.

Allowed exceptions: retention pruning, which sets ``govportal.audit_prune = 'on'`` for its
own transaction (``SET LOCAL``), and clearing ``user_id`` when that account is deleted
(``ON DELETE SET NULL`` done by Django; ``user_id`` is not part of the hash). SQLite has no
such trigger: there the hash chain alone detects changes. TRUNCATE is not blocked (test
database flushes use it; it needs the table owner's rights).
"""

from django.db import migrations

INSTALL = """
CREATE OR REPLACE FUNCTION govportal_audit_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF current_setting('govportal.audit_prune', true) = 'on' THEN
            RETURN OLD;
        END IF;
        RAISE EXCEPTION 'audit records are append-only: DELETE of seq % refused', OLD.seq;
    END IF;
    IF NEW.user_id IS NULL AND OLD.user_id IS NOT NULL
       AND (to_jsonb(NEW) - 'user_id') = (to_jsonb(OLD) - 'user_id') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit records are append-only: UPDATE of seq % refused', OLD.seq;
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS audit_auditrecord_append_only ON audit_auditrecord;
CREATE TRIGGER audit_auditrecord_append_only
    BEFORE UPDATE OR DELETE ON audit_auditrecord
    FOR EACH ROW EXECUTE FUNCTION govportal_audit_append_only();
"""

REMOVE = """
DROP TRIGGER IF EXISTS audit_auditrecord_append_only ON audit_auditrecord;
DROP FUNCTION IF EXISTS govportal_audit_append_only();
"""


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(INSTALL, params=None)


def remove(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(REMOVE, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(install, remove)]
