"""The full-text structures beside SearchDocument, per database vendor.

SQLite: an FTS5 table ``govsearch_fts(title, body, tags)`` with rowid = SearchDocument.id
(a regular, content-storing table: SQLite 3.40 has no contentless delete; ``tags`` holds
filter tokens — site, kind, channel, organisation), and a trigger that removes the row
when its document is deleted (also through cascades, e.g. a Site deleted).

PostgreSQL: ``govsearch_fts`` — one row per document part (part 0: title + the start of
the body; long bodies continue in parts 1…, so no tsvector hits PostgreSQL's limits of
16 383 positions and 256 positions per lexeme) with the filter columns copied in, GIN
indexes on the whole text and on the title, and triggers that delete/truncate the rows
together with their documents.
"""

from django.db import migrations

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS govsearch_fts USING fts5("
    "title, body, tags, tokenize = 'unicode61 remove_diacritics 0')",
    "CREATE TRIGGER IF NOT EXISTS govsearch_fts_document_deleted "
    "AFTER DELETE ON govsearch_searchdocument BEGIN "
    "DELETE FROM govsearch_fts WHERE rowid = old.id; END",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS govsearch_fts_document_deleted",
    "DROP TABLE IF EXISTS govsearch_fts",
]

POSTGRES_FORWARD = [
    """CREATE TABLE IF NOT EXISTS govsearch_fts (
        doc_id bigint NOT NULL,
        part smallint NOT NULL DEFAULT 0,
        site_id integer NULL,
        kind varchar(30) NOT NULL,
        published_at timestamp with time zone NOT NULL,
        title tsvector NULL,
        tsv tsvector NOT NULL,
        PRIMARY KEY (doc_id, part)
    )""",
    "CREATE INDEX IF NOT EXISTS govsearch_fts_tsv ON govsearch_fts USING gin (tsv)",
    "CREATE INDEX IF NOT EXISTS govsearch_fts_title ON govsearch_fts USING gin (title) "
    "WHERE part = 0",
    "CREATE INDEX IF NOT EXISTS govsearch_fts_time ON govsearch_fts (published_at, doc_id)",
    "CREATE INDEX IF NOT EXISTS govsearch_fts_site_time ON govsearch_fts "
    "(site_id, published_at, doc_id)",
    """CREATE OR REPLACE FUNCTION govsearch_fts_document_deleted() RETURNS trigger AS $$
    BEGIN
        DELETE FROM govsearch_fts WHERE doc_id = OLD.id;
        RETURN OLD;
    END $$ LANGUAGE plpgsql""",
    """CREATE OR REPLACE FUNCTION govsearch_fts_documents_truncated() RETURNS trigger AS $$
    BEGIN
        TRUNCATE govsearch_fts;
        RETURN NULL;
    END $$ LANGUAGE plpgsql""",
    "DROP TRIGGER IF EXISTS govsearch_fts_document_deleted ON govsearch_searchdocument",
    "CREATE TRIGGER govsearch_fts_document_deleted AFTER DELETE ON govsearch_searchdocument "
    "FOR EACH ROW EXECUTE FUNCTION govsearch_fts_document_deleted()",
    "DROP TRIGGER IF EXISTS govsearch_fts_documents_truncated ON govsearch_searchdocument",
    "CREATE TRIGGER govsearch_fts_documents_truncated AFTER TRUNCATE ON "
    "govsearch_searchdocument FOR EACH STATEMENT "
    "EXECUTE FUNCTION govsearch_fts_documents_truncated()",
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS govsearch_fts_document_deleted ON govsearch_searchdocument",
    "DROP TRIGGER IF EXISTS govsearch_fts_documents_truncated ON govsearch_searchdocument",
    "DROP FUNCTION IF EXISTS govsearch_fts_document_deleted()",
    "DROP FUNCTION IF EXISTS govsearch_fts_documents_truncated()",
    "DROP TABLE IF EXISTS govsearch_fts",
]


def _run(statements):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        if vendor not in statements:
            return  # other databases: no database full-text index (search unavailable)
        for sql in statements[vendor]:
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("govsearch", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        )
    ]
