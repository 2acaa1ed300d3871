#!/usr/bin/env bash
# Private PostgreSQL cluster on 127.0.0.1, run as the postgres user.
# Usage: PG_DIR=/abs/dir PG_PORT=55432 deploy/infra/postgres.sh {start|stop|status}
# Optional: PG_FSYNC=off (tests only: no fsync), PG_MAX_CONNECTIONS (default 200).
# Layout: PG_DIR/data (cluster), PG_DIR/log/postgresql.log, PG_DIR/run (socket).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
# shellcheck source-path=SCRIPTDIR/.. source=lib.sh
source "$here/../lib.sh"

usage() {
    echo "usage: PG_DIR=DIR PG_PORT=PORT [PG_FSYNC=off] $0 {start|stop|status}" >&2
    exit 2
}

(($# == 1)) || usage
action=$1
[[ -n ${PG_DIR:-} ]] || th_die "PG_DIR is not set (e.g. PG_DIR=\$PWD/.run/pg)"
[[ ${PG_PORT:-} =~ ^[0-9]+$ ]] || th_die "PG_PORT is not set to a port number (e.g. PG_PORT=55432)"
[[ $PG_DIR == /* ]] || PG_DIR="$PWD/$PG_DIR"
data="$PG_DIR/data"
logdir="$PG_DIR/log"
logfile="$logdir/postgresql.log"

# Newest installed server version; installs postgresql when none.
find_bindir() {
    local initdb
    if ! compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null; then
        [[ $action == start ]] || th_die "PostgreSQL is not installed (start installs it)"
        th_ensure_packages postgresql >&2
    fi
    initdb=$(printf '%s\n' /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)
    [[ -x $initdb ]] || th_die "no PostgreSQL initdb under /usr/lib/postgresql; run: apt-get install -y postgresql"
    dirname "$initdb"
}

# Runs a command as postgres from / (the caller's cwd may be closed to it).
as_postgres() {
    (cd / && runuser -u postgres -- "$@")
}

# Lets postgres reach PG_DIR: o+x on each parent that it cannot traverse.
make_traversable() {
    local dir=$PG_DIR
    local parents=()
    while [[ $dir != / ]]; do
        dir=$(dirname "$dir")
        parents=("$dir" "${parents[@]}")
    done
    for dir in "${parents[@]}"; do
        if ! runuser -u postgres -- test -x "$dir"; then
            echo "postgres: making $dir traversable (chmod o+x) so the postgres user can reach $PG_DIR"
            chmod o+x "$dir"
        fi
    done
}

is_running() {
    [[ -f $data/PG_VERSION ]] && as_postgres "$bindir/pg_ctl" status -D "$data" >/dev/null 2>&1
}

print_status() {
    local pid
    if is_running; then
        pid=$(head -n 1 "$data/postmaster.pid" 2>/dev/null || echo '?')
        echo "postgres: running on 127.0.0.1:$PG_PORT (pid $pid, data $data, log $logfile)"
    elif [[ -f $data/PG_VERSION ]]; then
        echo "postgres: stopped (data $data)"
    else
        echo "postgres: not initialised ($data does not exist)"
    fi
}

start() {
    local started socketdir opts
    started=$(th_now)
    if is_running; then
        print_status
        return 0
    fi
    if ss -ltnH "sport = :$PG_PORT" | grep -q .; then
        th_die "port $PG_PORT is already in use (see: ss -ltnp 'sport = :$PG_PORT'); stop that process or choose another PG_PORT"
    fi
    mkdir -p "$PG_DIR"
    make_traversable
    mkdir -p "$logdir" "$PG_DIR/run"
    chown postgres: "$PG_DIR" "$logdir" "$PG_DIR/run"
    if [[ ! -f $data/PG_VERSION ]]; then
        echo "postgres: initdb $data"
        mkdir -p "$data"
        chown postgres: "$data"
        chmod 700 "$data"
        as_postgres "$bindir/initdb" -D "$data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$logdir/initdb.log" 2>&1 \
            || th_die "initdb failed; see $logdir/initdb.log (remove $data to start over)"
    fi
    # A unix socket path is limited to 107 bytes.
    socketdir="$PG_DIR/run"
    if ((${#socketdir} > 90)); then
        socketdir="/tmp/th-pg-$PG_PORT"
        mkdir -p "$socketdir"
        chown postgres: "$socketdir"
    fi
    opts="-p $PG_PORT -k $socketdir -c listen_addresses=127.0.0.1 -c max_connections=${PG_MAX_CONNECTIONS:-200}"
    if [[ ${PG_FSYNC:-on} == off ]]; then
        opts+=" -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    fi
    if ! as_postgres "$bindir/pg_ctl" -D "$data" -l "$logfile" -w -t 60 -o "$opts" start >/dev/null; then
        echo "postgres: start failed; last lines of $logfile:" >&2
        tail -n 20 "$logfile" >&2 || true
        th_die "PostgreSQL did not start; fix the cause above, then run: PG_DIR=$PG_DIR PG_PORT=$PG_PORT $0 start"
    fi
    print_status
    echo "postgres: started in $(th_elapsed "$started") s"
}

stop() {
    if ! is_running; then
        print_status
        return 0
    fi
    as_postgres "$bindir/pg_ctl" -D "$data" -m fast -w -t 60 stop >/dev/null \
        || th_die "pg_ctl stop failed; see $logfile"
    echo "postgres: stopped (127.0.0.1:$PG_PORT)"
}

bindir=$(find_bindir)
case "$action" in
    start) start ;;
    stop) stop ;;
    status)
        print_status
        is_running || exit 3
        ;;
    *) usage ;;
esac
