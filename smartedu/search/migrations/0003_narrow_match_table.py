"""A narrow match table beside the documents: what matching, counting and ranking read, and nothing else.

A document row keeps its title, text, address, labels and token columns inline (about 2 KB on PostgreSQL),
so a broad term's bitmap heap scan visited about one heap page per match. ``search_match`` holds one row per
document with only what a search reads (id, object id, kind, platform, popularity, normalised title,
expiry, facets and, on PostgreSQL, the tsvector with its GIN index), so a scan of the matches touches
fewer pages and never the documents' TOAST.

It is kept in step by triggers on ``search_searchdocument`` (insert, update, delete): every write of a
document, however it is made (the indexing services, a queryset ``update()``, a bulk ``COPY``), updates its
match row in the same statement. ``search_check`` compares the two tables; ``search_reindex`` rebuilds the
rows of a kind (``backend.matches_rebuild``).

* PostgreSQL: the tsvector moves from the documents (the generated column ``search_vector`` and its GIN
  index are dropped) to ``search_match.vector``, computed by the trigger ('simple' configuration, title
  tokens weight A, text tokens weight B, as before).
* SQLite: the FTS5 table ``search_fts`` stays on the documents' token columns (rowid = document id); the
  match table holds the narrow columns that counting and ranking read.
"""

from django.db import migrations

# --- PostgreSQL -------------------------------------------------------------------------------------------

PG_VECTOR = """
CREATE FUNCTION search_match_vector(tokens_title text, tokens_body text) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT setweight(to_tsvector('simple'::regconfig, coalesce(tokens_title, '')), 'A')
        || setweight(to_tsvector('simple'::regconfig, coalesce(tokens_body, '')), 'B')
$$
"""
PG_TABLE = """
CREATE TABLE search_match (
    id bigint PRIMARY KEY,
    object_id bigint NOT NULL,
    kind varchar(40) NOT NULL,
    platform varchar(20) NOT NULL,
    popularity bigint NOT NULL,
    title_key varchar(300) NOT NULL,
    expires_at timestamptz NULL,
    facets jsonb NOT NULL,
    vector tsvector NOT NULL
) WITH (fillfactor = 90)
"""
# fillfactor 90: a popularity refresh rewrites rows in place (HOT) instead of growing the table.
PG_SYNC = """
CREATE FUNCTION search_match_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        DELETE FROM search_match WHERE id = OLD.id;
        RETURN NULL;
    END IF;
    IF TG_OP = 'UPDATE' AND NEW.id = OLD.id
            AND NEW.tokens_title IS NOT DISTINCT FROM OLD.tokens_title
            AND NEW.tokens_body IS NOT DISTINCT FROM OLD.tokens_body THEN
        -- The tokens did not change: the vector stays, the narrow columns follow (and only if they moved).
        UPDATE search_match SET object_id = NEW.object_id, kind = NEW.kind, platform = NEW.platform,
            popularity = NEW.popularity, title_key = NEW.title_key, expires_at = NEW.expires_at,
            facets = NEW.facets
        WHERE id = NEW.id AND (object_id, kind, platform, popularity, title_key, expires_at, facets)
            IS DISTINCT FROM (NEW.object_id, NEW.kind, NEW.platform, NEW.popularity, NEW.title_key,
                              NEW.expires_at, NEW.facets);
        IF FOUND OR EXISTS (SELECT 1 FROM search_match WHERE id = NEW.id) THEN
            RETURN NULL;
        END IF;
    END IF;
    IF TG_OP = 'UPDATE' AND NEW.id <> OLD.id THEN
        DELETE FROM search_match WHERE id = OLD.id;
    END IF;
    INSERT INTO search_match (id, object_id, kind, platform, popularity, title_key, expires_at, facets, vector)
    VALUES (NEW.id, NEW.object_id, NEW.kind, NEW.platform, NEW.popularity, NEW.title_key, NEW.expires_at,
            NEW.facets, search_match_vector(NEW.tokens_title, NEW.tokens_body))
    ON CONFLICT (id) DO UPDATE SET object_id = EXCLUDED.object_id, kind = EXCLUDED.kind,
        platform = EXCLUDED.platform, popularity = EXCLUDED.popularity, title_key = EXCLUDED.title_key,
        expires_at = EXCLUDED.expires_at, facets = EXCLUDED.facets, vector = EXCLUDED.vector;
    RETURN NULL;
END
$$
"""
POSTGRES_FORWARD = [
    PG_VECTOR,
    PG_TABLE,
    """
    INSERT INTO search_match (id, object_id, kind, platform, popularity, title_key, expires_at, facets, vector)
    SELECT id, object_id, kind, platform, popularity, title_key, expires_at, facets,
           search_match_vector(tokens_title, tokens_body)
    FROM search_searchdocument
    """,
    "CREATE UNIQUE INDEX search_match_kind_object ON search_match (kind, object_id)",
    # fastupdate off: reads never scan a pending list that bulk indexing left behind (writes are batched).
    "CREATE INDEX search_match_vector_gin ON search_match USING GIN (vector) WITH (fastupdate = off)",
    PG_SYNC,
    """
    CREATE TRIGGER search_match_sync AFTER INSERT OR UPDATE OR DELETE ON search_searchdocument
    FOR EACH ROW EXECUTE FUNCTION search_match_sync()
    """,
    # A TRUNCATE of the documents (the test runner's flush) fires no row trigger.
    """
    CREATE FUNCTION search_match_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        TRUNCATE search_match;
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE TRIGGER search_match_truncate AFTER TRUNCATE ON search_searchdocument
    FOR EACH STATEMENT EXECUTE FUNCTION search_match_truncate()
    """,
    "DROP INDEX IF EXISTS search_document_vector",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS search_vector",
    "ANALYZE search_match",
]
POSTGRES_BACKWARD = [
    """
    ALTER TABLE search_searchdocument ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, coalesce(tokens_title, '')), 'A')
        || setweight(to_tsvector('simple'::regconfig, coalesce(tokens_body, '')), 'B')
    ) STORED
    """,
    "CREATE INDEX search_document_vector ON search_searchdocument USING GIN (search_vector) "
    "WITH (fastupdate = off)",
    "DROP TRIGGER IF EXISTS search_match_truncate ON search_searchdocument",
    "DROP FUNCTION IF EXISTS search_match_truncate()",
    "DROP TRIGGER IF EXISTS search_match_sync ON search_searchdocument",
    "DROP FUNCTION IF EXISTS search_match_sync()",
    "DROP TABLE IF EXISTS search_match",
    "DROP FUNCTION IF EXISTS search_match_vector(text, text)",
]

# --- SQLite -----------------------------------------------------------------------------------------------
# No conflict clause inside the triggers: SQLite lets the outer statement's (Django's upsert) override it.

SQLITE_COLUMNS = "id, object_id, kind, platform, popularity, title_key, expires_at, facets"
SQLITE_FORWARD = [
    """
    CREATE TABLE search_match (
        id integer NOT NULL PRIMARY KEY,
        object_id bigint NOT NULL,
        kind varchar(40) NOT NULL,
        platform varchar(20) NOT NULL,
        popularity bigint NOT NULL,
        title_key varchar(300) NOT NULL,
        expires_at datetime NULL,
        facets text NOT NULL
    )
    """,
    f"INSERT INTO search_match ({SQLITE_COLUMNS}) SELECT {SQLITE_COLUMNS} FROM search_searchdocument",
    "CREATE UNIQUE INDEX search_match_kind_object ON search_match (kind, object_id)",
    f"""
    CREATE TRIGGER search_match_insert AFTER INSERT ON search_searchdocument BEGIN
        DELETE FROM search_match WHERE id = new.id;
        INSERT INTO search_match ({SQLITE_COLUMNS})
        VALUES (new.id, new.object_id, new.kind, new.platform, new.popularity, new.title_key, new.expires_at,
                new.facets);
    END
    """,
    f"""
    CREATE TRIGGER search_match_update AFTER UPDATE ON search_searchdocument BEGIN
        DELETE FROM search_match WHERE id IN (old.id, new.id);
        INSERT INTO search_match ({SQLITE_COLUMNS})
        VALUES (new.id, new.object_id, new.kind, new.platform, new.popularity, new.title_key, new.expires_at,
                new.facets);
    END
    """,
    """
    CREATE TRIGGER search_match_delete AFTER DELETE ON search_searchdocument BEGIN
        DELETE FROM search_match WHERE id = old.id;
    END
    """,
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS search_match_delete",
    "DROP TRIGGER IF EXISTS search_match_update",
    "DROP TRIGGER IF EXISTS search_match_insert",
    "DROP TABLE IF EXISTS search_match",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0002_vendor_match_structures")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": POSTGRES_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        )
    ]
