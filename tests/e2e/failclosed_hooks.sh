#!/bin/sh
# The hooks fail closed too (issue 14), through real `git push` and `git
# commit`: a Python migration ddlgate cannot read blocks the push and the
# commit that add it (migration-unreadable is an error there, a warning on a
# file already on the remote); a migration committed as a symbolic link
# out of the repository blocks the commit; a DO block's DDL is named at its
# line; the 5,000-term `SELECT 1+1+...` passes both hooks without a crash.
. "$DG_SRC/tests/e2e/hook_lib.inc"

make_repo --pre-push --pre-commit
printf '[alembic]\nscript_location = alembic\n' >alembic.ini
mkdir -p alembic/versions && : >alembic/env.py
printf 'revision = "a1"\ndown_revision = None\n' >alembic/versions/a1.py
git add -A && git commit -q -m "alembic" && git push -q origin master 2>/dev/null
base=$(git rev-parse HEAD)
expect_remote refs/heads/master "$base" "setup pushed"

# pre-commit: a hidden second head is refused
printf 'revision = "b1"\ndown_revision = "a1"\n' >alembic/versions/b1.py
printf 'revision = str("c1")\ndown_revision = "a1"\n' >alembic/versions/c1.py
git add -A
expect_status 1 "pre-commit: revision = str(\"c1\") blocks the commit" git commit -q -m "hidden head"
out_has 'alembic/versions/c1.py:1:12: error[migration-unreadable]' "pre-commit: names the file and the place"
[ "$(git rev-parse HEAD)" = "$base" ] && pass "pre-commit: nothing committed" || fail "pre-commit: the commit went through"

# pre-push: the same commit made with --no-verify is refused on push
git commit -q --no-verify -m "hidden head"
expect_status 1 "pre-push: the push of the hidden head is blocked" git push origin master
out_has 'c1.py:1:12: error[migration-unreadable]' "pre-push: names it"
expect_remote refs/heads/master "$base" "pre-push: the remote did not move"

# once on the remote (pushed past the hook), it is a warning for later changes
git push -q --no-verify origin master 2>/dev/null
commit_file db/migrations/V2__t.sql 'CREATE TABLE t (id bigint PRIMARY KEY);'
expect_status 0 "pre-push: an older unreadable file does not block an unrelated push" git push origin master
out_has 'c1.py:1:12: warning[migration-unreadable]' "but it is still said"

# a migration committed as a link out of the repository
ln -s /etc/hostname db/migrations/V3__x.sql
git add db/migrations/V3__x.sql
expect_status 1 "pre-commit: a link out of the repository blocks the commit" git commit -q -m "link"
out_has 'db/migrations/V3__x.sql: error[migration-unreadable]: symbolic link' "named"
git rm -q --cached db/migrations/V3__x.sql && rm db/migrations/V3__x.sql

# a DO block's DDL: a warning at its line, the push goes through
commit_file db/migrations/V3__do.sql 'DO $$ BEGIN CREATE INDEX t_idx ON t (id); END $$;'
expect_status 0 "pre-push: a DO block with DDL" git push origin master
out_has 'db/migrations/V3__do.sql:1:1: warning[opaque-sql]: DO block runs DDL' "named at its line"

# the 5,000-term SELECT on both hooks
python3 -c 'open("db/migrations/V4__plus.sql", "w").write("SELECT 1" + "+1" * 5000 + ";\n")'
git add db/migrations/V4__plus.sql
expect_status 0 "pre-commit: a 5,000-term SELECT 1+1+..." git commit -q -m "long"
expect_status 0 "pre-push: a 5,000-term SELECT 1+1+..." git push origin master
expect_remote refs/heads/master "$(git rev-parse HEAD)" "pushed"

finish
