#!/usr/bin/env bash
# Search at scale: COUNT (default 100000) synthetic multilingual listings (the relevance corpus generator, same language
# mix as the demo data) indexed by the embedded engine and loaded into the PostgreSQL full-text baseline in the same run:
# build rate, size, memory, and QUERIES (default 2000) queries (the judged queries' texts; BASELINE_QUERIES for the
# baseline, default QUERIES: at 1 M its queries take seconds) one at a time (p50/p95/p99) and one per core at once
# (throughput) on both, in process, after a warm-up pass over the texts. Then the same queries through the gateway: the engine's
# index is written where the listing service opens it (.run/search/technologies) and the stack is started on it.
# At the end that index is removed and the stack restarted, so listing refills it from its own database.
# Writes bench/results/search-scale-COUNT.json and .md.
set -euo pipefail

# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh" # cd's to the repository root; sets $root and $results

count=${COUNT:-100000}
queries=${QUERIES:-2000}
baseline_queries=${BASELINE_QUERIES:-$queries}
port=${RELEVANCE_PG_PORT:-55439}
pg_dir="$root/.run/bench-relevance-pg"
index="$root/.run/search/technologies"
pg() { PG_DIR=$pg_dir PG_PORT=$port PG_FSYNC=off bash deploy/infra/postgres.sh "$@"; }

restore() {
    th_log "removing the benchmark index and restarting the stack (listing refills its index from its database)"
    bash deploy/down.sh >>.run/logs/bench-up.log 2>&1 || true
    rm -rf "$index"
    pg stop >/dev/null 2>&1 || true
    bench_up
}
mkdir -p .run/logs
th_log "stopping the stack: the benchmark writes the listing service's technology index"
bash deploy/down.sh >>.run/logs/bench-up.log 2>&1 || true
trap restore EXIT
th_log "starting a private PostgreSQL on 127.0.0.1:$port for the baseline"
pg start >/dev/null
th_log "building the bench program"
dotnet build bench/TransferHub.Bench -c Release -v q -nologo >/dev/null

rm -rf "$index"
bench_run search-scale --count "$count" --queries "$queries" --baseline-queries "$baseline_queries" --database "Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres" \
    --index-dir "$index" --out "$results/search-scale-$count.json"
pg stop >/dev/null

th_log "starting the stack on the benchmark index (gateway rate limit raised)"
bench_up RateLimiting__PermitLimit=10000000
bench_run search-gateway --queries "$queries" --out "$results/search-scale-$count-gateway.json"

jq -r -s --arg command "COUNT=$count QUERIES=$queries BASELINE_QUERIES=$baseline_queries bench/search-scale.sh" '
  .[0] as $r | .[1].gateway as $g | .[1].gatewayNatural as $n |
  "# Search at \($r.parameters.count) listings\n",
  "Command: `\($command)` (commit \($r.commit // "?"), \($r.at), \($r.machine.cores) cores; everything on the same machine). \($r.parameters.queries) queries (\($r.parameters.baselineQueries // $r.parameters.queries) on the baseline) cycling through the \($r.parameters.distinctTexts) judged query texts (16 languages), after a warm-up pass over them; one at a time for latency, one per core at once for throughput. In process the engine paused for garbage collection \($r.engine.latency.gcPauseMsPerQuery) ms and allocated \($r.engine.latency.allocatedKiBPerQuery) KiB per query.\n",
  "| | build | size | latency p50 / p95 / p99 ms | throughput q/s | mean total hits |",
  "|---|---|---|---|---|---|",
  "| TransferHub engine, in process | \($r.engine.buildSeconds) s (\($r.engine.docsPerSecond) docs/s) | index \($r.engine.indexMiB) MiB; peak working set \($r.engine.peakWorkingSetMiB) MiB | \($r.engine.latency.p50) / \($r.engine.latency.p95) / \($r.engine.latency.p99) | \($r.engine.latency.queriesPerSecond) | \($r.engine.latency.meanTotalHits) |",
  "| TransferHub through the gateway (anonymous HTTP, listing service) | — | — | \($g.p50) / \($g.p95) / \($g.p99) | \($g.queriesPerSecond) | \($g.meanTotalHits) |",
  "| PostgreSQL FTS baseline (simple + pg_trgm) | \($r.baseline.loadAndIndexSeconds) s (\($r.baseline.docsPerSecond) docs/s) | \($r.baseline.tableAndIndexesMiB) MiB | \($r.baseline.latency.p50) / \($r.baseline.latency.p95) / \($r.baseline.latency.p99) | \($r.baseline.latency.queriesPerSecond) | \($r.baseline.latency.meanTotalHits) |",
  "| natural queries (\($r.parameters.naturalTexts) needs, questions, variants): engine in process | — | — | \($r.engine.latencyNatural.p50) / \($r.engine.latencyNatural.p95) / \($r.engine.latencyNatural.p99) | \($r.engine.latencyNatural.queriesPerSecond) | \($r.engine.latencyNatural.meanTotalHits) |",
  "| natural queries through the gateway | — | — | \($n.p50) / \($n.p95) / \($n.p99) | \($n.queriesPerSecond) | \($n.meanTotalHits) |",
  "| natural queries, PostgreSQL FTS baseline | — | — | \($r.baseline.latencyNatural.p50) / \($r.baseline.latencyNatural.p95) / \($r.baseline.latencyNatural.p99) | \($r.baseline.latencyNatural.queriesPerSecond) | \($r.baseline.latencyNatural.meanTotalHits) |",
  "",
  "Ratios (baseline ÷ engine in process): p50 \(($r.baseline.latency.p50 / $r.engine.latency.p50 * 100 | round) / 100)×, p95 \(($r.baseline.latency.p95 / $r.engine.latency.p95 * 100 | round) / 100)×, throughput \(($r.engine.latency.queriesPerSecond / $r.baseline.latency.queriesPerSecond * 100 | round) / 100)×. Goal (issue 5, at 1 M): p95 < 30 ms through the gateway, ≥ 5× faster than PostgreSQL FTS."
' "$results/search-scale-$count.json" "$results/search-scale-$count-gateway.json" >"$results/search-scale-$count.md"
cat "$results/search-scale-$count.md"
