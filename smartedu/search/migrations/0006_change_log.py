"""A log of the documents each change of the index touched (PostgreSQL), so that a window kept in the cache
(``smartedu/search/windows.py``) is dropped only by a change that could alter it.

Until this migration every change of a kind's match rows moved the kind's generation, and with it every
window of that kind: at the seed's rate of job posts (one a second or more) a window lived about a second.
Now the documents' trigger (``search_match_sync``) writes, for each document whose match row it inserts,
changes or deletes, one row into ``search_change``: the kind and the document's match vector before and
after the change (``old || new``; the vector once where only its views, expiry or title's key changed). A
window kept with the log's position when it was read is still right if no row logged since then matches
its query and facets (``vector @@ query`` and the facets' lexemes, exactly as the index is searched: a row
that matches is a document that matched, or matches now); ``backend.window_state`` asks that in the same
statement that reads the generations.

* A statement that changes more than ``PER_STATEMENT`` documents of one kind (a batch of the Celery drain,
  the views refreshed by the reconcile) logs that many, then moves the kind's generation once instead of
  logging the rest; a document moved to another kind moves its former kind's generation.
* Positions are the log's ``seq``, taken by writers that hold the writers' advisory lock
  (migration 0005), so they are given in the order the writers commit: a reader's ``max(seq)`` is a
  position no later commit goes below.
* ``search_change_floor`` holds the highest position pruned (``backend.changes_prune``, after every
  reconcile): a window kept at an older position is read again, as the log no longer tells what changed
  since then.
"""

from importlib import import_module

from django.db import migrations

PER_STATEMENT = 20

# What 0005 wrote, for the way back.
SYNC_0005 = import_module("smartedu.search.migrations.0005_match_generations").SYNC

# The same function, logging the documents whose words or facets change instead of moving their kind.
SYNC = """
CREATE OR REPLACE FUNCTION search_match_sync() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    before tsvector;
    after tsvector;
    moved tsvector;
BEGIN
    IF TG_OP = 'DELETE' THEN
        DELETE FROM search_match WHERE id = OLD.id RETURNING vector INTO before;
        IF FOUND THEN
            PERFORM search_change_log(OLD.kind, before);
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
                              NEW.expires_at)
        RETURNING vector INTO after;
        IF FOUND THEN
            PERFORM search_change_log(NEW.kind, after);
            RETURN NULL;
        END IF;
        IF EXISTS (SELECT 1 FROM search_match WHERE id = NEW.id) THEN
            RETURN NULL;
        END IF;
    END IF;
    IF TG_OP = 'UPDATE' AND NEW.id <> OLD.id THEN
        DELETE FROM search_match WHERE id = OLD.id RETURNING vector INTO moved;
    END IF;
    -- What the row held before (an update, or a match row left where a document is inserted anew).
    SELECT vector INTO before FROM search_match WHERE id = NEW.id;
    INSERT INTO search_match (id, object_id, kind, platform, popularity, title_key, expires_at, facets,
                              vector)
    VALUES (NEW.id, NEW.object_id, NEW.kind, NEW.platform, NEW.popularity, NEW.title_key, NEW.expires_at,
            NEW.facets, search_match_vector(NEW.tokens_title, NEW.tokens_body, NEW.facets))
    ON CONFLICT (id) DO UPDATE SET object_id = EXCLUDED.object_id, kind = EXCLUDED.kind,
        platform = EXCLUDED.platform, popularity = EXCLUDED.popularity, title_key = EXCLUDED.title_key,
        expires_at = EXCLUDED.expires_at, facets = EXCLUDED.facets, vector = EXCLUDED.vector
    RETURNING vector INTO after;
    PERFORM search_change_log(NEW.kind,
        coalesce(moved, ''::tsvector) || coalesce(before, ''::tsvector) || after);
    RETURN NULL;
END
$$
"""

FORWARD = [
    """
    CREATE TABLE search_change (
        seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        kind varchar(40) NOT NULL,
        vector tsvector NOT NULL,
        changed_at timestamptz NOT NULL DEFAULT clock_timestamp()
    )
    """,
    "CREATE TABLE search_change_floor (seq bigint NOT NULL)",
    "INSERT INTO search_change_floor (seq) VALUES (0)",
    # One row per document changed, up to PER_STATEMENT per kind and client statement; past that the kind's
    # generation moves once (every window of the kind is stale then: nothing more to log in this statement).
    f"""
    CREATE FUNCTION search_change_log(changed text, touched tsvector) RETURNS void LANGUAGE plpgsql AS $$
    DECLARE
        marker text := changed || ' ' || statement_timestamp()::text;
        logged text := current_setting('search.changes_logged', true);
        logged_rows integer := 0;
    BEGIN
        IF current_setting('search.generation_moved', true) IS NOT DISTINCT FROM marker THEN
            RETURN;
        END IF;
        IF logged IS NOT NULL AND starts_with(logged, marker || '|') THEN
            logged_rows := split_part(logged, '|', 2)::integer;
        END IF;
        IF logged_rows >= {PER_STATEMENT} THEN
            PERFORM search_generation_next(changed);
            RETURN;
        END IF;
        INSERT INTO search_change (kind, vector) VALUES (changed, touched);
        PERFORM set_config('search.changes_logged', marker || '|' || (logged_rows + 1)::text, true);
    END
    $$
    """,
    SYNC,
]

BACKWARD = [
    SYNC_0005,
    "DROP FUNCTION IF EXISTS search_change_log(text, tsvector)",
    "DROP TABLE IF EXISTS search_change_floor",
    "DROP TABLE IF EXISTS search_change",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0005_match_generations")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
