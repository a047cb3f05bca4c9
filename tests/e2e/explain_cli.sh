#!/bin/sh
# ddlgate explain: the text table, --format json exactly as DESIGN.md
# specifies it, --pg-version, a migration set's `transaction: yes`, stdin,
# notes, and the exit statuses (0, 1 for SQL that does not parse, 2 for
# usage and I/O errors).
. "$DG_SRC/tests/e2e/lint_lib.inc"

cat >m.sql <<'SQL'
ALTER TABLE orders ADD CONSTRAINT orders_customer_fkey FOREIGN KEY (customer_id) REFERENCES app.customers (id);
ALTER TABLE orders ADD COLUMN token uuid DEFAULT gen_random_uuid();
ALTER TABLE events ATTACH PARTITION events_2025 FOR VALUES FROM (1) TO (2);
SQL

# ---- text
run "$DDLGATE" explain m.sql; expect_rc 0 "explain a file"
expect_in "$T/out" "m.sql:1:1:" "a block starts with the location"
expect_in "$T/out" "relation" "a table header"
expect_in "$T/out" "app.customers  ShareRowExclusiveLock" "the referenced table, qualified as written"
grep -q "orders *AccessExclusiveLock *both *yes *yes" "$T/out" && pass "rewrite and scan columns" ||
	fail "rewrite row: $(cat "$T/out")"

# ---- json, exactly the documented keys
run "$DDLGATE" explain --format json m.sql; expect_rc 0 "explain --format json"
python3 - "$T/out" >"$T/py" 2>&1 <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert list(d) == ["statements"], list(d)
s = d["statements"]
assert [list(x) for x in s] == [["path", "line", "column", "sql", "locks", "rewrites", "scans", "in_transaction",
                                 "timezone_dependent_rewrites", "index_rebuilds"]] * 3, s
assert s[0]["path"] == "m.sql" and s[0]["line"] == 1 and s[0]["column"] == 1
assert s[0]["locks"] == [{"relation": "orders", "mode": "ShareRowExclusiveLock"},
                         {"relation": "app.customers", "mode": "ShareRowExclusiveLock"}], s[0]["locks"]
assert s[0]["scans"] == ["orders"] and s[0]["rewrites"] == []
assert s[1]["rewrites"] == ["orders"] and s[1]["in_transaction"] is False
assert s[2]["locks"][0] == {"relation": "events", "mode": "ShareUpdateExclusiveLock"}, s[2]["locks"]
print("ok")
PY
grep -qx ok "$T/py" && pass "json: keys, locks of both tables, rewrites" || fail "json: $(cat "$T/py")"

# ---- --pg-version
run "$DDLGATE" explain --format json --pg-version 11 m.sql; expect_rc 0 "--pg-version 11"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(d["statements"][2]["locks"][0]["mode"] != "AccessExclusiveLock")' "$T/out" &&
	pass "pg 11: ATTACH PARTITION locks the parent ACCESS EXCLUSIVE" || fail "pg 11 attach"
run "$DDLGATE" explain --pg-version 9 m.sql; expect_rc 2 "--pg-version out of range"

# ---- transaction: yes
mkdir -p db
cp m.sql db/V1__m.sql
printf 'migrations:\n  - {path: db, format: sql, transaction: yes}\n' >.ddlgate.yml
run "$DDLGATE" explain --format json db/V1__m.sql; expect_rc 0 "a set with transaction: yes"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(not all(s["in_transaction"] for s in d["statements"]))' "$T/out" &&
	pass "transaction: yes puts every statement in a transaction" || fail "in_transaction: $(cat "$T/out")"
rm -f .ddlgate.yml

# ---- stdin, notes
printf 'ALTER TABLE t ADD COLUMN c int DEFAULT my_func();\n' >"$T/in"
run_in "$T/in" "$DDLGATE" explain -; expect_rc 0 "stdin"
expect_in "$T/out" "<stdin>:1:1:" "stdin is named <stdin>"
expect_in "$T/out" "note: my_func() is not a built-in function ddlgate knows: treated as volatile" "the note for an unknown function"

# ---- errors
printf 'ALTER TABLE t ADD COLUMN;\n' >bad.sql
run "$DDLGATE" explain bad.sql; expect_rc 1 "SQL that does not parse"
expect_in "$T/err" "bad.sql:1:" "the syntax error names the file"
run "$DDLGATE" explain missing.sql; expect_rc 2 "a missing file"
run "$DDLGATE" explain --bogus m.sql; expect_rc 2 "an unknown option"
run "$DDLGATE" explain --format sarif m.sql; expect_rc 2 "explain has no sarif"
run "$DDLGATE" explain; expect_rc 2 "no path"

finish
