#!/usr/bin/env bash
# Registrations per second at one station through the gateway, with zero loss and zero duplicates checked: COUNT
# contracts (default 2000) drafted and submitted first, then registered by CONCURRENCY closed-loop workers (default 16),
# every tenth clicked twice; beside a plain single-row INSERT baseline into PostgreSQL with the same workers, in the
# same run. Restarts the stack with the gateway's per-user rate limit raised (the limit is not what is measured), and
# with the normal limits at the end. Writes bench/results/registration-throughput.json and .md.
set -euo pipefail

# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh" # cd's to the repository root; sets $root and $results

count=${COUNT:-2000}
concurrency=${CONCURRENCY:-16}
if [[ -n ${TH_PG_CONNECTION:-} ]]; then
    database="${TH_PG_CONNECTION%;};Database=th_registration"
else
    database="Host=127.0.0.1;Port=55432;Username=postgres;Database=th_registration"   # deploy/up.sh's private PostgreSQL
fi

bench_up_unthrottled

command="COUNT=$count CONCURRENCY=$concurrency bench/registration-throughput.sh"
bench_cpu >.run/bench-cpu-before
started=$(date +%s.%N)
bench_run registration-throughput --count "$count" --concurrency "$concurrency" --database "$database" \
    --out "$results/registration-throughput.json"
bench_cpu >.run/bench-cpu-after
wall=$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN {printf "%.1f", b - a}')

jq -r --arg command "$command" '
  "# Registration throughput\n",
  "Command: `\($command)` (commit \(.commit // "?"), \(.at), \(.machine.cores) cores; the whole stack runs on the same machine)\n",
  "\(.parameters.count) contracts submitted beforehand, then registered at one station (Kunming, 530101) through the gateway by \(.parameters.concurrency) closed-loop workers; every tenth registration clicked twice.\n",
  "| measure | value |",
  "|---|---|",
  "| registrations per second | \(.registrationsPerSecond) |",
  "| one registration, p50 / p95 / p99 ms | \(.registerMs.p50) / \(.registerMs.p95) / \(.registerMs.p99) |",
  "| lost (not registered on read-back) | \(.lost) |",
  "| duplicate numbers | \(.duplicates) |",
  "| serials contiguous | \(.serialsContiguous) |",
  "| double clicks answered 409 | \(.doubleClicksRefused) |",
  "| baseline: plain single-row INSERTs per second | \(.baselineInsertsPerSecond) |",
  "| baseline INSERT, p50 / p95 / p99 ms | \(.baselineInsertMs.p50) / \(.baselineInsertMs.p95) / \(.baselineInsertMs.p99) |",
  "",
  "Ratio registrations / baseline INSERTs per second: \(.ratioToBaseline)×. 429s waited out: \(.throttled429). Goal: 500 registrations/s."
' "$results/registration-throughput.json" >"$results/registration-throughput.md"
{
    echo
    echo "Where the CPU went during the whole run (submissions, registrations, read-back, baseline: ${wall} s on $(nproc) cores, the bench client not counted):"
    echo
    bench_cpu_table .run/bench-cpu-before .run/bench-cpu-after "$wall"
} >>"$results/registration-throughput.md"
cat "$results/registration-throughput.md"
