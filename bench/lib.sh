# Shared by the bench/*.sh scripts: `source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"` moves to the repository root,
# loads deploy/lib.sh, installs jq if missing, and sets $root and $results (bench/results, created).

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$root"
# shellcheck source-path=SCRIPTDIR/.. source=deploy/lib.sh
source deploy/lib.sh
th_ensure_packages jq
results="$root/bench/results"
mkdir -p "$results"

# bench_up [ENV=VALUE...] — deploy/up.sh (idempotent) with its output in .run/logs/bench-up.log (appended).
bench_up() {
    mkdir -p .run/logs
    env "$@" bash deploy/up.sh >>.run/logs/bench-up.log 2>&1 || {
        tail -n 30 .run/logs/bench-up.log
        th_die "deploy/up.sh failed; see .run/logs/bench-up.log"
    }
}

# bench_up_unthrottled — restarts the stack with the gateway's per-user rate limit raised (so the limit is not what is
# measured) and, when the calling script exits, restarts it with the normal limits.
bench_up_unthrottled() {
    th_log "restarting the stack with a raised gateway rate limit (log: .run/logs/bench-up.log)"
    mkdir -p .run/logs
    : >.run/logs/bench-up.log
    bash deploy/down.sh >>.run/logs/bench-up.log 2>&1 || true
    bench_up RateLimiting__PermitLimit=10000000
    trap 'th_log "restarting the stack with the normal limits"; bash deploy/down.sh >>.run/logs/bench-up.log 2>&1 || true; bench_up' EXIT
}

# bench_run COMMAND ARGS... — runs the bench program (bench/TransferHub.Bench) with BENCH_COMMIT set.
bench_run() {
    local dll="bench/TransferHub.Bench/bin/Release/net10.0/TransferHub.Bench.dll"
    [[ -f $dll ]] || th_die "$dll is missing: dotnet build TransferHub.sln -c Release"
    BENCH_COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo unknown) dotnet "$dll" "$@"
}

# bench_cpu — CPU seconds (user + system) used so far by each process of the stack (.run/pids), PostgreSQL (all its
# backends) and RabbitMQ, one "name seconds" line each. Two snapshots around a run give where the CPU went.
bench_cpu() {
    local tick pid file name
    tick=$(getconf CLK_TCK)
    for file in .run/pids/*.pid; do
        [[ -f $file ]] || continue
        name=$(basename "$file" .pid)
        pid=$(cat "$file")
        [[ -r /proc/$pid/stat ]] && awk -v n="$name" -v t="$tick" '{printf "%s %.2f\n", n, ($14 + $15 + $16 + $17) / t}' "/proc/$pid/stat"
    done
    if [[ -f .run/pg/data/postmaster.pid ]]; then
        pid=$(head -n 1 .run/pg/data/postmaster.pid)
        { cat "/proc/$pid/stat"; for child in $(pgrep -P "$pid"); do cat "/proc/$child/stat" 2>/dev/null; done; } |
            awk -v t="$tick" '{s += $14 + $15} END {printf "postgresql %.2f\n", s / t}'
    fi
    pid=$(pgrep -f "beam.smp.*$PWD/.run/rabbitmq" | head -n 1 || true)
    [[ -n $pid && -r /proc/$pid/stat ]] && awk -v t="$tick" '{printf "rabbitmq %.2f\n", ($14 + $15) / t}' "/proc/$pid/stat"
    return 0
}

# bench_cpu_table BEFORE AFTER SECONDS — a markdown table of the CPU each process used between two bench_cpu snapshots.
bench_cpu_table() {
    echo "| process | CPU seconds | share of one core |"
    echo "|---|---|---|"
    join <(sort "$1") <(sort "$2") | awk -v wall="$3" '{d = $3 - $2; printf "| %s | %.1f | %.0f %% |\n", $1, d, 100 * d / wall}'
}
