#!/usr/bin/env bash
# Bulk import of COUNT technologies (default 10000) from an XLSX file through the gateway: time from upload to the
# job's completion and the listing process's peak memory, beside the same rows as CSV in the same run.
# Starts the stack with deploy/up.sh first (a running stack is reused). Each run adds 2 × COUNT drafts to the second
# demo institution (tto@kib.transferhub.test). Writes bench/results/import-xlsx.json and bench/results/import-xlsx.md.
set -euo pipefail

# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh" # cd's to the repository root; sets $root and $results

count=${COUNT:-10000}

th_log "deploy/up.sh (log: .run/logs/bench-up.log)"
: >.run/logs/bench-up.log
bench_up

command="COUNT=$count bench/import-xlsx.sh"
bench_run import-xlsx "$root/.run/pids/listing.pid" --count "$count" --out "$results/import-xlsx.json"

jq -r --arg command "$command" '
  "# Bulk import from XLSX\n",
  "Command: `\($command)` (commit \(.commit // "?"), \(.at), \(.machine.cores) cores; the whole stack runs on the same machine)\n",
  "\(.parameters.count) technologies in one file, uploaded through the gateway; time from upload to the import job completed (every row validated, then all inserted as drafts in one transaction, each with its version row). Memory: the listing process resident set (VmRSS) sampled every 100 ms.\n",
  "| file | size KiB | seconds | rows/s | listing RSS before → peak MiB |",
  "|---|---|---|---|---|",
  "| XLSX | \(.xlsx.bytes / 1024 | floor) | \(.xlsx.seconds) | \(.xlsx.rowsPerSecond) | \(.xlsx.rssBeforeMiB) → \(.xlsx.peakRssMiB) |",
  "| baseline: the same rows as CSV | \(.baselineCsv.bytes / 1024 | floor) | \(.baselineCsv.seconds) | \(.baselineCsv.rowsPerSecond) | \(.baselineCsv.rssBeforeMiB) → \(.baselineCsv.peakRssMiB) |",
  "",
  "Ratio XLSX / CSV: time \(.ratioTimeXlsxToCsv)×, memory growth \(.ratioPeakMemoryGrowthXlsxToCsv)×. The CSV run goes first, so its memory growth includes the listing service'"'"'s first import (JIT, heap growth); the XLSX peak is the figure to plan with."
' "$results/import-xlsx.json" >"$results/import-xlsx.md"
cat "$results/import-xlsx.md"
