#!/bin/sh
# ddlgate lint output: text (location, severity[rule], message, source line,
# caret, help, summary), json (exact keys, parses), sarif (2.1.0 structure),
# github (workflow commands), no colour into a pipe. The TTY side (colour,
# NO_COLOR, wrapping) is lint_tty.sh; jq's view of the JSON is json_jq.sh.
. "$DG_SRC/tests/e2e/lint_lib.inc"

mkdir -p db
printf 'SELECT 1;\n\n  CREATE INDEX orders_idx ON orders (created_at);\nLOCK TABLE t IN ACCESS SHARE MODE;\nDROP INDEX old_idx;\n' >db/V1__x.sql

# ---- text
run "$DDLGATE" lint db/V1__x.sql
expect_rc 1 "text: an error finding"
cat >"$T/want" <<'WANT'
db/V1__x.sql:3:3: error[require-concurrent-index]: CREATE INDEX on existing table "orders" blocks writes (ShareLock) while the index builds
  3 |   CREATE INDEX orders_idx ON orders (created_at);
    |   ^
  help: CREATE INDEX CONCURRENTLY orders_idx ON orders (created_at); outside a transaction
db/V1__x.sql:5:1: warning[require-concurrent-index-drop]: DROP INDEX "old_idx" takes an ACCESS EXCLUSIVE lock on its table: reads and writes wait
  5 | DROP INDEX old_idx;
    | ^
  help: DROP INDEX CONCURRENTLY old_idx; outside a transaction (one index per statement)
1 error, 1 warning in 1 file, 4 statements
WANT
if cmp -s "$T/want" "$T/out"; then
	pass "text: exact shape (location, source line, caret, help, summary)"
else
	fail "text: shape differs"
	diff "$T/want" "$T/out" | sed 's/^/#   /'
fi
[ -s "$T/err" ] && fail "text: unexpected stderr: $(cat "$T/err")" || pass "text: nothing on stderr"
if grep -q "$(printf '\033')" "$T/out"; then fail "text: colour escapes when not a TTY"; else pass "text: no colour when not a TTY"; fi

# caret under a multi-byte column: two code points before it
printf "SELECT 'é'; LOCK t;\n" >u.sql
run "$DDLGATE" lint u.sql
expect_in "$T/out" "u.sql:1:13: error[lock-table]" "text: column counts code points"
expect_in "$T/out" "    |             ^" "text: caret under the code point"

# clean file: no output at all, exit 0
printf 'SELECT 1;\n' >ok.sql
run "$DDLGATE" lint ok.sql
expect_rc 0 "text: clean file"
if [ -s "$T/out" ]; then fail "text: clean file prints nothing: $(cat "$T/out")"; else pass "text: clean file prints nothing"; fi

# ---- json
run "$DDLGATE" lint --format json db/V1__x.sql
expect_rc 1 "json: exit status as for text"
if python3 -m json.tool "$T/out" >/dev/null 2>&1; then pass "json: parses (python3 -m json.tool)"; else fail "json: does not parse"; fi
got=$(json_get 'sorted(d.keys())')
[ "$got" = "['findings', 'summary', 'tool', 'version']" ] && pass "json: top-level keys" || fail "json: top-level keys $got"
got=$(json_get '(d["tool"], d["version"])')
ver=$("$DDLGATE" --version | sed 's/^ddlgate \([^ ]*\).*/\1/')
[ "$got" = "('ddlgate', '$ver')" ] && pass "json: tool and version" || fail "json: tool/version $got (binary says $ver)"
got=$(json_get 'sorted(d["findings"][0].keys())')
[ "$got" = "['column', 'end_column', 'end_line', 'help', 'line', 'message', 'path', 'rule', 'severity']" ] \
	&& pass "json: finding keys exactly (no ref when there is none)" || fail "json: finding keys $got"
got=$(json_get '[(f["rule"], f["severity"], f["path"], f["line"], f["column"], f["end_line"], f["end_column"]) for f in d["findings"]]')
[ "$got" = "[('require-concurrent-index', 'error', 'db/V1__x.sql', 3, 3, 3, 49), ('require-concurrent-index-drop', 'warning', 'db/V1__x.sql', 5, 1, 5, 19)]" ] \
	&& pass "json: finding values" || fail "json: findings $got"
got=$(json_get 'd["summary"]')
[ "$got" = "{'files': 1, 'statements': 4, 'errors': 1, 'warnings': 1}" ] && pass "json: summary" || fail "json: summary $got"
got=$(json_get 'type(d["findings"][0]["line"]).__name__ + " " + type(d["findings"][0]["help"]).__name__')
[ "$got" = "int str" ] && pass "json: types" || fail "json: types $got"
run "$DDLGATE" lint --format json ok.sql
expect_rc 0 "json: clean file"
got=$(json_get '(d["findings"], d["summary"])')
[ "$got" = "([], {'files': 1, 'statements': 1, 'errors': 0, 'warnings': 0})" ] && pass "json: empty findings list" || fail "json: clean output $got"
# quotes and backslashes in names come out escaped
printf 'CREATE INDEX i ON "we""ird\\\\t" (a);\n' >q.sql
run "$DDLGATE" lint --format json q.sql
got=$(json_get 'd["findings"][0]["message"]')
case "$got" in *'"we"ird\\t"'*) pass "json: quotes and backslashes survive a round trip" ;; *) fail "json: escaped message $got" ;; esac

# ---- sarif
run "$DDLGATE" lint --format sarif db/V1__x.sql
expect_rc 1 "sarif: exit status"
if python3 - "$T/out" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["version"] == "2.1.0", d["version"]
assert "sarif" in d["$schema"]
run = d["runs"][0]
drv = run["tool"]["driver"]
assert drv["name"] == "ddlgate"
ids = [r["id"] for r in drv["rules"]]
assert "require-concurrent-index" in ids and "lock-table" in ids
res = run["results"]
assert len(res) == 2, res
r = res[0]
assert r["ruleId"] == "require-concurrent-index"
assert r["level"] == "error" and res[1]["level"] == "warning"
assert ids[r["ruleIndex"]] == r["ruleId"]
assert r["message"]["text"].startswith("CREATE INDEX on existing table")
loc = r["locations"][0]["physicalLocation"]
assert loc["artifactLocation"]["uri"] == "db/V1__x.sql", loc
assert loc["region"]["startLine"] == 3 and loc["region"]["startColumn"] == 3, loc
PY
then pass "sarif: 2.1.0 structure, rules, results, locations"; else fail "sarif: structure"; fi

# ---- github
run "$DDLGATE" lint --format github db/V1__x.sql
expect_rc 1 "github: exit status"
expect_in "$T/out" "::error file=db/V1__x.sql,line=3,col=3," "github: ::error with file, line, col"
expect_in "$T/out" "title=require-concurrent-index::CREATE INDEX on existing table" "github: title is the rule, then the message"
expect_in "$T/out" "::warning file=db/V1__x.sql,line=5,col=1," "github: warnings as ::warning"
if grep -v '^::' "$T/out" | grep -q '%0A\|^  help'; then fail "github: a command spans lines"; else pass "github: one line per command"; fi

# ---- format errors
run "$DDLGATE" lint --format xml db/V1__x.sql
expect_rc 2 "unknown --format"
expect_one_line_err "--format must be text, json, sarif or github, not 'xml'" "unknown --format message"

# ---- colour: never into a pipe (the TTY cases are tests/e2e/lint_tty.sh)
env -u NO_COLOR "$DDLGATE" lint db/V1__x.sql >"$T/out" 2>&1
if grep -q "$(printf '\033')" "$T/out"; then fail "colour into a pipe without NO_COLOR"; else pass "no colour into a pipe without NO_COLOR"; fi

finish
