#!/bin/sh
# The schema oracle: a fixture migration history (fixtures/schema/oracle)
# runs on a real PostgreSQL started here (initdb in a temp dir, Unix
# socket only, stopped on exit); the catalog's foreign keys without a
# covering index must be exactly what `ddlgate schema` and `ddlgate lint`
# report, and its tables, columns, indexes and FKs what the model holds.
# Skips loudly when no server binaries exist.
set -eu

: "${DDLGATE:?DDLGATE must point at the built binary}"
SRC=${DG_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}

. "$SRC/tests/pg/pg_server.inc"
pg_start schema_oracle
command -v python3 >/dev/null || { echo "schema_oracle: python3 is needed" >&2; exit 1; }
command -v psql >/dev/null || { echo "schema_oracle: psql is needed" >&2; exit 1; }

python3 "$SRC/tests/pg/schema_oracle.py" "$DDLGATE" "$PG_CONN" \
	"$SRC/fixtures/schema/oracle" "$PG_WORK"
