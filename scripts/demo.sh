#!/usr/bin/env bash
# The main job, end to end, on the embedded default state folder (./.run-identity, or $RUN_IDENTITY_HOME):
# build, init (once), serve, exec a real command that uses its token against the running server, show the audit.
set -euo pipefail
cd "$(dirname "$0")/.."
export RUN_IDENTITY_HOME="${RUN_IDENTITY_HOME:-$PWD/.run-identity}"
ri=bin/run-identity
port="${RUN_IDENTITY_DEMO_PORT:-8470}"

echo "== build"
mvn -B -q -Pstand-in -DskipTests package

if [ ! -f "$RUN_IDENTITY_HOME/config.yaml" ]; then
  echo "== init"
  $ri init --issuer-url "http://127.0.0.1:$port/default"
fi
issuer=$(awk '/^ *url:/ { print $2; exit }' "$RUN_IDENTITY_HOME/config.yaml")

echo "== serve"
$ri serve > "$RUN_IDENTITY_HOME/serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  curl -fsS "$issuer/.well-known/openid-configuration" >/dev/null 2>&1 && break
  if ! kill -0 $server 2>/dev/null; then cat "$RUN_IDENTITY_HOME/serve.log"; exit 1; fi
  sleep 0.1
done
head -1 "$RUN_IDENTITY_HOME/serve.log"

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
