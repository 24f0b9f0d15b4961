"""PostgreSQL: the filter tokens (site, kind, channels, organisation) join the vectors.

Index rows written before this migration hold only the text. The backend now ANDs the
filters into the tsquery as tokens (``'#s12'``, ``'#knews'``, ``'#c0001'``, ``'#o3'``, see
``backends/base.filter_tags``) so GIN intersects them with the words; this adds them to the
rows already there, computed from the documents in SQL (no re-analysis of the text).
Nothing to do on SQLite, whose FTS table has held them in its ``tags`` column from the start.
"""

from django.db import migrations

_CLEAN = "regexp_replace(lower({}), '[^0-9a-z]', 'x', 'g')"

TAGS_SQL = f"""
SELECT d.id,
       array_to_tsvector(
           array_remove(ARRAY[
               '#s' || coalesce(d.site_id::text, 'none'),
               '#k' || {_CLEAN.format("d.kind")},
               CASE WHEN d.organization_id IS NOT NULL THEN '#o' || d.organization_id::text END
           ], NULL)
           || ARRAY(
               SELECT '#c' || {_CLEAN.format("substr(d.channel_path, 1, i)")}
               FROM generate_series(4, length(d.channel_path), 4) AS i
           )
       ) AS tags
FROM govsearch_searchdocument d
"""


def add_tokens(cursor) -> None:
    cursor.execute(
        f"""UPDATE govsearch_fts f
        SET tsv = f.tsv || t.tags,
            title = CASE WHEN f.part = 0 THEN coalesce(f.title, ''::tsvector) || t.tags END
        FROM ({TAGS_SQL}) t WHERE t.id = f.doc_id"""
    )


def remove_tokens(cursor) -> None:
    strip = "ts_delete({0}, ARRAY(SELECT lexeme FROM unnest({0}) WHERE lexeme LIKE '#%'))"
    cursor.execute(
        f"UPDATE govsearch_fts SET tsv = {strip.format('tsv')}, "
        f"title = CASE WHEN part = 0 THEN {strip.format('title')} END"
    )


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            add_tokens(cursor)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            remove_tokens(cursor)


class Migration(migrations.Migration):
    dependencies = [("govsearch", "0002_fulltext_tables")]

    operations = [migrations.RunPython(forward, backward)]
