#!/usr/bin/env bash
# The bound measured beside each benchmark (docs/benchmarks.md): on this virtual machine the speed drifts by up
# to 20 % over minutes, so a bound measured once and set against a quarter of an hour of other benchmarks
# measures the drift as much as the code. This runs, in turn, the bound, one benchmark, the bound again, the
# next benchmark, ..., the bound, each a JMH run of its own, and sets each benchmark against the mean of the
# two bound runs beside it (Ratios --paired). From the repository root:
#   custody-bench/run-paired.sh [results-dir] [benchmark regex ...]
# default benchmarks: the four batch1000 appends and VerifyBench at 100 k entries. JMH options: JMH_OPTS
# (default -f 2 -wi 3 -w 5s -i 3 -r 10s; the bound runs one fork of the same). About 25 minutes with the defaults.
set -euo pipefail
cd "$(dirname "$0")/.."
jar="$PWD/custody-bench/target/benchmarks.jar"
[[ -f $jar ]] || { echo "error: build first: ./mvnw -B -q package -DskipTests" >&2; exit 2; }
out="${1:-custody-bench/target/results/paired-$(date +%Y%m%d-%H%M%S)}"
shift || true
benchmarks=("$@")
if [[ ${#benchmarks[@]} -eq 0 ]]; then
  benchmarks=('AppendBench.batch1000$' 'AppendBench.batch1000Checkpointed$' 'AppendBench.batch1000Pipelined$'
              'AppendBench.batch1000PipelinedCheckpointed$' 'VerifyBench')
fi
read -r -a opts <<< "${JMH_OPTS:--f 2 -wi 3 -w 5s -i 3 -r 10s}"
bound_opts=("${opts[@]}")
for i in "${!bound_opts[@]}"; do [[ ${bound_opts[$i]} == -f ]] && bound_opts[$((i + 1))]=1; done
mkdir -p "$out"
{ echo "# $(date -u +%FT%TZ) $(uname -a)"; nproc; java -version 2>&1; uptime; } > "$out/machine.txt"
java -cp "$jar" org.custody.bench.BuildLedgers 10000 100000
files=()
n=0
bound() {
  n=$((n + 1))
  java -jar "$jar" "${bound_opts[@]}" -rf json -rff "$out/$n-bound.json" 'SignatureBench.ed25519Bc2$' >> "$out/jmh.txt"
  files+=("$out/$n-bound.json")
}
bound
for b in "${benchmarks[@]}"; do
  n=$((n + 1))
  echo "$(date +%T) $b (load $(cut -d' ' -f1-3 /proc/loadavg))" | tee -a "$out/progress.txt"
  java -jar "$jar" "${opts[@]}" -rf json -rff "$out/$n-bench.json" -p size=100000 "$b" >> "$out/jmh.txt"
  files+=("$out/$n-bench.json")
  bound
done
java -cp "$jar" org.custody.bench.Ratios --paired "${files[@]}" | tee "$out/ratios.md"
