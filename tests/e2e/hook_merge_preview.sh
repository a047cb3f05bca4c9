#!/bin/sh
# pre-push of a branch that is not protected previews its merge with the
# protected branches git already tracks (refs/remotes/origin/master here):
# what only the merge would break is a warning that does not block
# (migration-merge-preview), its level is configurable, and there is none
# without a remote-tracking ref. Real repositories, a real bare remote, real
# pushes; the repository is left as it was.
. "$DG_SRC/tests/e2e/hook_lib.inc"

commit_of() { git log -1 --format='commit %h "%s"' "$@"; }
snapshot() {
	(cd "$1" && find . -path ./.git -prune -o -type f -print | sort | xargs sha1sum
	 find .git -type f -printf '%p %s %T@\n' | sort)
}
# advance_master FILE CONTENT MESSAGE: someone else pushes to master; we fetch
advance_master() {
	rm -rf "$T/other"
	git clone -q "$T/remote.git" "$T/other"
	(cd "$T/other" && mkdir -p "$(dirname "$1")" && printf '%s\n' "$2" >"$1" &&
		git add . && git commit -q -m "$3" && git push -q --no-verify origin master)
	git fetch -q origin
}

make_repo
base=$(git rev-parse HEAD)

# ---- Flyway: master gained V2 after the branch point, the branch adds V2 too ----
advance_master db/migrations/V2__fine.sql 'CREATE TABLE fine (id bigint PRIMARY KEY);' "add fine"
git checkout -q -b topic "$base"
commit_file db/migrations/V2__mine.sql 'CREATE TABLE mine (id bigint PRIMARY KEY);'
expect_status 0 "the merge would duplicate V2: a warning, the push goes through" \
	git push origin topic
out_has "db/migrations/V2__mine.sql:1:1: warning[migration-merge-preview]: migration-duplicate-version: flyway version 2 is used by 2 migrations after the merge into origin/master" \
	"says what the merge would break, and which rule"
out_has "db/migrations/V2__fine.sql (from origin/master in $(commit_of origin/master))" \
	"names the protected branch's file and commit"
out_has "db/migrations/V2__mine.sql (from this branch in $(commit_of topic))" \
	"names the branch's file and commit"
out_has "rename db/migrations/V2__mine.sql to V3__mine.sql (the next version free on origin/master, this branch and the merge)" \
	"gives the rename"
out_has "(refs/heads/topic)" "belongs to the pushed ref"
out_lacks "push blocked" "does not block"
expect_remote refs/heads/topic "$(git rev-parse topic)" "topic was pushed"

# the same push through the hook by hand leaves the repository as it was
line="refs/heads/topic $(git rev-parse topic) refs/heads/topic 0000000000000000000000000000000000000000"
snapshot . >"$T/snap.before"
printf '%s\n' "$line" >"$T/stdin"
expect_status 0 "pre-push run by hand" ddlgate pre-push --format json origin "$T/remote.git" <"$T/stdin"
out_has '"rule": "migration-merge-preview", "severity": "warning"' "json: rule and severity"
snapshot . >"$T/snap.after"
if cmp -s "$T/snap.before" "$T/snap.after"; then pass "refs, index, work tree and objects unchanged"; else
	fail "the repository changed"
	diff "$T/snap.before" "$T/snap.after" | sed 's/^/#   /'
fi

# the level is configurable like every rule: error blocks, off says nothing
printf 'rules:\n  migration-merge-preview: error\n' >.ddlgate.yml
commit_file notes.txt "a note"
expect_status 1 "migration-merge-preview: error blocks" git push origin topic
out_has "error[migration-merge-preview]" "reported as an error"
expect_remote refs/heads/topic "$(git rev-parse topic~1)" "topic did not move"
printf 'rules:\n  migration-merge-preview: off\n' >.ddlgate.yml
expect_status 0 "migration-merge-preview: off" git push origin topic
out_lacks "migration-merge-preview" "nothing reported"
printf 'rules:\n  migration-duplicate-version: off\n' >.ddlgate.yml
commit_file notes.txt "another note"
expect_status 0 "the underlying rule off" git push origin topic
out_lacks "migration-duplicate-version" "its preview is off too"
rm -f .ddlgate.yml

# no remote-tracking ref of a protected branch: no preview
git checkout -q -b topic2 "$base"
commit_file db/migrations/V2__again.sql 'CREATE TABLE again (id bigint PRIMARY KEY);'
git update-ref -d refs/remotes/origin/master
expect_status 0 "no refs/remotes/origin/master" git push origin topic2
out_lacks "migration-merge-preview" "no preview without a tracking ref"
git fetch -q origin
commit_file notes.txt "topic2 note"
expect_status 0 "fetched again: the same branch" git push origin topic2
out_has "warning[migration-merge-preview]" "previewed again"
# a push to a URL has no remote-tracking refs
commit_file notes.txt "topic2 second note"
expect_status 0 "push to a URL" git push "$T/remote.git" topic2
out_lacks "migration-merge-preview" "no preview for a URL"

# a branch rebased onto master, numbered after it: nothing to say
git checkout -q -b rebased origin/master
commit_file db/migrations/V3__mine.sql 'CREATE TABLE mine (id bigint PRIMARY KEY);'
expect_status 0 "rebased branch" git push origin rebased
out_lacks "migration-merge-preview" "no warning"
# a branch that touches no migration: no merge is computed
git checkout -q -b docs "$base"
commit_file docs/readme.md 'words'
expect_status 0 "branch without migrations" git push origin docs
out_lacks "migration-" "no migration finding"

# a migration of master that the branch edits: the merge would change it
git checkout -q -b edit origin/master
printf 'CREATE TABLE fine (id bigint PRIMARY KEY, x int);\n' >db/migrations/V2__fine.sql
git commit -q -a -m "edit fine"
expect_status 0 "editing a migration master has" git push origin edit
out_has "warning[migration-merge-preview]: migration-modified: migration db/migrations/V2__fine.sql is already on origin/master and was changed" \
	"previews migration-modified"
# and one that conflicts with master's own later edit of the same file
advance_master db/migrations/V2__fine.sql 'CREATE TABLE fine (id bigint PRIMARY KEY, y int);' "edit fine on master"
commit_file notes.txt "edit again"
expect_status 0 "a migration that will conflict" git push origin edit
out_has "warning[migration-merge-preview]: migration-merge-conflict: this migration conflicts with origin/master: both sides changed it since they split" \
	"previews the conflict"

# pushing the protected branch itself: its own check, no preview
git checkout -q master && git merge -q --ff-only origin/master
commit_file db/migrations/V9__next.sql 'CREATE TABLE nxt (id bigint PRIMARY KEY);'
expect_status 0 "push of master" git push origin master
out_lacks "migration-merge-preview" "no preview for a protected branch"

# ---- Alembic: one revision per side on the same parent ----
make_repo
printf '[alembic]\nscript_location = alembic\n' >alembic.ini
mkdir -p alembic/versions
printf 'revision = "a1"\ndown_revision = None\n' >alembic/versions/a1_init.py
git add . && git commit -q -m alembic && git push -q --no-verify origin master 2>/dev/null
git fetch -q origin
base=$(git rev-parse HEAD)
advance_master alembic/versions/c3_other.py "$(printf 'revision = "c3"\ndown_revision = "a1"')" "add other"
git checkout -q -b topic "$base"
printf 'revision = "b2"\ndown_revision = "a1"\n' >alembic/versions/b2_topic.py
git add . && git commit -q -m "add topic"
expect_status 0 "two heads after the merge: a warning" git push origin topic
out_has "alembic/versions/b2_topic.py:1:1: warning[migration-merge-preview]: migration-multiple-heads: alembic migrations in alembic/versions have 2 heads after the merge into origin/master" \
	"names the rule and the merge"
out_has "b2 (alembic/versions/b2_topic.py, from this branch in $(commit_of topic))" "this branch's head"
out_has "c3 (alembic/versions/c3_other.py, from origin/master in $(commit_of origin/master))" \
	"master's head"
out_has 'help: bring origin/master into this branch (`git merge origin/master`), then: alembic merge -m "merge heads" b2 c3' \
	"the fix"
expect_remote refs/heads/topic "$(git rev-parse topic)" "pushed"

# release/* is protected too: each protected tracking ref is previewed
printf 'protected_branches: [master, "release/*"]\n' >.ddlgate.yml
git push -q --no-verify origin "origin/master:refs/heads/release/1" 2>/dev/null
git fetch -q origin
commit_file notes.txt "note"
expect_status 0 "two protected branches tracked" git push origin topic
out_has "after the merge into origin/master" "master previewed"
out_has "after the merge into origin/release/1" "release/1 previewed"
rm -f .ddlgate.yml

finish
