#!/bin/sh
# Stress trees (tests/e2e/python_stress.py): generated Django and Alembic
# migrations in every form real projects use, some cut or damaged; lint,
# check and explain must read them without a crash or a hang. Two seeds:
# today's (DG_STRESS_SEED replays one) and a fixed one.
set -u
: "${DDLGATE:?}" "${DG_SRC:?}"
command -v python3 >/dev/null || { . "$DG_SRC/tests/skip.inc"; dg_skip "python_stress: python3 is needed"; }
T=$(mktemp -d "${TMPDIR:-/tmp}/ddlgate-stress.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT INT TERM
seed=${DG_STRESS_SEED:-$(date +%j)}
fail=0
for s in "$seed" 7; do
	rm -rf "$T/w"
	python3 "$DG_SRC/tests/e2e/python_stress.py" "$DDLGATE" "$T/w" "${DG_STRESS_FILES:-240}" "$s" || fail=1
done
exit $fail
