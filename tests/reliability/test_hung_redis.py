"""Issue 7.9: a Redis that accepts connections and never answers must not hold a worker.

The servers here are real TCP servers on 127.0.0.1 (a thread each): one accepts and never answers; the
other answers the client's handshake and then never answers the counting script.
"""

import socket
import threading
import time

import pytest
from django.conf import settings as django_settings
from django.test import Client
from rest_framework.test import APIClient

from tests.factories import UserFactory
from tests.stats.conftest import beacon, home

pytestmark = pytest.mark.usefixtures("committed_db")

FAST = 3.0  # seconds: REDIS_TIMEOUT_SECONDS is at most 1; the bug held a beacon for 378 s


class SilentServer:
    """Accepts connections; with ``handshake``, answers everything but EVAL/EVALSHA with +OK, else nothing."""

    def __init__(self, *, handshake: bool = False) -> None:
        self.handshake = handshake
        self.commands: list[str] = []
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(16)
        self.port = self.listener.getsockname()[1]
        self.connections: list[socket.socket] = []
        self.stopped = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def _accept(self) -> None:
        while not self.stopped.is_set():
            try:
                conn, _addr = self.listener.accept()
            except OSError:
                return
            self.connections.append(conn)
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        buffer = b""
        while not self.stopped.is_set():
            try:
                data = conn.recv(65536)
            except OSError:
                return
            if not data:
                return
            buffer += data
            while True:
                command, buffer = _parse(buffer)
                if command is None:
                    break
                name = command[0].upper()
                self.commands.append(name)
                if self.handshake and name == "HELLO":  # RESP3: a map with the protocol
                    conn.sendall(b"%1\r\n+proto\r\n:3\r\n")
                elif self.handshake and name not in ("EVAL", "EVALSHA"):
                    conn.sendall(b"+OK\r\n")

    def stop(self) -> None:
        self.stopped.set()
        for conn in [*self.connections, self.listener]:
            conn.close()


def _parse(buffer: bytes) -> tuple[list[str] | None, bytes]:
    """One RESP array of bulk strings from the front of ``buffer`` (None while it is incomplete)."""
    if not buffer.startswith(b"*") or b"\r\n" not in buffer:
        return None, buffer
    head, rest = buffer.split(b"\r\n", 1)
    parts = []
    for _ in range(int(head[1:])):
        if b"\r\n" not in rest:
            return None, buffer
        size_line, rest = rest.split(b"\r\n", 1)
        size = int(size_line[1:])
        if len(rest) < size + 2:
            return None, buffer
        parts.append(rest[:size].decode(errors="replace"))
        rest = rest[size + 2 :]
    return parts, rest


@pytest.fixture
def silent_server():
    servers: list[SilentServer] = []

    def make(**kwargs) -> SilentServer:
        server = SilentServer(**kwargs)
        servers.append(server)
        return server

    yield make
    for server in servers:
        server.stop()


def timed(call):
    start = time.monotonic()
    result = call()
    return result, time.monotonic() - start


def test_a_hung_buffer_fails_the_beacon_fast_with_503_and_retry_after(settings, silent_server):
    settings.STATS_REDIS_URL = silent_server().url
    response, seconds = timed(lambda: beacon(APIClient(), home()))
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert seconds < FAST


def test_pages_render_while_the_buffer_hangs(settings, silent_server):
    from tests.factories.k12 import LessonFactory

    settings.STATS_REDIS_URL = silent_server().url
    lesson = LessonFactory()
    for path in ("/", f"/k12/lessons/{lesson.pk}/"):
        response, seconds = timed(lambda path=path: Client().get(path))
        assert response.status_code == 200
        assert b"data-stats-beacon" in response.content
        assert seconds < FAST


def test_the_counting_script_is_not_sent_twice_after_a_timeout(settings, silent_server):
    server = silent_server(handshake=True)
    settings.STATS_REDIS_URL = server.url
    client = APIClient()
    client.force_login(UserFactory())  # a signed-in viewer: the script is the only buffer command
    response, seconds = timed(lambda: beacon(client, home()))
    assert response.status_code == 503
    assert seconds < FAST
    scripts = [c for c in server.commands if c in ("EVAL", "EVALSHA")]
    assert scripts == ["EVALSHA"]  # sent once; a retry could have counted the view twice


@pytest.mark.skipif(not django_settings.REDIS_URL, reason="the embedded mode's cache is in process memory")
def test_a_hung_cache_fails_fast_and_so_does_a_signed_in_beacon(settings, silent_server):
    server = silent_server()
    settings.CACHES = {"default": {**settings.CACHES["default"], "LOCATION": server.url}}
    from django.core.cache import cache
    from redis import RedisError

    start = time.monotonic()
    with pytest.raises(RedisError):
        cache.get("anything")
    assert time.monotonic() - start < FAST
    client = APIClient()
    client.force_login(UserFactory())
    response, seconds = timed(lambda: beacon(client, home()))
    assert response.status_code == 503
    assert seconds < FAST


@pytest.mark.skipif(not django_settings.REDIS_URL, reason="production mode's Redis clients")
def test_every_redis_client_has_sub_second_timeouts(settings):
    from smartedu.celery import app
    from smartedu.stats.buffer import get_buffer

    options = settings.CACHES["default"]["OPTIONS"]
    assert 0 < options["socket_connect_timeout"] <= 1
    assert 0 < options["socket_timeout"] <= 1
    kwargs = get_buffer().redis.connection_pool.connection_kwargs
    assert 0 < kwargs["socket_connect_timeout"] <= 1
    assert 0 < kwargs["socket_timeout"] <= 1
    assert 0 < app.conf.redis_socket_timeout <= 1
    assert 0 < app.conf.redis_socket_connect_timeout <= 1
