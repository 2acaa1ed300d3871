#!/usr/bin/env bash
# Create + submit + approve throughput of technologies through the gateway: COUNT technologies (default 2000) by
# CONCURRENCY closed-loop workers (default 8), beside a baseline in the same run (reading one technology through the
# gateway with the same workers). Restarts the stack with the gateway's per-user rate limit raised (so the limit, 300
# requests per 10 s, is not what is measured), and restarts it with the normal limits at the end.
# Writes bench/results/listing-throughput.json and bench/results/listing-throughput.md.
set -euo pipefail

# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh" # cd's to the repository root; sets $root and $results

count=${COUNT:-2000}
concurrency=${CONCURRENCY:-8}

bench_up_unthrottled

command="COUNT=$count CONCURRENCY=$concurrency bench/listing-throughput.sh"
bench_run listing-throughput --count "$count" --concurrency "$concurrency" --out "$results/listing-throughput.json"

jq -r --arg command "$command" '
  "# Listing write throughput\n",
  "Command: `\($command)` (commit \(.commit // "?"), \(.at), \(.machine.cores) cores; the whole stack runs on the same machine)\n",
  "\(.parameters.count) technologies, each created, submitted and approved through the gateway (3 writes) by \(.parameters.concurrency) closed-loop workers.\n",
  "| measure | value |",
  "|---|---|",
  "| technologies published per second | \(.technologiesPerSecond) |",
  "| write requests per second | \(.writeRequestsPerSecond) |",
  "| one create+submit+approve cycle, p50 / p95 / p99 ms | \(.publishCycleMs.p50) / \(.publishCycleMs.p95) / \(.publishCycleMs.p99) |",
  "| baseline: reads of one technology per second | \(.baselineReadsPerSecond) |",
  "| baseline read, p50 / p95 / p99 ms | \(.baselineReadMs.p50) / \(.baselineReadMs.p95) / \(.baselineReadMs.p99) |",
  "",
  "Ratio write requests / baseline read requests per second: \(.ratioWriteToReadRequests)×. 429s waited out: \(.throttled429)."
' "$results/listing-throughput.json" >"$results/listing-throughput.md"
cat "$results/listing-throughput.md"
