#!/bin/sh
# Times each page of the inspector console over HTTP against one ledger file (docs/benchmarks.md, issue #17):
#   custody-bench/console-probe.sh LEDGER.db [ROUNDS]
# Starts custody-server.jar (custody-server/target, built by `./mvnw -B -o -q -pl custody-server -am package
# -DskipTests`) on a free loopback port with a throwaway inspector token, waits for it to open the ledger (a file
# kept by an older rules' state version is rebuilt then: that time is printed too), then asks every page ROUNDS
# times (default 6) and prints, per page, the HTTP status, the answer's size and each round's time in ms (curl's
# time_total: request sent to last byte read). The bench workload's ledgers (BuildLedgers) have 1,000 question-paper
# bags at site K01, one per room 0000-0999, session S1, people P001-P005, each bag sealed FT-2021-<1001000 + i>.
set -eu
ledger=$1
rounds=${2:-6}
here=$(cd "$(dirname "$0")/.." && pwd)
jar=${CUSTODY_SERVER_JAR:-$here/custody-server/target/custody-server.jar}
work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
java -jar "$jar" new-token --roles inspector --name console-probe > "$work/token.txt"
token=$(sed -n 2p "$work/token.txt" | tr -d ' ')
sed -n 4p "$work/token.txt" | sed 's/^ *//' > "$work/tokens"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
start=$(date +%s.%N)
java -XX:+UseParallelGC -Xmn128m -XX:InitialRAMPercentage=25 -XX:MetaspaceSize=64m -jar "$jar" --ledger "$ledger" \
    --port "$port" --host 127.0.0.1 --tokens "$work/tokens" > "$work/server.log" 2>&1 &
pid=$!
until grep -q "listening" "$work/server.log"; do
    kill -0 "$pid" 2>/dev/null || { cat "$work/server.log"; exit 1; }
    sleep 0.5
done
echo "server up (ledger opened) in $(echo "$(date +%s.%N) - $start" | bc) s"
base=http://127.0.0.1:$port
id=$(sqlite3 "$ledger" "SELECT value FROM custody_meta WHERE name = 'ledger'")
c=$base/console/$id
page() { # name url
    printf '%-44s' "$1"
    for i in $(seq "$rounds"); do
        curl -s -o "$work/body" -w '%{http_code} %{size_download} %{time_total}\n' -H "Authorization: Bearer $token" "$2" \
            > "$work/t"
        read -r code size secs < "$work/t"
        printf ' %s' "$(echo "$secs * 1000" | bc | sed 's/\..*//')"
    done
    printf '   (HTTP %s, %s bytes)\n' "$code" "$size"
}
echo "page (ms per round, $rounds rounds)"
page "board" "$c/board"
page "search: bag id (303 to its story)" "$c/search?q=HN.K01.0500.S1.ENG.A"
page "search: room 0007" "$c/search?q=0007"
page "search: site K01, page 1" "$c/search?q=K01"
page "search: site K01, page 20" "$c/search?q=K01&page=20"
page "search: session S1" "$c/search?q=S1"
page "search: bag id prefix HN.K01.05" "$c/search?q=HN.K01.05"
page "search: person P004" "$c/search?q=P004"
page "search: seal FT-2021-1001500" "$c/search?q=FT-2021-1001500"
page "a bag's story (its 1,000 entries)" "$c/bags/HN.K01.0500.S1.ENG.A"
page "reconciliation (1,000 rooms)" "$c/reconciliation"
page "findings (first page)" "$c/findings"
page "findings of R16" "$c/findings?code=R16"
page "findings of site K01 from 2021-06-01" "$c/findings?site=K01&from=2021-06-01"
page "integrity (head, checkpoint)" "$c/integrity"
