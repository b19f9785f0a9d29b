#!/bin/sh
# Start-up of `run-identity exec -- true` next to a bare JVM start (hello world), with hyperfine.
#
#   mvn -B -q -Pstand-in -DskipTests package
#   apt-get install -y hyperfine
#   bench/exec/run.sh            # RUNS=20 WARMUP=3; writes bench/target/exec.md (hyperfine's markdown table)
#
# The state folder is a scratch one under bench/target. The launcher (bin/run-identity) records its CDS archive on
# its first start; that start happens here, before anything is measured.
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
JAR=$ROOT/cli/target/run-identity.jar
RUNS=${RUNS:-20}
WARMUP=${WARMUP:-3}
WORK=$ROOT/bench/target/exec
rm -rf "$WORK"
mkdir -p "$WORK/hello"
printf 'public class Hello { public static void main(String[] a) { System.out.println("hello"); } }\n' > "$WORK/Hello.java"
javac -d "$WORK/hello" "$WORK/Hello.java"
export RUN_IDENTITY_HOME="$WORK/state"
java -jar "$JAR" init > /dev/null
"$ROOT/bin/run-identity" exec -- true   # records the CDS archive if it is missing or stale
echo "# nproc=$(nproc) load=$(cut -d' ' -f1-3 /proc/loadavg) $(java -version 2>&1 | sed -n 2p)"
cd "$ROOT"
hyperfine -N -w "$WARMUP" -r "$RUNS" --export-markdown "$ROOT/bench/target/exec.md" \
  "java -cp $WORK/hello Hello" \
  "java -jar cli/target/run-identity.jar exec -- true" \
  "bin/run-identity exec -- true"
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
