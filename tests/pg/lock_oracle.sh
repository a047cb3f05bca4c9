#!/bin/sh
# The lock oracle: every case of lock_cases.sql runs on a real PostgreSQL
# started here (initdb in a temp dir, Unix socket only, stopped on exit);
# `ddlgate explain --format json` must claim exactly the locks and
# rewrites the server shows. Skips loudly when no server binaries exist.
set -eu

: "${DDLGATE:?DDLGATE must point at the built binary}"
SRC=${DG_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
HERE=$SRC/tests/pg

PGBIN=
for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5 -n -r); do
	if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && [ -x "$d/postgres" ]; then
		PGBIN=$d
		break
	fi
done
if [ -z "$PGBIN" ]; then
	. "${DG_SRC:-$SRC}/tests/skip.inc"
	dg_skip "lock_oracle: no PostgreSQL server binaries under /usr/lib/postgresql/*/bin" \
		"(apt-get install postgresql); the lock model was NOT checked against a real server"
fi
command -v python3 >/dev/null || { echo "lock_oracle: python3 is needed" >&2; exit 1; }
command -v cc >/dev/null || { echo "lock_oracle: a C compiler is needed" >&2; exit 1; }

WORK=$(mktemp -d)
chmod 755 "$WORK"
PGDATA=$WORK/data
RUN_AS=
if [ "$(id -u)" = 0 ]; then
	# initdb refuses to run as root: the server runs as postgres
	chown postgres "$WORK"
	if command -v runuser >/dev/null; then
		RUN_AS=runuser
	else
		RUN_AS=su
	fi
fi
as_pg() {
	case $RUN_AS in
	runuser) runuser -u postgres -- "$@" ;;
	su) su -s /bin/sh -c 'exec "$0" "$@"' postgres -- "$@" ;;
	*) "$@" ;;
	esac
}

stop() {
	as_pg "$PGBIN/pg_ctl" -D "$PGDATA" -m immediate stop >/dev/null 2>&1 || true
	rm -rf "$WORK"
}
trap stop EXIT
trap 'exit 1' INT TERM HUP

as_pg "$PGBIN/initdb" -D "$PGDATA" -A trust -U postgres --no-sync >"$WORK/initdb.log" 2>&1 ||
	{ cat "$WORK/initdb.log"; exit 1; }
as_pg "$PGBIN/pg_ctl" -D "$PGDATA" -l "$WORK/server.log" -w \
	-o "-c listen_addresses='' -k $WORK -c fsync=off -c full_page_writes=off -c synchronous_commit=off -c timezone=Europe/Paris" \
	start >/dev/null || { cat "$WORK/server.log"; exit 1; }

CONN="host=$WORK user=postgres dbname=postgres"
VERSION=$("$PGBIN/postgres" --version | sed 's/[^0-9]*\([0-9][0-9]*\).*/\1/')
mkdir -p "$WORK/ts"
[ -z "$RUN_AS" ] || chown postgres "$WORK/ts"
psql -X -q -h "$WORK" -U postgres -d postgres -c "CREATE TABLESPACE ts LOCATION '$WORK/ts'" >/dev/null

# the observer links libpq: build it next to the test's other outputs
OBS=$WORK/pg_observe
cc -O1 -o "$OBS" "$HERE/pg_observe.c" "$SRC/src/core/core.c" -I"$SRC/src" -D_DEFAULT_SOURCE -I"$(pg_config --includedir 2>/dev/null || echo /usr/include/postgresql)" -lpq

echo "# PostgreSQL $VERSION from $PGBIN"
status=0
python3 "$HERE/lock_oracle.py" "$DDLGATE" "$OBS" "$CONN" "${DG_ORACLE_CASES:-$HERE/lock_cases.sql}" "$VERSION" "$WORK" || status=1

# the volatility table (src/sql/volatility.c) against the server's pg_proc:
# a name is volatile for ddlgate exactly when one of its overloads is
python3 - "$SRC/src/sql/volatility.c" >"$WORK/vol.sql" <<'PY'
import re, sys
pairs = re.findall(r'\{ "([a-z_0-9]+)", DG_VOL_([A-Z]+) \}', open(sys.argv[1]).read())
print("SELECT o.name, o.vol, string_agg(DISTINCT p.provolatile::text, '') FROM (VALUES %s) o(name, vol)"
      " JOIN pg_proc p ON p.proname = o.name GROUP BY 1, 2 ORDER BY 1;"
      % ", ".join("('%s', '%s')" % (n, v) for n, v in pairs))
PY
if psql -X -q -h "$WORK" -U postgres -d postgres -At -F' ' -f "$WORK/vol.sql" >"$WORK/vol.out"; then
	bad=$(awk '{ v = ($3 ~ /v/); if (v != ($2 == "VOLATILE")) print $1 " (ddlgate: " $2 ", pg_proc: " $3 ")" }' "$WORK/vol.out")
	n=$(wc -l <"$WORK/vol.out")
	if [ -z "$bad" ]; then
		echo "ok - volatility of $n built-in functions agrees with pg_proc"
	else
		echo "not ok - volatility table disagrees with pg_proc:"
		echo "$bad" | sed 's/^/#   /'
		status=1
	fi
else
	echo "not ok - could not read pg_proc"
	status=1
fi
exit $status
