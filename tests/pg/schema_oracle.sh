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

PGBIN=
for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5 -n -r); do
	if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && [ -x "$d/postgres" ]; then
		PGBIN=$d
		break
	fi
done
if [ -z "$PGBIN" ]; then
	echo "#################################################################"
	echo "# SKIP schema_oracle: no PostgreSQL server binaries found under  #"
	echo "# /usr/lib/postgresql/*/bin (apt-get install postgresql). The     #"
	echo "# schema model was NOT checked against a real server.            #"
	echo "#################################################################"
	exit 0
fi
command -v python3 >/dev/null || { echo "schema_oracle: python3 is needed" >&2; exit 1; }
command -v psql >/dev/null || { echo "schema_oracle: psql is needed" >&2; exit 1; }

WORK=$(mktemp -d)
chmod 755 "$WORK"
PGDATA=$WORK/data
SOCK=$WORK/sock
mkdir -p "$SOCK"
as_pg() { "$@"; }
if [ "$(id -u)" = 0 ]; then
	# initdb refuses to run as root: the server runs as postgres
	chown postgres "$WORK" "$SOCK"
	as_pg() { runuser -u postgres -- "$@"; }
fi

stop() {
	as_pg "$PGBIN/pg_ctl" -D "$PGDATA" -m immediate stop >/dev/null 2>&1 || true
	rm -rf "$WORK"
}
trap stop EXIT
trap 'exit 1' INT TERM HUP

as_pg "$PGBIN/initdb" -D "$PGDATA" -A trust -U postgres --no-sync >"$WORK/initdb.log" 2>&1 ||
	{ cat "$WORK/initdb.log"; exit 1; }
as_pg "$PGBIN/pg_ctl" -D "$PGDATA" -l "$WORK/server.log" -w \
	-o "-c listen_addresses='' -k $SOCK -c fsync=off -c full_page_writes=off -c synchronous_commit=off" \
	start >/dev/null || { cat "$WORK/server.log"; exit 1; }

echo "# PostgreSQL from $PGBIN"
python3 "$SRC/tests/pg/schema_oracle.py" "$DDLGATE" "host=$SOCK user=postgres" \
	"$SRC/fixtures/schema/oracle" "$WORK"
