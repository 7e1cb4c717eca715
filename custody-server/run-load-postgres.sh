#!/usr/bin/env bash
# Load test of the server on a PostgreSQL ledger (docs/benchmarks.md): one instance, then two over one schema, each
# instance with its own LoadTool client posting every other prepared handoff at its share of RATE.
#
#   ./mvnw -B -q package -DskipTests                 # once; this script builds nothing
#   tools/build/test-postgres.sh                     # the local PostgreSQL and its URL file
#   custody-server/run-load-postgres.sh              # RATE=1000 DURATION=20 WARMUP=20 by default
#
# Environment: RATE, DURATION, WARMUP as run-load.sh; CUSTODY_TEST_POSTGRES (a postgresql:// URL) or the URL file
# tools/build/test-postgres.sh writes. Each run uses a fresh schema and drops it afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
RATE=${RATE:-1000}; DURATION=${DURATION:-20}; WARMUP=${WARMUP:-20}
JVM="-XX:+UseParallelGC -Xmn128m -XX:InitialRAMPercentage=25 -XX:MetaspaceSize=64m"   # as bin/custody
cp="custody-server/target/test-classes:custody-server/target/custody-server.jar:custody-server/target/lib/*"
base=${CUSTODY_TEST_POSTGRES:-$(cat "${XDG_CONFIG_HOME:-$HOME/.config}/custody/test-postgres.url")}
count=$((RATE * DURATION + (3 * RATE * WARMUP + 3) / 4 + RATE))
work=$(mktemp -d "${TMPDIR:-/tmp}/custody-load-pg.XXXXXX")
trap 'rm -rf "$work"' EXIT
cat > "$work/Migrate.java" <<'JAVA'
public class Migrate {
    public static void main(String[] a) {
        var m = org.custody.ledger.Migration.copy(org.custody.ledger.LedgerLocation.parse(a[0]),
                org.custody.ledger.LedgerLocation.parse(a[1]), n -> { });
        System.out.println("copied " + m.entries() + " entries into PostgreSQL, intact " + m.report().intact());
    }
}
JAVA
echo "machine: $(nproc) cores, $(uname -sr), $(java -version 2>&1 | head -1)"
run() { # $1 label, $2 instances
    local label=$1 n=$2
    local schema="load_$(date +%s)_$n" dir="$work/$1"
    mkdir -p "$dir"
    # shellcheck disable=SC2086
    java $JVM -cp "$cp" org.custody.server.LoadTool prepare --dir "$dir" --count $count >/dev/null
    local url="$base?schema=$schema"
    java -cp "$cp" "$work/Migrate.java" "$dir/load.db" "$url"
    local pids=() urls=() cpids=()
    for i in $(seq 1 "$n"); do
        # shellcheck disable=SC2086
        java $JVM -jar custody-server/target/custody-server.jar --ledger "$url" --port 0 --tokens "$dir/tokens" >"$dir/server$i.log" 2>&1 &
        pids+=($!)
    done
    for i in $(seq 1 "$n"); do
        local u=
        for _ in $(seq 1 600); do
            u=$(grep -o 'listening on http://[0-9.]*:[0-9]*' "$dir/server$i.log" | head -1 | sed 's/listening on //') || true
            [[ -n $u ]] && break
            sleep 0.1
        done
        [[ -n $u ]] || { echo "error: server $i did not start:" >&2; cat "$dir/server$i.log" >&2; exit 1; }
        urls+=("$u")
    done
    for i in $(seq 1 "$n"); do
        local d="$dir/client$i"
        mkdir -p "$d"
        cp "$dir/tokens" "$dir/token" "$d/"
        awk -v n="$n" -v i="$i" '(NR - 1) % n == i - 1' "$dir/handoffs.jsonl" > "$d/handoffs.jsonl"
        # shellcheck disable=SC2086
        java $JVM -cp "$cp" org.custody.server.LoadTool run --url "${urls[$((i-1))]}" --dir "$d" --rate $((RATE / n)) \
            --seconds "$DURATION" --warmup "$WARMUP" --server-pid "${pids[$((i-1))]}" > "$d/result.txt" 2>&1 &
        cpids+=($!)
    done
    for p in "${cpids[@]}"; do wait "$p" || true; done
    for p in "${pids[@]}"; do kill "$p"; wait "$p" || true; done
    echo "== $label: $n instance(s), $RATE handoffs/s offered in all"
    for i in $(seq 1 "$n"); do echo "-- client $i"; cat "$dir/client$i/result.txt"; done
    psql "$base" -qAtc "SELECT 'entries in the ledger: ' || count(*) FROM $schema.entries" || true
    psql "$base" -qAtc "SET client_min_messages = warning; DROP SCHEMA $schema CASCADE" >/dev/null || true
}
run one 1
run two 2
