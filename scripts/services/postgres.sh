#!/usr/bin/env bash
# A throw-away PostgreSQL server for the test suite.
#
#   scripts/services/postgres.sh start   # prints EDDY_TEST_POSTGRES_URL=... on stdout
#   scripts/services/postgres.sh stop
#
# Installs Debian's postgresql when missing, keeps its data under .build/pg-data, listens on
# 127.0.0.1:${EDDY_TEST_POSTGRES_PORT:-54329} only (trust authentication: loopback, tests only).
# Everything except the KEY=VALUE line goes to stderr.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PORT="${EDDY_TEST_POSTGRES_PORT:-54329}"
DATA="$ROOT/.build/pg-data"
DB="eddy_test"
LOGFILE="$ROOT/.build/pg-data.log"

log() { echo "postgres.sh: $*" >&2; }

as_postgres() {
    if [ "$(id -u)" = 0 ]; then
        if command -v runuser >/dev/null 2>&1; then runuser -u postgres -- "$@"; else su postgres -s /bin/sh -c "$(printf '%q ' "$@")"; fi
    else
        "$@"
    fi
}

find_bindir() {
    local dir
    dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
    [ -n "$dir" ] && [ -x "$dir/pg_ctl" ] && echo "$dir"
}

install_postgres() {
    if [ -z "$(find_bindir)" ]; then
        log "PostgreSQL server not found; installing Debian's postgresql"
        export DEBIAN_FRONTEND=noninteractive
        { apt-get update && apt-get install -y postgresql; } >&2
    fi
    BIN="$(find_bindir)" || { log "PostgreSQL installation failed"; exit 1; }
}

# The server runs as the postgres user, which must reach the data directory: when the checkout sits
# somewhere it cannot enter (e.g. under /root), use a folder in /tmp keyed by the checkout's path.
choose_data_dir() {
    mkdir -p "$ROOT/.build"
    if [ "$(id -u)" = 0 ] && ! runuser -u postgres -- test -x "$ROOT/.build" 2>/dev/null; then
        local key
        key="$(printf '%s' "$ROOT" | md5sum | cut -c1-8)"
        DATA="${TMPDIR:-/tmp}/eddy-pg-data-$key"
        LOGFILE="$DATA.log"
        log "$ROOT/.build is not reachable by the postgres user; using $DATA"
    fi
}

start() {
    install_postgres
    choose_data_dir
    if [ ! -f "$DATA/PG_VERSION" ]; then
        log "initdb $DATA"
        rm -rf "$DATA"
        mkdir -p "$DATA"
        [ "$(id -u)" = 0 ] && chown postgres: "$DATA"
        chmod 700 "$DATA"
        as_postgres "$BIN/initdb" -D "$DATA" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >&2 \
            || as_postgres "$BIN/initdb" -D "$DATA" -U postgres --auth=trust --encoding=UTF8 >&2
    fi
    # The server writes its socket here; the Debian default (/var/run/postgresql) may not exist.
    local sockets="$DATA/sockets"
    as_postgres mkdir -p "$sockets"
    touch "$LOGFILE"
    [ "$(id -u)" = 0 ] && chown postgres: "$LOGFILE"
    if as_postgres "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
        log "already running"
    else
        log "starting on 127.0.0.1:$PORT"
        as_postgres "$BIN/pg_ctl" -D "$DATA" -l "$LOGFILE" -w -t 60 \
            -o "-c listen_addresses=127.0.0.1 -p $PORT -k $sockets -c fsync=on" start >&2
    fi
    if ! as_postgres "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -tAc \
        "SELECT 1 FROM pg_database WHERE datname = '$DB'" postgres | grep -q 1; then
        as_postgres "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres "$DB" >&2
    fi
    echo "EDDY_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:$PORT/$DB"
}

stop() {
    BIN="$(find_bindir)" || { log "PostgreSQL not installed; nothing to stop"; return 0; }
    choose_data_dir
    if [ -f "$DATA/PG_VERSION" ] && as_postgres "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
        log "stopping"
        as_postgres "$BIN/pg_ctl" -D "$DATA" -m fast -w stop >&2
    else
        log "not running"
    fi
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
