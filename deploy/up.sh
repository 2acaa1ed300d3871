#!/usr/bin/env bash
# Starts the whole TransferHub stack on this machine (loopback only) with demo data.
# Idempotent: what already runs and answers is reused. Stop it all with deploy/down.sh.
# Env: GATEWAY_PORT (default 8080), UP_NO_BUILD=1 (skip dotnet build).
set -euo pipefail

started=$(date +%s.%N)
TH_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$TH_ROOT"
# shellcheck source-path=SCRIPTDIR source=lib.sh
source deploy/lib.sh
# shellcheck source-path=SCRIPTDIR source=services.sh
source deploy/services.sh

ready_timeout=90

# 200 from http://127.0.0.1:PORT/PATH
answers() {
    curl -fsS -o /dev/null -m 3 "http://127.0.0.1:$1$2" 2>/dev/null
}

make_keys() {
    mkdir -p "$TH_KEYS"
    chmod 700 "$TH_KEYS"
    if [[ ! -s $TH_KEYS/jwt-private.pem ]]; then
        th_log "creating JWT signing key $TH_KEYS/jwt-private.pem (EC P-256)"
        (umask 077 && openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$TH_KEYS/jwt-private.pem")
        rm -f "$TH_KEYS/jwt-public.pem"
    fi
    if [[ ! -s $TH_KEYS/jwt-public.pem ]]; then
        openssl pkey -in "$TH_KEYS/jwt-private.pem" -pubout -out "$TH_KEYS/jwt-public.pem"
    fi
}

build() {
    if [[ ${UP_NO_BUILD:-0} == 1 ]]; then
        th_log "UP_NO_BUILD=1: not building"
        return
    fi
    # Skips the (10 s+) incremental build when no source file changed since the last successful one (the thesaurus
    # counts: the build copies it beside the services, and an index read with another one is rebuilt at start-up).
    local stamp="$TH_RUN/build.stamp" changed
    if [[ -f $stamp ]]; then
        changed=$(find TransferHub.sln Directory.Build.props Directory.Packages.props global.json services gateway seeds/thesaurus \
            \( -name bin -o -name obj \) -prune -o -type f -newer "$stamp" -print -quit)
        if [[ -z $changed ]]; then
            th_log "build up to date (no source changed since $(date -r "$stamp" '+%F %T')); not building"
            return
        fi
    fi
    th_log "dotnet build TransferHub.sln -c Release (log: $TH_LOGS/build.log)"
    local started
    started=$(mktemp)
    if ! dotnet build TransferHub.sln -c Release -nologo >"$TH_LOGS/build.log" 2>&1; then
        rm -f "$started"
        grep -E ': error ' "$TH_LOGS/build.log" | sort -u | head -n 40 >&2 || tail -n 40 "$TH_LOGS/build.log" >&2
        th_die "the build failed (full log: $TH_LOGS/build.log); fix the errors above and run deploy/up.sh again"
    fi
    # the stamp carries the build's start time, so an edit made during the build triggers the next one
    mv "$started" "$stamp"
}

# Starts one service unless its recorded process is alive, answers /health/live and was not rebuilt since.
start_service() {
    local name=$1 port=${TH_PORT[$1]} dll pid pidfile="$TH_PIDS/$1.pid" env_lines=()
    dll=$(th_service_dll "$name")
    [[ -f $dll ]] || th_die "$name: $dll is missing; build first (dotnet build TransferHub.sln -c Release) or run deploy/up.sh without UP_NO_BUILD=1"
    pid=$(th_service_pid "$name")
    if [[ -n $pid ]]; then
        if answers "$port" /health/live && [[ ! $dll -nt $pidfile ]]; then
            echo "$name: already running (pid $pid, port $port); reused"
            return
        fi
        if [[ $dll -nt $pidfile ]]; then
            echo "$name: rebuilt since it started; restarting"
        else
            echo "$name: pid $pid does not answer /health/live; restarting"
        fi
        th_stop_pid "$pid" "$name"
    fi
    rm -f "$pidfile"
    if ss -ltnH "sport = :$port" | grep -q .; then
        th_die "$name: port $port is in use by another process (see: ss -ltnp 'sport = :$port'); stop it, then run deploy/up.sh again"
    fi
    mapfile -t env_lines < <(th_service_env "$name")
    # From the dll's folder: ASP.NET Core reads appsettings.json from the working directory.
    (cd "$(dirname "$dll")" && exec env "${env_lines[@]}" nohup dotnet "$dll" >"$TH_LOGS/$name.log" 2>&1 </dev/null) &
    echo $! >"$pidfile"
    echo "$name: started (pid $!, port $port, log $TH_LOGS/$name.log)"
}

wait_ready() {
    local name=$1 port=${TH_PORT[$1]} pid deadline
    deadline=$((SECONDS + ready_timeout))
    until answers "$port" /health/ready; do
        pid=$(th_service_pid "$name")
        if [[ -z $pid ]] || ((SECONDS >= deadline)); then
            if [[ -z $pid ]]; then
                echo "$name: the process exited before it was ready; last 30 lines of $TH_LOGS/$name.log:" >&2
            else
                echo "$name: not ready after ${ready_timeout} s (http://127.0.0.1:$port/health/ready); last 30 lines of $TH_LOGS/$name.log:" >&2
            fi
            tail -n 30 "$TH_LOGS/$name.log" >&2 || true
            th_die "$name did not become ready; fix the cause above and run deploy/up.sh again (running parts are reused), or deploy/down.sh to stop everything"
        fi
        sleep 0.5
    done
    echo "$name: ready"
}

th_require_dotnet
th_ensure_packages postgresql rabbitmq-server openssl curl jq
mkdir -p "$TH_LOGS" "$TH_PIDS"

th_pg start
th_rmq start
make_keys
build

missing=()
for name in "${TH_SERVICES[@]}"; do
    [[ -f $(th_service_dll "$name") ]] || missing+=("$(th_service_dll "$name")")
done
if ((${#missing[@]})); then
    printf '  missing: %s\n' "${missing[@]}" >&2
    th_die "built services are missing; run: dotnet build TransferHub.sln -c Release (or deploy/up.sh without UP_NO_BUILD=1)"
fi
for name in "${TH_SERVICES[@]}"; do
    [[ $name == gateway ]] || start_service "$name"
done
for name in "${TH_SERVICES[@]}"; do
    [[ $name == gateway ]] || wait_ready "$name"
done
start_service gateway
wait_ready gateway

bash deploy/seed-demo.sh "http://127.0.0.1:$GATEWAY_PORT"

echo
echo "TransferHub is up: http://127.0.0.1:$GATEWAY_PORT/"
echo "Demo accounts: $TH_ROOT/seeds/demo-accounts.json"
echo "Logs: $TH_LOGS   Stop: deploy/down.sh"
echo "up.sh took $(th_elapsed "$started") s"
