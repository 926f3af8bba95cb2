"""Facet values as lexemes of the match vector (PostgreSQL), so a facet filter is a GIN lookup.

A sub-platform's list narrowed by a keyword and by facets (jobs: province, industry, education, job type)
used to find every match of the keyword and then read each match row to test its facets: 1.2 million rows
for 工程师 among 3.8 million jobs. With each facet value in the vector as one lexeme
(``f<key>:<hex of the value>``, weight D, no position, never produced by the tokeniser because of the
colon), ``vector @@ ('工程' <-> '程师') & 'fprovince:3434'`` is answered by the GIN index alone, which
intersects the two posting lists starting from the shorter one.

``search_match_vector(tokens_title, tokens_body, facets)`` is the vector now; the trigger also recomputes
it when only the facets change. SQLite keeps matching facets on the match row (its lists are small).
"""

from django.db import migrations

FORWARD = [
    """
    CREATE FUNCTION search_match_facets(facets jsonb) RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT coalesce(
            array_to_tsvector(array_agg('f' || key || ':' || encode(convert_to(value, 'UTF8'), 'hex'))),
            ''::tsvector)
        FROM jsonb_each_text(CASE WHEN jsonb_typeof(facets) = 'object' THEN facets ELSE '{}'::jsonb END)
    $$
    """,
    """
    CREATE FUNCTION search_match_vector(tokens_title text, tokens_body text, facets jsonb) RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT search_match_vector(tokens_title, tokens_body) || search_match_facets(facets)
    $$
    """,
    """
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
    """,
    # Every existing row gets its facet lexemes (the GIN is rebuilt once rather than updated per row).
    "DROP INDEX IF EXISTS search_match_vector_gin",
    """
    UPDATE search_match m SET vector = search_match_vector(d.tokens_title, d.tokens_body, d.facets)
    FROM search_searchdocument d WHERE d.id = m.id
    """,
    "CREATE INDEX search_match_vector_gin ON search_match USING GIN (vector) WITH (fastupdate = off)",
    "ANALYZE search_match",
]

BACKWARD = [
    "DROP INDEX IF EXISTS search_match_vector_gin",
    """
    CREATE OR REPLACE FUNCTION search_match_sync() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'DELETE' THEN
            DELETE FROM search_match WHERE id = OLD.id;
            RETURN NULL;
        END IF;
        IF TG_OP = 'UPDATE' AND NEW.id <> OLD.id THEN
            DELETE FROM search_match WHERE id = OLD.id;
        END IF;
        INSERT INTO search_match (id, object_id, kind, platform, popularity, title_key, expires_at, facets,
                                  vector)
        VALUES (NEW.id, NEW.object_id, NEW.kind, NEW.platform, NEW.popularity, NEW.title_key, NEW.expires_at,
                NEW.facets, search_match_vector(NEW.tokens_title, NEW.tokens_body))
        ON CONFLICT (id) DO UPDATE SET object_id = EXCLUDED.object_id, kind = EXCLUDED.kind,
            platform = EXCLUDED.platform, popularity = EXCLUDED.popularity, title_key = EXCLUDED.title_key,
            expires_at = EXCLUDED.expires_at, facets = EXCLUDED.facets, vector = EXCLUDED.vector;
        RETURN NULL;
    END
    $$
    """,
    """
    UPDATE search_match m SET vector = search_match_vector(d.tokens_title, d.tokens_body)
    FROM search_searchdocument d WHERE d.id = m.id
    """,
    "DROP FUNCTION IF EXISTS search_match_vector(text, text, jsonb)",
    "DROP FUNCTION IF EXISTS search_match_facets(jsonb)",
    "CREATE INDEX search_match_vector_gin ON search_match USING GIN (vector) WITH (fastupdate = off)",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0003_narrow_match_table")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
