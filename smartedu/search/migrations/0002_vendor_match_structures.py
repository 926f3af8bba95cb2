"""The match structures, per database vendor (the model has no field for them).

* PostgreSQL: ``search_vector``, a stored generated tsvector ('simple' configuration; title tokens weight
  A, text tokens weight B) with a GIN index.
* SQLite: ``search_fts``, an FTS5 table over the same token columns (external content: the tokens are
  stored once, in the documents table), kept in step by triggers on insert, update and delete.
"""

from django.db import migrations

POSTGRES_FORWARD = [
    """
    ALTER TABLE search_searchdocument ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, coalesce(tokens_title, '')), 'A')
        || setweight(to_tsvector('simple'::regconfig, coalesce(tokens_body, '')), 'B')
    ) STORED
    """,
    # fastupdate off: reads never scan a pending list that bulk indexing left behind (writes are batched).
    "CREATE INDEX search_document_vector ON search_searchdocument USING GIN (search_vector) "
    "WITH (fastupdate = off)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS search_document_vector",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS search_vector",
]
SQLITE_FORWARD = [
    """
    CREATE VIRTUAL TABLE search_fts USING fts5(
        tokens_title, tokens_body, content='search_searchdocument', content_rowid='id', tokenize='ascii'
    )
    """,
    """
    CREATE TRIGGER search_fts_insert AFTER INSERT ON search_searchdocument BEGIN
        INSERT INTO search_fts(rowid, tokens_title, tokens_body)
        VALUES (new.id, new.tokens_title, new.tokens_body);
    END
    """,
    """
    CREATE TRIGGER search_fts_delete AFTER DELETE ON search_searchdocument BEGIN
        INSERT INTO search_fts(search_fts, rowid, tokens_title, tokens_body)
        VALUES ('delete', old.id, old.tokens_title, old.tokens_body);
    END
    """,
    """
    CREATE TRIGGER search_fts_update AFTER UPDATE OF tokens_title, tokens_body ON search_searchdocument BEGIN
        INSERT INTO search_fts(search_fts, rowid, tokens_title, tokens_body)
        VALUES ('delete', old.id, old.tokens_title, old.tokens_body);
        INSERT INTO search_fts(rowid, tokens_title, tokens_body)
        VALUES (new.id, new.tokens_title, new.tokens_body);
    END
    """,
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS search_fts_update",
    "DROP TRIGGER IF EXISTS search_fts_delete",
    "DROP TRIGGER IF EXISTS search_fts_insert",
    "DROP TABLE IF EXISTS search_fts",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_documents_queue_terms_counts_recommendations")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": POSTGRES_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        )
    ]
