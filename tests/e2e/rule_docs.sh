#!/bin/sh
# Every rule's doc (rules/<id>.md) exists and its sql bad / sql good examples
# behave as documented when run through the binary (tests/rule_docs.py does
# the work). Then a self-test: a deliberately wrong docs folder must fail.
set -u
: "${DDLGATE:?DDLGATE must name the built binary}"
: "${DG_SRC:?DG_SRC must name the source tree}"
command -v python3 >/dev/null 2>&1 || { echo "rule_docs: python3 is required" >&2; exit 1; }

status=0
python3 "$DG_SRC/tests/rule_docs.py" --src "$DG_SRC" || status=1

# self-test: the runner must catch a missing doc, a bad example that does
# not fire, a good example that fires, a wrong line, and an unparsable one
T=$(mktemp -d "${TMPDIR:-/tmp}/ddlgate-ruledocs.XXXXXX")
trap 'rm -rf "$T"' EXIT INT TERM
mkdir "$T/docs"
cat >"$T/docs/lock-table.md" <<'EOF'
# lock-table

Default severity: error

```sql bad
LOCK TABLE t IN ACCESS SHARE MODE;
```

```sql good
LOCK TABLE t;
```

```sql bad line=2
LOCK TABLE t;
```

```sql good
LOCK TABLE t IN ACCESS SHARE MODE
```
EOF
cat >"$T/docs/prefer-bigint.md" <<'EOF'
# prefer-bigint

Default severity: warning

```sql good
CREATE TABLE t (id int PRIMARY KEY;
```
EOF
cat >"$T/docs/lock-tabel.md" <<'EOF'
# lock-tabel
EOF
python3 "$DG_SRC/tests/rule_docs.py" --src "$DG_SRC" --docs "$T/docs" >"$T/out" 2>&1
rc=$?
check() {
	if grep -q -- "$1" "$T/out"; then
		echo "ok - self-test: runner reports $2"
	else
		echo "not ok - self-test: runner did not report $2"
		status=1
	fi
}
if [ "$rc" -eq 0 ]; then
	echo "not ok - self-test: the runner passed a broken docs folder"
	status=1
fi
check 'rules/lock-table.md:5 (```sql bad): bad example must report lock-table at line 1; got nothing' "a bad example that does not fire"
check 'rules/lock-table.md:9 (```sql good): good example must not report lock-table' "a good example that fires"
check 'rules/lock-table.md:13 (```sql bad line=2): line=2 is past the end' "a line past the end"
check 'rules/prefer-bigint.md:5 (```sql good): the example does not parse' "an example that does not parse"
check 'rules/prefer-bigint.md: has sql good examples but no sql bad example' "a doc without a bad example"
check 'rules/require-concurrent-index.md: missing' "a missing doc"
check 'rules/lock-tabel.md: no rule with id' "a doc for no rule"
[ "$status" -eq 0 ] || { echo "---- self-test output:"; cat "$T/out"; }
exit "$status"
