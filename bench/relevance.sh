#!/usr/bin/env bash
# Relevance: the judged queries (tests/Relevance/judged-queries.json) over the corpus (seeds/relevance/corpus.jsonl),
# on the TransferHub engine (embedded Lucene + thesaurus, in process) and on a PostgreSQL full-text baseline
# (to_tsvector 'simple' + pg_trgm) in the same run: nDCG@10, recall@10 and MRR per language, per kind of query and
# overall. Starts its own private PostgreSQL (fsync off) under .run/bench-relevance-pg on port RELEVANCE_PG_PORT
# (default 55439) and stops it at the end. Writes bench/results/relevance.json and .md.
set -euo pipefail

# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh" # cd's to the repository root; sets $root and $results

port=${RELEVANCE_PG_PORT:-55439}
pg_dir="$root/.run/bench-relevance-pg"
pg() { PG_DIR=$pg_dir PG_PORT=$port PG_FSYNC=off bash deploy/infra/postgres.sh "$@"; }
th_log "starting a private PostgreSQL on 127.0.0.1:$port for the baseline"
pg start >/dev/null
trap 'pg stop >/dev/null 2>&1 || true' EXIT

th_log "building the bench program"
dotnet build bench/TransferHub.Bench -c Release -v q -nologo >/dev/null
bench_run relevance --database "Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres" --out "$results/relevance.json"

jq -r --arg command "bench/relevance.sh" '
  def row: "| \(.group) | \(.queries) | \(.engine.ndcg) | \(.enginePreferredLabelsOnly.ndcg) | \(.baseline.ndcg) | \(.engine.recall) | \(.enginePreferredLabelsOnly.recall) | \(.baseline.recall) | \(.engine.mrr) | \(.enginePreferredLabelsOnly.mrr) | \(.baseline.mrr) |";
  "# Relevance: TransferHub engine vs PostgreSQL full-text search\n",
  "Command: `\($command)` (commit \(.commit // "?"), \(.at)). Corpus: \(.corpus) listings in 16 languages (seeds/relevance/corpus.jsonl); \(.judgedQueries) judged queries (tests/Relevance/judged-queries.json); thesaurus of \(.concepts) concepts.\n",
  "Engine: embedded Lucene.Net with per-language analysis and thesaurus concepts, indexed in \(.engine.indexSeconds) s, \(.engine.msPerQuery) ms per query (in process). Baseline: PostgreSQL to_tsvector(\u0027simple\u0027) + pg_trgm word similarity, loaded and indexed in \(.baseline.loadSeconds) s, \(.baseline.msPerQuery) ms per query.\n",
  "nDCG@10 with gains 2^grade − 1 (grade 2: the query concept is among the listing\u0027s keywords, 1: only its summary mentions it); recall@10 and MRR over the grade-2 listings (recall divided by min(10, their number)).\n",
  "Columns: **engine** (full thesaurus), **no syn.** (the same engine with a thesaurus reduced to each concept\u0027s preferred label: listings and queries written with a synonym reach it only through their own words — how much the figures owe to thesaurus coverage), **PG** (the baseline).\n",
  "## Generated queries (thesaurus labels, tests/Relevance/judged-queries.json)\n",
  "| group | queries | nDCG@10 engine | no syn. | PG | recall@10 engine | no syn. | PG | MRR engine | no syn. | PG |",
  "|---|---|---|---|---|---|---|---|---|---|---|",
  (.groups[] | row),
  "",
  "## Natural queries (\(.naturalQueries) written as users type them, tests/Relevance/natural-queries.json)\n",
  "Styles: term, phrase (a need in 3–8 words), question (a sentence), variant (wording not among the thesaurus labels), two-concept, noisy (typos, no diacritics, romanised, mixed with English). Same judging rule by the listings\u0027 concepts; \"answered only in other languages\": no listing in the query\u0027s language is relevant. Odd-numbered queries may be looked at when tuning; even-numbered ones are held out.\n",
  "| group | queries | nDCG@10 engine | no syn. | PG | recall@10 engine | no syn. | PG | MRR engine | no syn. | PG |",
  "|---|---|---|---|---|---|---|---|---|---|---|",
  (.natural[] | row)
' "$results/relevance.json" >"$results/relevance.md"
cat "$results/relevance.md"
