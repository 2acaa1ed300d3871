#!/usr/bin/env bash
# Private RabbitMQ node on 127.0.0.1 with its own HOME, cookie, config, data, epmd and node name.
# Usage: RMQ_DIR=/abs/dir RMQ_PORT=55672 [RMQ_MGMT_PORT=55673 RMQ_EPMD_PORT=55674 RMQ_DIST_PORT=55675] \
#        deploy/infra/rabbitmq.sh {start|stop|status}
# The optional ports default to RMQ_PORT+1, +2, +3. start writes RMQ_DIR/env.sh exporting all RMQ_* vars,
# so a caller can do: source RMQ_DIR/env.sh; deploy/infra/rabbitmq.sh stop
# Data (durable queues, messages) lives in RMQ_DIR/mnesia and survives stop/start.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
# shellcheck source-path=SCRIPTDIR/.. source=lib.sh
source "$here/../lib.sh"

rmq_bin=/usr/lib/rabbitmq/bin

usage() {
    echo "usage: RMQ_DIR=DIR RMQ_PORT=PORT [RMQ_MGMT_PORT= RMQ_EPMD_PORT= RMQ_DIST_PORT=] $0 {start|stop|status}" >&2
    exit 2
}

(($# == 1)) || usage
action=$1
[[ -n ${RMQ_DIR:-} ]] || th_die "RMQ_DIR is not set (e.g. RMQ_DIR=\$PWD/.run/rabbitmq)"
[[ ${RMQ_PORT:-} =~ ^[0-9]+$ ]] || th_die "RMQ_PORT is not set to a port number (e.g. RMQ_PORT=55672)"
[[ $RMQ_DIR == /* ]] || RMQ_DIR="$PWD/$RMQ_DIR"
RMQ_MGMT_PORT=${RMQ_MGMT_PORT:-$((RMQ_PORT + 1))}
RMQ_EPMD_PORT=${RMQ_EPMD_PORT:-$((RMQ_PORT + 2))}
RMQ_DIST_PORT=${RMQ_DIST_PORT:-$((RMQ_PORT + 3))}
for var in RMQ_MGMT_PORT RMQ_EPMD_PORT RMQ_DIST_PORT; do
    [[ ${!var} =~ ^[0-9]+$ ]] || th_die "$var must be a port number (got '${!var}')"
done

base=$(basename "$RMQ_DIR")
nodename="th-${base//[^A-Za-z0-9_-]/_}-$RMQ_PORT@localhost"
launcher_pid_file="$RMQ_DIR/launcher.pid"
logdir="$RMQ_DIR/log"

# Everything the server and its CLI tools must agree on (the private HOME holds the cookie).
export HOME="$RMQ_DIR/home"
export RABBITMQ_CONF_ENV_FILE="$RMQ_DIR/rabbitmq-env.conf"
export RABBITMQ_CONFIG_FILE="$RMQ_DIR/rabbitmq.conf"
export RABBITMQ_ENABLED_PLUGINS_FILE="$RMQ_DIR/enabled_plugins"
export RABBITMQ_MNESIA_BASE="$RMQ_DIR/mnesia"
export RABBITMQ_LOG_BASE="$logdir"
export RABBITMQ_PID_FILE="$RMQ_DIR/rabbitmq.pid"
export RABBITMQ_NODENAME="$nodename"
export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
export RABBITMQ_NODE_PORT="$RMQ_PORT"
export RABBITMQ_DIST_PORT="$RMQ_DIST_PORT"
export ERL_EPMD_ADDRESS=127.0.0.1
export ERL_EPMD_PORT="$RMQ_EPMD_PORT"
# Loopback-only distribution; no scheduler busy-waiting (2 shared cores).
export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1} +sbwt none +sbwtdcpu none +sbwtdio none"
export RABBITMQ_CTL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"

ping() {
    [[ -f $HOME/.erlang.cookie ]] && "$rmq_bin/rabbitmq-diagnostics" -q ping -t 5 >/dev/null 2>&1
}

launcher_alive() {
    local pid
    [[ -f $launcher_pid_file ]] || return 1
    pid=$(<"$launcher_pid_file")
    [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null
}

epmd_up() {
    epmd -port "$RMQ_EPMD_PORT" -names >/dev/null 2>&1
}

print_status() {
    if ping; then
        echo "rabbitmq: running as $nodename — AMQP 127.0.0.1:$RMQ_PORT, management http://127.0.0.1:$RMQ_MGMT_PORT/ (guest/guest), logs $logdir"
    else
        echo "rabbitmq: stopped ($nodename, dir $RMQ_DIR)"
    fi
}

write_files() {
    local q
    mkdir -p "$HOME" "$RABBITMQ_MNESIA_BASE" "$logdir"
    if [[ ! -s $HOME/.erlang.cookie ]]; then
        head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$HOME/.erlang.cookie"
    fi
    chmod 400 "$HOME/.erlang.cookie"
    : >"$RABBITMQ_CONF_ENV_FILE"
    echo '[rabbitmq_management].' >"$RABBITMQ_ENABLED_PLUGINS_FILE"
    cat >"$RABBITMQ_CONFIG_FILE" <<EOF
listeners.tcp.default = 127.0.0.1:$RMQ_PORT
management.tcp.ip = 127.0.0.1
management.tcp.port = $RMQ_MGMT_PORT
loopback_users.guest = true
EOF
    {
        echo "# written by deploy/infra/rabbitmq.sh start"
        for q in RMQ_DIR RMQ_PORT RMQ_MGMT_PORT RMQ_EPMD_PORT RMQ_DIST_PORT; do
            printf 'export %s=%q\n' "$q" "${!q}"
        done
    } >"$RMQ_DIR/env.sh"
}

check_ports_free() {
    local port
    for port in "$RMQ_PORT" "$RMQ_MGMT_PORT" "$RMQ_DIST_PORT"; do
        if ss -ltnH "sport = :$port" | grep -q .; then
            th_die "port $port is already in use (see: ss -ltnp 'sport = :$port'); stop that process or choose other RMQ_* ports"
        fi
    done
    if ! epmd_up && ss -ltnH "sport = :$RMQ_EPMD_PORT" | grep -q .; then
        th_die "port $RMQ_EPMD_PORT (RMQ_EPMD_PORT) is used by something that is not epmd; choose another port"
    fi
}

fail_start() {
    echo "rabbitmq: $1; last lines of the logs in $logdir:" >&2
    tail -n 20 "$logdir/server.out" "$logdir/$nodename.log" 2>/dev/null >&2 || true
    th_die "RabbitMQ did not start; fix the cause above, then run: source $RMQ_DIR/env.sh; $0 start"
}

start() {
    local started waited=0
    started=$(th_now)
    if [[ ! -x $rmq_bin/rabbitmq-server ]]; then
        th_ensure_packages rabbitmq-server
    fi
    write_files
    if ping; then
        print_status
        return 0
    fi
    if launcher_alive; then
        th_die "a RabbitMQ launcher (pid $(<"$launcher_pid_file")) is running but the node does not answer; run: source $RMQ_DIR/env.sh; $0 stop"
    fi
    check_ports_free
    setsid nohup "$rmq_bin/rabbitmq-server" >"$logdir/server.out" 2>&1 </dev/null &
    echo $! >"$launcher_pid_file"
    # ping answers before the AMQP listener is up; await_startup fails at once before ping answers.
    until ping; do
        launcher_alive || fail_start "the server process exited"
        ((waited++ < 120)) || fail_start "no answer to ping within 60 s"
        sleep 0.5
    done
    "$rmq_bin/rabbitmqctl" -q await_startup --timeout 60 >/dev/null 2>&1 || fail_start "await_startup failed"
    print_status
    echo "rabbitmq: started in $(th_elapsed "$started") s"
}

stop() {
    local pid i
    if ping; then
        "$rmq_bin/rabbitmqctl" -q shutdown >/dev/null 2>&1 || echo "rabbitmq: rabbitmqctl shutdown failed; stopping the process" >&2
    fi
    if launcher_alive; then
        pid=$(<"$launcher_pid_file")
        kill -TERM "$pid" 2>/dev/null || true
        for ((i = 0; i < 60; i++)); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.5
        done
        if kill -0 "$pid" 2>/dev/null; then
            echo "rabbitmq: pid $pid did not stop in 30 s; killing it" >&2
            kill -KILL "$pid" 2>/dev/null || true
        fi
    fi
    # The node's own VM, should it outlive the launcher.
    if [[ -f $RABBITMQ_PID_FILE ]]; then
        pid=$(<"$RABBITMQ_PID_FILE")
        if [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null && grep -qa beam "/proc/$pid/cmdline" 2>/dev/null; then
            kill -KILL "$pid" 2>/dev/null || true
        fi
    fi
    rm -f "$launcher_pid_file" "$RABBITMQ_PID_FILE"
    if epmd_up; then
        epmd -port "$RMQ_EPMD_PORT" -kill >/dev/null 2>&1 || echo "rabbitmq: could not stop epmd on port $RMQ_EPMD_PORT" >&2
    fi
    echo "rabbitmq: stopped ($nodename)"
}

case "$action" in
    start) start ;;
    stop)
        [[ -x $rmq_bin/rabbitmq-server ]] || { echo "rabbitmq: not installed; nothing to stop"; exit 0; }
        stop
        ;;
    status)
        print_status
        ping || exit 3
        ;;
    *) usage ;;
esac
