#!/bin/sh
# A pull request cannot switch its own checks off (issue 14), tried from the
# attacker's side: the base branch commits a .ddlgate.yml, the pull request
# branch does the trick, and `ddlgate ci --base main --config-from base` must
# fail (exit 1, or 2) and name it. One case per trick:
#   1. suppression comments: deny / require-reason, ignore-file all on an
#      applied migration, on two heads, in Python; every added one reported
#      (suppression-added) in text, JSON, SARIF and GitHub annotations
#   2. a migration committed as a symbolic link (inside, outside, through a
#      directory link, its target edited), a submodule in the migrations
#   3. DDL / EXECUTE in a DO block: at least a warning at its line
#   5. a Python migration Python accepts but ddlgate cannot read, hiding a
#      second head (revision = str("c1")); 2 MB of padding and deep nesting
#      are read
#   6. a new migration hidden by the base's own exclude globs
# plus the 5,000-term `SELECT 1+1+...` through ci.
. "$DG_SRC/tests/e2e/ci_lib.inc"
needs jq jq

CI="$DG ci --base main --config-from base"

# pr_repo CONFIG: $T/w with main = the config, V1 (orders) and V2 (an old
# CREATE INDEX without CONCURRENTLY, never the pull request's business), and
# branch pr checked out
pr_repo() {
	rm -rf "$T/w"
	git init -q "$T/w"
	cd "$T/w" || exit 1
	if [ -n "$1" ]; then printf '%s\n' "$1" >.ddlgate.yml && git add .ddlgate.yml; fi
	commit_file db/migrations/V1__init.sql \
		'CREATE TABLE orders (id bigint PRIMARY KEY, total numeric, created_at timestamptz);'
	commit_file db/migrations/V2__old_idx.sql 'CREATE INDEX orders_created_idx ON orders (created_at);'
	git checkout -q -b pr
}

# ---- 1. suppressions ----------------------------------------------------

# deny: a file-wide "all" silences nothing
pr_repo 'suppressions: deny'
commit_file db/migrations/V3__idx.sql '-- ddlgate:ignore-file all the table is small
CREATE INDEX orders_total_idx ON orders (total);'
expect_status 1 "deny: ignore-file all in a new migration" $CI
out_has "V3__idx.sql:2:1: error[require-concurrent-index]" "deny: the finding is reported"
out_has "V3__idx.sql:1:24: warning[suppression-added]: this change adds ddlgate:ignore-file all with the reason \"the table is small\"; it silences nothing (suppressions: deny)" "deny: the comment is shown to reviewers"
# the pull request loosens its own config: the base's rules
printf 'suppressions: allow\n' >.ddlgate.yml && git add .ddlgate.yml && git commit -q -m "allow"
expect_status 1 "deny: the branch's own 'suppressions: allow' does not count" $CI
out_has "error[require-concurrent-index]" "deny still rules"
expect_status 0 "(without --config-from base the branch's config rules)" "$DG" ci --base main

# require-reason: an ignore without a reason silences nothing
pr_repo 'suppressions: require-reason'
commit_file db/migrations/V3__idx.sql '-- ddlgate:ignore require-concurrent-index
CREATE INDEX orders_total_idx ON orders (total);
-- ddlgate:ignore lock-table only a few rows, at night
LOCK TABLE orders;'
expect_status 1 "require-reason: an ignore without a reason" $CI
out_has "V3__idx.sql:2:1: error[require-concurrent-index]" "require-reason: not silenced"
out_has "warning[suppression-added]: this change adds ddlgate:ignore require-concurrent-index without a reason; it silences nothing (suppressions: require-reason)" "require-reason: said"
out_lacks "error[lock-table]" "require-reason: an ignore with a reason still silences"
out_has "this change adds ddlgate:ignore lock-table with the reason \"only a few rows, at night\"" "require-reason: the reason shown"
expect_status 0 "require-reason: lint by hand also refuses it" "$DG" lint --config /dev/null db/migrations/V3__idx.sql
expect_status 1 "require-reason: lint by hand with the base's config" sh -c 'git show main:.ddlgate.yml >"$1/base.yml" && "$2" lint --config "$1/base.yml" db/migrations/V3__idx.sql' sh "$T" "$DG"
out_has "warning[invalid-suppression]: ddlgate:ignore require-concurrent-index gives no reason" "lint: invalid-suppression"

# allow (the default): ignore-file all appended to an applied migration
pr_repo ''
printf -- '-- ddlgate:ignore-file all\n' >>db/migrations/V2__old_idx.sql
git commit -q -a -m "silence V2"
expect_status 1 "allow: ignore-file all appended to an applied migration" $CI
out_has "V2__old_idx.sql:1:1: error[migration-modified]" "the edit of an applied migration is still reported"
out_has "V2__old_idx.sql:1:1: error[require-concurrent-index]" "its findings are not silenced: it may have run already"
out_has "it silences nothing: this migration is on the base branch already" "suppression-added says why"
# a statement suppression added above the old statement
pr_repo ''
printf -- '-- ddlgate:ignore require-concurrent-index it was built at night\nCREATE INDEX orders_created_idx ON orders (created_at);\n' >db/migrations/V2__old_idx.sql
git commit -q -a -m "silence V2's index"
expect_status 1 "allow: an ignore added to an applied migration" $CI
out_has "V2__old_idx.sql:2:1: error[require-concurrent-index]" "not silenced"
# a new migration: allowed, but shown
pr_repo ''
commit_file db/migrations/V3__lock.sql '-- ddlgate:ignore lock-table, prefer-bigint audit needs it
LOCK TABLE orders;'
expect_status 0 "allow: an ignore in a new migration silences" $CI --format json
got=$(jq -r '.findings[] | "\(.rule) \(.path):\(.line) \(.message)"' "$T/out")
case "$got" in "suppression-added db/migrations/V3__lock.sql:1 this change adds ddlgate:ignore lock-table, prefer-bigint with the reason \"audit needs it\"") pass "json: one suppression-added with its rule ids and reason" ;;
	*) fail "json findings: $got" ;; esac
expect_status 0 "sarif" $CI --format sarif
jq -e '.runs[0].results[] | select(.ruleId == "suppression-added") | .locations[0].physicalLocation.region.startLine == 1' "$T/out" >/dev/null &&
	pass "sarif: a result of suppression-added at line 1" || { fail "sarif lacks suppression-added"; show "$T/out"; }
cp "$T/out" "$T/pr.sarif"
validate_sarif "sarif is valid" "$T/pr.sarif"
expect_status 0 "github" $CI --format github
out_has "::warning file=db/migrations/V3__lock.sql,line=1" "github: a warning annotation at the comment"
out_has "suppression-added" "github: titled with the rule"

# a suppression never silences a migration-* rule: two heads stay two heads
pr_repo ''
commit_file db/migrations/V3__a.sql '-- ddlgate:ignore-file all
SELECT 1;'
git checkout -q main
commit_file db/migrations/V3__b.sql 'SELECT 2;'
git checkout -q pr
expect_status 1 "ignore-file all does not silence a duplicate version" $CI
out_has "error[migration-duplicate-version]" "duplicate version reported"

# Python: `# ddlgate:ignore-file all` on a second head, and deny in an Alembic file
alembic_repo() {
	rm -rf "$T/w"
	git init -q "$T/w"
	cd "$T/w" || exit 1
	printf '[alembic]\nscript_location = alembic\n' >alembic.ini
	mkdir -p alembic/versions && : >alembic/env.py
	if [ -n "$1" ]; then printf '%s\n' "$1" >.ddlgate.yml; fi
	printf 'from alembic import op\nrevision = "a1"\ndown_revision = None\n\ndef upgrade():\n    op.execute("CREATE TABLE orders (id bigint PRIMARY KEY, total numeric)")\n' >alembic/versions/a1.py
	git add -A && git commit -q -m base
	git checkout -q -b pr
}
alembic_repo ''
printf 'revision = "b1"\ndown_revision = "a1"\n' >alembic/versions/b1.py
printf '# ddlgate:ignore-file all\nrevision = "c1"\ndown_revision = "a1"\n' >alembic/versions/c1.py
git add -A && git commit -q -m "two heads"
expect_status 1 "python: ignore-file all does not silence two heads" $CI
out_has "error[migration-multiple-heads]" "two heads reported"
alembic_repo 'suppressions: deny'
printf 'from alembic import op\nrevision = "b1"\ndown_revision = "a1"\n\ndef upgrade():\n    # ddlgate:ignore require-concurrent-index tiny table\n    op.create_index("orders_total_idx", "orders", ["total"])\n' >alembic/versions/b1.py
git add -A && git commit -q -m "index"
expect_status 1 "python: deny in an Alembic migration" $CI
out_has "b1.py:7:5: error[require-concurrent-index]" "python: not silenced"
out_has "b1.py:6:22: warning[suppression-added]: this change adds ddlgate:ignore require-concurrent-index with the reason \"tiny table\"; it silences nothing (suppressions: deny)" "python: the comment reported at its place"

# ---- 2. symbolic links and submodules -----------------------------------
pr_repo ''
mkdir -p scripts
printf 'LOCK TABLE orders;\n' >scripts/evil.sql
ln -s ../../scripts/evil.sql db/migrations/V3__inside.sql
git add -A && git commit -q -m "a migration as a link"
expect_status 1 "a link inside the repository is followed" $CI
out_has "db/migrations/V3__inside.sql:1:1: error[lock-table]" "its target linted under the link's name"
ln -s /etc/hostname db/migrations/V4__abs.sql
ln -s ../../../outside.sql db/migrations/V5__up.sql
git add -A && git commit -q -m "links out"
expect_status 1 "links that leave the repository" $CI
out_has "db/migrations/V4__abs.sql: error[migration-unreadable]: symbolic link in the sql set db/migrations that ddlgate does not follow: it points outside the repository (an absolute path)" "absolute link"
out_has "db/migrations/V5__up.sql: error[migration-unreadable]" "../ escaping link"
expect_status 1 "check by hand (V2 and V3 are errors)" "$DG" check
out_has "db/migrations/V4__abs.sql: warning[migration-unreadable]" "check by hand: the link is a warning"
# a directory link, and the target of an applied link edited by the pull request
pr_repo ''
mkdir -p shared
printf 'CREATE TABLE notes (id bigint PRIMARY KEY);\n' >shared/V3__notes.sql
ln -s ../../shared/V3__notes.sql db/migrations/V3__notes.sql
git add -A && git commit -q -m "V3 as a link" && git checkout -q main && git merge -q pr && git checkout -q pr
printf 'CREATE TABLE notes (id bigint PRIMARY KEY);\nCREATE INDEX notes_idx ON orders (total);\n' >shared/V3__notes.sql
mkdir -p more && printf 'LOCK TABLE orders;\n' >more/V4__lock.sql
ln -s ../../more db/migrations/more
git add -A && git commit -q -m "edit the link's target, add a directory link"
expect_status 1 "the target of an applied link edited" $CI
out_has "db/migrations/V3__notes.sql:1:1: error[migration-modified]" "the link's migration is modified"
out_has "db/migrations/V3__notes.sql:2:1: error[require-concurrent-index]" "and linted"
out_has "db/migrations/more/V4__lock.sql:1:1: error[lock-table]" "a directory link: its files under the link's name"
# a submodule inside the migrations
pr_repo ''
git update-index --add --cacheinfo 160000,1234567890123456789012345678901234567890,db/migrations/vendor
git commit -q -m "a submodule"
expect_status 0 "a submodule in a migration directory" $CI
out_has "db/migrations/vendor: warning[migration-unreadable]: git submodule inside the sql set db/migrations" "named, as a warning"
mkdir -p db/migrations/nested && printf 'gitdir: x\n' >db/migrations/nested/.git && printf 'LOCK TABLE t;\n' >db/migrations/nested/V9__x.sql
expect_status 1 "check --worktree does not descend into a nested repository (V2 is an error)" "$DG" check --worktree
out_has "db/migrations/nested: warning[migration-unreadable]: git submodule" "named"
out_lacks "V9__x.sql" "its files not read"
expect_status 1 "lint DIR does not descend into it (V2 is an error)" "$DG" lint db/migrations
out_has "db/migrations/nested/ is another git repository" "said on stderr"
out_lacks "lock-table" "its files not linted"
rm -rf db/migrations/nested

# ---- 3. DDL in a DO block ----------------------------------------------
pr_repo ''
commit_file db/migrations/V3__do.sql 'SELECT 1;
DO $$ BEGIN EXECUTE '"'"'CREATE INDEX orders_total_idx ON orders (total)'"'"'; END $$;
DO $$ BEGIN EXECUTE '"'"'CREATE '"'"' || '"'"'INDEX x ON orders (id)'"'"'; END $$;'
expect_status 0 "a DO block's DDL: a warning by default" $CI
out_has "V3__do.sql:2:1: warning[opaque-sql]: DO block runs DDL that ddlgate cannot follow" "named at its line"
out_has "V3__do.sql:3:1: warning[opaque-sql]: DO block runs dynamic SQL (EXECUTE)" "dynamic SQL named at its line"
pr_repo 'rules:
  opaque-sql: error'
commit_file db/migrations/V3__do.sql 'DO $$ BEGIN ALTER TABLE orders ADD COLUMN note text NOT NULL; END $$;'
printf 'rules:\n  opaque-sql: off\n' >.ddlgate.yml && git add .ddlgate.yml && git commit -q -m "quiet"
expect_status 1 "the base makes it an error; the branch cannot switch it off" $CI
out_has "V3__do.sql:1:1: error[opaque-sql]" "error at its line"

# ---- 5. a Python migration ddlgate cannot read --------------------------
alembic_repo ''
printf 'revision = "b1"\ndown_revision = "a1"\n' >alembic/versions/b1.py
printf 'from alembic import op\nrevision = str("c1")\ndown_revision = "a1"\n\ndef upgrade():\n    op.execute("CREATE INDEX i ON orders (total)")\n' >alembic/versions/c1.py
git add -A && git commit -q -m "a hidden head"
expect_status 1 "revision = str(\"c1\") is an error in ci" $CI
out_has 'alembic/versions/c1.py:2:12: error[migration-unreadable]: cannot evaluate a call to str() for revision' "with the reason and file:line"
expect_status 0 "lint by hand: a warning" "$DG" lint alembic/versions/c1.py
out_has "c1.py:2:12: warning[migration-unreadable]" "lint names it"
expect_status 1 "lint, configured as an error" "$DG" lint --rule migration-unreadable=error alembic/versions/c1.py
printf 'rules:\n  migration-unreadable: off\n' >.ddlgate.yml && git add .ddlgate.yml && git commit -q -m "quiet"
expect_status 1 "the branch cannot switch it off" $CI
# what Python accepts, ddlgate reads: 2 MB of padding, nesting Python allows
alembic_repo ''
python3 - <<'PY'
pad = "# " + "x" * 98 + "\n"
open("alembic/versions/b1.py", "w").write(pad * 25000 + 'revision = "b1"\ndown_revision = "a1"\n')
nest = "[" * 180 + "1" + "]" * 180
open("alembic/versions/c1.py", "w").write('DATA = ' + nest + '\nrevision = "c1"\ndown_revision = "a1"\n')
PY
python3 -c 'import sys; [compile(open(f).read(), f, "exec") for f in sys.argv[1:]]' alembic/versions/b1.py alembic/versions/c1.py &&
	pass "python itself accepts both files" || fail "python rejects the test files"
git add -A && git commit -q -m "big and deep"
expect_status 1 "2.5 MB of padding and 180 nested brackets are read" $CI
out_has "error[migration-multiple-heads]" "so the second head is seen"
out_lacks "migration-unreadable" "nothing unreadable"
# the reader's own limits fail closed
alembic_repo ''
python3 -c 'open("alembic/versions/b1.py", "w").write("X = " + "[" * 600 + "]" * 600 + "\nrevision = \"b1\"\ndown_revision = \"a1\"\n")'
git add -A && git commit -q -m "too deep"
expect_status 1 "past the reader's nesting limit: an error, not a pass" $CI
out_has "b1.py:1:505: error[migration-unreadable]: cannot read this alembic migration: brackets nested too deeply" "names the place"

# ---- 6. a new migration hidden by the base's exclude --------------------
pr_repo 'exclude: ["**/*.gen.sql"]'
commit_file db/migrations/V3__report.gen.sql 'LOCK TABLE orders;'
expect_status 0 "exclude hides a new migration: a warning" $CI
out_has 'db/migrations/V3__report.gen.sql:1:1: warning[migration-excluded]: new migration of db/migrations (flyway) is hidden from the lint by exclude: "**/*.gen.sql", but the runner executes it' "named, with the glob"
pr_repo 'exclude: ["**/*.gen.sql"]
rules:
  migration-excluded: error'
commit_file db/migrations/V3__report.gen.sql 'LOCK TABLE orders;'
expect_status 1 "the base can make it an error" $CI
out_has "error[migration-excluded]" "error"
commit_file db/notes.gen.sql 'LOCK TABLE orders;'
expect_status 1 "a file outside every set is not a migration" $CI --format json
[ "$(jq '[.findings[] | select(.rule == "migration-excluded")] | length' "$T/out")" = 1 ] && pass "only the set's file" || { fail "migration-excluded findings"; show "$T/out"; }

# ---- the 5,000-term SELECT through ci -----------------------------------
pr_repo ''
python3 -c 'open("db/migrations/V3__plus.sql", "w").write("SELECT 1" + "+1" * 5000 + ";\n")'
git add -A && git commit -q -m "a long expression"
expect_status 0 "ci: a 5,000-term SELECT 1+1+..." $CI

finish
