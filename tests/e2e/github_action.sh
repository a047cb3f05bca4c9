#!/bin/sh
# action.yml (the composite GitHub Action): its inputs and defaults, steps
# that pass inputs through the environment only (no ${{ }} inside a run:
# script), the cache of the build; and scripts/github-action run the way
# the runner runs it, on a real pull request in a shallow clone (as
# actions/checkout makes by default): cache key, a cache hit that skips the
# build, the SARIF log, annotations and the exit status.
. "$DG_SRC/tests/e2e/ci_lib.inc"
needs jq jq
python3 -c 'import yaml' 2>/dev/null || { . "$DG_SRC/tests/skip.inc"; dg_skip "python3 has no yaml module (apt-get install python3-yaml)"; }

ACTION="$DG_SRC/action.yml"
python3 - "$ACTION" >"$T/yml" 2>&1 <<'PY' && pass "action.yml: inputs, defaults, composite steps" || { fail "action.yml"; show "$T/yml"; }
import re, sys, yaml
a = yaml.safe_load(open(sys.argv[1]))
inp = a["inputs"]
want = {"base": "${{ github.base_ref }}", "format": "github", "config-from": "base",
        "sarif": "", "version": ""}
assert set(inp) == set(want), sorted(inp)
for k, v in want.items():
    assert inp[k].get("default") == v, (k, inp[k].get("default"))
    assert inp[k].get("description"), k
assert a["runs"]["using"] == "composite"
steps = a["runs"]["steps"]
runs = [s for s in steps if "run" in s]
assert [s["run"] for s in runs] == ['"$GITHUB_ACTION_PATH/scripts/github-action" %s' % c
                                    for c in ("source", "build", "run")], [s["run"] for s in runs]
for s in runs:
    assert s.get("shell") == "sh", s
    assert "${{" not in s["run"], "an expression inside a script: %r" % s["run"]
cache = [s for s in steps if s.get("uses", "").startswith("actions/cache@")]
assert len(cache) == 1 and cache[0]["with"]["path"] == "${{ runner.temp }}/ddlgate"
assert cache[0]["with"]["key"] == "${{ steps.source.outputs.cache-key }}"
env = {k: v for s in runs for k, v in s.get("env", {}).items()}
for k, name in (("DG_BASE", "base"), ("DG_FORMAT", "format"), ("DG_CONFIG_FROM", "config-from"),
                ("DG_SARIF", "sarif"), ("DG_VERSION", "version")):
    assert env.get(k) == "${{ inputs.%s }}" % name, (k, env.get(k))
assert a["outputs"]["exit-code"]["value"] == "${{ steps.check.outputs.exit-code }}"
PY

# ---- a pull request: a remote with main and feature, a shallow clone of feature
make_pr_repo
git init -q --bare "$T/remote.git"
git remote add origin "$T/remote.git"
git push -q origin main feature
git clone -q --depth 1 --branch feature "file://$T/remote.git" "$T/ws" 2>/dev/null
cd "$T/ws" || exit 1
[ "$(git rev-parse --is-shallow-repository)" = true ] && pass "the checkout is shallow" || fail "not shallow"

export RUNNER_TEMP="$T/runner" GITHUB_WORKSPACE="$T/ws" GITHUB_ACTION_PATH="$DG_SRC"
export GITHUB_OUTPUT="$T/output" GITHUB_PATH="$T/path"
mkdir -p "$RUNNER_TEMP"
: >"$GITHUB_OUTPUT"
GA="$DG_SRC/scripts/github-action"

# source: the action's own checkout, a key naming the OS and the sources
. /etc/os-release
if [ "${ID:-}" = debian ]; then
	expect_status 0 "source" env DG_VERSION= sh "$GA" source
	grep -qx "source=$DG_SRC" "$GITHUB_OUTPUT" && pass "source: the action's own checkout" || { fail "source output"; show "$GITHUB_OUTPUT"; }
	key=$(sed -n 's/^cache-key=//p' "$GITHUB_OUTPUT")
	case $key in "ddlgate-debian${VERSION_ID:-}-$(uname -m)-"????????????????) pass "cache key $key" ;; *) fail "cache key '$key'" ;; esac
	expect_status 0 "source again" env DG_VERSION= sh "$GA" source
	[ "$(sed -n 's/^cache-key=//p' "$GITHUB_OUTPUT" | sort -u | wc -l)" -eq 1 ] && pass "the key is stable" || fail "the key changed"
else
	expect_status 2 "source on a non-Debian runner" sh "$GA" source
	out_has "run the job in a Debian container" "says what to do"
fi

# build: the cache restored bin/ddlgate, so nothing is compiled
mkdir -p "$RUNNER_TEMP/ddlgate/bin"
cp "$DDLGATE" "$RUNNER_TEMP/ddlgate/bin/ddlgate"
expect_status 0 "build with the cache restored" env DG_SOURCE="$DG_SRC" sh "$GA" build
out_has "restored from the cache" "no build on a cache hit"
[ ! -d "$RUNNER_TEMP/ddlgate-build" ] && pass "no build tree made" || fail "it built anyway"
grep -qx "$RUNNER_TEMP/ddlgate/bin" "$GITHUB_PATH" && pass "bin/ on GITHUB_PATH" || fail "GITHUB_PATH: $(cat "$GITHUB_PATH")"

# run: the defaults (format github, config-from base, base = the PR's base branch)
expect_status 1 "run: findings exit 1" env DG_BASE=main DG_FORMAT=github DG_CONFIG_FROM=base \
	DG_SARIF="$T/ddlgate.sarif" sh "$GA" run
out_has "shallow checkout, fetching the history" "a shallow checkout is deepened"
out_has "::error file=db/migrations/V4__orders_total_idx.sql,line=1" "github annotations on the new migration"
out_has "title=migration-modified" "the edit of a merged migration is reported"
out_lacks "V2__orders_created_idx.sql" "older migrations are not reported again"
grep -qx "exit-code=1" "$GITHUB_OUTPUT" && pass "exit-code output 1" || { fail "exit-code output"; show "$GITHUB_OUTPUT"; }
[ "$(jq '.runs[0].results | length' "$T/ddlgate.sarif")" -ge 3 ] && pass "SARIF log written, with the results" || fail "SARIF log"
validate_sarif "the action's SARIF log" "$T/ddlgate.sarif" --root "$T/ws"
git config --global --get-all safe.directory | grep -qxF "$T/ws" && pass "the workspace is a safe.directory" || fail "safe.directory not set"

# config-from base: the pull request switching the rule off does not count
printf 'rules:\n  require-concurrent-index: off\n' >.ddlgate.yml
git add .ddlgate.yml && git commit -q -m "loosen"
expect_status 1 "run: config-from base ignores the PR's own .ddlgate.yml" env DG_BASE=main DG_FORMAT=text sh "$GA" run
out_has "error[require-concurrent-index]" "the base's rules apply"
expect_status 1 "run: config-from head" env DG_BASE=main DG_FORMAT=text DG_CONFIG_FROM=head sh "$GA" run
out_lacks "error[require-concurrent-index]" "head's rules when asked"

# problems are exit 2 with an annotation
expect_status 2 "run without a base (not a pull request)" env DG_BASE= sh "$GA" run
out_has "::error title=ddlgate::no base branch" "says so as an annotation"
expect_status 2 "a bad format" env DG_BASE=main DG_FORMAT=xml sh "$GA" run
out_has "--format must be" "ddlgate's own message"
grep -qx "exit-code=2" "$GITHUB_OUTPUT" && pass "exit-code output 2" || fail "exit-code 2 not written"
finish
