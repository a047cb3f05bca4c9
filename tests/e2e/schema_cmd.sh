#!/bin/sh
# `ddlgate schema` and missing-fk-index across a real repository: the
# replayed schema as text and JSON (work tree, --rev, SET), the check of
# the whole history, and the pre-commit hook reporting only FKs of the
# staged migrations, with the blob-id facts cache cold and warm.
. "$DG_SRC/tests/e2e/hook_lib.inc"

R=$T/repo
mkdir -p "$R/db/migrations"
cd "$R" || exit 1
git init -q
printf 'migrations:\n  - path: db/migrations\n    format: sql\n    naming: flyway\n' >.ddlgate.yml
cat >db/migrations/V1__init.sql <<'SQL'
CREATE TABLE customers (id bigint PRIMARY KEY);
CREATE TABLE orders (id bigint PRIMARY KEY,
	customer_id bigint REFERENCES customers (id));
SQL
cat >db/migrations/V2__items.sql <<'SQL'
CREATE TABLE items (id bigint PRIMARY KEY, order_id bigint REFERENCES orders (id));
CREATE INDEX items_order_idx ON items (order_id);
SQL
git add -A && git commit -q -m init

expect_status 0 "schema: text" ddlgate schema
out_has "table public.orders" "schema lists the tables"
out_has "foreign key orders_customer_id_fkey (customer_id) references public.customers (id) [no covering index]" \
	"schema marks the unindexed FK"
out_has "[index items_order_idx]" "schema names the covering index"
expect_status 0 "schema: json" ddlgate schema --format json db/migrations
if python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); u=d["sets"][0]["schema"]["unindexed_foreign_keys"]; assert [x["constraint"] for x in u]==["orders_customer_id_fkey"], u' "$T/out"; then
	pass "schema json: exactly one unindexed FK"
else
	fail "schema json: unindexed FKs wrong"; sed 's/^/#   /' "$T/out"
fi
expect_status 2 "schema: unknown SET" ddlgate schema db/nothing
out_has "no migration set at 'db/nothing'" "schema: names the bad SET"
expect_status 0 "schema --rev HEAD" ddlgate schema --rev HEAD
out_has "table public.items" "schema --rev reads the commit"

expect_status 1 "check: the old FK is reported" ddlgate check
out_has "db/migrations/V1__init.sql:3:" "check: at the REFERENCES line"
out_has "CREATE INDEX CONCURRENTLY orders_customer_id_idx ON orders (customer_id);" "check: the fix in help"

# a new migration with its own unindexed FK: pre-commit reports it, not V1's
cat >db/migrations/V3__payments.sql <<'SQL'
CREATE TABLE payments (id bigint PRIMARY KEY, order_id bigint);
ALTER TABLE payments ADD CONSTRAINT payments_order_fk FOREIGN KEY (order_id) REFERENCES orders (id);
SQL
git add db/migrations/V3__payments.sql
expect_status 1 "pre-commit: new unindexed FK blocks" ddlgate pre-commit
out_has "db/migrations/V3__payments.sql:2:" "pre-commit: at the new FK"
out_lacks "V1__init.sql" "pre-commit: older FKs are not reported"
ls "$HOME"/.cache/ddlgate/schema-facts-* >/dev/null 2>&1 && pass "facts cache written under ~/.cache/ddlgate" ||
	fail "no facts cache under ~/.cache/ddlgate"
[ ! -e .git/ddlgate ] && pass "nothing written inside the repository" || fail "the hook wrote .git/ddlgate"
cp "$T/out" "$T/cold"
expect_status 1 "pre-commit again (cache warm)" ddlgate pre-commit
if cmp -s "$T/out" "$T/cold"; then pass "warm cache: same findings"; else
	fail "warm cache changed the findings"; diff "$T/cold" "$T/out" | sed 's/^/#   /'
fi
expect_status 1 "pre-commit --all" ddlgate pre-commit --all
out_has "db/migrations/V1__init.sql:3:" "pre-commit --all: the older FK is reported too"
out_has "db/migrations/V3__payments.sql:2:" "pre-commit --all: and the new one"
# older files' findings come from cached facts (their positions too): the same cold
cp "$T/out" "$T/all_warm"
rm -rf "$HOME"/.cache/ddlgate
expect_status 1 "pre-commit --all (cache cold)" ddlgate pre-commit --all
if cmp -s "$T/out" "$T/all_warm"; then pass "pre-commit --all: same findings cold and warm"; else
	fail "pre-commit --all: the cache changed the findings"; diff "$T/all_warm" "$T/out" | sed 's/^/#   /'
fi
expect_status 1 "check, cache warm" ddlgate check
cp "$T/out" "$T/check_warm"
rm -rf "$HOME"/.cache/ddlgate
expect_status 1 "check, cache cold" ddlgate check
if cmp -s "$T/out" "$T/check_warm"; then pass "check: same findings cold and warm"; else
	fail "check: the cache changed the findings"; diff "$T/check_warm" "$T/out" | sed 's/^/#   /'
fi

# dropping a covering index in a new migration is blamed on the drop
cat >db/migrations/V4__drop.sql <<'SQL'
CREATE INDEX CONCURRENTLY payments_order_idx ON payments (order_id);
SQL
git add db/migrations/V4__drop.sql
expect_status 0 "pre-commit: a later migration indexes the FK" ddlgate pre-commit --rule require-lock-timeout=off
out_lacks "missing-fk-index" "pre-commit: covered by the later index"
printf 'DROP INDEX CONCURRENTLY items_order_idx;\n' >db/migrations/V5__drop.sql
git add db/migrations/V5__drop.sql
expect_status 1 "pre-commit: dropping the last covering index" ddlgate pre-commit
out_has "db/migrations/V5__drop.sql:1:1: error[missing-fk-index]: dropping index \"items_order_idx\"" \
	"pre-commit: blamed on the DROP INDEX"

# lint of the directory judges the end state; the file alone judges itself
expect_status 1 "lint DIR" ddlgate lint --format json db/migrations
if python3 -c 'import json,sys; f=[(x["path"],x["line"]) for x in json.load(open(sys.argv[1]))["findings"] if x["rule"]=="missing-fk-index"]; assert sorted(f)==[("db/migrations/V1__init.sql",3),("db/migrations/V5__drop.sql",1)], f' "$T/out"; then
	pass "lint DIR: V1 and the drop, not V3 (indexed by V4)"
else
	fail "lint DIR: wrong missing-fk-index findings"; sed 's/^/#   /' "$T/out"
fi
# a file of the set is linted with its set's history, as lint DIR does: V4 indexes V3's FK
expect_status 0 "lint FILE of the set" ddlgate lint db/migrations/V3__payments.sql
out_lacks "missing-fk-index" "lint FILE: the set's history is replayed (V4 indexes the FK)"
# a file outside every set is its own history
mkdir -p scratch && cp db/migrations/V3__payments.sql scratch/payments.sql
expect_status 1 "lint FILE outside a set" ddlgate lint scratch/payments.sql
out_has "error[missing-fk-index]" "lint FILE outside a set: the file alone is its history"
finish
