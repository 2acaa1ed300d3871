#!/usr/bin/env bash
# Publish → visible in matchmaking: p50/p95/p99 over COUNT publishes (default 1000) at RATE per second (default 10)
# through the gateway, beside a baseline in the same run (round trip of a synchronous GET through the gateway).
# Starts the stack with deploy/up.sh first (idempotent: a running stack is reused).
# Writes bench/results/publish-latency.json and bench/results/publish-latency.md.
set -euo pipefail

# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh" # cd's to the repository root; sets $root and $results

count=${COUNT:-1000}
rate=${RATE:-10}

th_log "deploy/up.sh (log: .run/logs/bench-up.log)"
: >.run/logs/bench-up.log
bench_up

command="COUNT=$count RATE=$rate bench/publish-latency.sh"
bench_run publish-latency --count "$count" --rate "$rate" --out "$results/publish-latency.json"

jq -r --arg command "$command" '
  "# Publish → visible in matchmaking\n",
  "Command: `\($command)` (commit \(.commit // "?"), \(.at), \(.machine.cores) cores)\n",
  "\(.parameters.count) technologies created and published through the gateway at \(.parameters.rate)/s; latency = matchmaking received_at − listing published_at (same host clock).\n",
  "| measure | n | p50 ms | p95 ms | p99 ms | max ms |",
  "|---|---|---|---|---|---|",
  "| publish → visible in matchmaking | \(.publishToVisibleMs.n) | \(.publishToVisibleMs.p50) | \(.publishToVisibleMs.p95) | \(.publishToVisibleMs.p99) | \(.publishToVisibleMs.max) |",
  "| create + publish requests (client round trip) | \(.publishRequestRoundTripMs.n) | \(.publishRequestRoundTripMs.p50) | \(.publishRequestRoundTripMs.p95) | \(.publishRequestRoundTripMs.p99) | \(.publishRequestRoundTripMs.max) |",
  "| baseline: GET one item through the gateway | \(.baselineGetRoundTripMs.n) | \(.baselineGetRoundTripMs.p50) | \(.baselineGetRoundTripMs.p95) | \(.baselineGetRoundTripMs.p99) | \(.baselineGetRoundTripMs.max) |",
  "",
  "Ratio event latency / baseline GET: p50 \(.ratioP50)×, p95 \(.ratioP95)×. Missing events: \(.missing). 429s waited out: \(.throttled429)."
' "$results/publish-latency.json" >"$results/publish-latency.md"
cat "$results/publish-latency.md"
