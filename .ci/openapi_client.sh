#!/usr/bin/env bash
# A generated client must work (issue 15). As an integrator would, build a Python client from the API schema
# with openapi-python-client, import every module of it, then use it against a running server with demo data:
# every read call without parameters parses its response, and the token call signs the demo student in.
#
# The generator lives in its own virtualenv (var/openapi-client/venv), installed from .ci/openapi-client.lock
# (`make lock` refreshes it), so its dependencies never mix with the project's. `make openapi-client` runs this.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PYTHON=${PYTHON:-python3.11}
OUT=$ROOT/var/openapi-client
VENV=$OUT/venv
PACKAGE=smartedu_api_client

if [ ! -f "$VENV/.installed" ] || [ .ci/openapi-client.lock -nt "$VENV/.installed" ]; then
  rm -rf "$VENV"
  "$PYTHON" -m venv "$VENV"
  "$VENV/bin/python" -m pip install --quiet --require-hashes --no-deps -r .ci/openapi-client.lock
  touch "$VENV/.installed"
fi

rm -rf "$OUT/schema.json" "$OUT/$PACKAGE" "$OUT/server"
mkdir -p "$OUT/server"
.venv/bin/python manage.py spectacular --validate --fail-on-warn --format openapi-json --file "$OUT/schema.json"
# The generator runs ruff on its output: its own venv's bin first on PATH. It warns about parts it leaves out
# (the beacon's second content type, text/plain, which browsers' sendBeacon needs); an operation it cannot
# generate at all, or a module that does not import, fails the check below.
PATH="$VENV/bin:$PATH" "$VENV/bin/openapi-python-client" generate --path "$OUT/schema.json" --meta none \
  --config .ci/openapi-client.yaml --output-path "$OUT/$PACKAGE" --overwrite

# A server in the embedded mode with the demo data, on a free loopback port.
server_env=(env -u DATABASE_URL -u REDIS_URL SMARTEDU_VAR_DIR="$OUT/server" DJANGO_LOG_LEVEL=WARNING)
"${server_env[@]}" .venv/bin/python manage.py migrate --noinput -v0
"${server_env[@]}" .venv/bin/python manage.py seed_demo --scale small --no-progress >/dev/null
port=$(.venv/bin/python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"${server_env[@]}" .venv/bin/gunicorn smartedu.wsgi --bind "127.0.0.1:$port" --workers 1 \
  >"$OUT/server/gunicorn.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  .venv/bin/python -c "import urllib.request as u; u.urlopen('http://127.0.0.1:$port/healthz', timeout=2)" \
    2>/dev/null && break
  kill -0 "$server" 2>/dev/null || { cat "$OUT/server/gunicorn.log"; exit 1; }
  sleep 0.2
done

PYTHONPATH="$OUT" "$VENV/bin/python" .ci/openapi_client_check.py "$PACKAGE" "$OUT/schema.json" \
  "http://127.0.0.1:$port"
