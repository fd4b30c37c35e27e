#!/usr/bin/env bash
# pgbench_link.sh BUILD_DIR [SECONDS]
# Issue 13 benchmark (a): pgbench, 8 clients, single-row updates of a 100,000-row table, on
# the PostgreSQL server of FERRY_TEST_PG_URL (run under scripts/with-postgres.sh): tps
# without replication, then with a Ferry link (WAL capture) from the table to another
# database of the same server, applied by a second ferry-node. Prints both figures.
set -euo pipefail
build=$(cd "$1" && pwd)
seconds=${2:-10}
bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
work=$(mktemp -d /tmp/ferry-pgbench.XXXXXX)
nodes=()
cleanup() { for pid in "${nodes[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
cd "$work"
src="$FERRY_TEST_PG_URL"
psql -q "$src" -c "DROP DATABASE IF EXISTS pgbench_dst" -c "CREATE DATABASE pgbench_dst" >/dev/null
dst="${src%/*}/pgbench_dst"
"$bindir/pgbench" -q -i -s 1 "$src" >/dev/null 2>&1
printf '\\set aid random(1, 100000)\nUPDATE pgbench_accounts SET abalance = abalance + 1 WHERE aid = :aid;\n' > update.sql
run() { "$bindir/pgbench" -n -c 8 -j 2 -T "$seconds" -f update.sql "$src" 2>/dev/null | awk '/^tps/ {print $3; exit}'; }

without=$(run)

ctl="$build/app/ferryctl"
"$ctl" certs init pki >/dev/null
for name in dc-src dc-dst; do "$ctl" certs issue pki $name --role node >/dev/null; done
"$ctl" certs issue pki ops --role admin >/dev/null
echo '{"ca": "pki/ca.crt", "certificate": "pki/ops.crt", "key": "pki/ops.key"}' > client.json
port=$(( 30000 + RANDOM % 20000 ))
for spec in "dc-src $port $src" "dc-dst $((port + 1)) $dst"; do
    set -- $spec
    echo "{\"name\": \"$1\", \"region\": \"r\", \"listen\": {\"address\": \"127.0.0.1\", \"port\": $2},
      \"tls\": {\"ca\": \"pki/ca.crt\", \"certificate\": \"pki/$1.crt\", \"key\": \"pki/$1.key\"},
      \"databases\": {\"pg\": \"$3\"}, \"data_directory\": \"$1-state\"}" > "$1.json"
    "$build/app/ferry-node" --config "$1.json" > "$1.log" 2>&1 &
    nodes+=($!)
done
export FERRY_PROFILE=$work/client.json
sleep 2
"$ctl" link create "ferry://127.0.0.1:$port/pg?table=pgbench_accounts" "ferry://127.0.0.1:$((port + 1))/pg?table=pgbench_accounts" --id bench >/dev/null
for _ in $(seq 1 120); do
    "$ctl" link show "ferry://127.0.0.1:$port" bench | grep -q ' streaming ' && break
    sleep 1
done
with=$(run)
sleep 3
show=$("$ctl" link show "ferry://127.0.0.1:$port" bench | tail -n 1)
same=$(psql -At "$src" -c "SELECT sum(abalance) FROM pgbench_accounts")/$(psql -At "$dst" -c "SELECT sum(abalance) FROM pgbench_accounts")
"$ctl" link remove "ferry://127.0.0.1:$port" bench >/dev/null
echo "pgbench 8 clients, single-row updates, ${seconds} s: without replication ${without} tps; with a Ferry link ${with} tps"
echo "sum(abalance) source/target after: $same"
echo "link: $show"
