#!/usr/bin/env bash
# The main job, end to end, on the embedded default state folder (./.run-identity, or $RUN_IDENTITY_HOME):
# build, init (once), serve, exec a real command that uses its token against the running server, show the audit.
set -euo pipefail
cd "$(dirname "$0")/.."
export RUN_IDENTITY_HOME="${RUN_IDENTITY_HOME:-$PWD/.run-identity}"
ri=bin/run-identity
# The port is part of the issuer URL, which init fixes: an initialized state folder keeps its own.
port="${RUN_IDENTITY_DEMO_PORT:-8470}"
if [ -f "$RUN_IDENTITY_HOME/config.yaml" ]; then
  state_port=$(awk -F'[:/]' '/^ *url:/ { print $6; exit }' "$RUN_IDENTITY_HOME/config.yaml")
  if [ -n "${RUN_IDENTITY_DEMO_PORT:-}" ] && [ "$state_port" != "$RUN_IDENTITY_DEMO_PORT" ]; then
    echo "demo: $RUN_IDENTITY_HOME was initialized for port $state_port, not $RUN_IDENTITY_DEMO_PORT;" \
      "use a fresh state folder, e.g. RUN_IDENTITY_HOME=/tmp/ri-demo-$RUN_IDENTITY_DEMO_PORT" >&2
    exit 2
  fi
  port=$state_port
fi
# Something else answering on the port would answer the demo's requests: find out before serve does.
if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
  echo "demo: port $port on 127.0.0.1 is already in use by another program; stop it, or run" \
    "RUN_IDENTITY_DEMO_PORT=$((port + 1)) RUN_IDENTITY_HOME=/tmp/ri-demo-$((port + 1)) $0" >&2
  exit 2
fi

echo "== build"
mvn -B -q -Pstand-in -DskipTests package

if [ ! -f "$RUN_IDENTITY_HOME/config.yaml" ]; then
  echo "== init"
  $ri init --issuer-url "http://127.0.0.1:$port/default"
fi
issuer=$(awk '/^ *url:/ { print $2; exit }' "$RUN_IDENTITY_HOME/config.yaml")

echo "== serve"
log="$RUN_IDENTITY_HOME/serve.log"
rm -f "$log"
(umask 077 && : > "$log")   # every file in the state folder is private, the server's output too
$ri serve >> "$log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null || true' EXIT
for _ in $(seq 1 150); do
  grep -q "listening on" "$log" && break
  if ! kill -0 $server 2>/dev/null; then
    echo "demo: run-identity serve stopped:" >&2
    cat "$log" >&2
    echo "demo: if the port is taken, run with RUN_IDENTITY_DEMO_PORT=<another port> and a fresh RUN_IDENTITY_HOME" >&2
    exit 1
  fi
  sleep 0.1
done
if ! grep -q "listening on" "$log"; then
  echo "demo: run-identity serve did not start within 15 s; its output is in $log" >&2
  exit 1
fi
grep -m1 "listening on" "$log"

echo "== exec: a job that presents its identity to the issuer (introspection), then ends"
$ri exec --job demo/deploy --ttl 5m -- sh -c '
  echo "  token id   $RUN_IDENTITY_ID, expires $RUN_IDENTITY_EXPIRES_AT"
  echo "  token file $RUN_IDENTITY_TOKEN_FILE ($(stat -c %a "$RUN_IDENTITY_TOKEN_FILE"))"
  printf "  introspection while running: "
  curl -fsS -X POST --data-urlencode "token@$RUN_IDENTITY_TOKEN_FILE" "$RUN_IDENTITY_ISSUER/introspect" | cut -c1-120
  echo
  cp "$RUN_IDENTITY_TOKEN_FILE" "$RUN_IDENTITY_HOME/.demo-token"'
token_file="$RUN_IDENTITY_HOME/.demo-token"
printf "  introspection after it ended: "
curl -fsS -X POST --data-urlencode "token@$token_file" "$issuer/introspect"; echo
rm -f "$token_file"

echo "== audit (job demo/deploy)"
$ri audit show --job demo/deploy | tail -4
$ri audit verify
