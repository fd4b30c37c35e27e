#!/usr/bin/env bash
# dblink_bench.sh BUILD_DIR [TABLES] [ROWS] [BIG_ROWS] [WRITES_PER_S] [SECONDS]
# Issue 16 benchmark, on the PostgreSQL server of FERRY_TEST_PG_URL (run under
# scripts/with-postgres.sh with FERRY_TEST_PG_MAX_CONNECTIONS=300: a database link holds a
# connection per table). A database of TABLES tables of ROWS rows (default 100 x 10,000)
# and one of BIG_ROWS rows (default 1,000,000):
#   1. initial sync of the whole database by one Ferry database link into another
#      database of the same server, against pg_dump | psql of the same tables; both
#      results checked (row count and sum of every table on both sides);
#   2. then WRITES_PER_S single-row updates a second (default 2,000, pgbench -R, spread
#      over all tables) for SECONDS (default 20), first without replication (the peer),
#      then through the link: the rate done, the link's lag p99 (the worst table's,
#      over its last 1000 changes) and the sums checked again.
# Prints one Markdown table.
set -euo pipefail
build=$(cd "$1" && pwd)
tables=${2:-100}
rows=${3:-10000}
big=${4:-1000000}
rate=${5:-2000}
seconds=${6:-20}
bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
work=$(mktemp -d /tmp/ferry-dblink.XXXXXX)
nodes=()
cleanup() { for pid in "${nodes[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; [ -n "${FERRY_BENCH_KEEP:-}" ] || rm -rf "$work"; }
trap cleanup EXIT
cd "$work"
src="$FERRY_TEST_PG_URL"
base="${src%/*}"
for db in dblink_src dblink_dst dblink_dump; do
    psql -q "$src" -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null
done
src="$base/dblink_src"; dst="$base/dblink_dst"; dump="$base/dblink_dump"
now() { date +%s.%N; }

# The database.
{
    for i in $(seq 0 $((tables - 1))); do
        t=$(printf 'b%03d' "$i")
        echo "CREATE TABLE $t (id bigint PRIMARY KEY, account bigint NOT NULL, amount double precision NOT NULL, note text);"
        echo "INSERT INTO $t SELECT g, g % 977, g * 0.25, 'note ' || g FROM generate_series(1, $rows) g;"
    done
    echo "CREATE TABLE big (id bigint PRIMARY KEY, account bigint NOT NULL, amount double precision NOT NULL, note text);"
    echo "INSERT INTO big SELECT g, g % 977, g * 0.25, 'note ' || g FROM generate_series(1, $big) g;"
    echo "VACUUM ANALYZE;"
} | psql -q "$src" >/dev/null

# Every table's count and sum of amount, in table order.
fingerprint() {
    psql -At "$1" -c "SELECT string_agg(t || ':' || n || ':' || s, ',' ORDER BY t) FROM (SELECT 'big' AS t, count(*) AS n, sum(amount) AS s FROM big $(
        for i in $(seq 0 $((tables - 1))); do t=$(printf 'b%03d' "$i"); echo "UNION ALL SELECT '$t', count(*), sum(amount) FROM $t"; done)) x" 2>/dev/null || echo missing
}

# Writes spread over every table: a function picks the table.
psql -q "$src" <<SQL >/dev/null
CREATE FUNCTION bench_bump(t int, k bigint) RETURNS void LANGUAGE plpgsql AS \$\$
BEGIN
  IF t = $tables THEN UPDATE big SET amount = amount + 1 WHERE id = k;
  ELSE EXECUTE format('UPDATE b%s SET amount = amount + 1 WHERE id = \$1', lpad(t::text, 3, '0')) USING 1 + k % $rows; END IF;
END \$\$;
SQL
printf '\\set t random(0, %d)\n\\set k random(1, %d)\nSELECT bench_bump(:t, :k);\n' "$tables" "$big" > bump.sql
"$bindir/pgbench" -n -c 4 -j 2 -R "$rate" -T "$seconds" -f bump.sql "$src" > baseline.out 2>&1 || true
baseline_tps=$(awk '/^tps/ {print $3; exit}' baseline.out)
expected=$(fingerprint "$src")

# The peer: pg_dump | psql of the same tables.
t0=$(now)
pg_dump --no-owner "$src" | psql -q "$dump" >/dev/null
dump_s=$(echo "$(now) - $t0" | bc)
dump_ok=$([ "$(fingerprint "$dump")" = "$expected" ] && echo yes || echo NO)

# Ferry: two nodes, one database link.
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
for _ in $(seq 1 120); do grep -qi listening dc-src.log && grep -qi listening dc-dst.log && break; sleep 0.5; done
t0=$(now)
"$ctl" link create "ferry://127.0.0.1:$port/pg" "ferry://127.0.0.1:$((port + 1))/pg" --id bench --tables 'b*,big' >/dev/null
sync_ok=NO
for _ in $(seq 1 1200); do
    if "$ctl" link show "ferry://127.0.0.1:$port" bench | head -n 2 | tail -n 1 | grep -q '^    streaming ' && [ "$(fingerprint "$dst")" = "$expected" ]; then
        sync_ok=yes
        break
    fi
    sleep 0.5
done
sync_s=$(echo "$(now) - $t0" | bc)

"$bindir/pgbench" -n -c 4 -j 2 -R "$rate" -T "$seconds" -f bump.sql "$src" > pgbench.out 2>&1 || true
tps=$(awk '/^tps/ {print $3; exit}' pgbench.out)
sleep 3
stats=$("$ctl" link show "ferry://127.0.0.1:$port" bench --json)
p99=$(echo "$stats" | python3 -c 'import json,sys; print(json.load(sys.stdin)["stats"]["lag_p99_ms"])')
load_ok=NO
for _ in $(seq 1 60); do
    [ "$(fingerprint "$dst")" = "$(fingerprint "$src")" ] && { load_ok=yes; break; }
    sleep 1
done
"$ctl" link remove "ferry://127.0.0.1:$port" bench >/dev/null

echo "| database: $tables tables x $rows rows + 1 x $big rows (PostgreSQL -> PostgreSQL, same server) | Ferry | peer | Ferry / peer | checked |"
echo "|---|---|---|---|---|"
printf '| initial sync of the whole database | %.1f s (one database link) | %.1f s (pg_dump \\| psql) | %.2fx | ferry %s, peer %s |\n' "$sync_s" "$dump_s" "$(echo "$sync_s / $dump_s" | bc -l)" "$sync_ok" "$dump_ok"
printf '| %s updates/s asked over all tables for %s s (pgbench -R, 4 clients) | %s tps done, lag p99 %s ms (worst table) | %s tps without replication; lag target at most 10 ms | | sums equal after: %s |\n' "$rate" "$seconds" "$tps" "$p99" "$baseline_tps" "$load_ok"
