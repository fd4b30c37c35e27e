#!/usr/bin/env bash
# with-postgres.sh COMMAND [ARGS...]
# Starts a throw-away PostgreSQL server (temporary data directory, loopback, a free port,
# trust authentication; as the postgres user when run as root), runs COMMAND with
# FERRY_TEST_PG_URL pointing at it, then stops the server and removes its files.
# The server runs with wal_level=logical (Ferry captures PostgreSQL changes through
# logical decoding); FERRY_TEST_PG_WAL_LEVEL=replica starts it without, to test that a
# link is refused clearly. FERRY_TEST_PG_RESTART lets a test restart it.
# FERRY_TEST_PG_MAX_CONNECTIONS sets max_connections (default 100).
set -euo pipefail

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
    echo "with-postgres: PostgreSQL server binaries not found (apt-get install postgresql)" >&2
    exit 2
fi

as_server_user=()
if [ "$(id -u)" -eq 0 ]; then
    as_server_user=(runuser -u postgres --)
fi

workdir=$(mktemp -d /tmp/ferry-pg.XXXXXX)
chmod 755 "$workdir"
[ "$(id -u)" -eq 0 ] && chown postgres: "$workdir"

stop_server() {
    "${as_server_user[@]}" "$bindir/pg_ctl" -D "$workdir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$workdir"
}
trap stop_server EXIT

"${as_server_user[@]}" "$bindir/initdb" -D "$workdir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$workdir/initdb.log" 2>&1 \
    || { cat "$workdir/initdb.log" >&2; exit 2; }

wal_level=${FERRY_TEST_PG_WAL_LEVEL:-logical}
started=""
for attempt in $(seq 1 20); do
    port=$(( 20000 + (RANDOM % 30000) ))
    if "${as_server_user[@]}" "$bindir/pg_ctl" -D "$workdir/data" -l "$workdir/server.log" -w -t 30 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $workdir -c fsync=off -c max_connections=${FERRY_TEST_PG_MAX_CONNECTIONS:-100} -c wal_level=$wal_level -c max_replication_slots=40 -c max_wal_senders=40" start >/dev/null 2>&1; then
        started=yes
        break
    fi
done
if [ -z "$started" ]; then
    echo "with-postgres: could not start PostgreSQL; its log:" >&2
    cat "$workdir/server.log" >&2 || true
    exit 2
fi

export FERRY_TEST_PG_URL="postgresql://postgres@127.0.0.1:$port/postgres"
export FERRY_REQUIRE_PG=1
# A shell command that crashes the server (immediate stop, as kill -9 would) and starts it
# again on the same port, for tests of a PostgreSQL restart mid-stream.
export FERRY_TEST_PG_RESTART="${as_server_user[*]} $bindir/pg_ctl -D $workdir/data -l $workdir/server.log -w -t 30 -m immediate restart"
echo "with-postgres: PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
set +e
"$@"
status=$?
set -e
exit $status
