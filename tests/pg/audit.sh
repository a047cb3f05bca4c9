#!/bin/sh
# ddlgate audit against a real server: a database built from a repository's
# migrations, then changed by hand. audit must find the unindexed foreign
# key, the unused index (with its size and since when), the invalid index
# a failed CREATE INDEX CONCURRENTLY left, and the drift both ways (a
# column added by hand, an index the migrations make but the database
# lacks), in text, JSON and SARIF; nothing on a clean database; exit 2
# with libpq's message on one line when it cannot connect or may not.
# An Alembic history is compared the same way (its operations replayed as
# the SQL Alembic runs). Then every live example of the rule docs runs
# (tests/pg/live_rule_docs.py).
set -eu
: "${DDLGATE:?DDLGATE must point at the built binary}"
SRC=${DG_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$SRC/tests/pg/pg_server.inc"
pg_start audit

PSQL=$PG_PSQL
W=$PG_WORK/w
R=$W/repo
mkdir -p "$R/db/migrations"
git -C "$R" init -q

cat >"$R/db/migrations/V1__init.sql" <<'SQL'
CREATE TABLE customers (id bigint PRIMARY KEY, email varchar(200) NOT NULL UNIQUE);
CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL REFERENCES customers (id),
    note text, created_at timestamptz NOT NULL);
SQL
cat >"$R/db/migrations/V2__indexes.sql" <<'SQL'
CREATE INDEX CONCURRENTLY orders_customer_id_idx ON orders (customer_id);
CREATE INDEX CONCURRENTLY orders_created_at_idx ON orders (created_at);
SQL
cat >"$R/db/migrations/V3__lines.sql" <<'SQL'
CREATE TABLE order_lines (id bigint PRIMARY KEY, order_id bigint NOT NULL REFERENCES orders (id),
    qty integer NOT NULL);
CREATE INDEX order_lines_order_id_idx ON order_lines (order_id);
SQL

# a database built from the migrations: what `migrate` would leave
build_db() {
	$PSQL -d postgres -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1" >/dev/null
	for f in "$R"/db/migrations/V*.sql; do
		$PSQL -d "$1" -f "$f" >/dev/null
	done
}
audit() {
	db=$1
	shift
	(cd "$R" && "$DDLGATE" audit --dsn "$PG_CONN dbname=$db" "$@")
}

# ---- a clean database: the migrations, every index used, nothing else ----
build_db clean
$PSQL -d clean >/dev/null <<'SQL'
SET enable_seqscan = off;
SELECT id FROM orders WHERE created_at > now();
SQL
# the session's statistics reach the server before it leaves pg_stat_activity
i=0
until [ "$($PSQL -d postgres -tA -c "SELECT count(*) FROM pg_stat_activity WHERE datname = 'clean'")" = 0 ]; do
	i=$((i + 1)); [ $i -lt 200 ] || fail "the session on clean did not end"; sleep 0.05
done
set +e
out=$(audit clean)
rc=$?
json=$(audit clean --format json)
set -e
[ $rc = 0 ] || fail "clean database: exit $rc: $out"
echo "$out" | grep -q '^audit: database "clean" (PostgreSQL .*): 3 tables, 7 indexes, no findings; it matches the migrations$' ||
	fail "clean database: $out"
[ "$(echo "$json" | python3 -c 'import json, sys; print(len(json.load(sys.stdin)["findings"]))')" = 0 ] ||
	fail "clean database, JSON: $json"

# ---- the same database, then changed by hand ----
build_db app
$PSQL -d app >/dev/null <<'SQL'
ALTER TABLE orders ADD COLUMN flag boolean;
DROP INDEX orders_customer_id_idx;
CREATE INDEX orders_note_idx ON orders (note);
INSERT INTO customers VALUES (1, 'a@example.com'), (2, 'b@example.com');
SQL
# a unique build over duplicates: fails, and leaves an invalid index behind
$PSQL -d app -c "ALTER TABLE customers DROP CONSTRAINT customers_email_key" >/dev/null
$PSQL -d app -c "UPDATE customers SET email = 'a@example.com'" >/dev/null
if $PSQL -d app -c "CREATE UNIQUE INDEX CONCURRENTLY customers_email_lower_key ON customers (lower(email))" 2>"$W/cic.err"; then
	fail "the concurrent build was meant to fail"
fi
grep -q "could not create unique index" "$W/cic.err" || fail "unexpected build failure: $(cat "$W/cic.err")"

set +e
audit app --format json >"$W/app.json" 2>"$W/app.err"
rc=$?
audit app >"$W/app.txt" 2>&1
rc_text=$?
audit app --format sarif >"$W/app.sarif" 2>&1
rc_sarif=$?
set -e
[ $rc = 1 ] && [ $rc_text = 1 ] && [ $rc_sarif = 1 ] || fail "hand-changed database: exit $rc/$rc_text/$rc_sarif, want 1: $(cat "$W/app.err")"

python3 - "$W/app.json" <<'PY' || fail "audit JSON did not match: $(cat "$W/app.json")"
import json, sys
d = json.load(open(sys.argv[1]))
f = d["findings"]
def of(rule):
    return [x for x in f if x["rule"] == rule]
assert {x["rule"] for x in f} == {"missing-fk-index", "unused-index", "invalid-index", "schema-drift"}, f

# the FK lost its index by hand: reported where the migration added the key
m = of("missing-fk-index")
assert len(m) == 1, m
assert 'foreign key "orders_customer_id_fkey" on "orders" (customer_id)' in m[0]["message"], m
assert m[0]["path"] == "db/migrations/V1__init.sql" and m[0]["line"] == 2, m
assert m[0]["help"].startswith("CREATE INDEX CONCURRENTLY orders_customer_id_idx ON orders (customer_id);"), m

# never scanned: orders_created_at_idx (from V2) and orders_note_idx (by hand); not the
# unique or primary-key indexes, nor order_lines_order_id_idx (it covers a foreign key)
u = sorted(of("unused-index"), key=lambda x: x["message"])
names = [x["message"].split('"')[1] for x in u]
assert names == ["orders_created_at_idx", "orders_note_idx"], names
assert u[0]["path"] == "db/migrations/V2__indexes.sql" and u[0]["line"] == 2, u[0]
assert u[1]["path"] == "<database app>", u[1]
for x in u:
    assert "8192 bytes" in x["message"] and "never reset" in x["message"], x
    assert x["severity"] == "warning" and x["help"].startswith("DROP INDEX CONCURRENTLY "), x

i = of("invalid-index")
assert len(i) == 1 and '"customers_email_lower_key" on "customers" is invalid' in i[0]["message"], i
assert i[0]["help"].startswith("DROP INDEX CONCURRENTLY customers_email_lower_key;"), i
assert "CREATE UNIQUE INDEX CONCURRENTLY customers_email_lower_key ON public.customers USING btree (lower((email)::text))" in i[0]["help"], i
assert "REINDEX INDEX CONCURRENTLY customers_email_lower_key;" in i[0]["help"], i

# drift, both ways, each named
s = sorted(x["message"] for x in of("schema-drift"))
want = [
    'column "orders.flag" (boolean) exists in the database but no migration adds it',
    'index "orders_customer_id_idx" on "orders" is in the migrations but not in the database',
    'index "orders_note_idx" on "orders" (note) btree exists in the database but no migration creates it',
    'unique constraint "customers_email_key" on "customers" is in the migrations but not in the database',
]
assert s == sorted(want), s
drop = [x for x in of("schema-drift") if "orders_customer_id_idx" in x["message"]][0]
assert drop["path"] == "db/migrations/V2__indexes.sql" and drop["line"] == 1, drop
# the invalid index is invalid-index's business, not drift's
assert not any("customers_email_lower_key" in x for x in s), s
assert d["summary"]["errors"] == 6 and d["summary"]["warnings"] == 2, d["summary"]
PY

grep -q "^db/migrations/V1__init.sql:2:[0-9]*: error\[missing-fk-index\]: foreign key \"orders_customer_id_fkey\"" "$W/app.txt" ||
	fail "text: $(cat "$W/app.txt")"
grep -q "^<database app>: error\[invalid-index\]: index \"customers_email_lower_key\"" "$W/app.txt" || fail "text: invalid index"
grep -q "^  help: DROP INDEX CONCURRENTLY customers_email_lower_key;" "$W/app.txt" || fail "text: invalid index help"
grep -q "^6 errors, 2 warnings" "$W/app.txt" || fail "text summary: $(tail -1 "$W/app.txt")"
python3 - "$W/app.sarif" <<'PY' || fail "SARIF: $(head -c 2000 "$W/app.sarif")"
import json, sys
d = json.load(open(sys.argv[1]))
run = d["runs"][0]
assert d["version"] == "2.1.0"
rules = {r["id"] for r in run["tool"]["driver"]["rules"]}
assert {"unused-index", "invalid-index", "schema-drift", "missing-fk-index"} <= rules
res = run["results"]
assert len(res) == 8, len(res)
live = [r for r in res if r["ruleId"] == "invalid-index"][0]
loc = live["locations"][0]["physicalLocation"]["artifactLocation"]
assert loc == {"description": {"text": "<database app>"}}, loc
fk = [r for r in res if r["ruleId"] == "missing-fk-index"][0]
assert fk["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "db/migrations/V1__init.sql"
PY

# since when: after a statistics reset the message says so
$PSQL -d app -c "SELECT pg_stat_reset()" >/dev/null
audit app --format json --rule schema-drift=off --rule missing-fk-index=off >"$W/reset.json" || true
python3 - "$W/reset.json" <<'PY' || fail "after a reset: $(cat "$W/reset.json")"
import json, sys
f = json.load(open(sys.argv[1]))["findings"]
assert {x["rule"] for x in f} == {"unused-index", "invalid-index"}, f
assert all("since the statistics were reset (20" in x["message"] for x in f if x["rule"] == "unused-index"), f
PY
# levels: everything but warnings off is exit 0
audit app --rule schema-drift=off --rule missing-fk-index=off --rule invalid-index=warning >/dev/null ||
	fail "only warnings left: exit $?"

# the other way round: the migrations make a table the database never got
$PSQL -d clean -c "DROP TABLE order_lines" >/dev/null
set +e
out=$(audit clean --format json)
rc=$?
set -e
[ $rc = 1 ] || fail "missing table: exit $rc"
echo "$out" | grep -q 'table \\"order_lines\\" is created by the migrations but does not exist in the database' ||
	fail "missing table not named: $out"
# --rev: compare with the migrations as committed (HEAD has only V1 and V2)
git -C "$R" add db/migrations/V1__init.sql db/migrations/V2__indexes.sql
git -C "$R" -c user.name=t -c user.email=t@t commit -qm v1-v2
audit clean --rev HEAD >/dev/null || fail "--rev HEAD: the database matches V1+V2, exit $?"
# outside any repository: no drift checked, the rest still is
mkdir "$W/elsewhere"
(cd "$W/elsewhere" && "$DDLGATE" audit --dsn "$PG_CONN dbname=clean") >/dev/null || fail "outside a repository: exit $?"

# cannot connect, or may not: exit 2, libpq's message on one line
$PSQL -d postgres -c "CREATE ROLE nobody LOGIN; REVOKE CONNECT ON DATABASE app FROM PUBLIC" >/dev/null
for dsn in "host=$PG_WORK/none" "$PG_CONN dbname=nosuchdb" "host=$PG_SOCK user=nobody dbname=app"; do
	set +e
	err=$(cd "$R" && "$DDLGATE" audit --dsn "$dsn" 2>&1 >/dev/null)
	rc=$?
	set -e
	[ $rc = 2 ] || fail "audit --dsn '$dsn': exit $rc, want 2"
	[ "$(printf '%s\n' "$err" | wc -l)" = 1 ] || fail "not one line: $err"
	echo "$err" | grep -q "^ddlgate: audit: cannot connect: " || fail "unclear: $err"
done
echo "$err" | grep -q "permission denied for database" || fail "no libpq message: $err"

# ---- an Alembic history: its operations replayed as the SQL Alembic runs ----
A=$W/alembic-repo
mkdir -p "$A/alembic/versions"
git -C "$A" init -q
printf '[alembic]\nscript_location = alembic\n' >"$A/alembic.ini"
cat >"$A/alembic/versions/a1_accounts.py" <<'PY'
revision = "a1"
down_revision = None

from alembic import op
import sqlalchemy as sa


def upgrade():
    op.create_table(
        "accounts",
        sa.Column("id", sa.BigInteger(), primary_key=True),
        sa.Column("email", sa.String(200), nullable=False),
    )
PY
cat >"$A/alembic/versions/b2_accounts_name.py" <<'PY'
revision = "b2"
down_revision = "a1"

from alembic import op
import sqlalchemy as sa


def upgrade():
    op.add_column("accounts", sa.Column("name", sa.Text(), nullable=True))
    op.create_index("accounts_email_idx", "accounts", ["email"], unique=True)
PY
# the database as `alembic upgrade head` leaves it (the SQL Alembic 1.8 emits)
$PSQL -d postgres -c "CREATE DATABASE alembic_app" >/dev/null
$PSQL -d alembic_app >/dev/null <<'SQL'
CREATE TABLE accounts (id BIGSERIAL NOT NULL, email VARCHAR(200) NOT NULL, PRIMARY KEY (id));
ALTER TABLE accounts ADD COLUMN name TEXT;
CREATE UNIQUE INDEX accounts_email_idx ON accounts (email);
SQL
set +e
out=$(cd "$A" && "$DDLGATE" audit --dsn "$PG_CONN dbname=alembic_app" 2>&1)
rc=$?
set -e
[ $rc = 0 ] || fail "alembic, clean: exit $rc: $out"
echo "$out" | grep -q "no findings; it matches the migrations" || fail "alembic, clean: $out"
echo "$out" | grep -q "does not replay" && fail "alembic: still says Python sets are not replayed: $out"
# a column added by hand, the index dropped by hand: both named, at the revision that made it
$PSQL -d alembic_app -c "ALTER TABLE accounts ADD COLUMN flag boolean; DROP INDEX accounts_email_idx" >/dev/null
set +e
out=$(cd "$A" && "$DDLGATE" audit --dsn "$PG_CONN dbname=alembic_app" 2>&1)
rc=$?
set -e
[ $rc = 1 ] || fail "alembic, drifted: exit $rc: $out"
echo "$out" | grep -q 'error\[schema-drift\]: column "accounts.flag" (boolean) exists in the database but no migration adds it' ||
	fail "alembic: the column added by hand: $out"
echo "$out" | grep -q '^alembic/versions/b2_accounts_name.py:[0-9]*:[0-9]*: error\[schema-drift\]: index "accounts_email_idx" on "accounts" is in the migrations but not in the database' ||
	fail "alembic: the dropped index, at its revision: $out"

# every live example of the rule docs
python3 "$SRC/tests/pg/live_rule_docs.py" "$DDLGATE" "$PG_CONN" "$W" \
	"$SRC/rules/missing-fk-index.md" "$SRC/rules/unused-index.md" \
	"$SRC/rules/invalid-index.md" "$SRC/rules/schema-drift.md" || fail "rule doc examples"
echo "audit: ok"
