#!/bin/sh
# HTTP load benchmark of `run-identity serve` on loopback: JWKS (the server's own floor) and introspection of a
# valid, an expired and a revoked token; throughput and latency with wrk (closed loop, as fast as it goes), then
# p50/p99 at half of each measured maximum with an open-loop client (bench/.../HttpRate.java).
#
#   mvn -B -q package -DskipTests && mvn -B -q -Pbench -pl bench -am package -DskipTests
#   apt-get install -y wrk
#   bench/http/run.sh            # DURATION=10 WARMUP=5 CONNECTIONS=16 WRK_THREADS=1 SERVE_THREADS=8 PORT=8471
#                                # SERVE_JAVA_OPTS='-XX:StartFlightRecording=filename=/tmp/serve.jfr,settings=profile'
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
JAR=$ROOT/cli/target/run-identity.jar
BENCH=$ROOT/bench/target/benchmarks.jar
PORT=${PORT:-8471}
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-16}
WRK_THREADS=${WRK_THREADS:-1}
SERVE_THREADS=${SERVE_THREADS:-8}
SERVE_JAVA_OPTS=${SERVE_JAVA_OPTS:-}   # e.g. a JFR recording of the server while it is measured
mkdir -p "$ROOT/bench/target"
WORK=$(mktemp -d "$ROOT/bench/target/http.XXXXXX")
export RUN_IDENTITY_HOME="$WORK/state"
URL=http://127.0.0.1:$PORT/default
SERVE=""
HOLDER=""
cleanup() {
  [ -n "$HOLDER" ] && kill "$HOLDER" 2>/dev/null || true
  [ -n "$SERVE" ] && kill "$SERVE" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM

java -jar "$JAR" init --issuer-url "$URL" > /dev/null
java $SERVE_JAVA_OPTS -jar "$JAR" serve --listen "127.0.0.1:$PORT" --threads "$SERVE_THREADS" > "$WORK/serve.log" 2>&1 &
SERVE=$!
i=0
until curl -sf "$URL/jwks" > /dev/null; do
  i=$((i + 1)); [ $i -gt 100 ] && { echo "serve did not start"; cat "$WORK/serve.log"; exit 1; }
  sleep 0.2
done

# A valid token (its run keeps going while we measure), a revoked one (its run ended), an expired one (1s ttl).
java -jar "$JAR" exec --job bench/valid --ttl 1h -- sh -c "cp \"\$RUN_IDENTITY_TOKEN_FILE\" '$WORK/valid.jwt'; exec sleep 3600" &
HOLDER=$!
java -jar "$JAR" exec --job bench/revoked -- sh -c "cp \"\$RUN_IDENTITY_TOKEN_FILE\" '$WORK/revoked.jwt'"
java -jar "$JAR" exec --job bench/expired --ttl 1s -- sh -c "cp \"\$RUN_IDENTITY_TOKEN_FILE\" '$WORK/expired.jwt'"
until [ -s "$WORK/valid.jwt" ]; do sleep 0.1; done
sleep 2
for t in valid expired revoked; do
  printf '%-8s active=%s\n' "$t" "$(curl -s -X POST -H 'Content-Type: application/x-www-form-urlencoded' \
    --data "token=$(cat "$WORK/$t.jwt")" "$URL/introspect" | sed 's/.*"active":\([a-z]*\).*/\1/')"
done

echo "# nproc=$(nproc) load=$(cut -d' ' -f1-3 /proc/loadavg) wrk -t$WRK_THREADS -c$CONNECTIONS -d${DURATION}s, serve --threads $SERVE_THREADS"
measure() { # name, then wrk arguments
  name=$1; shift
  line=$(wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency "$@" | grep '^p50_us=')
  printf '%-18s %s\n' "$name" "$line"
  echo "$line" | sed 's/.*rps=\([0-9]*\).*/\1/' > "$WORK/$name.rps"
}
# Warm-up (discarded): let the JIT compile every path before anything is measured.
WARMUP=${WARMUP:-5}
wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" "$URL/jwks" > /dev/null
for t in valid expired revoked; do
  wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" -s "$ROOT/bench/http/introspect.lua" "$URL/introspect" -- "$WORK/$t.jwt" > /dev/null
done
measure jwks -s "$ROOT/bench/http/jwks.lua" "$URL/jwks"
for t in valid expired revoked; do
  measure "introspect-$t" -s "$ROOT/bench/http/introspect.lua" "$URL/introspect" -- "$WORK/$t.jwt"
done

echo "# open loop at half of each maximum (latency from the moment each request was due)"
half() { echo $(( $(cat "$WORK/$1.rps") / 2 )); }
printf '%-18s ' jwks; java -cp "$BENCH" io.jenkins.plugins.runidentity.bench.HttpRate "$URL/jwks" "$(half jwks)" "$DURATION" - "$CONNECTIONS"
for t in valid expired revoked; do
  printf '%-18s ' "introspect-$t"
  java -cp "$BENCH" io.jenkins.plugins.runidentity.bench.HttpRate "$URL/introspect" "$(half introspect-$t)" "$DURATION" "$WORK/$t.jwt" "$CONNECTIONS"
done
