#!/bin/sh
# The README's rule table lists exactly the rules the binary has, each
# with its default severity and a link to an existing rules/<id>.md.
set -eu
: "${DDLGATE:?DDLGATE must point at the built binary}"
SRC=${DG_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
"$DDLGATE" rules --format json | python3 -c '
import json, os, re, sys
src = sys.argv[1]
rules = {r["id"]: r["severity"] for r in json.load(sys.stdin)["rules"]}
readme = open(os.path.join(src, "README.md"), encoding="utf-8").read()
rows = dict(re.findall(r"^\| \[`([a-z0-9-]+)`\]\(rules/[a-z0-9-]+\.md\) \| (\w+) \|", readme, re.M))
bad = []
for rid, sev in rules.items():
    if rid not in rows:
        bad.append("README lacks a row for %s" % rid)
    elif rows[rid] != sev:
        bad.append("README says %s is %s, the binary says %s" % (rid, rows[rid], sev))
    if not os.path.exists(os.path.join(src, "rules", rid + ".md")):
        bad.append("rules/%s.md is missing" % rid)
for rid in rows:
    if rid not in rules:
        bad.append("README lists %s, which the binary does not have" % rid)
for b in bad:
    print("FAIL:", b)
if bad:
    sys.exit(1)
print("readme_rules: %d rules listed and documented" % len(rules))
' "$SRC"
