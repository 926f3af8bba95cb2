"""Prepared statements under psycopg2 (smartedu/portal/prepared.py): a SELECT run often on a connection is
prepared once and then only executed, with the same results, and never at the cost of a transaction."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext

from smartedu.accounts.models import Province, User
from smartedu.portal.prepared import PreparingConnection, server_form

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's"),
]


@pytest.fixture
def raw() -> PreparingConnection:
    connection.ensure_connection()
    raw = connection.connection
    assert isinstance(raw, PreparingConnection)  # production mode installs it (smartedu/settings.py)
    raw.forget_prepared()
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")
    return raw


def run(sql, params=(), times=1):
    rows = None
    for _ in range(times):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
    return rows


def server_statements() -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, statement FROM pg_prepared_statements")
        return dict(cursor.fetchall())


def test_the_text_becomes_postgresqls():
    assert server_form("SELECT a FROM t WHERE b = %s AND c LIKE '%%x' AND d IN (%s, %s)") == (
        "SELECT a FROM t WHERE b = $1 AND c LIKE '%x' AND d IN ($2, $3)",
        3,
    )


def test_a_select_run_often_is_prepared_once_and_answers_the_same(raw):
    sql = 'SELECT "code", "name" FROM "accounts_province" WHERE "code" = %s'
    assert raw.threshold == 5
    assert run(sql, ["44"], times=4) == [("44", "广东省")]
    assert sql not in raw.prepared  # seen four times: still sent as text
    assert run(sql, ["44"]) == [("44", "广东省")]
    name = raw.prepared[sql]
    assert name
    assert "$1" in server_statements()[name]
    # Other values, through the prepared statement: its generic plan answers for every value.
    for code, expected in (("11", "北京市"), ("65", "新疆维吾尔自治区"), ("99", None)):
        rows = run(sql, [code], times=7)
        assert (rows[0][1] if rows else None) == expected
    assert len(server_statements()) == 1


def test_the_orm_goes_through_it_and_django_logs_the_statement_as_text(raw):
    for _ in range(6):
        assert Province.objects.get(code="44").name == "广东省"
    assert any(name for name in raw.prepared.values())
    with CaptureQueriesContext(connection) as captured:
        assert Province.objects.get(code="11").name == "北京市"
    (query,) = captured.captured_queries
    assert "EXECUTE" not in query["sql"]
    assert "'11'" in query["sql"]


def test_a_percent_sign_survives(raw):
    sql = "SELECT %s || '%%'"
    assert run(sql, ["50"], times=6) == [("50%",)]
    assert raw.prepared[sql]


def test_a_statement_postgresql_cannot_prepare_is_sent_as_text_and_the_transaction_lives_on(raw):
    sql = "SELECT %s IS NULL"  # could not determine data type of parameter $1
    with transaction.atomic():
        assert run(sql, [None], times=8) == [(True,)]
        assert raw.prepared[sql] is None
        user = User.objects.create_user(username="after-the-failed-prepare", password="x" * 12)
    assert User.objects.filter(pk=user.pk).exists()
    assert server_statements() == {}


def test_inside_a_transaction_it_is_prepared_too_and_outlives_a_rollback(raw):
    sql = 'SELECT "name" FROM "accounts_province" WHERE "code" = %s'
    with transaction.atomic():
        assert run(sql, ["44"], times=5) == [("广东省",)]
        transaction.set_rollback(True)
    assert raw.prepared[sql] in server_statements()
    assert run(sql, ["11"]) == [("北京市",)]


def test_an_aborted_transaction_fails_as_it_always_did(raw):
    sql = 'SELECT "name" FROM "accounts_province" WHERE "code" = %s'
    run(sql, ["44"], times=4)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:  # noqa: PT012
        with pytest.raises(DatabaseError):
            cursor.execute("SELECT 1/0")
        cursor.execute(sql, ["44"])  # the fifth time, in an aborted transaction
    assert sql not in raw.prepared  # nothing learnt from it: it is prepared another time
    assert run(sql, ["44"]) == [("广东省",)]
    assert raw.prepared[sql]


def test_ddl_forgets_every_statement(raw):
    sql = 'SELECT "name" FROM "accounts_province" WHERE "code" = %s'
    run(sql, ["44"], times=5)
    assert server_statements()
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE prepared_probe (id integer)")
    assert raw.prepared == {}
    assert server_statements() == {}
    assert run(sql, ["44"], times=5) == [("广东省",)]


def test_marked_sql_writes_and_named_cursors_are_never_prepared(raw):
    marked = "SELECT /* UNPREPARED */ %s::int + 1"
    assert run(marked, [1], times=6) == [(2,)]
    assert raw.prepared[marked] is None
    for _ in range(6):
        assert [p.code for p in Province.objects.filter(code="44").iterator(chunk_size=10)] == ["44"]
    with connection.cursor() as cursor:
        for n in range(6):
            cursor.execute('UPDATE "accounts_province" SET "name" = "name" WHERE "code" = %s', [str(40 + n)])
    assert server_statements() == {}


def test_off_when_the_threshold_is_zero(raw):
    raw.threshold = 0
    sql = 'SELECT "name" FROM "accounts_province" WHERE "code" = %s'
    assert run(sql, ["44"], times=8) == [("广东省",)]
    assert raw.prepared == {}
    assert server_statements() == {}
