#!/usr/bin/env bash
# Publish → searchable through the gateway: COUNT technologies (default 200, Thai titles) each created, submitted and
# approved, then the anonymous search polled every 10 ms until it finds them; beside the round trip of the same search
# once indexed, in the same run. Restarts the stack with the gateway's per-user rate limit raised (polling would hit it),
# and with the normal limits at the end. Writes bench/results/search-latency.json and .md.
set -euo pipefail

# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh" # cd's to the repository root; sets $root and $results

count=${COUNT:-200}
bench_up_unthrottled

command="COUNT=$count bench/search-latency.sh"
bench_run search-latency --count "$count" --out "$results/search-latency.json"

jq -r --arg command "$command" '
  "# Publish → searchable\n",
  "Command: `\($command)` (commit \(.commit // "?"), \(.at), \(.machine.cores) cores; the whole stack runs on the same machine)\n",
  "\(.parameters.count) Thai technologies published one after another through the gateway; after each approval the anonymous search for its unique token is polled every 10 ms (client-side measure: includes one search round trip and up to 10 ms of polling).\n",
  "| measure | p50 | p95 | p99 | max |",
  "|---|---|---|---|---|",
  "| publish → searchable, ms | \(.publishToSearchableMs.p50) | \(.publishToSearchableMs.p95) | \(.publishToSearchableMs.p99) | \(.publishToSearchableMs.max) |",
  "| baseline: the same search once indexed, ms | \(.baselineSearchRoundTripMs.p50) | \(.baselineSearchRoundTripMs.p95) | \(.baselineSearchRoundTripMs.p99) | \(.baselineSearchRoundTripMs.max) |",
  "",
  "Ratio p50 \(.ratioP50)×, p95 \(.ratioP95)×. Not found within 10 s: \(.missing). 429s waited out: \(.throttled429). Goal (issue 5): p95 < 500 ms."
' "$results/search-latency.json" >"$results/search-latency.md"
cat "$results/search-latency.md"
