#!/usr/bin/env bash
# Keycloak harness for the federation integration test (issue 7).
#
#   keycloak.sh fetch                   resolve + cache the newest served keycloak-quarkus-dist; print its home dir
#   keycloak.sh render TEMPLATE         print TEMPLATE with ${ISSUER_URL} ${JWKS_URL} ${SUBJECT} ${REALM}
#                                       ${CLIENT_ID} ${IDP_ALIAS} from the environment (the last three default to
#                                       run-identity, run-identity-ci, run-identity; the others must be set)
#   keycloak.sh start PORT REALM_JSON   start dev mode on 127.0.0.1:PORT with REALM_JSON imported (a template
#                                       is rendered first); wait until the realm's discovery document answers
#   keycloak.sh stop                    stop the instance started by `start` (by its recorded pid)
#   keycloak.sh java                    print the JAVA_HOME (Java >= 21) that start would use
#
# Environment:
#   KEYCLOAK_VERSION  pin a version instead of resolving the newest served one
#   RUN_IDENTITY_CACHE  cache root (default ~/.cache/run-identity); Keycloak unpacks to keycloak-VERSION under it
#   RI_KC_RUN_DIR  where the pid file, log and timings go (default $RUN_IDENTITY_CACHE/run)
#   RI_KC_START_TIMEOUT  seconds to wait for the realm to answer (default 240)
#   RI_KC_STOP_TIMEOUT  seconds to wait after SIGTERM before SIGKILL (default 30)
#   RI_KC_FEATURES  value for --features (default client-auth-federated; set it empty to pass no --features)
#   RI_KC_EXTRA_ARGS  extra arguments for kc.sh start-dev (word-split)
#   RI_KC_MVN_ARGS  extra arguments for mvn (e.g. -o to stay offline); MAVEN_REPO_LOCAL the local repository
#
# Exit codes: 0 ok, 1 failure, 2 usage, 77 = cannot run here (distribution not downloadable, no Java >= 21).
# A caller must report 77 as "skipped: <reason>", never as passed.
set -euo pipefail

SKIP=77
GROUP=org.keycloak
ARTIFACT=keycloak-quarkus-dist
CACHE="${RUN_IDENTITY_CACHE:-$HOME/.cache/run-identity}"
RUN_DIR="${RI_KC_RUN_DIR:-$CACHE/run}"
M2_REPO="${MAVEN_REPO_LOCAL:-$HOME/.m2/repository}"
ART_DIR="$M2_REPO/${GROUP//.//}/$ARTIFACT"

log() { echo "keycloak.sh: $*" >&2; }
die() { log "$*"; exit 1; }
skip() { log "SKIP: $*"; exit "$SKIP"; }

mvn_get() { # $1 = version, $2 = packaging
  # shellcheck disable=SC2086
  mvn -q -B ${RI_KC_MVN_ARGS:-} "-Dmaven.repo.local=$M2_REPO" dependency:get "-Dartifact=$GROUP:$ARTIFACT:$1:$2" \
    -Dtransitive=false >"$RUN_DIR/mvn-$1-$2.log" 2>&1
}

# Versions listed by the repository metadata, newest first; only plain releases (x.y.z).
listed_versions() {
  local meta
  for meta in "$ART_DIR"/maven-metadata-*.xml; do
    [ -f "$meta" ] || continue
    grep -o '<version>[0-9][0-9.]*</version>' "$meta" | sed 's/<[^>]*>//g'
  done | grep -E '^[0-9]+\.[0-9]+\.[0-9]+$' | sort -u -V -r
}

# Versions whose zip is already in the local Maven repository, newest first.
cached_versions() {
  local zip
  for zip in "$ART_DIR"/*/"$ARTIFACT"-*.zip; do
    [ -f "$zip" ] || continue
    basename "$(dirname "$zip")"
  done | sort -u -V -r
}

cmd_fetch() {
  mkdir -p "$CACHE" "$RUN_DIR"
  command -v unzip >/dev/null || skip "unzip is not installed"
  local version="" candidates="" v
  if [ -n "${KEYCLOAK_VERSION:-}" ]; then
    candidates="$KEYCLOAK_VERSION"
  elif command -v mvn >/dev/null && mvn_get LATEST pom; then
    # Resolving the LATEST meta-version refreshes maven-metadata-*.xml; the newest listed version may not
    # be served yet, so try the listed ones newest first (a few at most).
    candidates="$(listed_versions | head -n 3)"
  else
    log "could not read the repository metadata for $GROUP:$ARTIFACT (see $RUN_DIR/mvn-LATEST-pom.log)"
  fi
  for v in $candidates; do
    if [ -f "$ART_DIR/$v/$ARTIFACT-$v.zip" ] || { command -v mvn >/dev/null && mvn_get "$v" zip; }; then
      version="$v"; break
    fi
    log "version $v: its zip could not be downloaded (see $RUN_DIR/mvn-$v-zip.log)"
  done
  if [ -z "$version" ] && [ -z "${KEYCLOAK_VERSION:-}" ]; then
    version="$(cached_versions | head -n 1 || true)"
    [ -n "$version" ] && log "falling back to the cached version $version"
  fi
  [ -n "$version" ] || skip "the Keycloak distribution ($GROUP:$ARTIFACT zip) could not be downloaded and none is cached"
  local zip="$ART_DIR/$version/$ARTIFACT-$version.zip"
  [ -f "$zip" ] || skip "the Keycloak distribution $version is not in $ART_DIR"
  local home="$CACHE/keycloak-$version"
  if [ ! -f "$home/.unpacked" ]; then
    local tmp="$CACHE/.unpack-$version-$$"
    rm -rf "$tmp" "$home"
    mkdir -p "$tmp"
    unzip -q "$zip" -d "$tmp" || { rm -rf "$tmp"; die "could not unzip $zip"; }
    mv "$tmp/keycloak-$version" "$home"
    rm -rf "$tmp"
    echo "$version" >"$home/.unpacked"
    log "unpacked Keycloak $version into $home"
  fi
  echo "$home"
}

java_major() { # $1 = java binary
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | head -n 1
}

find_java() {
  local cand major best="" best_major=0
  for cand in ${JAVA_HOME:+"$JAVA_HOME"} /usr/lib/jvm/*; do
    [ -x "$cand/bin/java" ] || continue
    major="$(java_major "$cand/bin/java")"
    major="${major%%.*}"
    [[ "$major" =~ ^[0-9]+$ ]] || continue
    if [ "$major" -ge 21 ] && [ "$major" -gt "$best_major" ]; then best="$cand"; best_major="$major"; fi
  done
  [ -n "$best" ] || return 1
  echo "$best"
}

cmd_java() { find_java || skip "no Java >= 21 found (JAVA_HOME or /usr/lib/jvm/*)"; }

cmd_render() {
  [ $# -eq 1 ] || { echo "usage: keycloak.sh render TEMPLATE" >&2; exit 2; }
  python3 - "$1" <<'EOF'
import os, re, sys
text = open(sys.argv[1], encoding="utf-8").read()
names = ["ISSUER_URL", "JWKS_URL", "SUBJECT", "REALM", "CLIENT_ID", "IDP_ALIAS"]
defaults = {"REALM": "run-identity", "CLIENT_ID": "run-identity-ci", "IDP_ALIAS": "run-identity"}
for name in names:
    value = os.environ.get(name, defaults.get(name))
    if value is None:
        sys.exit("keycloak.sh render: %s is not set" % name)
    text = text.replace("${%s}" % name, value)
left = re.findall(r"\$\{[A-Z_]+\}", text)
if left:
    sys.exit("keycloak.sh render: unresolved placeholders: %s" % ", ".join(sorted(set(left))))
sys.stdout.write(text)
EOF
}

pid_alive() { [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null; }

cmd_start() {
  [ $# -eq 2 ] || { echo "usage: keycloak.sh start PORT REALM_JSON" >&2; exit 2; }
  local port="$1" realm_file="$2"
  [[ "$port" =~ ^[0-9]+$ ]] || die "port must be a number: $port"
  [ -f "$realm_file" ] || die "no such realm file: $realm_file"
  mkdir -p "$RUN_DIR"
  if [ -f "$RUN_DIR/keycloak.pid" ] && pid_alive "$(cat "$RUN_DIR/keycloak.pid")"; then
    die "an instance is already running (pid $(cat "$RUN_DIR/keycloak.pid")); run stop first"
  fi
  local home java_home
  home="$(cmd_fetch)"
  java_home="$(cmd_java)"

  local rendered="$RUN_DIR/realm.json"
  if grep -q '\${' "$realm_file"; then cmd_render "$realm_file" >"$rendered"; else cp "$realm_file" "$rendered"; fi
  local realm
  realm="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["realm"])' "$rendered")"

  # Two starts on the same cache directory would share data/import and the Quarkus build: serialise them
  # until the realm answers (the lock fd is closed for Keycloak itself, so it does not hold the lock).
  exec 9>"$home/.start.lock"
  flock -w "${RI_KC_START_TIMEOUT:-240}" 9 || die "another start on $home did not finish in time"

  # Import happens at startup from data/import; only our file may be there. The database is in memory
  # (dev-mem), so every start begins from the imported realm and nothing leaks between runs.
  mkdir -p "$home/data/import"
  rm -f "$home/data/import/"*.json
  cp "$rendered" "$home/data/import/$realm-realm.json"

  # client-auth-federated is enabled by default in 26.7 (it was a preview feature before); naming it is
  # harmless there and needed on the older 26.x releases.
  local RI_KC_FEATURES="${RI_KC_FEATURES-client-auth-federated}"
  local logf="$RUN_DIR/keycloak.log"
  local t0 t1
  t0="$(date +%s)"
  # setsid: kc.sh and its java child get a process group of their own whose id is the recorded pid, so
  # stop can signal exactly that group and nothing else.
  # shellcheck disable=SC2086
  JAVA_HOME="$java_home" PATH="$java_home/bin:$PATH" setsid "$home/bin/kc.sh" start-dev \
    --http-host=127.0.0.1 --http-port="$port" \
    --db=dev-mem --import-realm \
    ${RI_KC_FEATURES:+--features="$RI_KC_FEATURES"} \
    --hostname-strict=false \
    ${RI_KC_EXTRA_ARGS:-} </dev/null >"$logf" 2>&1 9>&- &
  local pid=$!
  echo "$pid" >"$RUN_DIR/keycloak.pid"
  log "started pid $pid (Java: $java_home), log: $logf"

  local url="http://127.0.0.1:$port/realms/$realm/.well-known/openid-configuration"
  local timeout="${RI_KC_START_TIMEOUT:-240}" waited=0
  while [ "$waited" -lt "$timeout" ]; do
    if ! pid_alive "$pid"; then
      tail -n 40 "$logf" >&2 || true
      rm -f "$RUN_DIR/keycloak.pid"
      die "Keycloak exited during startup"
    fi
    if curl -sf -o /dev/null --max-time 2 "$url"; then
      t1="$(date +%s)"
      echo "$((t1 - t0))" >"$RUN_DIR/start-seconds"
      rm -f "$home/data/import/$realm-realm.json"
      exec 9>&-
      log "realm $realm answers at $url after $((t1 - t0)) s"
      echo "$((t1 - t0))"
      return 0
    fi
    sleep 1
    waited=$((waited + 1))
  done
  tail -n 40 "$logf" >&2 || true
  cmd_stop || true
  die "realm $realm did not answer within $timeout s"
}

cmd_stop() {
  local pidf="$RUN_DIR/keycloak.pid" pid
  [ -f "$pidf" ] || { log "nothing to stop (no $pidf)"; return 0; }
  pid="$(cat "$pidf")"
  if pid_alive "$pid"; then
    # Signal the process group led by our recorded pid (kc.sh and its java child).
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    local waited=0 timeout="${RI_KC_STOP_TIMEOUT:-30}"
    while pid_alive "$pid" && [ "$waited" -lt "$timeout" ]; do sleep 1; waited=$((waited + 1)); done
    if pid_alive "$pid"; then
      log "pid $pid still alive after $timeout s; sending SIGKILL"
      kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
      sleep 1
    fi
    # The group may still hold the java child for a moment after kc.sh has gone.
    if kill -0 -- "-$pid" 2>/dev/null; then
      sleep 2
      kill -KILL -- "-$pid" 2>/dev/null || true
    fi
    log "stopped pid $pid"
  else
    log "pid $pid was not running"
  fi
  rm -f "$pidf"
}

case "${1:-}" in
  fetch) shift; cmd_fetch "$@" ;;
  render) shift; cmd_render "$@" ;;
  start) shift; cmd_start "$@" ;;
  stop) shift; cmd_stop "$@" ;;
  java) shift; cmd_java "$@" ;;
  *) sed -n '2,22p' "$0" >&2; exit 2 ;;
esac
