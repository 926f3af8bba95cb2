"""Generations of the match table (PostgreSQL): a number per kind that changes whenever a search of that kind
could find something else, so that what a search read can be kept under it (``smartedu/search/windows.py``).

* ``search_generation``: one row per kind (``kind``, ``generation``) and the row ``''``, which every
  reader adds to its kind's (``backend.generation``).
* The documents' trigger (``search_match_sync``) gives the kind of a document whose match row it inserts,
  changes or deletes a new generation, in the same transaction: at most once per kind and client statement
  (a bulk upsert of 500 documents moves it once), and not when the match row did not change (a document
  rewritten as it was).
* A statement that writes ``search_match`` itself (a bulk load's ``INSERT … SELECT``, ``matches_rebuild``,
  a migration) or empties it (``TRUNCATE``, which the documents' ``TRUNCATE`` does) moves the ``''`` row:
  every kind's windows are then stale.

Generations are values of the sequence ``search_generation_seq``, which starts at a random number: a
number never comes back, neither after a rolled-back transaction (a sequence is not rolled back) nor in
another database (a test database, a new installation) whose searches share the same cache. A reader
reads its generation before what it keeps under it, so that what it read is at least that new. A writer's
transaction holds its kind's row until it commits; so that two writers never wait for each other in a
circle (one holding the row, the other a document the first is about to write), every statement that
writes documents or match rows first takes one transaction-level advisory lock: writers of the index
(the Celery drain, the reconcile task, a rebuild; readers never) run one after the other.

SQLite keeps no generations (``backend.generation`` is None there): nothing is cached under them.
"""

from django.db import migrations

SYNC_0004 = """
CREATE OR REPLACE FUNCTION search_match_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        DELETE FROM search_match WHERE id = OLD.id;
        RETURN NULL;
    END IF;
    IF TG_OP = 'UPDATE' AND NEW.id = OLD.id
            AND NEW.tokens_title IS NOT DISTINCT FROM OLD.tokens_title
            AND NEW.tokens_body IS NOT DISTINCT FROM OLD.tokens_body
            AND NEW.facets IS NOT DISTINCT FROM OLD.facets THEN
        -- Neither tokens nor facets changed: the vector stays, the narrow columns follow (if they moved).
        UPDATE search_match SET object_id = NEW.object_id, kind = NEW.kind, platform = NEW.platform,
            popularity = NEW.popularity, title_key = NEW.title_key, expires_at = NEW.expires_at
        WHERE id = NEW.id AND (object_id, kind, platform, popularity, title_key, expires_at)
            IS DISTINCT FROM (NEW.object_id, NEW.kind, NEW.platform, NEW.popularity, NEW.title_key,
                              NEW.expires_at);
        IF FOUND OR EXISTS (SELECT 1 FROM search_match WHERE id = NEW.id) THEN
            RETURN NULL;
        END IF;
    END IF;
    IF TG_OP = 'UPDATE' AND NEW.id <> OLD.id THEN
        DELETE FROM search_match WHERE id = OLD.id;
    END IF;
    INSERT INTO search_match (id, object_id, kind, platform, popularity, title_key, expires_at, facets,
                              vector)
    VALUES (NEW.id, NEW.object_id, NEW.kind, NEW.platform, NEW.popularity, NEW.title_key, NEW.expires_at,
            NEW.facets, search_match_vector(NEW.tokens_title, NEW.tokens_body, NEW.facets))
    ON CONFLICT (id) DO UPDATE SET object_id = EXCLUDED.object_id, kind = EXCLUDED.kind,
        platform = EXCLUDED.platform, popularity = EXCLUDED.popularity, title_key = EXCLUDED.title_key,
        expires_at = EXCLUDED.expires_at, facets = EXCLUDED.facets, vector = EXCLUDED.vector;
    RETURN NULL;
END
$$
"""

# The same function, giving the kind of every match row it changes a new generation.
SYNC = """
CREATE OR REPLACE FUNCTION search_match_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        DELETE FROM search_match WHERE id = OLD.id;
        IF FOUND THEN
            PERFORM search_generation_next(OLD.kind);
        END IF;
        RETURN NULL;
    END IF;
    IF TG_OP = 'UPDATE' AND NEW.kind IS DISTINCT FROM OLD.kind THEN
        PERFORM search_generation_next(OLD.kind);
    END IF;
    IF TG_OP = 'UPDATE' AND NEW.id = OLD.id
            AND NEW.tokens_title IS NOT DISTINCT FROM OLD.tokens_title
            AND NEW.tokens_body IS NOT DISTINCT FROM OLD.tokens_body
            AND NEW.facets IS NOT DISTINCT FROM OLD.facets THEN
        -- Neither tokens nor facets changed: the vector stays, the narrow columns follow (if they moved).
        UPDATE search_match SET object_id = NEW.object_id, kind = NEW.kind, platform = NEW.platform,
            popularity = NEW.popularity, title_key = NEW.title_key, expires_at = NEW.expires_at
        WHERE id = NEW.id AND (object_id, kind, platform, popularity, title_key, expires_at)
            IS DISTINCT FROM (NEW.object_id, NEW.kind, NEW.platform, NEW.popularity, NEW.title_key,
                              NEW.expires_at);
        IF FOUND THEN
            PERFORM search_generation_next(NEW.kind);
            RETURN NULL;
        END IF;
        IF EXISTS (SELECT 1 FROM search_match WHERE id = NEW.id) THEN
            RETURN NULL;
        END IF;
    END IF;
    IF TG_OP = 'UPDATE' AND NEW.id <> OLD.id THEN
        DELETE FROM search_match WHERE id = OLD.id;
    END IF;
    INSERT INTO search_match (id, object_id, kind, platform, popularity, title_key, expires_at, facets,
                              vector)
    VALUES (NEW.id, NEW.object_id, NEW.kind, NEW.platform, NEW.popularity, NEW.title_key, NEW.expires_at,
            NEW.facets, search_match_vector(NEW.tokens_title, NEW.tokens_body, NEW.facets))
    ON CONFLICT (id) DO UPDATE SET object_id = EXCLUDED.object_id, kind = EXCLUDED.kind,
        platform = EXCLUDED.platform, popularity = EXCLUDED.popularity, title_key = EXCLUDED.title_key,
        expires_at = EXCLUDED.expires_at, facets = EXCLUDED.facets, vector = EXCLUDED.vector;
    PERFORM search_generation_next(NEW.kind);
    RETURN NULL;
END
$$
"""

FORWARD = [
    "CREATE SEQUENCE search_generation_seq",
    # A random start: generations of two databases (a test database and the next one) never meet.
    "SELECT setval('search_generation_seq', (1 + floor(random() * 1e15))::bigint)",
    """
    CREATE TABLE search_generation (
        kind varchar(40) PRIMARY KEY,
        generation bigint NOT NULL
    )
    """,
    "INSERT INTO search_generation (kind, generation) VALUES ('', nextval('search_generation_seq'))",
    # Once per kind and client statement: the marker (kind and the statement's start) lives until the
    # transaction ends and is undone with a rolled-back savepoint, as the row is.
    """
    CREATE FUNCTION search_generation_next(changed text) RETURNS void LANGUAGE plpgsql AS $$
    DECLARE
        marker text := changed || ' ' || statement_timestamp()::text;
    BEGIN
        IF current_setting('search.generation_moved', true) IS NOT DISTINCT FROM marker THEN
            RETURN;
        END IF;
        INSERT INTO search_generation (kind, generation) VALUES (changed, nextval('search_generation_seq'))
        ON CONFLICT (kind) DO UPDATE SET generation = EXCLUDED.generation;
        PERFORM set_config('search.generation_moved', marker, true);
    END
    $$
    """,
    """
    CREATE FUNCTION search_generation_all() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM search_generation_next('');
        RETURN NULL;
    END
    $$
    """,
    SYNC,
    # Writers of the index take one lock before any row of their statement: a writer holds its kind's
    # generation row until it commits, and one that reached that row before another's documents must not
    # wait for them while the other waits for the row (the Celery drain and the views refresh, say).
    """
    CREATE FUNCTION search_generation_lock() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM pg_advisory_xact_lock(hashtext('search_generation'));
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE TRIGGER search_generation_lock BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON search_searchdocument FOR EACH STATEMENT EXECUTE FUNCTION search_generation_lock()
    """,
    """
    CREATE TRIGGER search_generation_lock BEFORE INSERT OR UPDATE OR DELETE ON search_match
    FOR EACH STATEMENT WHEN (pg_trigger_depth() < 1) EXECUTE FUNCTION search_generation_lock()
    """,
    # Statements on the match table itself; not those the documents' trigger runs (they moved their kind).
    """
    CREATE TRIGGER search_match_generation AFTER INSERT OR UPDATE OR DELETE ON search_match
    FOR EACH STATEMENT WHEN (pg_trigger_depth() < 1) EXECUTE FUNCTION search_generation_all()
    """,
    """
    CREATE TRIGGER search_match_generation_truncate AFTER TRUNCATE ON search_match
    FOR EACH STATEMENT EXECUTE FUNCTION search_generation_all()
    """,
]

BACKWARD = [
    "DROP TRIGGER IF EXISTS search_generation_lock ON search_match",
    "DROP TRIGGER IF EXISTS search_generation_lock ON search_searchdocument",
    "DROP FUNCTION IF EXISTS search_generation_lock()",
    "DROP TRIGGER IF EXISTS search_match_generation_truncate ON search_match",
    "DROP TRIGGER IF EXISTS search_match_generation ON search_match",
    SYNC_0004,
    "DROP FUNCTION IF EXISTS search_generation_all()",
    "DROP FUNCTION IF EXISTS search_generation_next(text)",
    "DROP TABLE IF EXISTS search_generation",
    "DROP SEQUENCE IF EXISTS search_generation_seq",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0004_facet_lexemes")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
