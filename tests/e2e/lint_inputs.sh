#!/bin/sh
# ddlgate lint on awkward inputs: a syntax error among good files, CRLF line
# ends, an empty file, a binary file, invalid UTF-8, a directory tree with
# nested *.sql and `exclude`. The 50 MB file is lint_big_file.sh (slow).
. "$DG_SRC/tests/e2e/lint_lib.inc"

# ---- a syntax error among good files: the others are still linted
mkdir -p m
printf 'CREATE INDEX a_idx ON a (x);\n' >m/1_good.sql
printf 'SELECT 1;\nCREATE TABLE t (id int,);\nSELEC 2;\nCREATE INDEX b_idx ON b (y);\n' >m/2_bad.sql
printf 'LOCK TABLE c;\n' >m/3_good.sql
run "$DDLGATE" lint --format json m/1_good.sql m/2_bad.sql m/3_good.sql
expect_rc 1 "syntax error among good files"
got=$(json_get 'sorted((f["path"], f["line"], f["column"], f["rule"]) for f in d["findings"])')
want="[('m/1_good.sql', 1, 1, 'require-concurrent-index'), ('m/2_bad.sql', 2, 24, 'sql-syntax-error'), ('m/2_bad.sql', 3, 1, 'sql-syntax-error'), ('m/2_bad.sql', 4, 1, 'require-concurrent-index'), ('m/3_good.sql', 1, 1, 'lock-table')]"
[ "$got" = "$want" ] && pass "every file linted; both errors found; statement after them checked" || { fail "findings"; echo "#   got  $got"; echo "#   want $want"; }
got=$(json_get 'd["findings"][1]["message"]')
case "$got" in 'syntax error at or near ")"'*) pass "PostgreSQL's own message: $got" ;; *) fail "syntax message: $got" ;; esac
got=$(json_get 'd["summary"]["files"]')
[ "$got" = 3 ] && pass "three files counted" || fail "files counted: $got"
printf "SELECT 1;\nINSERT INTO t VALUES ('oops);\n" >m/4_unterminated.sql
run "$DDLGATE" lint --format json m/4_unterminated.sql m/3_good.sql
expect_rc 1 "unterminated string"
got=$(json_get '[(f["line"], f["column"], f["rule"]) for f in d["findings"]]')
[ "$got" = "[(1, 1, 'lock-table'), (2, 23, 'sql-syntax-error')]" ] && pass "unterminated string at 2:23; the other file linted" || fail "unterminated: $got"

# ---- CRLF: the right lines, columns and source lines
printf -- '-- header\r\n\r\nSELECT 1;\r\n  CREATE INDEX i ON t (a);\r\nCREATE TABLE x (\r\n  id int\r\n);\r\nLOCK TABLE t;\r\n' >crlf.sql
run "$DDLGATE" lint --format json crlf.sql
expect_rc 1 "CRLF file"
got=$(json_get '[(f["rule"], f["line"], f["column"], f["end_line"], f["end_column"]) for f in d["findings"]]')
[ "$got" = "[('require-concurrent-index', 4, 3, 4, 26), ('lock-table', 8, 1, 8, 13)]" ] && pass "CRLF: lines and columns" || fail "CRLF positions: $got"
run "$DDLGATE" lint crlf.sql
expect_in "$T/out" "  4 |   CREATE INDEX i ON t (a);" "CRLF: source line shown without CR"
if grep -q "$(printf '\r')" "$T/out"; then fail "CRLF: a CR leaked into the text output"; else pass "CRLF: no CR in the output"; fi
printf 'SELECT 1;\rLOCK TABLE t;\r' >cr.sql
run "$DDLGATE" lint cr.sql
expect_rc 1 "old Mac CR-only line ends still lint"

# ---- empty and comment-only files
: >empty.sql
run "$DDLGATE" lint --format json empty.sql
expect_rc 0 "empty file"
[ "$(json_get '(d["summary"]["files"], d["summary"]["statements"], d["findings"])')" = "(1, 0, [])" ] && pass "empty file: one file, no statements" || fail "empty file: $(cat "$T/out")"
[ -s "$T/err" ] && fail "empty file: stderr $(cat "$T/err")" || pass "empty file: nothing on stderr"
printf -- '-- nothing here\n/* at all */\n' >comments.sql
run "$DDLGATE" lint comments.sql
expect_rc 0 "comment-only file"

# ---- binary and invalid UTF-8: exit 2, one line naming file:line:col
printf 'SELECT 1;\nSEL\000ECT 2;\n' >bin.sql
run "$DDLGATE" lint bin.sql
expect_rc 2 "binary file"
expect_one_line_err "bin.sql:2:4: binary file" "binary file: one line with file:line:col"
run "$DDLGATE" lint bin.sql m/3_good.sql
expect_rc 2 "binary file among others"
expect_in "$T/out" "error[lock-table]" "binary file among others: the others are linted"
head -c 4096 /dev/urandom >rand.sql
printf '\000' >>rand.sql
run "$DDLGATE" lint rand.sql
expect_rc 2 "random bytes"
[ "$(wc -l <"$T/err")" -eq 1 ] && grep -q '^ddlgate: rand\.sql:[0-9]*:[0-9]*: ' "$T/err" && pass "random bytes: one line with file:line:col" || fail "random bytes: $(cat "$T/err")"
printf "SELECT 'caf\303\251';\nSELECT 'caf\351';\n" >latin1.sql
run "$DDLGATE" lint latin1.sql
expect_rc 2 "invalid UTF-8"
expect_one_line_err "latin1.sql:2:12: invalid UTF-8" "invalid UTF-8: one line with file:line:col"
printf "SELECT 'ok';\n\355\240\200\n" >surrogate.sql
run "$DDLGATE" lint surrogate.sql
expect_rc 2 "UTF-8 surrogate"
expect_one_line_err "surrogate.sql:2:1: invalid UTF-8" "UTF-8 surrogate: file:line:col"
printf "SELECT 'bin';\nSEL\000\n" >"$T/in"
run_in "$T/in" "$DDLGATE" lint -
expect_rc 2 "binary on stdin"
expect_one_line_err "<stdin>:2:4: binary file" "binary on stdin: file:line:col"

# ---- a directory: nested *.sql, other files ignored, exclude honoured
mkdir -p tree/a/b tree/legacy/old tree/.hidden
printf 'LOCK TABLE t1;\n' >tree/top.sql
printf 'LOCK TABLE t2;\n' >tree/a/b/deep.sql
printf 'LOCK TABLE t3;\n' >tree/a/notes.txt
printf 'LOCK TABLE t4;\n' >tree/legacy/old/x.sql
printf 'LOCK TABLE t5;\n' >tree/a/gen.sql
printf 'LOCK TABLE t6;\n' >tree/.hidden/h.sql
run "$DDLGATE" lint --format json tree
expect_rc 1 "a directory"
got=$(json_get 'sorted(f["path"] for f in d["findings"])')
[ "$got" = "['tree/a/b/deep.sql', 'tree/a/gen.sql', 'tree/legacy/old/x.sql', 'tree/top.sql']" ] && pass "directory: every nested *.sql, no other files, no dot dirs" || fail "directory: $got"
printf 'exclude: ["tree/legacy/**", "**/gen.sql"]\n' >.ddlgate.yml
run "$DDLGATE" lint --format json tree
got=$(json_get 'sorted(f["path"] for f in d["findings"])')
[ "$got" = "['tree/a/b/deep.sql', 'tree/top.sql']" ] && pass "directory: exclude globs honoured" || fail "exclude: $got"
printf 'exclude: [tree/a]\n' >.ddlgate.yml
run "$DDLGATE" lint --format json tree
got=$(json_get 'sorted(f["path"] for f in d["findings"])')
[ "$got" = "['tree/legacy/old/x.sql', 'tree/top.sql']" ] && pass "directory: a directory name excludes its subtree" || fail "exclude dir: $got"
cd tree
run "$DDLGATE" lint --format json
cd "$W"
got=$(json_get 'sorted(f["path"] for f in d["findings"])')
[ "$got" = "['tree/legacy/old/x.sql', 'tree/top.sql']" ] && pass "no path: lints '.', paths relative to the root, exclude applies" || fail "no path: $got"
rm -f .ddlgate.yml
run "$DDLGATE" lint --format json tree/legacy/old/x.sql
expect_rc 1 "a file named explicitly"

# ---- input forms psql reads (issue 13): a BOM, meta-commands, COPY data
printf '\357\273\277CREATE INDEX i ON t (a);\n' >bom.sql
run "$DDLGATE" lint --format json bom.sql
expect_rc 1 "a UTF-8 BOM is skipped"
got=$(json_get '[(f["rule"], f["line"], f["column"], f["end_column"]) for f in d["findings"]]')
[ "$got" = "[('require-concurrent-index', 1, 1, 24)]" ] && pass "BOM: the statement after it is linted, columns as an editor shows them (the BOM is not counted)" || fail "BOM: $got"
printf '\\set ON_ERROR_STOP on\n\\connect app\nCREATE INDEX i ON t (a);\nCOPY t (a, b) FROM stdin;\n1\tDROP TABLE x;\n2\t-- ddlgate:ignore lock-table no\n\\.\nLOCK TABLE t;\nSELECT format($$CREATE INDEX %%I ON t (a)$$, n) FROM names \\gexec\n\\i more.sql\n' >psql.sql
run "$DDLGATE" lint --format json psql.sql
expect_rc 1 "psql meta-commands and COPY data"
got=$(json_get 'sorted((f["rule"], f["line"], f["column"]) for f in d["findings"])')
[ "$got" = "[('lock-table', 8, 1), ('opaque-sql', 9, 59), ('require-concurrent-index', 3, 1)]" ] \
	&& pass "meta-commands skipped, the statements after them linted; COPY rows are data (no DROP TABLE, no suppression); \\gexec is opaque-sql" \
	|| fail "psql forms: $got"
got=$(json_get 'd["summary"]["statements"]')
[ "$got" = 4 ] && pass "four statements (COPY counted, its rows not)" || fail "statements: $got"
expect_in "$T/err" "psql.sql:1: psql meta-command \\set skipped" "a note for \\set"
expect_in "$T/err" "psql.sql:2: psql meta-command \\connect skipped (the statements after it run in another session" "a note for \\connect says why"
expect_in "$T/err" "psql.sql:10: psql meta-command \\i skipped (the file it includes is not linted from here" "a note for \\i"

finish
