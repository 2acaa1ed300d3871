#!/usr/bin/env bash
# Warm start of deploy/up.sh: packages installed, build up to date, data present, nothing running
# (deploy/down.sh first). Baseline in the same run: deploy/up.sh when everything already runs (its no-op path).
# RUNS (default 3) of each; writes bench/results/up-warm-start.json and .md. Leaves the stack running.
set -euo pipefail

# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh" # cd's to the repository root; sets $root and $results

runs=${RUNS:-3}
log="$root/.run/logs/bench-up.log"
mkdir -p "$root/.run/logs"

timed_up() {
    local start
    start=$(date +%s.%N)
    bash deploy/up.sh >>"$log" 2>&1 || {
        tail -n 30 "$log"
        th_die "deploy/up.sh failed; see $log"
    }
    awk -v end="$(date +%s.%N)" -v start="$start" 'BEGIN { printf "%.2f\n", end - start }'
}

th_log "preparing: deploy/up.sh once (installs, builds, seeds; log $log)"
: >"$log"
timed_up >/dev/null
warm=() running=()
for ((i = 1; i <= runs; i++)); do
    bash deploy/down.sh >>"$log" 2>&1
    warm+=("$(timed_up)")
    running+=("$(timed_up)")
    echo "run $i/$runs: warm start ${warm[-1]} s, already running ${running[-1]} s"
done

printf '%s\n' "${warm[@]}" | jq -s --argjson running "$(printf '%s\n' "${running[@]}" | jq -s .)" \
    --arg commit "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)" --arg cores "$(nproc)" '
  def median: sort | .[(length / 2 | floor)];
  {benchmark: "up-warm-start", at: (now | todate), commit: $commit, cores: ($cores | tonumber),
   warmStartSeconds: ., alreadyRunningSeconds: $running,
   warmMedian: median, alreadyRunningMedian: ($running | median),
   ratio: ((median / ($running | median)) * 100 | round / 100)}' >"$results/up-warm-start.json"

jq -r '
  "# Warm start of deploy/up.sh\n",
  "Command: `bench/up-warm-start.sh` (commit \(.commit), \(.at), \(.cores) cores). Warm = after deploy/down.sh, with packages installed, build up to date and data present; it starts PostgreSQL, RabbitMQ and 7 processes, waits for every /health/ready and re-runs the idempotent demo seeding.\n",
  "| measure | runs (s) | median s |",
  "|---|---|---|",
  "| warm start | \(.warmStartSeconds | map(. * 10 | round / 10) | join(", ")) | \(.warmMedian * 10 | round / 10) |",
  "| baseline: up.sh with everything running | \(.alreadyRunningSeconds | map(. * 10 | round / 10) | join(", ")) | \(.alreadyRunningMedian * 10 | round / 10) |",
  "",
  "Ratio warm / already running: \(.ratio)×."
' "$results/up-warm-start.json" >"$results/up-warm-start.md"
cat "$results/up-warm-start.md"
