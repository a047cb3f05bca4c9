#!/bin/sh
# --format sarif validates against the SARIF 2.1.0 JSON schema shipped in
# fixtures/sarif/ (tests/sarif/validate.py, offline), for ci, lint and a
# clean run; uris are relative references that name the files; rules match
# `ddlgate rules`; and the validator itself rejects broken logs.
. "$DG_SRC/tests/e2e/ci_lib.inc"
needs jq jq

make_pr_repo
# a file name that needs percent-encoding in a URI
git checkout -q -b odd feature
commit_file 'db/migrations/V6__odd name,with:chars%and#hash.sql' \
	'CREATE INDEX orders_created_at_idx ON orders (created_at, id);'

expect_status 1 "ci --format json" "$DG" ci --base main --format json
count=$(jq '.findings | length' "$T/out")
expect_status 1 "ci --format sarif" "$DG" ci --base main --format sarif
cp "$T/out" "$T/ci.sarif"
err_lines 0 "nothing on stderr"
validate_sarif "ci sarif" "$T/ci.sarif" --root "$T/w" --expect-results "$count"
uri=$(jq -r '.runs[0].results[].locations[0].physicalLocation.artifactLocation.uri' "$T/ci.sarif" | grep odd | sort -u)
if [ "$uri" = "db/migrations/V6__odd%20name%2Cwith%3Achars%25and%23hash.sql" ]; then
	pass "uri percent-encoded"
else
	fail "uri is '$uri'"
fi
jq -r --arg re "$RULES_OF_INTEREST" '.runs[0].results[] | select(.ruleId | test($re)) |
	"\(.ruleId) \(.level) \(.locations[0].physicalLocation.region.startLine)"' \
	"$T/ci.sarif" | sort >"$T/got"
printf '%s\n' "migration-modified error 1" "migration-out-of-order warning 1" \
	"require-concurrent-index error 1" "require-concurrent-index error 1" \
	"require-concurrent-index error 2" | sort >"$T/want"
same_text "$T/got" "$T/want" "results: rule, level, line"

# the region is the statement: endColumn one past its last character
region=$(jq -c '.runs[0].results[] | select(.locations[0].physicalLocation.artifactLocation.uri ==
	"db/migrations/V4__orders_total_idx.sql" and .ruleId == "require-concurrent-index")
	| .locations[0].physicalLocation.region' "$T/ci.sarif")
if [ "$region" = '{"startLine":1,"startColumn":1,"endLine":1,"endColumn":49}' ]; then
	pass "region of a one-line statement"
else
	fail "region is $region"
fi

# tool.driver.rules is the registry, with levels as `ddlgate rules` says
"$DG" rules --format json | jq -r '.rules[] | "\(.id) \(.severity)"' |
	sed -e 's/ off$/ none/' >"$T/want"
jq -r '.runs[0].tool.driver.rules[] | "\(.id) \(.defaultConfiguration.level)"' "$T/ci.sarif" >"$T/got"
same_text "$T/got" "$T/want" "every rule, with its default level"
if jq -e '.runs[0].tool.driver | .name == "ddlgate" and (.version | length > 0) and
	(.informationUri | startswith("https://"))' "$T/ci.sarif" >/dev/null; then
	pass "tool.driver name, version, informationUri"
else
	fail "tool.driver"
fi
if jq -e '.runs[0] as $r | [$r.results[] | .ruleId == $r.tool.driver.rules[.ruleIndex].id] | all' \
	"$T/ci.sarif" >/dev/null; then
	pass "ruleIndex points at ruleId"
else
	fail "ruleIndex does not point at ruleId"
fi

# a clean run still writes a whole log with an empty results array
git checkout -q -b clean main
commit_file db/migrations/V6__notes.sql 'CREATE TABLE notes (id bigint PRIMARY KEY);'
expect_status 0 "clean ci --format sarif" "$DG" ci --base main --format sarif
cp "$T/out" "$T/clean.sarif"
validate_sarif "clean sarif" "$T/clean.sarif" --root "$T/w" --expect-results 0

# lint --format sarif, from a subdirectory: uris still from the root
mkdir -p "$T/w/sub" && cd "$T/w/sub" || exit 1
expect_status 1 "lint --format sarif" "$DG" lint --format sarif ../db/migrations
cp "$T/out" "$T/lint.sarif"
validate_sarif "lint sarif" "$T/lint.sarif" --root "$T/w"
cd "$T/w" || exit 1

# stdin has no file: results without a location are still valid
printf 'CREATE INDEX i ON t (c);\nSELEC 1;\n' >"$T/stdin.sql"
expect_status 1 "lint - --format sarif" sh -c '"$1" lint --format sarif - <"$2"' sh "$DG" "$T/stdin.sql"
cp "$T/out" "$T/stdin.sarif"
validate_sarif "stdin sarif" "$T/stdin.sarif"
if jq -e '[.runs[0].results[].locations[]?.physicalLocation.artifactLocation | has("uri")] | any | not' \
	"$T/stdin.sarif" >/dev/null; then
	pass "stdin: no uri"
else
	fail "stdin: a uri for standard input"
fi

# pre-push: a finding with no file (a push onto a protected branch) and
# findings of a pushed ref (properties.ref)
git checkout -q feature
printf 'refs/heads/feature %s refs/heads/main %s\n' "$(git rev-parse feature)" "$(git rev-parse main)" >"$T/push"
expect_status 1 "pre-push --format sarif" sh -c '"$1" pre-push --format sarif origin "$2" <"$3"' sh "$DG" "$T/w" "$T/push"
cp "$T/out" "$T/push.sarif"
validate_sarif "pre-push sarif" "$T/push.sarif"
if jq -e '[.runs[0].results[] | select(.ruleId == "protected-branch-push") | has("locations") | not] | all' \
	"$T/push.sarif" >/dev/null &&
	jq -e '[.runs[0].results[] | .properties.ref == "refs/heads/main"] | all' "$T/push.sarif" >/dev/null; then
	pass "pre-push: no location for the branch rule, the ref on every result"
else
	fail "pre-push sarif results"
	show "$T/push.sarif"
fi

# the validator is not a rubber stamp
bad() {
	desc=$1 filter=$2
	jq "$filter" "$T/ci.sarif" >"$T/bad.sarif"
	if "$PY" "$VALIDATE" "$SCHEMA" "$T/bad.sarif" --root "$T/w" >"$T/val" 2>&1; then
		fail "validator accepts $desc"
	else
		pass "validator rejects $desc"
	fi
}
bad "a wrong version" '.version = "2.0.0"'
bad "a result without message" 'del(.runs[0].results[0].message)'
bad "an unknown level" '.runs[0].results[0].level = "fatal"'
bad "a rule without id" 'del(.runs[0].tool.driver.rules[0].id)'
bad "a driver without name" 'del(.runs[0].tool.driver.name)'
bad "a startLine of 0" '.runs[0].results[0].locations[0].physicalLocation.region.startLine = 0'
bad "an absolute uri" '.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri = "file:///etc/passwd"'
bad "an unescaped space in a uri" '.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri = "db/a b.sql"'
bad "a uri naming no file" '.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri = "db/nope.sql"'
bad "an unknown ruleId" '.runs[0].results[0].ruleId = "no-such-rule"'
bad "a region ending before it starts" '.runs[0].results[0].locations[0].physicalLocation.region.endColumn = 1'
bad "an unknown property" '.runs[0].bogus = 1'

finish
