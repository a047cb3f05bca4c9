#!/bin/sh
# ddlgate trace against a real server: a file of mixed statements runs in a
# transaction that is rolled back; the report must carry the locks
# PostgreSQL really took (by name, relations the transaction itself created
# included), the rewrites it really did, statements that refuse a
# transaction block as not traced, and the database must be exactly as
# before. Disagreements with the model are flagged (--strict: exit 1), a
# lock that cannot be had fails fast (--lock-timeout), --with-history
# applies a set's earlier migrations first, and no --dsn means no trace.
set -eu
: "${DDLGATE:?DDLGATE must point at the built binary}"
SRC=${DG_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$SRC/tests/pg/pg_server.inc"
pg_start trace

PSQL="$PG_PSQL -d postgres"
W=$PG_WORK/t
mkdir -p "$W"

$PSQL <<'SQL'
CREATE TABLE orders (id bigint PRIMARY KEY, note text);
INSERT INTO orders SELECT g, 'n' || g FROM generate_series(1, 500) g;
CREATE TABLE v (id int PRIMARY KEY, s varchar(20));
INSERT INTO v VALUES (1, 'a');
SQL

# the whole database, schema and data, as it stands
state() {
	# (\restrict / \unrestrict carry a random key per dump: not the database)
	"$PGBIN/pg_dump" -h "$PG_SOCK" -U postgres --no-owner postgres | grep -v '^\\\(un\)\{0,1\}restrict ' >"$1"
	$PSQL -tA -c "SELECT count(*) FROM pg_prepared_xacts" >>"$1"
}
state "$W/before.sql"
grep -q "^CREATE TABLE public.orders" "$W/before.sql" && grep -q "^COPY public.orders" "$W/before.sql" ||
	fail "the dump holds no schema or data to compare: $(head -20 "$W/before.sql")"

cat >"$W/mixed.sql" <<'SQL'
SET lock_timeout = '10s';
CREATE TABLE items (id bigint PRIMARY KEY, order_id bigint REFERENCES orders (id));
CREATE INDEX items_order_idx ON items (order_id);
ALTER TABLE orders ADD COLUMN flag boolean NOT NULL DEFAULT false;
ALTER TABLE orders ADD COLUMN r float8 DEFAULT random();
INSERT INTO items VALUES (1, 1);
CREATE INDEX CONCURRENTLY orders_note_idx ON orders (note);
BEGIN;
UPDATE orders SET note = 'x' WHERE id = 1;
COMMIT;
DROP INDEX items_order_idx;
SQL

set +e
"$DDLGATE" trace --dsn "$PG_CONN" --format json "$W/mixed.sql" >"$W/mixed.json" 2>"$W/mixed.err"
rc=$?
"$DDLGATE" trace --dsn "$PG_CONN" "$W/mixed.sql" >"$W/mixed.txt" 2>&1
rc_text=$?
set -e
[ $rc = 0 ] || fail "trace: exit $rc: $(cat "$W/mixed.err")"
[ $rc_text = 0 ] || fail "trace (text): exit $rc_text: $(cat "$W/mixed.txt")"

python3 - "$W/mixed.json" <<'PY' || fail "trace JSON did not match: $(cat "$W/mixed.json")"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["rolled_back"] is True and d["server_version"] and d["database"] == "postgres", d
assert d["lock_timeout_ms"] == 2000 and d["statement_timeout_ms"] == 60000, d
st = d["statements"]
assert len(st) == 11, [s["sql"] for s in st]
by = {s["sql"].split(";")[0]: s for s in st}

def locks(s):
    return {(l["relation"], l["mode"]) for l in s["measured"]["locks"] if l["mode"]}

# every measured relation has a name, never a bare oid
for s in st:
    for l in (s["measured"] or {}).get("locks", []):
        assert not l["relation"].isdigit(), l

# explain's fields are all there
for k in ("path", "line", "column", "sql", "locks", "rewrites", "scans", "in_transaction"):
    assert all(k in s for s in st), k

s = by["SET lock_timeout = '10s'"]
assert s["trace"] == "traced" and s["notes"] and "lock_timeout (2000ms)" in s["notes"][-1]["message"], s

# a relation made inside the uncommitted transaction: named by the tracing connection
s = by["CREATE TABLE items (id bigint PRIMARY KEY, order_id bigint REFERENCES orders (id))"]
assert s["trace"] == "traced", s
assert ("items", "AccessExclusiveLock") in locks(s), s["measured"]
assert ("orders", "ShareRowExclusiveLock") in locks(s), s["measured"]
items = [l for l in s["measured"]["locks"] if l["relation"] == "items"][0]
assert items["created"] is True and items["compared"] is True and items["kind"] == "table", items
pkey = [l for l in s["measured"]["locks"] if l["relation"] == "items_pkey"]
assert pkey and pkey[0]["kind"] == "index" and pkey[0]["compared"] is False, s["measured"]

s = by["CREATE INDEX items_order_idx ON items (order_id)"]
assert ("items_order_idx", "AccessExclusiveLock") in locks(s), s["measured"]
# ShareLock on items: held since CREATE TABLE (the FK took it), so no new pg_locks row
items = [l for l in s["measured"]["locks"] if l["relation"] == "items"][0]
assert "ShareLock" in items["held_before"] and s["disagreements"] == [], s

s = by["ALTER TABLE orders ADD COLUMN flag boolean NOT NULL DEFAULT false"]
assert ("orders", "AccessExclusiveLock") in locks(s), s["measured"]
assert s["measured"]["rewrites"] == [] and s["rewrites"] == [], s   # PG 11+: no rewrite

s = by["ALTER TABLE orders ADD COLUMN r float8 DEFAULT random()"]   # volatile default: a rewrite
assert s["measured"]["rewrites"] == ["orders"] and s["rewrites"] == ["orders"], s
assert "orders_pkey" in s["measured"]["rebuilt_indexes"], s["measured"]
held = [l for l in s["measured"]["locks"] if l["relation"] == "orders"][0]
assert "AccessExclusiveLock" in held["held_before"], held

s = by["INSERT INTO items VALUES (1, 1)"]
assert ("items", "RowExclusiveLock") in locks(s) or s["disagreements"] == [], s

s = by["CREATE INDEX CONCURRENTLY orders_note_idx ON orders (note)"]
assert s["trace"] == "not-traced" and "cannot run inside a transaction block" in s["reason"], s
assert s["measured"] is None and s["locks"] == [{"relation": "orders", "mode": "ShareUpdateExclusiveLock"}], s

assert by["BEGIN"]["trace"] == "skipped" and by["COMMIT"]["trace"] == "skipped", by["BEGIN"]
s = by["UPDATE orders SET note = 'x' WHERE id = 1"]
assert ("orders", "RowExclusiveLock") in locks(s) or [l for l in s["measured"]["locks"] if l["relation"] == "orders"], s

# the model agrees with the server on every traced statement here
assert d["summary"]["disagreements"] == 0, [x for s in st for x in s["disagreements"]]
assert d["summary"] == dict(d["summary"], statements=11, traced=8, not_traced=1, skipped=2,
                            failed=0, not_run=0), d["summary"]
PY

grep -q "^trace: PostgreSQL .*one transaction, rolled back at the end; lock_timeout 2000ms" "$W/mixed.txt" || fail "text header: $(cat "$W/mixed.txt")"
grep -q "not-traced: CREATE INDEX CONCURRENTLY cannot run inside a transaction block" "$W/mixed.txt" || fail "text: not traced"
grep -q "items_pkey (index, new) AccessExclusiveLock" "$W/mixed.txt" || fail "text: implicit locks: $(cat "$W/mixed.txt")"
grep -q "^summary: 11 statements: 8 traced, 1 not traced, 2 skipped, 0 failed, 0 not run; 0 disagreements" "$W/mixed.txt" ||
	fail "text summary: $(tail -1 "$W/mixed.txt")"

# nothing was committed: schema and data exactly as before, no session left
state "$W/after.sql"
cmp -s "$W/before.sql" "$W/after.sql" || { diff "$W/before.sql" "$W/after.sql" | head -20; fail "the database changed"; }
[ "$($PSQL -tA -c "SELECT to_regclass('items') IS NULL AND to_regclass('orders_note_idx') IS NULL")" = t ] || fail "objects survived the trace"
i=0
while [ "$($PSQL -tA -c "SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE 'ddlgate-trace%'")" != 0 ]; do
	i=$((i + 1)); [ $i -lt 50 ] || fail "trace sessions left behind"; sleep 0.1
done

# a disagreement: without the history the model cannot know s was varchar(20)
printf 'ALTER TABLE v ALTER COLUMN s TYPE varchar(50);\n' >"$W/widen.sql"
set +e
"$DDLGATE" trace --dsn "$PG_CONN" "$W/widen.sql" >"$W/widen.txt" 2>&1
rc=$?
"$DDLGATE" trace --dsn "$PG_CONN" --strict --format json "$W/widen.sql" >"$W/widen.json" 2>&1
rc_strict=$?
set -e
[ $rc = 0 ] || fail "a disagreement without --strict: exit $rc"
[ $rc_strict = 1 ] || fail "a disagreement under --strict: exit $rc_strict, want 1: $(cat "$W/widen.json")"
grep -q 'DISAGREES: ddlgate says "v" is rewritten; PostgreSQL kept its storage' "$W/widen.txt" || fail "disagreement text: $(cat "$W/widen.txt")"
python3 - "$W/widen.json" <<'PY' || fail "disagreement JSON: $(cat "$W/widen.json")"
import json, sys
d = json.load(open(sys.argv[1]))
dis = d["statements"][0]["disagreements"]
assert dis == [{"kind": "rewrite", "relation": "v", "ddlgate": "rewrite", "postgresql": "no rewrite",
                "message": dis[0]["message"]}], dis
assert d["summary"]["disagreements"] == 1, d["summary"]
PY

# a DO block runs its statements once: they are claimed at their place and
# the DO is what is traced (the CREATE INDEX in its body is not run again)
printf 'DO $$ BEGIN CREATE INDEX v_s_do_idx ON v (s); END $$;\n' >"$W/do.sql"
"$DDLGATE" trace --dsn "$PG_CONN" --format json "$W/do.sql" >"$W/do.json" 2>&1 ||
	fail "trace of a DO block: $(cat "$W/do.json")"
python3 - "$W/do.json" <<'PY' || fail "DO block trace JSON: $(cat "$W/do.json")"
import json, sys
d = json.load(open(sys.argv[1]))
st = d["statements"]
assert len(st) == 2, [s["sql"] for s in st]
assert st[0]["trace"] == "traced", st[0]
assert st[1]["trace"] == "skipped" and "DO block" in st[1]["reason"], st[1]
assert st[1]["sql"] == "CREATE INDEX v_s_do_idx ON v (s);", st[1]["sql"]
PY

# --with-history: the set's earlier migrations first (same transaction), so
# the model knows the old type and agrees; CONCURRENTLY in the history is skipped
R=$W/repo
mkdir -p "$R/db/migrations"
git -C "$R" init -q
cat >"$R/db/migrations/V1__accounts.sql" <<'SQL'
CREATE TABLE accounts (id bigint PRIMARY KEY, name varchar(20));
CREATE INDEX CONCURRENTLY accounts_name_idx ON accounts (name);
SQL
cat >"$R/db/migrations/V2__widen.sql" <<'SQL'
ALTER TABLE accounts ALTER COLUMN name TYPE varchar(50);
SQL
set +e
(cd "$R" && "$DDLGATE" trace --dsn "$PG_CONN" --with-history --strict --format json db/migrations/V2__widen.sql) >"$W/hist.json" 2>&1
rc=$?
(cd "$R" && "$DDLGATE" trace --dsn "$PG_CONN" db/migrations/V2__widen.sql) >"$W/nohist.txt" 2>&1
rc_nohist=$?
set -e
[ $rc = 0 ] || fail "--with-history --strict: exit $rc: $(cat "$W/hist.json")"
python3 - "$W/hist.json" <<'PY' || fail "--with-history JSON: $(cat "$W/hist.json")"
import json, sys
d = json.load(open(sys.argv[1]))
h = d["history"]
assert h["set"] == "db/migrations" and h["applied"] == ["db/migrations/V1__accounts.sql"], h
assert len(h["skipped"]) == 1 and h["skipped"][0]["line"] == 2, h
assert "CREATE INDEX CONCURRENTLY" in h["skipped"][0]["reason"], h
s = d["statements"][0]
assert s["trace"] == "traced" and s["rewrites"] == [] and s["measured"]["rewrites"] == [], s
assert d["summary"]["disagreements"] == 0, d
PY
# without it the table does not exist: the statement fails, exit 2, one line on stderr
[ $rc_nohist = 2 ] || fail "no history: exit $rc_nohist, want 2"
grep -q "failed: relation \"accounts\" does not exist (SQLSTATE 42P01)" "$W/nohist.txt" || fail "no history: $(cat "$W/nohist.txt")"
grep -q "^ddlgate: trace: db/migrations/V2__widen.sql:1:1: relation \"accounts\" does not exist" "$W/nohist.txt" || fail "no history: stderr"

# lock_timeout: a session holds orders; the trace gives up fast, not queued behind it
fifo=$PG_WORK/holder.fifo
mkfifo "$fifo"
$PSQL <"$fifo" >/dev/null 2>&1 &
holder=$!
exec 3>"$fifo"
echo "BEGIN; LOCK TABLE orders IN ACCESS SHARE MODE;" >&3
i=0
until [ "$($PSQL -tA -c "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE c.relname = 'orders' AND l.granted AND l.pid <> pg_backend_pid()")" != 0 ]; do
	i=$((i + 1)); [ $i -lt 100 ] || fail "the holder never locked orders"; sleep 0.1
done
printf 'ALTER TABLE orders ADD COLUMN z int;\nSELECT 1;\n' >"$W/blocked.sql"
start=$(date +%s)
set +e
"$DDLGATE" trace --dsn "$PG_CONN" --lock-timeout 300ms --format json "$W/blocked.sql" >"$W/blocked.json" 2>"$W/blocked.err"
rc=$?
set -e
end=$(date +%s)
echo "COMMIT;" >&3
exec 3>&-
wait $holder
[ $rc = 2 ] || fail "lock timeout: exit $rc, want 2"
[ $((end - start)) -lt 10 ] || fail "lock timeout: the trace waited $((end - start))s"
[ "$(wc -l <"$W/blocked.err")" = 1 ] && grep -q "lock timeout" "$W/blocked.err" || fail "lock timeout stderr: $(cat "$W/blocked.err")"
python3 - "$W/blocked.json" <<'PY' || fail "lock timeout JSON: $(cat "$W/blocked.json")"
import json, sys
d = json.load(open(sys.argv[1]))
a, b = d["statements"]
assert a["trace"] == "failed" and a["error"]["sqlstate"] == "55P03", a
assert d["lock_timeout_ms"] == 300, d
assert b["trace"] == "not-run", b
PY

# no --dsn, an empty one, or only the PG* environment: refused before anything runs
for args in "" "--dsn="; do
	set +e
	# shellcheck disable=SC2086
	err=$(PGHOST=$PG_SOCK PGUSER=postgres PGDATABASE=postgres "$DDLGATE" trace $args "$W/widen.sql" 2>&1 >/dev/null)
	rc=$?
	set -e
	[ $rc = 2 ] || fail "trace $args without a DSN: exit $rc, want 2"
	echo "$err" | grep -q -- "--dsn" || fail "trace $args: unclear refusal: $err"
done
# what the DSN leaves out is not taken from PG*: a wrong PGPORT / PGDATABASE does not matter
PGPORT=1 PGDATABASE=nowhere "$DDLGATE" trace --dsn "host=$PG_SOCK user=postgres" "$W/widen.sql" >/dev/null 2>&1 ||
	fail "trace read the PG* environment for what the DSN leaves out"

# bad input: a syntax error or a Python file is exit 2 before connecting
printf 'ALTER TABLE orders ADD COLUMN;\n' >"$W/bad.sql"
set +e
err=$("$DDLGATE" trace --dsn "$PG_CONN" "$W/bad.sql" 2>&1 >/dev/null)
rc=$?
set -e
[ $rc = 2 ] && echo "$err" | grep -q "bad.sql:1:" || fail "syntax error: exit $rc: $err"
touch "$W/0002_x.py"
set +e
err=$("$DDLGATE" trace --dsn "$PG_CONN" "$W/0002_x.py" 2>&1 >/dev/null)
rc=$?
set -e
[ $rc = 2 ] && echo "$err" | grep -q "sqlmigrate" || fail "python file: exit $rc: $err"
set +e
"$DDLGATE" trace --dsn "host=$PG_WORK/none" "$W/widen.sql" >/dev/null 2>"$W/conn.err"
rc=$?
set -e
[ $rc = 2 ] && [ "$(wc -l <"$W/conn.err")" = 1 ] && grep -q "cannot connect" "$W/conn.err" || fail "unreachable: exit $rc: $(cat "$W/conn.err")"

# after all that, still exactly the database we started with
state "$W/final.sql"
cmp -s "$W/before.sql" "$W/final.sql" || { diff "$W/before.sql" "$W/final.sql" | head -20; fail "the database changed"; }
echo "trace: ok"
