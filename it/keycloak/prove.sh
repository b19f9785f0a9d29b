#!/usr/bin/env bash
# End-to-end proof of the Keycloak federation harness, with a throwaway issuer of our own:
#   * TestIssuer.java (Nimbus) makes RS256 keys (kid = RFC 7638 thumbprint), a JWKS and a discovery document,
#     and mints client assertions;
#   * python3 -m http.server serves them on 127.0.0.1 (its request log counts the JWKS fetches);
#   * keycloak.sh starts Keycloak in dev mode on 127.0.0.1 with realm-template.json imported.
# Then it exchanges assertions at the token endpoint, shows the refusals, key rotation and RFC 7009
# revocation, and writes every HTTP status and response body to results.md in the work directory.
#
# Usage: prove.sh [RESULTS_FILE]     (exit 0 all checks passed, 1 some failed, 77 skipped: cannot run here)
# Everything it starts is stopped by its own pid on exit; the work directory is removed unless KEEP_WORK=1.
set -uo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
KC="$HERE/keycloak.sh"
WORK="$(mktemp -d /tmp/run-identity-kc.XXXXXX)"
export RI_KC_RUN_DIR="$WORK/kc"
RESULTS="$WORK/results.md"
COPY_RESULTS_TO="${1:-}"
HTTP_PID=""
PASSED=0
FAILED=0

cleanup() {
  "$KC" stop >/dev/null 2>&1 || true
  if [ -n "$HTTP_PID" ] && kill -0 "$HTTP_PID" 2>/dev/null; then
    kill "$HTTP_PID" 2>/dev/null || true
    wait "$HTTP_PID" 2>/dev/null || true
  fi
  if [ -n "$COPY_RESULTS_TO" ] && [ -f "$RESULTS" ]; then cp "$RESULTS" "$COPY_RESULTS_TO"; fi
  if [ "${KEEP_WORK:-0}" = 1 ]; then echo "work directory kept: $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

skip() { echo "skipped: $*"; exit 77; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# --- the throwaway issuer -------------------------------------------------------------------------
NIMBUS_VERSION="$(sed -n 's:.*<nimbus.version>\(.*\)</nimbus.version>.*:\1:p' "$HERE/../../pom.xml" 2>/dev/null | head -n 1)"
NIMBUS_VERSION="${NIMBUS_VERSION:-10.10}"
NIMBUS_JAR="$HOME/.m2/repository/com/nimbusds/nimbus-jose-jwt/$NIMBUS_VERSION/nimbus-jose-jwt-$NIMBUS_VERSION.jar"
if [ ! -f "$NIMBUS_JAR" ]; then
  mvn -q -B dependency:get "-Dartifact=com.nimbusds:nimbus-jose-jwt:$NIMBUS_VERSION" -Dtransitive=false >"$WORK/mvn-nimbus.log" 2>&1 \
    || skip "nimbus-jose-jwt $NIMBUS_VERSION could not be downloaded"
fi
mkdir -p "$WORK/classes" "$WORK/www" "$WORK/keys"
javac -d "$WORK/classes" -cp "$NIMBUS_JAR" "$HERE/TestIssuer.java" || { echo "TestIssuer.java does not compile"; exit 1; }
issuer() { java -cp "$WORK/classes:$NIMBUS_JAR" TestIssuer "$@"; }

# Keycloak first: the download decides whether this can run at all.
KC_HOME="$("$KC" fetch)"; rc=$?
[ $rc -eq 77 ] && skip "Keycloak distribution not available (see keycloak.sh output above)"
[ $rc -eq 0 ] || { echo "keycloak.sh fetch failed ($rc)"; exit 1; }
KC_VERSION="$(cat "$KC_HOME/.unpacked")"
export KEYCLOAK_VERSION="$KC_VERSION"   # start reuses it without resolving again
JAVA_FOR_KC="$("$KC" java)"; rc=$?
[ $rc -eq 77 ] && skip "no Java >= 21 for Keycloak"

ISSUER_PORT="$(free_port)"
KC_PORT="$(free_port)"
while [ "$KC_PORT" = "$ISSUER_PORT" ]; do KC_PORT="$(free_port)"; done
export ISSUER_URL="http://127.0.0.1:$ISSUER_PORT"
export JWKS_URL="$ISSUER_URL/jwks.json"
export SUBJECT="run-identity:example/pipeline/42"
export REALM="run-identity" CLIENT_ID="run-identity-ci" IDP_ALIAS="run-identity"
REALM_URL="http://127.0.0.1:$KC_PORT/realms/$REALM"
TOKEN_URL="$REALM_URL/protocol/openid-connect/token"
REVOKE_URL="$REALM_URL/protocol/openid-connect/revoke"
INTROSPECT_URL="$REALM_URL/protocol/openid-connect/token/introspect"
ASSERTION_TYPE="urn:ietf:params:oauth:client-assertion-type:jwt-bearer"

KID_A="$(issuer keygen "$WORK/keys/a.jwk")"
KID_B="$(issuer keygen "$WORK/keys/b.jwk")"
KID_C="$(issuer keygen "$WORK/keys/c.jwk")"
issuer publish "$WORK/www" "$ISSUER_URL" "$WORK/keys/a.jwk"
python3 -u -m http.server "$ISSUER_PORT" --bind 127.0.0.1 --directory "$WORK/www" >"$WORK/issuer-http.log" 2>&1 &
HTTP_PID=$!
# Readiness is probed on the discovery document so that the request log counts only Keycloak's JWKS fetches.
DISCOVERY_URL="$ISSUER_URL/.well-known/openid-configuration"
for _ in $(seq 1 50); do curl -sf -o /dev/null "$DISCOVERY_URL" && break; sleep 0.2; done
curl -sf -o /dev/null "$DISCOVERY_URL" || { echo "the throwaway issuer did not come up"; exit 1; }

"$KC" render "$HERE/realm-template.json" >"$WORK/realm.json" || exit 1
START_SECONDS="$("$KC" start "$KC_PORT" "$WORK/realm.json")"; rc=$?
[ $rc -eq 77 ] && skip "Keycloak cannot run here"
[ $rc -eq 0 ] || { echo "Keycloak did not start"; exit 1; }

jwks_fetches() { grep -c 'GET /jwks.json' "$WORK/issuer-http.log" || true; }

{
  echo "# Keycloak federation proof"
  echo
  echo "- Keycloak $KC_VERSION, Java: $JAVA_FOR_KC ($("$JAVA_FOR_KC/bin/java" -version 2>&1 | head -n 1))"
  echo "- start (dev mode, realm import, until the realm discovery answers): ${START_SECONDS} s"
  echo "- issuer $ISSUER_URL, realm $REALM_URL, subject $SUBJECT, client $CLIENT_ID, IdP alias $IDP_ALIAS"
  echo "- kids: A=$KID_A B=$KID_B C=$KID_C"
  echo "- run at $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo
  echo "| check | result | HTTP | JWKS fetches (+) | response body |"
  echo "| --- | --- | --- | --- | --- |"
} >"$RESULTS"

LAST_STATUS="" LAST_BODY=""
# post URL form-args... ; sets LAST_STATUS and LAST_BODY
post() {
  local url="$1"; shift
  local args=() kv
  for kv in "$@"; do args+=(--data-urlencode "$kv"); done
  LAST_STATUS="$(curl -s -o "$WORK/body" -w '%{http_code}' --max-time 20 -X POST "$url" "${args[@]}")"
  LAST_BODY="$(cat "$WORK/body")"
}

short_body() { # access tokens are long: keep the claim names and cut the token itself
  python3 - "$1" <<'EOF'
import json, sys
raw = sys.argv[1]
try:
    doc = json.loads(raw)
except Exception:
    print(raw if raw else "(empty)"); sys.exit()
for k in ("access_token", "refresh_token", "id_token"):
    if isinstance(doc.get(k), str):
        doc[k] = doc[k][:12] + "..."
print(json.dumps(doc, separators=(",", ":")))
EOF
}

# check NAME EXPECTED_STATUS EXPECTED_SUBSTRING FETCHES_BEFORE
check() {
  local name="$1" want_status="$2" want_text="$3" before="$4" verdict after
  after="$(jwks_fetches)"
  if [ "$LAST_STATUS" = "$want_status" ] && [[ "$LAST_BODY" == *"$want_text"* ]]; then
    verdict=PASS; PASSED=$((PASSED + 1))
  else
    verdict="FAIL (want $want_status, '$want_text')"; FAILED=$((FAILED + 1))
  fi
  printf '%-58s %-6s %s %s\n' "$name" "$LAST_STATUS" "${verdict%% *}" "$(short_body "$LAST_BODY" | cut -c1-150)"
  echo "| $name | $verdict | $LAST_STATUS | $((after - before)) | \`$(short_body "$LAST_BODY" | sed 's/|/\\|/g')\` |" >>"$RESULTS"
}

# Claims of a JWT's payload, one JSON line.
claims() { python3 -c 'import sys,json,base64; p=sys.argv[1].split(".")[1]; p+="="*(-len(p)%4); print(json.dumps(json.loads(base64.urlsafe_b64decode(p)),sort_keys=True))' "$1"; }
field() { python3 -c 'import sys,json; print(json.loads(sys.argv[1]).get(sys.argv[2],""))' "$1" "$2"; }

mint() { issuer mint "$WORK/keys/$1.jwk" "${@:2}"; }
good() { mint a --iss "$ISSUER_URL" --sub "$SUBJECT" --aud "$REALM_URL" "$@"; }
token_with() { post "$TOKEN_URL" grant_type=client_credentials client_assertion_type="$ASSERTION_TYPE" client_assertion="$1" "${@:2}"; }

echo "Keycloak $KC_VERSION started in ${START_SECONDS}s on $REALM_URL; issuer $ISSUER_URL"

# --- exchanges that succeed ---------------------------------------------------------------------
f="$(jwks_fetches)"; A1="$(good)"
echo "assertion claims: $(claims "$A1")" >"$WORK/assertion.txt"
token_with "$A1"
check "ok: aud = realm issuer URL (string), no client_id" 200 '"access_token"' "$f"
ACCESS1="$(field "$LAST_BODY" access_token)"
[ -n "$ACCESS1" ] && echo "keycloak access token claims: $(claims "$ACCESS1")" >>"$WORK/assertion.txt"

f="$(jwks_fetches)"; token_with "$(good --aud-array)"
check "ok: aud = [realm issuer URL] (one-element array)" 200 '"access_token"' "$f"
f="$(jwks_fetches)"; token_with "$(good)" client_id="$CLIENT_ID"
check "ok: with matching client_id" 200 '"access_token"' "$f"
f="$(jwks_fetches)"; token_with "$(good --iat-offset -280 --nbf-offset -280 --exp-in 60)"
check "ok: iat 280 s old" 200 '"access_token"' "$f"
f="$(jwks_fetches)"; token_with "$(good --exp-in 3600)"
check "ok: exp 1 h ahead (iat now)" 200 '"access_token"' "$f"
f="$(jwks_fetches)"; token_with "$(good --no-nbf)"
check "ok: no nbf" 200 '"access_token"' "$f"
f="$(jwks_fetches)"; token_with "$(good --no-iat --exp-in 120)"
check "ok: no iat, exp 120 s ahead" 200 '"access_token"' "$f"

# --- refusals ------------------------------------------------------------------------------------
f="$(jwks_fetches)"; token_with "$A1"
check "refused: replayed assertion (same jti)" 400 'Token reuse detected' "$f"
f="$(jwks_fetches)"; token_with "$(good --jti "$(field "$(claims "$A1")" jti)")"
check "refused: new assertion re-using a consumed jti" 400 'Token reuse detected' "$f"
f="$(jwks_fetches)"; token_with "$(mint a --iss "$ISSUER_URL" --sub "$SUBJECT" --aud "$TOKEN_URL")"
check "refused: aud = token endpoint URL" 400 'Invalid token audience' "$f"
f="$(jwks_fetches)"; token_with "$(mint a --iss "$ISSUER_URL" --sub "$SUBJECT" --aud "$REALM_URL/")"
check "refused: aud = realm issuer URL with trailing slash" 400 'Invalid token audience' "$f"
f="$(jwks_fetches)"; token_with "$(mint a --iss "$ISSUER_URL" --sub "$SUBJECT" --aud "$CLIENT_ID")"
check "refused: aud = client_id" 400 'Invalid token audience' "$f"
f="$(jwks_fetches)"; token_with "$(mint a --iss "$ISSUER_URL" --sub "$SUBJECT" --aud "$REALM_URL,https://other.example")"
check "refused: two audiences (realm issuer + another)" 400 'Multiple audiences not allowed' "$f"
f="$(jwks_fetches)"; token_with "$(mint a --iss "$ISSUER_URL" --sub "run-identity:someone/else" --aud "$REALM_URL")"
check "refused: unknown subject" 401 'Invalid client or Invalid client credentials' "$f"
f="$(jwks_fetches)"; token_with "$(mint a --iss "$ISSUER_URL/other" --sub "$SUBJECT" --aud "$REALM_URL")"
check "refused: unknown issuer" 401 'Invalid client or Invalid client credentials' "$f"
f="$(jwks_fetches)"; token_with "$(mint a --iss "$ISSUER_URL" --sub "$ISSUER_URL" --aud "$REALM_URL")"
check "refused: sub = iss (treated as self-signed, skipped)" 401 'Invalid client or Invalid client credentials' "$f"
f="$(jwks_fetches)"; token_with "$(good)" client_id=some-other-client
check "refused: client_id not the federated client" 401 'Invalid client or Invalid client credentials' "$f"
f="$(jwks_fetches)"; token_with "$(good --iat-offset -310 --nbf-offset -310 --exp-in 60)"
check "refused: iat 310 s old (exp still ahead)" 400 'Token was issued too far in the past to be used now' "$f"
f="$(jwks_fetches)"; token_with "$(good --iat-offset 30 --nbf-offset 0 --exp-in 120)"
check "refused: iat 30 s in the future" 400 'Token was issued in the future' "$f"
f="$(jwks_fetches)"; token_with "$(good --nbf-offset 30 --exp-in 120)"
check "refused: nbf 30 s in the future" 400 'Token is not active' "$f"
f="$(jwks_fetches)"; token_with "$(good --iat-offset -60 --nbf-offset -60 --exp-in -5)"
check "refused: expired (exp 5 s ago)" 400 'Token is not active' "$f"
f="$(jwks_fetches)"; token_with "$(good --no-exp)"
check "refused: no exp" 400 'Token exp claim is required' "$f"
f="$(jwks_fetches)"; token_with "$(good --no-jti)"
check "refused: no jti" 400 'Token jti claim is required' "$f"
f="$(jwks_fetches)"; token_with "$(good --no-iat --exp-in 400)"
check "refused: no iat and exp 400 s ahead" 400 'Token expiration is too far in the future and iat claim not present' "$f"
f="$(jwks_fetches)"; token_with "$(mint b --kid "$KID_A" --iss "$ISSUER_URL" --sub "$SUBJECT" --aud "$REALM_URL")"
check "refused: signed by another key under kid A" 401 'Invalid client or Invalid client credentials' "$f"
f="$(jwks_fetches)"; token_with "not-a-jwt"
check "refused: client_assertion not a JWT" 401 'Invalid client or Invalid client credentials' "$f"
# The expected aud is the realm issuer *as Keycloak computes it for this request* (no hostname configured
# here, so from the request URL): calling via localhost changes it.
LOCAL_REALM_URL="http://localhost:$KC_PORT/realms/$REALM"
f="$(jwks_fetches)"; post "$LOCAL_REALM_URL/protocol/openid-connect/token" grant_type=client_credentials \
  client_assertion_type="$ASSERTION_TYPE" client_assertion="$(good)"
check "refused: called via localhost, aud = 127.0.0.1 issuer" 400 'Invalid token audience' "$f"
f="$(jwks_fetches)"; post "$LOCAL_REALM_URL/protocol/openid-connect/token" grant_type=client_credentials \
  client_assertion_type="$ASSERTION_TYPE" client_assertion="$(mint a --iss "$ISSUER_URL" --sub "$SUBJECT" --aud "$LOCAL_REALM_URL")"
check "ok: called via localhost, aud = localhost issuer" 200 '"access_token"' "$f"

# --- key rotation and the JWKS cache ----------------------------------------------------------------
# Keycloak caches the JWKS per identity provider. An unknown kid triggers a reload, but at most one per
# minTimeBetweenRequests (10 s by default); a key removed from the JWKS stays trusted until a reload.
sleep 11
f="$(jwks_fetches)"; token_with "$(mint b --iss "$ISSUER_URL" --sub "$SUBJECT" --aud "$REALM_URL")"
check "rotation: kid B not yet published (>10 s after last fetch)" 401 'Invalid client or Invalid client credentials' "$f"
issuer publish "$WORK/www" "$ISSUER_URL" "$WORK/keys/a.jwk" "$WORK/keys/b.jwk"
f="$(jwks_fetches)"; token_with "$(mint b --iss "$ISSUER_URL" --sub "$SUBJECT" --aud "$REALM_URL")"
check "rotation: kid B published, <10 s after last fetch" 401 'Invalid client or Invalid client credentials' "$f"
sleep 11
f="$(jwks_fetches)"; token_with "$(mint b --iss "$ISSUER_URL" --sub "$SUBJECT" --aud "$REALM_URL")"
check "rotation: kid B published, >10 s after last fetch" 200 '"access_token"' "$f"
f="$(jwks_fetches)"; token_with "$(good)"
check "rotation: old kid A still in JWKS" 200 '"access_token"' "$f"
issuer publish "$WORK/www" "$ISSUER_URL" "$WORK/keys/b.jwk"
f="$(jwks_fetches)"; token_with "$(good)"
check "rotation: kid A removed from JWKS, no reload yet" 200 '"access_token"' "$f"
sleep 11
f="$(jwks_fetches)"; token_with "$(mint c --iss "$ISSUER_URL" --sub "$SUBJECT" --aud "$REALM_URL")"
check "rotation: unknown kid C forces a reload" 401 'Invalid client or Invalid client credentials' "$f"
f="$(jwks_fetches)"; token_with "$(good)"
check "rotation: kid A after that reload" 401 'Invalid client or Invalid client credentials' "$f"
f="$(jwks_fetches)"; token_with "$(mint b --iss "$ISSUER_URL" --sub "$SUBJECT" --aud "$REALM_URL")"
check "rotation: kid B after that reload" 200 '"access_token"' "$f"

# --- RFC 7009 revocation of the Keycloak access token ----------------------------------------------
newb() { mint b --iss "$ISSUER_URL" --sub "$SUBJECT" --aud "$REALM_URL"; }
f="$(jwks_fetches)"; token_with "$(newb)"
check "revocation: obtain access token T" 200 '"access_token"' "$f"
T="$(field "$LAST_BODY" access_token)"
f="$(jwks_fetches)"; post "$INTROSPECT_URL" token="$T" client_assertion_type="$ASSERTION_TYPE" client_assertion="$(newb)"
check "revocation: introspect T (fresh assertion)" 200 '"active":true' "$f"
f="$(jwks_fetches)"; post "$REVOKE_URL" token="$T" token_type_hint=access_token
check "revocation: revoke T without client authentication" 401 'Invalid client or Invalid client credentials' "$f"
f="$(jwks_fetches)"; post "$REVOKE_URL" token="$T" token_type_hint=access_token client_id="$CLIENT_ID"
check "revocation: revoke T with client_id only" 401 'Invalid client or Invalid client credentials' "$f"
RA="$(newb)"
f="$(jwks_fetches)"; post "$REVOKE_URL" token="$T" token_type_hint=access_token client_assertion_type="$ASSERTION_TYPE" client_assertion="$RA"
check "revocation: revoke T with a fresh assertion" 200 '' "$f"
f="$(jwks_fetches)"; post "$REVOKE_URL" token="$T" token_type_hint=access_token client_assertion_type="$ASSERTION_TYPE" client_assertion="$RA"
check "revocation: revoke again with the same assertion" 400 'Token reuse detected' "$f"
f="$(jwks_fetches)"; post "$REVOKE_URL" token="$T" token_type_hint=access_token client_assertion_type="$ASSERTION_TYPE" client_assertion="$(newb)"
check "revocation: revoke again with a fresh assertion" 200 '' "$f"
f="$(jwks_fetches)"; post "$INTROSPECT_URL" token="$T" client_assertion_type="$ASSERTION_TYPE" client_assertion="$(newb)"
check "revocation: introspect T after revoke" 200 '"active":false' "$f"
f="$(jwks_fetches)"; post "$REVOKE_URL" token="garbage.token.value" token_type_hint=access_token client_assertion_type="$ASSERTION_TYPE" client_assertion="$(newb)"
check "revocation: revoke an unknown token (fresh assertion)" 200 '"error":"invalid_token"' "$f"

{
  echo
  echo "JWKS fetches in total: $(jwks_fetches)"
  echo
  echo '```'
  cat "$WORK/assertion.txt"
  echo '```'
  echo
  echo "$PASSED passed, $FAILED failed"
} >>"$RESULTS"

echo "JWKS fetches in total: $(jwks_fetches)"
cat "$WORK/assertion.txt"
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
