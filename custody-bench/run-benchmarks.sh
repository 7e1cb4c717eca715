#!/usr/bin/env bash
# Runs the benchmark suite as docs/benchmarks.md reports it, from the repository root:
#   custody-bench/run-benchmarks.sh [results-dir] [more JMH options or a benchmark regex]
# Needs custody-bench/target/benchmarks.jar (./mvnw -B package -DskipTests). Builds the verification
# ledgers on first use. While JMH runs, logs every 10 s the load average and the share of the two cores
# taken by processes other than this run, so a run disturbed by other work can be told apart.
set -euo pipefail
cd "$(dirname "$0")/.."
jar="$PWD/custody-bench/target/benchmarks.jar"
out="${1:-custody-bench/target/results/$(date +%Y%m%d-%H%M%S)}"
shift || true
mkdir -p "$out"

cpu_busy() { awk '/^cpu /{print $2+$3+$4+$7+$8}' /proc/stat; }
ours_busy() {
  local sum=0 pid t
  for pid in $(pgrep -f -- "$jar" || true); do
    t=$(awk '{print $14+$15}' "/proc/$pid/stat" 2>/dev/null || echo 0)
    sum=$((sum + t))
  done
  echo "$sum"
}
monitor() {
  local hz cores prev_total prev_ours total ours others
  hz=$(getconf CLK_TCK); cores=$(nproc)
  prev_total=$(cpu_busy); prev_ours=$(ours_busy)
  while sleep 10; do
    total=$(cpu_busy); ours=$(ours_busy)
    # a JMH fork that ended since the last sample makes ours drop: count it as 0 for that sample
    others=$(( (total - prev_total) - (ours > prev_ours ? ours - prev_ours : 0) ))
    echo "$(date +%T) load $(cut -d' ' -f1-3 /proc/loadavg) others $(( 100 * others / (10 * hz * cores) ))% of ${cores} cores"
    prev_total=$total; prev_ours=$ours
  done
}

{ echo "# $(date -u +%FT%TZ) $(uname -a)"; nproc; free -m | head -2; java -version 2>&1; uptime; } > "$out/machine.txt"
java -cp "$jar" org.custody.bench.BuildLedgers 10000 100000
monitor > "$out/load.log" &
monitor_pid=$!
trap 'kill "$monitor_pid" 2>/dev/null || true' EXIT
java -jar "$jar" -f 2 -wi 3 -w 5s -i 3 -r 10s -rf json -rff "$out/jmh.json" "${@:-SignatureBench|AppendBench|VerifyBench}" \
  | tee "$out/jmh.txt"
kill "$monitor_pid" 2>/dev/null || true
java -cp "$jar" org.custody.bench.Ratios "$out/jmh.json" | tee "$out/ratios.md"
awk '{sum += $(NF-3)+0; n++} END {if (n) printf "others took %.0f%% of the cores on average over %d samples\n", sum / n, n}' "$out/load.log" \
  | tee -a "$out/ratios.md"
