"""Settings come from the environment; production mode is checked in fresh processes."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # each test starts a fresh manage.py process

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/smartedu",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "DJANGO_SECRET_KEY": "x7#kQ2v!pZ9sL4mW8rT1yU6iO3eA5dF0gH-jK_lC=bN+vM2xZ8qR4tY7wE1uI9oP",
    "DJANGO_ALLOWED_HOSTS": "smartedu.example.org",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "https://smartedu.example.org",
}


def manage(*args: str, env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess:
    # A fresh process with only `env`: not the test run's services, nor pytest-xdist's per-process var dirs.
    inherited = {"DATABASE_URL", "REDIS_URL", "DJANGO_SECRET_KEY", "PYTEST_XDIST_WORKER"}
    base = {k: v for k, v in os.environ.items() if k not in inherited}
    base.update(env, SMARTEDU_VAR_DIR=str(tmp_path))
    base.pop("DJANGO_SECURE_HTTPS", None)
    base.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for the browser tests only
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=base, capture_output=True, text=True, timeout=120
    )


def test_production_settings_pass_check_deploy(tmp_path):
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV, tmp_path=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_mode_refuses_to_start_without_a_secret_key(tmp_path):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "DJANGO_SECRET_KEY"}
    result = manage("check", env=env, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr
    assert "Traceback" in result.stderr or "ImproperlyConfigured" in result.stderr


def test_embedded_mode_makes_and_keeps_its_own_secret_key(tmp_path):
    code = (
        "from django.conf import settings; print(settings.SECRET_KEY, settings.EMBEDDED, settings.TIME_ZONE)"
    )
    first = manage("shell", "-c", code, env={}, tmp_path=tmp_path)
    second = manage("shell", "-c", code, env={}, tmp_path=tmp_path)
    assert first.returncode == 0, first.stderr
    key, embedded, tz = first.stdout.split()[-3:]
    assert len(key) >= 50
    assert embedded == "True"
    assert tz == "Asia/Shanghai"
    assert second.stdout.split()[-3] == key
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_settings_read_the_environment(tmp_path):
    code = (
        "from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.CACHES['default']['BACKEND'], s.CELERY_BROKER_URL, "
        "s.ALLOWED_HOSTS, s.SECURE_SSL_REDIRECT, s.LANGUAGE_CODE)"
    )
    result = manage("shell", "-c", code, env=PRODUCTION_ENV, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "django.db.backends.postgresql" in out
    assert "smartedu.portal.cache.RedisCache" in out  # Django's, with one client per connection pool
    assert "redis://127.0.0.1:6379/0" in out
    assert "['smartedu.example.org'] True zh-hans" in out


@pytest.mark.parametrize("flag", ["DJANGO_DEBUG"])
def test_debug_is_off_unless_asked(tmp_path, flag):
    code = "from django.conf import settings; print('DEBUG', settings.DEBUG)"
    assert "DEBUG False" in manage("shell", "-c", code, env={}, tmp_path=tmp_path).stdout
    assert "DEBUG True" in manage("shell", "-c", code, env={flag: "1"}, tmp_path=tmp_path).stdout


def test_each_parallel_test_process_gets_its_own_var_directory(tmp_path):
    # pytest-xdist names its processes gw0, gw1, ...: SQLite files, the Celery broker folder and media of one
    # never meet another's.
    code = (
        "from django.conf import settings as s; "
        "print(s.VAR_DIR, s.DATABASES['default']['TEST']['NAME'], "
        "s.CELERY_BROKER_TRANSPORT_OPTIONS['data_folder_in'], s.MEDIA_ROOT)"
    )
    result = manage("shell", "-c", code, env={"PYTEST_XDIST_WORKER": "gw3"}, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    paths = result.stdout.split()[-4:]
    assert paths[0] == str(tmp_path / "gw3")
    assert all(path.startswith(f"{tmp_path / 'gw3'}/") for path in paths[1:]), paths
    alone = manage("shell", "-c", code, env={}, tmp_path=tmp_path)
    assert alone.stdout.split()[-4] == str(tmp_path)
