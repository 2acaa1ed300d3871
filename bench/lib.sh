# Shared by the bench/*.sh scripts (source it after deploy/lib.sh, from the repository root).

# bench_up [ENV=VALUE...] — deploy/up.sh (idempotent) with its output in .run/logs/bench-up.log (appended).
bench_up() {
    mkdir -p .run/logs
    env "$@" bash deploy/up.sh >>.run/logs/bench-up.log 2>&1 || {
        tail -n 30 .run/logs/bench-up.log
        th_die "deploy/up.sh failed; see .run/logs/bench-up.log"
    }
}

# bench_run COMMAND ARGS... — runs the bench program (bench/TransferHub.Bench) with BENCH_COMMIT set.
bench_run() {
    local dll="bench/TransferHub.Bench/bin/Release/net10.0/TransferHub.Bench.dll"
    [[ -f $dll ]] || th_die "$dll is missing: dotnet build TransferHub.sln -c Release"
    BENCH_COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo unknown) dotnet "$dll" "$@"
}
