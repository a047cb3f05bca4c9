#!/bin/sh
# `ddlgate ci --config-from base`: the rules come from the base branch's
# committed .ddlgate.yml, so a pull request cannot switch its own checks
# off; the default (head) reads the branch's committed config.
. "$DG_SRC/tests/e2e/ci_lib.inc"
needs jq jq

make_pr_repo
# main has a config of its own
git checkout -q main
commit_file .ddlgate.yml 'rules:
  prefer-bigint: warning'
git checkout -q feature
git merge -q --no-edit main >/dev/null 2>&1 || { echo "merge failed"; exit 1; }
# the branch loosens its rules
commit_file .ddlgate.yml 'rules:
  require-concurrent-index: off
  migration-modified: off
  migration-out-of-order: off' "loosen the rules"

expect_status 0 "default: the branch's own config switches the rules off" "$DG" ci --base main
expect_status 0 "--config-from head is the default" "$DG" ci --base main --config-from head --format json
expect_findings "no findings under the branch's config"

expect_status 1 "--config-from base ignores the branch's config" "$DG" ci --base main --config-from base
out_has "V4__orders_total_idx.sql:1:1: error[require-concurrent-index]" "new migration reported"
out_has "V3__users.sql:1:1: error[migration-modified]" "edit reported"
expect_status 1 "--config-from=base, json" "$DG" ci --base main --config-from=base --format json
expect_findings "the base branch's rules" \
	"migration-modified db/migrations/V3__users.sql" \
	"migration-out-of-order db/migrations/V4__orders_total_idx.sql" \
	"require-concurrent-index db/migrations/V3__users.sql" \
	"require-concurrent-index db/migrations/V4__orders_total_idx.sql"

# the config is read from the commit, not the work tree
printf 'rules:\n  require-concurrent-index: warning\n' >.ddlgate.yml
expect_status 0 "an uncommitted config is not the branch's" "$DG" ci --base main
git checkout -q -- .ddlgate.yml

# the command line still overrides whichever config was read
expect_status 0 "--rule on top of the base config" "$DG" ci --base main --config-from base \
	--rule require-concurrent-index=warning --rule migration-modified=warning
out_has "warning[require-concurrent-index]" "downgraded to a warning"

# --config FILE: that file, and it cannot be combined with --config-from base
printf 'rules:\n  require-concurrent-index: error\n' >"$T/strict.yml"
expect_status 1 "--config FILE" "$DG" ci --base main --config "$T/strict.yml"
out_has "error[require-concurrent-index]" "the file's rules"
expect_status 2 "--config with --config-from base" "$DG" ci --base main --config "$T/strict.yml" --config-from base
out_has "exclude each other" "says so"
err_lines 1 "one line"

# base without any config: the defaults
git checkout -q -b nocfg-base main
git rm -q .ddlgate.yml && git commit -q -m "no config"
git checkout -q feature
expect_status 1 "base without a config: defaults" "$DG" ci --base nocfg-base --config-from base
out_has "error[require-concurrent-index]" "default level"

# a broken config on the base branch: exit 2, named as base:file:line:col
git checkout -q -b badcfg-base main
commit_file .ddlgate.yml 'rules:
  no-such-rule: error'
git checkout -q feature
expect_status 2 "broken config on base" "$DG" ci --base badcfg-base --config-from base
out_has "badcfg-base:.ddlgate.yml:2:" "names the base's file and line"
out_has "no-such-rule" "names the key"
err_lines 1 "one line"

# a broken config on the branch, default --config-from head
git checkout -q -b badcfg-head feature
commit_file .ddlgate.yml 'rules: [oops'
expect_status 2 "broken config on head" "$DG" ci --base main
out_has "HEAD:.ddlgate.yml" "names the head's file"
err_lines 1 "one line"
expect_status 1 "--config-from base does not read the broken head config" "$DG" ci --base main --config-from base

finish
