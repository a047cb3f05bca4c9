#!/bin/sh
# ddlgate blockers against a real server: an idle-in-transaction session
# holds a lock, a "migration" queues behind it, a third query queues
# behind the migration; blockers must name who waits for what and why.
set -eu
: "${DDLGATE:?DDLGATE must point at the built binary}"
SRC=${DG_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$SRC/tests/pg/pg_server.inc"
pg_start blockers

fail() { echo "FAIL: $*" >&2; exit 1; }
PSQL="psql -X -q -v ON_ERROR_STOP=1 -h $PG_SOCK -U postgres -d postgres"

$PSQL -c "CREATE TABLE orders (id bigint PRIMARY KEY, note text); INSERT INTO orders VALUES (1, 'a');"

# nobody waits: exit 0, empty list
out=$("$DDLGATE" blockers --dsn "$PG_CONN" --format json) || fail "exit $? with nobody waiting"
[ "$out" = '{"blocked": []}' ] || fail "expected an empty list, got: $out"
"$DDLGATE" blockers --dsn "$PG_CONN" | grep -q "no session is waiting" || fail "text for nobody waiting"

# the culprit: a transaction left open after a read
fifo=$PG_WORK/holder.fifo
mkfifo "$fifo"
PGAPPNAME=forgetful-console $PSQL <"$fifo" >/dev/null 2>&1 &
holder=$!
exec 3>"$fifo"
echo "BEGIN; SELECT count(*) FROM orders;" >&3

# poll until CONDITION (an SQL boolean) holds, at most 10 s
wait_for() {
	i=0
	until [ "$($PSQL -tA -c "SELECT $1")" = t ]; do
		i=$((i + 1))
		[ $i -lt 100 ] || { $PSQL -c "SELECT pid, application_name, state, wait_event_type, query FROM pg_stat_activity"; fail "timed out waiting for: $1"; }
		sleep 0.1
	done
}
wait_for "EXISTS (SELECT 1 FROM pg_stat_activity WHERE application_name = 'forgetful-console' AND state = 'idle in transaction')"

# the migration and a reader queued behind it
PGAPPNAME=migrator $PSQL -c "ALTER TABLE orders ADD COLUMN flag boolean" >/dev/null 2>&1 &
migration=$!
wait_for "EXISTS (SELECT 1 FROM pg_stat_activity WHERE application_name = 'migrator' AND wait_event_type = 'Lock')"
PGAPPNAME=webapp $PSQL -c "SELECT * FROM orders" >/dev/null 2>&1 &
reader=$!

wait_for "(SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock') = 2"

set +e
json=$("$DDLGATE" blockers --dsn "$PG_CONN" --application-name migrator --format json)
rc=$?
text=$("$DDLGATE" blockers --dsn "$PG_CONN")
rc_text=$?
set -e
[ $rc = 1 ] || fail "exit $rc, want 1 while the migration waits"
[ $rc_text = 1 ] || fail "text: exit $rc_text, want 1"

python3 - "$json" <<'PY' || fail "blockers JSON did not match: $json"
import json, sys
d = json.loads(sys.argv[1])
b = d["blocked"]
assert len(b) == 1, b                       # only the migrator (filter)
w = b[0]
assert w["application_name"] == "migrator", w
assert w["lock"] == {"mode": "AccessExclusiveLock", "relation": "orders"}, w["lock"]
assert "ALTER TABLE orders" in w["query"], w
by = w["blocked_by"]
assert len(by) == 1, by
assert by[0]["application_name"] == "forgetful-console", by
assert by[0]["state"] == "idle in transaction", by
assert 0 < by[0]["transaction_seconds"] < 60, by
assert by[0]["waiting"] is False, by
PY

# unfiltered text: the reader waits behind the migration, which itself waits
echo "$text" | grep -q 'application "webapp"' || fail "the queued reader is missing: $text"
echo "$text" | grep -q 'blocked by pid .* (idle in transaction' || fail "no idle blocker in text: $text"
echo "$text" | grep -q "help: SELECT pg_terminate_backend(" || fail "no terminate help: $text"
echo "$text" | grep -q "waits itself" || fail "the queued migration is not marked as waiting itself: $text"

# release: everything proceeds, nobody waits any more
echo "COMMIT;" >&3
exec 3>&-
wait $holder $migration $reader || fail "sessions failed after the lock was released"
"$DDLGATE" blockers --dsn "$PG_CONN" >/dev/null || fail "still blocked after COMMIT"

# a server that is not there: exit 2, one line
set +e
err=$("$DDLGATE" blockers --dsn "host=$PG_WORK/none" 2>&1 >/dev/null)
rc=$?
set -e
[ $rc = 2 ] || fail "unreachable server: exit $rc, want 2"
[ "$(printf '%s\n' "$err" | wc -l)" = 1 ] || fail "error is not one line: $err"
echo "$err" | grep -q "cannot connect" || fail "unclear message: $err"
echo "blockers: ok"
