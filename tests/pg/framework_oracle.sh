#!/bin/sh
# The framework oracle (tests/oracle/framework_oracle.py): Django (its
# schema editor, against the PostgreSQL started here) and Alembic (offline
# --sql) say what SQL the fixture migrations of fixtures/frameworks run;
# ddlgate, reading the .py files without running them, must report exactly
# the rule ids per migration that linting the frameworks' own SQL reports.
# Skips (exit 77) only when no Python has Django, Alembic and psycopg2 or no
# server exists; under CI=true that is a failure.
set -u
: "${DDLGATE:?DDLGATE must point at the built binary}"
SRC=${DG_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$SRC/tests/skip.inc"

py=
for cand in python3 /usr/bin/python3; do
	if command -v "$cand" >/dev/null 2>&1 &&
	   "$cand" -c 'import alembic, django, psycopg2' >/dev/null 2>&1; then
		py=$cand
		break
	fi
done
[ -n "$py" ] || dg_skip "framework_oracle: no python3 with django, alembic and psycopg2" \
	"(apt-get install python3-django python3-alembic python3-psycopg2)"

. "$SRC/tests/pg/pg_server.inc"
pg_start framework_oracle
work=$PG_WORK/oracle
mkdir -p "$work"
"$py" -c 'import django, alembic, sqlalchemy; print("# Django %s, Alembic %s, SQLAlchemy %s" % (django.get_version(), alembic.__version__, sqlalchemy.__version__))'
"$py" "$SRC/tests/oracle/framework_oracle.py" "$DDLGATE" "$PG_SOCK" "$SRC" "$work"
