#!/usr/bin/env bash
# Load test of the custody server (docs/benchmarks.md): signed handoffs per second and latency over loopback.
#
#   ./mvnw -B -q package -DskipTests      # once; this script builds nothing
#   custody-server/run-load.sh            # RATE=1000 DURATION=30 WARMUP=90 by default, about 3 minutes
#
# It prepares a fresh ledger and pre-signed handoffs in a temporary directory, starts the server jar in a
# process of its own, runs the open-loop load client (LoadTool) against it, which prints one summary, and
# stops the server (SIGTERM: it stores what it has in hand and closes the ledger).
# Environment: RATE, DURATION (seconds measured), WARMUP (seconds: the rate rises from 0 over the first half, then
# holds; the measured seconds follow without a pause); SERVER_JAVA_OPTS and CLIENT_JAVA_OPTS replace the JVM options
# (both by default those bin/custody starts the server with: the parallel collector, a 128 MiB young generation, the
# heap's maximum from the start, no full collection for class metadata at start-up), and
# SERVER_EXTRA_OPTS is added to the server's (a JFR recording, say: -XX:StartFlightRecording=filename=s.jfr,settings=profile);
# VERIFY=1 also verifies the whole ledger afterwards (about 10 s per 40,000 entries on a quiet machine);
# KEEP=1 keeps the directory (ledger, requests, server log) instead of deleting it.
set -euo pipefail
cd "$(dirname "$0")/.."
RATE=${RATE:-1000}
DURATION=${DURATION:-30}
WARMUP=${WARMUP:-90}
JVM_DEFAULT="-XX:+UseParallelGC -Xmn128m -XX:InitialRAMPercentage=25 -XX:MetaspaceSize=64m"   # as bin/custody
SERVER_JAVA_OPTS=${SERVER_JAVA_OPTS-$JVM_DEFAULT}
CLIENT_JAVA_OPTS=${CLIENT_JAVA_OPTS-$JVM_DEFAULT}
jar=custody-server/target/custody-server.jar
tests=custody-server/target/test-classes
if [[ ! -f $jar || ! -f $tests/org/custody/server/LoadTool.class ]]; then
    echo "error: build first: ./mvnw -B -q package -DskipTests (needs $jar and $tests)" >&2
    exit 2
fi
cp="$tests:$jar:custody-server/target/lib/*"
dir=$(mktemp -d "${TMPDIR:-/tmp}/custody-load.XXXXXX")
server=
cleanup() {
    if [[ -n $server ]] && kill -0 "$server" 2>/dev/null; then
        kill "$server" 2>/dev/null || true
        wait "$server" 2>/dev/null || true
    fi
    if [[ ${KEEP:-0} == 1 ]]; then echo "kept $dir"; else rm -rf "$dir"; fi
}
trap cleanup EXIT

echo "machine: $(nproc) cores, $(uname -sr), $(java -version 2>&1 | head -1)"
# shellcheck disable=SC2086
# as many handoffs as the run sends: three quarters of the warm-up's (its first half rises to RATE), the measured ones, a second spare
java ${CLIENT_JAVA_OPTS:-} -cp "$cp" org.custody.server.LoadTool prepare --dir "$dir" --count $((RATE * DURATION + (3 * RATE * WARMUP + 3) / 4 + RATE))

# shellcheck disable=SC2086
java ${SERVER_JAVA_OPTS:-} ${SERVER_EXTRA_OPTS:-} -jar "$jar" --ledger "$dir/load.db" --port 0 --tokens "$dir/tokens" >"$dir/server.log" 2>&1 &
server=$!
url=
for _ in $(seq 1 300); do
    url=$(grep -o 'listening on http://[0-9.]*:[0-9]*' "$dir/server.log" | head -1 | sed 's/listening on //') || true
    [[ -n $url ]] && break
    kill -0 "$server" 2>/dev/null || { echo "error: the server did not start:" >&2; cat "$dir/server.log" >&2; exit 1; }
    sleep 0.1
done
[[ -n $url ]] || { echo "error: the server did not say where it listens within 30 s" >&2; exit 1; }
echo "server: pid $server, $url"

# shellcheck disable=SC2086
java ${CLIENT_JAVA_OPTS:-} -cp "$cp" org.custody.server.LoadTool run --url "$url" --dir "$dir" \
    --rate "$RATE" --seconds "$DURATION" --warmup "$WARMUP" --server-pid "$server"

kill "$server"
wait "$server" || true
server=
if [[ ${VERIFY:-0} == 1 ]]; then java -cp "$cp" org.custody.server.LoadTool verify --dir "$dir"; fi
if grep -q ' ERROR \| WARN ' "$dir/server.log"; then
    echo "server log warnings and errors:"; grep ' ERROR \| WARN ' "$dir/server.log" | head -5
fi
