#!/bin/sh
# The pre-commit framework (https://pre-commit.com, Debian's `pre-commit`)
# runs ddlgate as the README says: doc/pre-commit-config.yaml (the
# local-repo form the README shows, word for word) installed with
# `pre-commit install` blocks a bad commit and a push onto master and lets
# good ones through; the remote form through this repository's
# .pre-commit-hooks.yaml (cloned from a local path: no network) works on a
# pre-commit new enough for it and is refused with a clear message on an
# older one. No network: language: system hooks install nothing.
. "$DG_SRC/tests/e2e/hook_lib.inc"
. "$DG_SRC/tests/skip.inc"
command -v pre-commit >/dev/null 2>&1 || dg_skip "pre-commit is not installed (apt-get install pre-commit)"
export PRE_COMMIT_HOME="$T/pre-commit-cache"
export PRE_COMMIT_COLOR=never

CFG="$DG_SRC/doc/pre-commit-config.yaml"
pcv=$(pre-commit --version | awk '{ print $2 }')
new_stages=$(python3 -c 'import sys; v = tuple(int(x) for x in sys.argv[1].split(".")[:2]); print(1 if v >= (3, 2) else 0)' "$pcv")
echo "# pre-commit $pcv"

# the README shows the file word for word
python3 - "$DG_SRC/README.md" "$CFG" <<'PY' && pass "README's example is doc/pre-commit-config.yaml" || fail "README's pre-commit example differs from doc/pre-commit-config.yaml"
import sys
readme = open(sys.argv[1]).read()
want = open(sys.argv[2]).read()
sys.exit(0 if "```yaml\n" + want + "```" in readme else 1)
PY

# the config as written; on pre-commit < 3.2 with the stage names its own
# comment gives for Debian 12 (commit, push)
use_config() {
	if [ "$new_stages" = 1 ]; then cp "$CFG" .pre-commit-config.yaml; else
		sed -e 's/stages: \[pre-commit\]/stages: [commit]/' -e 's/stages: \[pre-push\]/stages: [push]/' \
			"$CFG" >.pre-commit-config.yaml
	fi
	git add .pre-commit-config.yaml && git commit -q --no-verify -m "pre-commit config"
	git push -q --no-verify origin master
}

make_repo --pre-push
rm -f .git/hooks/pre-push
use_config
expect_status 0 "pre-commit install --hook-type pre-commit --hook-type pre-push" \
	pre-commit install --hook-type pre-commit --hook-type pre-push
grep -q pre-commit .git/hooks/pre-push && pass "the framework's pre-push hook is in place" || fail "no pre-push hook"

# pre-commit stage: a staged dangerous migration blocks the commit
printf 'CREATE INDEX orders_created_idx ON orders (created_at);\n' >db/migrations/V2__idx.sql
git add db/migrations/V2__idx.sql
expect_status 1 "commit of a dangerous migration" git commit -q -m idx
out_has "require-concurrent-index" "ddlgate pre-commit ran under the framework"
[ "$(git log --oneline | wc -l)" -eq 2 ] && pass "nothing was committed" || fail "the commit went through"
printf 'CREATE INDEX CONCURRENTLY orders_created_idx ON orders (created_at);\n' >db/migrations/V2__idx.sql
git add db/migrations/V2__idx.sql
expect_status 0 "commit of a safe migration" git commit -q -m idx

# pre-push stage: topic onto master is blocked, a new branch is fine
git checkout -q -b topic
commit_file docs/a.txt one
master=$(remote_at refs/heads/master)
expect_status 1 "push topic onto master" git push origin topic:master
out_has "protected-branch-push" "ddlgate pre-push ran under the framework"
expect_remote refs/heads/master "$master" "master did not move"
expect_status 0 "push topic as a new branch" git push -q origin topic
expect_remote refs/heads/topic "$(git rev-parse HEAD)" "topic is on the remote"

# ---- the remote form: `repo:` this repository, through .pre-commit-hooks.yaml
git init -q "$T/hooksrepo"
cp "$DG_SRC/.pre-commit-hooks.yaml" "$T/hooksrepo/"
(cd "$T/hooksrepo" && git add . && git commit -q -m hooks)
rev=$(git -C "$T/hooksrepo" rev-parse HEAD)
make_repo --pre-push
rm -f .git/hooks/pre-push
cat >.pre-commit-config.yaml <<YAML
repos:
  - repo: $T/hooksrepo
    rev: $rev
    hooks:
      - id: ddlgate-pre-commit
      - id: ddlgate-pre-push
YAML
git add .pre-commit-config.yaml && git commit -q --no-verify -m cfg && git push -q --no-verify origin master
pre-commit install --hook-type pre-commit --hook-type pre-push >/dev/null 2>&1
git checkout -q -b topic
if [ "$new_stages" = 1 ]; then
	commit_file docs/b.txt two
	expect_status 1 "remote form: push topic onto master" git push origin topic:master
	out_has "protected-branch-push" "remote form: the hook from .pre-commit-hooks.yaml ran"
else
	# 3.0.4 predates the stage names pre-commit / pre-push: it refuses the
	# manifest (the README says to use the local form there)
	echo two >docs-b.txt && git add docs-b.txt
	expect_status 1 "remote form on pre-commit $pcv: the commit is refused" git commit -q -m two
	out_has "InvalidManifestError" "pre-commit $pcv rejects .pre-commit-hooks.yaml, loudly"
	out_has "got: 'pre-commit'" "because of the stage name"
fi
finish
