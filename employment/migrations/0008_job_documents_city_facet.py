"""Job search documents get the job's city as a facet (``employment/search.py``), so the job list matches
"Java 开发 in 深圳" with one lookup of the search index instead of walking every open job of the city.

Existing documents are brought in step twice over:

* at once, in SQL: each job document's ``facets`` gains ``"city"``, and on PostgreSQL its match row gains
  the city's facet lexeme (``search_match_facets``, search migration 0004). As in that migration the
  documents' trigger is off and the GIN index is built once afterwards, rather than updated row by row:
  minutes at millions of documents instead of hours. From then on a city filter is exact;
* then through the indexing path: every job document is queued (``SearchPending``), so the Celery drain
  rewrites it as ``job_document`` builds it now (its fingerprint included, which ``search_check``
  compares). Nothing is searched differently meanwhile.

At 3.8 million job documents this took 7 minutes on a 2-core machine and left both tables with a dead copy of
each row: ``VACUUM (FULL, ANALYZE) search_match`` (90 seconds there) in a quiet hour gives the match table
back its size, and with it the speed of the reads that visit its rows.
"""

from django.db import migrations

POSTGRES = [
    "DROP INDEX IF EXISTS search_match_vector_gin",
    "ALTER TABLE search_searchdocument DISABLE TRIGGER search_match_sync",
    """
    UPDATE search_searchdocument d SET facets = d.facets || jsonb_build_object('city', j.city)
    FROM employment_job j
    WHERE d.kind = 'employment.job' AND j.id = d.object_id AND NOT d.facets ? 'city'
    """,
    # The facet lexemes are positionless, so adding the city's to the vector equals computing it anew.
    """
    UPDATE search_match m SET facets = d.facets,
        vector = m.vector || search_match_facets(jsonb_build_object('city', d.facets ->> 'city'))
    FROM search_searchdocument d
    WHERE m.kind = 'employment.job' AND d.id = m.id AND NOT m.facets ? 'city'
    """,
    "ALTER TABLE search_searchdocument ENABLE TRIGGER search_match_sync",
    "CREATE INDEX search_match_vector_gin ON search_match USING GIN (vector) WITH (fastupdate = off)",
    "ANALYZE search_match",
]

# SQLite matches facets on the match row's JSON, which its triggers copy from the document.
SQLITE = [
    """
    UPDATE search_searchdocument SET facets = json_set(facets, '$.city',
        (SELECT j.city FROM employment_job j WHERE j.id = search_searchdocument.object_id))
    WHERE kind = 'employment.job' AND json_extract(facets, '$.city') IS NULL
        AND EXISTS (SELECT 1 FROM employment_job j WHERE j.id = search_searchdocument.object_id)
    """,
]

QUEUE = """
INSERT INTO search_searchpending (kind, object_id, marked_at)
SELECT kind, object_id, CURRENT_TIMESTAMP FROM search_searchdocument WHERE kind = 'employment.job'
ON CONFLICT (kind, object_id) DO UPDATE SET marked_at = excluded.marked_at
"""


def forwards(apps, schema_editor):
    statements = POSTGRES if schema_editor.connection.vendor == "postgresql" else SQLITE
    for statement in [*statements, QUEUE]:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("employment", "0007_employer_unverified_index"),
        ("search", "0004_facet_lexemes"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
