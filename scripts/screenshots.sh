#!/usr/bin/env bash
# scripts/screenshots.sh [BUILD_DIR]
# Makes docs/screenshots/*.png: the console on the built-in demo under Xvfb, as a newcomer
# sees it: the main window during the initial sync, the block map of a verification that
# repairs planted differences, the rows of a block a read-only verification found
# differing, the failover dialog, the charts, the window at 1024x700, the conflicts browser
# with the confirmation of applying a lost version, the Chinese interface, and a database
# link's tables above the block map.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
ferry="$build/app/ferry"
out=docs/screenshots
mkdir -p "$out"
work=$(mktemp -d /tmp/ferry-shots.XXXXXX)
trap 'rm -rf "$work"' EXIT
export XDG_CONFIG_HOME="$work/config" XDG_DATA_HOME="$work/data" XDG_RUNTIME_DIR="$work/runtime"
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
shot() {   # shot FILE VIEW AFTER_MS [LANG]
    LANG=${4:-C.UTF-8} LANGUAGE=${4:-} xvfb-run -a -s "-screen 0 1600x1000x24" \
        "$ferry" --demo-dir "$work/demo" --rate 40 --screenshot "$out/$1" --screenshot-view "$2" --screenshot-after "$3" >"$work/$1.log" 2>&1
    echo "screenshots: $out/$1"
}
# First start: the demo is created and the link's initial sync runs.
shot main-sync.png main 5200
# Differences behind Ferry's back on Frankfurt (its guard triggers dropped for that), then
# "verify now" repairs them.
shot main.png main 6000
sqlite3 "$work/demo/frankfurt.db" "DROP TRIGGER IF EXISTS _ferry_guard_orders; DROP TRIGGER IF EXISTS _ferry_guard_upd_orders;
    DROP TRIGGER IF EXISTS _ferry_guard_del_orders; UPDATE orders SET status = 'lost' WHERE id % 997 = 0; DELETE FROM orders WHERE id % 1499 = 0;"
shot blocks.png blocks 7000
# Drift again (past the guard, as a repair writes: with an origin), found by a read-only
# verification; a click on a differing block lists its rows.
sqlite3 "$work/demo/frankfurt.db" "BEGIN IMMEDIATE; INSERT OR REPLACE INTO _ferry_session (id, origin) VALUES (1, 'screenshots');
    UPDATE orders SET status = 'lost again' WHERE id % 997 = 0; DELETE FROM orders WHERE id % 1499 = 0;
    INSERT INTO orders (id, customer_id, item) VALUES (150000, 1, 'only in Frankfurt'); DELETE FROM _ferry_session; COMMIT;"
shot blockrows.png blockrows 9000
shot failover.png failover 5000
shot charts.png charts 9000
shot small.png small 6000
# Conflicts as a forced failover keeps them in the old primary's database (both versions of
# rows written there that never reached the new primary), planted here with sqlite3 from
# real rows of Shanghai's orders: the demo runs no failover on its own.
sqlite3 "$work/demo/shanghai.db" "CREATE TABLE IF NOT EXISTS _ferry_conflicts (id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL,
    link TEXT NOT NULL, tbl TEXT NOT NULL, key TEXT NOT NULL, kept TEXT NOT NULL, lost TEXT NOT NULL, lost_origin TEXT NOT NULL, reason TEXT NOT NULL);
    INSERT INTO _ferry_conflicts (at, link, tbl, key, kept, lost, lost_origin, reason)
    SELECT (CAST(strftime('%s', 'now') AS INTEGER) - 900 + id % 600) * 1000000, 'orders', 'orders', json_array(id),
        json_array(id, customer_id, item, quantity, CAST(amount AS TEXT), status, CAST(strftime('%s', updated_at) AS INTEGER) * 1000000),
        json_array(id, customer_id, item, quantity + 2, CAST(amount AS TEXT), 'cancelled', (CAST(strftime('%s', updated_at) AS INTEGER) + 3600) * 1000000),
        'shanghai', 'written on shanghai after the last change frankfurt applied; frankfurt became primary in epoch 2'
    FROM orders WHERE id IN (17, 4242, 31337, 77001, 98765) ORDER BY id;"
shot conflicts.png conflicts 6000
shot conflictapply.png conflictapply 6000
shot chinese.png main 5000 zh_CN.UTF-8
# A database link: two tables of Shanghai's (a foreign key between them) linked to Virginia
# in one command while the demo runs, then the console on it: its tables above the block map.
sqlite3 "$work/demo/shanghai.db" "PRAGMA busy_timeout = 20000;
    CREATE TABLE suppliers (id INTEGER PRIMARY KEY, name TEXT NOT NULL, country TEXT);
    CREATE TABLE products (sku INTEGER PRIMARY KEY, supplier_id INTEGER NOT NULL REFERENCES suppliers (id), name TEXT, price REAL);
    WITH RECURSIVE s(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM s WHERE x < 500)
        INSERT INTO suppliers SELECT x, 'supplier ' || x, CASE x % 3 WHEN 0 THEN 'CN' WHEN 1 THEN 'DE' ELSE 'US' END FROM s;
    WITH RECURSIVE s(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM s WHERE x < 40000)
        INSERT INTO products SELECT x, 1 + x % 500, 'product ' || x, (x % 997) / 10.0 FROM s;"
xvfb-run -a -s "-screen 0 1600x1000x24" "$ferry" --demo-dir "$work/demo" --rate 40 >"$work/dblink-setup.log" 2>&1 &
sleep 15
port() { python3 -c "import json, sys; print(json.load(open(sys.argv[1]))['listen']['port'])" "$work/demo/$1.json"; }
pki="$work/demo/pki"
"$build/app/ferryctl" link create "ferry://127.0.0.1:$(port shanghai)/main" "ferry://127.0.0.1:$(port virginia)/main" --id catalog \
    --tables 'suppliers,products' --ca "$pki/ca.crt" --cert "$pki/console.crt" --key "$pki/console.key"
sleep 10
pkill -f -- "^$ferry --demo-dir $work/demo" || true   # the console only: xvfb-run then stops its X server
sleep 3
shot dblink.png dblink 6000
