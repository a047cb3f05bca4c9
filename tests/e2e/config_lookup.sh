#!/bin/sh
# .ddlgate.yml is the nearest one from the current directory upward: up to
# the repository root inside a repository (a file above the root is not
# read), up to / outside one (its directory is then the root the paths are
# relative to). Paths in a file below the root are relative to its own
# directory. --config FILE still wins.
. "$DG_SRC/tests/e2e/ci_lib.inc"

sql='LOCK TABLE t;\nCREATE INDEX i ON t (a);\n'
# ---- inside a repository
mkdir -p "$T/outer/repo/svc/api/db" "$T/outer/repo/docs"
printf 'rules:\n  require-concurrent-index: off\n' >"$T/outer/.ddlgate.yml" # above the root: never read
cd "$T/outer/repo" && git init -q . || exit 1
printf "$sql" >svc/api/db/V1__a.sql
expect_status 1 "no config in the repository: defaults (the file above the root is not read)" \
	"$DG" lint --format json svc
out_has '"require-concurrent-index"' "the outer file did not switch the rule off"

printf 'rules:\n  lock-table: off\n' >.ddlgate.yml
cd svc/api/db || exit 1
expect_status 1 "from a subdirectory: the root's file" "$DG" lint --format json .
out_lacks '"lock-table"' "root config read from three levels down"
out_has '"path": "svc/api/db/V1__a.sql"' "paths stay relative to the repository root"

# a nearer file wins, and its paths are relative to its own directory
printf 'rules:\n  require-concurrent-index: off\nexclude: ["db/V9__*.sql"]\n' >"$T/outer/repo/svc/api/.ddlgate.yml"
printf "$sql" >V9__skip.sql
expect_status 1 "from svc/api/db: svc/api/.ddlgate.yml" "$DG" lint --format json .
out_lacks '"require-concurrent-index"' "the nearer file's rules"
out_has '"lock-table"' "the root's file is not merged in: lock-table is back on"
out_lacks 'V9__skip.sql' "exclude relative to svc/api (db/V9__*.sql)"
cd "$T/outer/repo/docs" || exit 1
expect_status 1 "from docs/: the root's file again" "$DG" lint --format json ../svc/api/db/V1__a.sql
out_lacks '"lock-table"' "root's rules from a sibling directory"
out_has '"require-concurrent-index"' "svc/api's file does not apply outside it"

# a fault in the nearer file names it as seen from the root
printf 'rules:\n  lock-tabel: off\n' >"$T/outer/repo/svc/api/.ddlgate.yml"
cd "$T/outer/repo/svc/api/db" || exit 1
expect_status 2 "bad nearer file" "$DG" lint .
out_has "ddlgate: svc/api/.ddlgate.yml:2:3: unknown rule id 'lock-tabel'" "named from the root"
err_lines 1 "one line"

# --config wins over every file found
printf 'rules:\n  lock-table: warning\n' >"$T/explicit.yml"
expect_status 1 "--config FILE" "$DG" lint --config "$T/explicit.yml" --format json V1__a.sql
out_has '"severity": "warning"' "--config's levels"

# ---- outside a repository: up to /
mkdir -p "$T/plain/proj/db/sub"
printf 'rules:\n  lock-table: off\n' >"$T/plain/proj/.ddlgate.yml"
printf "$sql" >"$T/plain/proj/db/sub/V1__a.sql"
cd "$T/plain/proj/db/sub" || exit 1
expect_status 1 "outside git: the nearest file upward" "$DG" lint --format json .
out_lacks '"lock-table"' "proj/.ddlgate.yml read from db/sub"
out_has '"path": "db/sub/V1__a.sql"' "its directory is the root paths are shown from"
rm "$T/plain/proj/.ddlgate.yml"
expect_status 1 "outside git, no file anywhere: defaults" "$DG" lint --format json .
out_has '"lock-table"' "defaults"

# ---- the README's examples: the one to copy keeps main and master; both parse
python3 - "$DG_SRC/README.md" "$T" <<'PY' || fail "README config examples not found"
import re, sys
text = open(sys.argv[1]).read()
sec = text[text.index("<!-- section:config -->"):text.index("<!-- /section:config -->")]
blocks = re.findall(r"```yaml\n(.*?)```", sec, re.S)
copy = [b for b in blocks if b.startswith("# .ddlgate.yml")]
ref = [b for b in blocks if "branch_rules:" in b and "exclude:" in b]
assert len(copy) == 1 and len(ref) == 1, (len(copy), len(ref))
open(sys.argv[2] + "/copy.yml", "w").write(copy[0])
open(sys.argv[2] + "/ref.yml", "w").write(ref[0])
PY
grep -q '^protected_branches: \[main, master' "$T/copy.yml" && pass "README: the example to copy protects main and master" ||
	{ fail "README: the example to copy drops main or master"; show "$T/copy.yml"; }
grep -q "Every key, as a reference (not a file to copy" "$DG_SRC/README.md" && pass "README: the all-keys example is marked as a reference" || fail "no reference marker"
mkdir -p "$T/empty"
for f in copy ref; do
	expect_status 0 "README's $f example is a valid config" "$DG" lint --config "$T/$f.yml" "$T/empty"
done
finish
