import pytest

pytestmark = pytest.mark.django_db


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_all_parts_ok(client):
    response = client.get("/readyz")
    assert response.status_code == 200, response.json()
    assert response.json()["checks"] == {
        "database": "ok",
        "cache": "ok",
        "broker": "ok",
        "stats_buffer": "ok",
    }


def test_readyz_names_a_failing_cache(client, settings):
    # A real cache server that is not there: nothing listens on port 1.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["failing"] == ["cache"]


def test_readyz_names_a_failing_broker(client):
    from smartedu.celery import app

    previous = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    try:
        response = client.get("/readyz")
    finally:
        app.conf.broker_url = previous
    assert response.status_code == 503
    assert "broker" in response.json()["failing"]
