#!/usr/bin/env bash
# Starts a throw-away PostgreSQL server on loopback for the test suite and prints the URL that
# SCHAKEL_TEST_POSTGRES_URL takes. Installs PostgreSQL from Debian's packages when it is missing.
#   deploy/scripts/postgres.sh start <dir> <port>   |   deploy/scripts/postgres.sh stop <dir>
# A second start on the same folder starts the same server again (an outage test stops and starts it).
set -euo pipefail
action=$1 dir=$2
pgbin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
if [ -z "$(pgbin)" ]; then
  apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
fi
bin=$(pgbin)
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
case "$action" in
  start)
    port=$3
    mkdir -p "$dir" && [ "$(id -u)" = 0 ] && chown postgres "$dir"
    [ -d "$dir/data" ] || as_postgres "$bin/initdb" -D "$dir/data" -U postgres --auth=trust >/dev/null
    as_postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c max_connections=300" \
      start >/dev/null
    echo "postgresql+asyncpg://postgres@127.0.0.1:$port/postgres"
    ;;
  stop)
    as_postgres "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
    ;;
esac
