#!/usr/bin/env bash
# Builds the solution and runs every test project (tests/*/*.csproj), one at a time.
# Infrastructure: Testcontainers when a Docker engine answers, else a private PostgreSQL (56432) and
# RabbitMQ (56672) under .run/test, stopped again at the end (only what this script started).
# Env: TEST_FILTER (dotnet test --filter), TEST_PROJECT_TIMEOUT (s, default 1200),
#      TEST_TIME_BUDGET (s for the whole script, default 1680).
# The last line printed is always "N passed, N failed, N skipped" (except on a build failure).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$root"
# shellcheck source-path=SCRIPTDIR source=lib.sh
source deploy/lib.sh

test_run="$root/.run/test"
results="$test_run/results"
budget=${TEST_TIME_BUDGET:-1680}
project_timeout=${TEST_PROJECT_TIMEOUT:-1200}

pg_env=(PG_DIR="$test_run/pg" PG_PORT=56432 PG_FSYNC=off)
rmq_env=(RMQ_DIR="$test_run/rabbitmq" RMQ_PORT=56672 RMQ_MGMT_PORT=56673 RMQ_EPMD_PORT=56674 RMQ_DIST_PORT=56675)
started_pg=0
started_rmq=0
current_group=
cleaned=0

test_pg() { env "${pg_env[@]}" bash deploy/infra/postgres.sh "$@"; }
test_rmq() { env "${rmq_env[@]}" bash deploy/infra/rabbitmq.sh "$@"; }

# Stops what this script started; quiet (its output goes to .run/test/cleanup.log).
cleanup() {
    ((cleaned == 0)) || return 0
    cleaned=1
    {
        if [[ -n $current_group ]]; then
            kill -TERM -- "-$current_group" 2>/dev/null || true
        fi
        if ((started_rmq)); then test_rmq stop || true; fi
        if ((started_pg)); then test_pg stop || true; fi
        dotnet build-server shutdown || true
    } >>"$test_run/cleanup.log" 2>&1
}
trap cleanup EXIT
trap 'exit 130' INT TERM

th_require_dotnet
th_ensure_packages postgresql rabbitmq-server docker-compose openssl chromium
mkdir -p "$test_run"
rm -rf "$results" "$test_run/logs" "$test_run/cleanup.log"
mkdir -p "$results"

# 1. Build
th_log "dotnet build TransferHub.sln -c Release (log: $test_run/build.log)"
build_start=$(th_now)
if ! dotnet build TransferHub.sln -c Release -nologo >"$test_run/build.log" 2>&1; then
    grep -E ': error ' "$test_run/build.log" | sort -u | head -n 60 || tail -n 60 "$test_run/build.log"
    echo "build failed (full log: $test_run/build.log); fix the errors above, then run deploy/test.sh again"
    exit 1
fi
echo "build ok in $(th_elapsed "$build_start") s"

# 2. Infrastructure
export TH_REPO_ROOT="$root"
export TH_TEST_CONFIGURATION=Release
if docker info >/dev/null 2>&1; then
    th_log "a Docker engine answers: tests use Testcontainers"
    export TH_TEST_INFRA=containers
else
    th_log "no Docker engine: private PostgreSQL and RabbitMQ under $test_run"
    if test_pg status >/dev/null 2>&1; then
        echo "postgres: already running on 56432; reused (left running)"
    else
        rm -rf "$test_run/pg"
        started_pg=1
        test_pg start
    fi
    if test_rmq status >/dev/null 2>&1; then
        echo "rabbitmq: already running on 56672; reused (left running)"
    else
        rm -rf "$test_run/rabbitmq"
        started_rmq=1
        test_rmq start
    fi
    export TH_TEST_INFRA=local
    export TH_TEST_PG="Host=127.0.0.1;Port=56432;Username=postgres"
    export TH_TEST_RABBIT_HOST=127.0.0.1
    export TH_TEST_RABBIT_PORT=56672
    export TH_TEST_RABBIT_MGMT_PORT=56673
    export TH_TEST_RABBIT_ENV="$test_run/rabbitmq/env.sh"
fi

# 3. Tests, one project at a time
passed=0 failed=0 skipped=0
summary=()

counters=
# One numeric attribute of $counters; 0 when absent.
trx_attr() {
    local value
    value=$(sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<<"$counters")
    echo "${value:-0}"
}

# Reads the Counters element of a trx: sets t_passed t_failed t_skipped.
read_trx() {
    counters=$(grep -o '<Counters [^>]*>' "$1" | head -n 1) || return 1
    t_passed=$(trx_attr passed)
    # Errors, timeouts and aborts count as failures.
    t_failed=$(($(trx_attr failed) + $(trx_attr error) + $(trx_attr timeout) + $(trx_attr aborted)))
    # xunit's skipped tests are total - executed (its notExecuted stays 0); take the larger of the two.
    t_skipped=$(($(trx_attr total) - $(trx_attr executed)))
    if (($(trx_attr notExecuted) > t_skipped)); then
        t_skipped=$(trx_attr notExecuted)
    fi
}

is_test_project() {
    grep -qE 'Microsoft\.NET\.Test\.Sdk|<IsTestProject>[[:space:]]*true' "$1"
}

projects=()
for proj in tests/*/*.csproj; do
    [[ -f $proj ]] || continue
    if is_test_project "$proj"; then
        projects+=("$proj")
    else
        echo "(skipping $proj: not a test project)"
    fi
done

for proj in "${projects[@]}"; do
    name=$(basename "$proj" .csproj)
    trx="$results/$name.trx"
    remaining=$((budget - SECONDS))
    if ((remaining < 60)); then
        echo "!! $name: not run, the time budget of $budget s is spent (raise TEST_TIME_BUDGET)"
        summary+=("$name: not run (time budget spent) — counted as 1 failed")
        failed=$((failed + 1))
        continue
    fi
    limit=$((remaining < project_timeout ? remaining : project_timeout))
    args=(test "$proj" -c Release --no-build --logger "trx;LogFileName=$name.trx" --results-directory "$results"
        --logger "console;verbosity=normal")
    if [[ -n ${TEST_FILTER:-} ]]; then
        args+=(--filter "$TEST_FILTER")
    fi
    th_log "dotnet test $proj (timeout ${limit} s)"
    project_start=$(th_now)
    # timeout runs it in its own process group: anything it leaves behind is stopped with the group.
    timeout -k 30 "$limit" dotnet "${args[@]}" </dev/null &
    current_group=$!
    rc=0
    wait "$current_group" || rc=$?
    kill -TERM -- "-$current_group" 2>/dev/null || true
    current_group=
    took=$(th_elapsed "$project_start")
    if [[ ! -f $trx ]] || ! read_trx "$trx"; then
        why="exited $rc"
        ((rc == 124 || rc == 137)) && why="timed out after $limit s"
        echo "!! $name: no test results ($why) — counted as 1 failed"
        summary+=("$name: no results, $why — counted as 1 failed (${took} s)")
        failed=$((failed + 1))
        continue
    fi
    note=
    if ((rc != 0 && t_failed == 0)); then
        note=" — exited $rc with no failed test recorded, counted as 1 failed"
        ((rc == 124 || rc == 137)) && note=" — timed out after $limit s, counted as 1 failed"
        t_failed=1
    fi
    passed=$((passed + t_passed))
    failed=$((failed + t_failed))
    skipped=$((skipped + t_skipped))
    summary+=("$name: $t_passed passed, $t_failed failed, $t_skipped skipped (${took} s)$note")
done

cleanup
echo
echo "Test projects (results in $results):"
for line in "${summary[@]}"; do
    echo "  $line"
done
if ((${#projects[@]} == 0)); then
    echo "  no test project found under tests/"
fi
if ((passed + failed == 0)); then
    echo "no test ran"
fi
echo "Total time: $SECONDS s"
echo "$passed passed, $failed failed, $skipped skipped"
if ((failed > 0 || passed + failed == 0)); then
    exit 1
fi
