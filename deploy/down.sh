#!/usr/bin/env bash
# Stops what deploy/up.sh started: the services recorded in .run/pids, then RabbitMQ and PostgreSQL.
# Data stays in .run (remove .run/pg and .run/rabbitmq for a fresh start).
set -euo pipefail

TH_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$TH_ROOT"
# shellcheck source-path=SCRIPTDIR source=lib.sh
source deploy/lib.sh
# shellcheck source-path=SCRIPTDIR source=services.sh
source deploy/services.sh

# TERM to every recorded service at once (gateway first), then up to 10 s, then KILL.
names=() pids=()
for ((i = ${#TH_SERVICES[@]} - 1; i >= 0; i--)); do
    name=${TH_SERVICES[i]}
    [[ -f $TH_PIDS/$name.pid ]] || continue
    pid=$(th_service_pid "$name")
    if [[ -n $pid ]]; then
        kill -TERM "$pid" 2>/dev/null || true
        names+=("$name")
        pids+=("$pid")
    else
        echo "$name: not running (stale pid file removed)"
    fi
    rm -f "$TH_PIDS/$name.pid"
done
# A pid file of no known service (e.g. a renamed one): same treatment, if it is a dotnet process.
for file in "$TH_PIDS"/*.pid; do
    [[ -f $file ]] || continue
    pid=$(<"$file")
    if [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null && grep -qa dotnet "/proc/$pid/cmdline" 2>/dev/null; then
        kill -TERM "$pid" 2>/dev/null || true
        names+=("$(basename "$file" .pid)")
        pids+=("$pid")
    fi
    rm -f "$file"
done
for ((tick = 0; tick < 50; tick++)); do
    alive=0
    for pid in "${pids[@]}"; do
        if kill -0 "$pid" 2>/dev/null; then alive=1; fi
    done
    ((alive)) || break
    sleep 0.2
done
for i in "${!pids[@]}"; do
    if kill -0 "${pids[i]}" 2>/dev/null; then
        echo "${names[i]}: pid ${pids[i]} still running after 10 s; killing it"
        kill -KILL "${pids[i]}" 2>/dev/null || true
    fi
    echo "${names[i]}: stopped (pid ${pids[i]})"
done

th_rmq stop
th_pg stop
