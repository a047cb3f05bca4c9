#!/bin/sh
# Oracle test: random Alembic and Django migration graphs, heads / leaf
# conflicts computed by Alembic's RevisionMap and Django's MigrationLoader
# (which import the files) must equal what `ddlgate check` finds by reading
# them. Skips (loudly) only when no Python has both modules.
set -u
: "${DDLGATE:?}" "${DG_SRC:?}"
py=
for cand in python3 /usr/bin/python3; do
	if command -v "$cand" >/dev/null 2>&1 &&
	   "$cand" -c 'import alembic, django' >/dev/null 2>&1; then
		py=$cand
		break
	fi
done
if [ -z "$py" ]; then
	. "${DG_SRC:-$SRC}/tests/skip.inc"
	dg_skip "no python3 with alembic and django (apt-get install python3-alembic python3-django)"
fi
# The seed is fixed per run by the build (cmake -DDG_ORACLE_SEED=N, passed
# in the environment by ctest), never derived from the date, so a failure
# replays exactly: DG_ORACLE_SEED=N sh tests/e2e/graph_oracle.sh.
n=${DG_ORACLE_GRAPHS:-400}
seed=${DG_ORACLE_SEED:-1}
case $seed in '' | *[!0-9]*) echo "graph_oracle: DG_ORACLE_SEED must be a number, not '$seed'" >&2; exit 2 ;; esac
echo "python: $py, $n graphs per format, seeds $seed and 4242 (replay: DG_ORACLE_SEED=$seed)"
fail=0
for s in "$seed" 4242; do
	"$py" "$DG_SRC/tests/oracle/alembic_oracle.py" "$DDLGATE" "$n" "$s" || fail=1
	"$py" "$DG_SRC/tests/oracle/django_oracle.py" "$DDLGATE" "$n" "$s" || fail=1
done
exit $fail
