#!/bin/sh
# ddlgate blockers against a real server: an idle-in-transaction session
# (over TCP, so it has an address and a port) holds a lock, a migration
# (application_name "alembic", over the Unix socket) queues behind it, two
# readers queue behind the migration. blockers must name who waits for
# what, the chain up to the head of the queue, where the holder connects
# from, and how many sessions stall behind the migration; --watch must
# refresh, stop after --count and on Ctrl-C.
set -eu
: "${DDLGATE:?DDLGATE must point at the built binary}"
SRC=${DG_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$SRC/tests/pg/pg_server.inc"

# a free TCP port on the loopback for the server to listen on
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
PG_LISTEN=127.0.0.1 PG_PORT=$PORT pg_start blockers
TCP_CONN="host=127.0.0.1 port=$PORT user=postgres dbname=postgres"
PSQL="$PG_PSQL -d postgres"

$PSQL -c "CREATE TABLE orders (id bigint PRIMARY KEY, note text); INSERT INTO orders VALUES (1, 'a');"

# nobody waits: exit 0, empty list
out=$("$DDLGATE" blockers --dsn "$PG_CONN" --format json) || fail "exit $? with nobody waiting"
[ "$out" = '{"blocked": []}' ] || fail "expected an empty list, got: $out"
"$DDLGATE" blockers --dsn "$PG_CONN" | grep -q "no session is waiting" || fail "text for nobody waiting"

# the culprit: a transaction left open after a read, from 127.0.0.1
fifo=$PG_WORK/holder.fifo
mkfifo "$fifo"
PGAPPNAME=forgetful-console psql -X -q "$TCP_CONN" <"$fifo" >/dev/null 2>&1 &
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
sql() { $PSQL -tA -c "$1"; }
wait_for "EXISTS (SELECT 1 FROM pg_stat_activity WHERE application_name = 'forgetful-console' AND state = 'idle in transaction')"

# the migration (Unix socket), then two readers queued behind it
PGAPPNAME=alembic $PSQL -c "ALTER TABLE orders ADD COLUMN flag boolean" >/dev/null 2>&1 &
migration=$!
wait_for "EXISTS (SELECT 1 FROM pg_stat_activity WHERE application_name = 'alembic' AND wait_event_type = 'Lock')"
PGAPPNAME=webapp1 $PSQL -c "SELECT * FROM orders" >/dev/null 2>&1 &
reader1=$!
PGAPPNAME=webapp2 $PSQL -c "SELECT * FROM orders" >/dev/null 2>&1 &
reader2=$!
wait_for "(SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock') = 3"

holder_pid=$(sql "SELECT pid FROM pg_stat_activity WHERE application_name = 'forgetful-console'")
holder_port=$(sql "SELECT client_port FROM pg_stat_activity WHERE application_name = 'forgetful-console'")
mig_pid=$(sql "SELECT pid FROM pg_stat_activity WHERE application_name = 'alembic'")
readers=$(sql "SELECT string_agg(pid::text, ',' ORDER BY pid) FROM pg_stat_activity WHERE application_name IN ('webapp1', 'webapp2')")

set +e
json=$("$DDLGATE" blockers --dsn "$PG_CONN" --application-name alembic --format json)
rc=$?
all=$("$DDLGATE" blockers --dsn "$PG_CONN" --format json)
rc_all=$?
text=$("$DDLGATE" blockers --dsn "$PG_CONN")
rc_text=$?
set -e
[ $rc = 1 ] || fail "exit $rc, want 1 while the migration waits"
[ $rc_all = 1 ] || fail "all: exit $rc_all, want 1"
[ $rc_text = 1 ] || fail "text: exit $rc_text, want 1"

python3 - "$json" "$all" "$holder_pid" "$holder_port" "$mig_pid" "$readers" <<'PY' || fail "blockers JSON did not match: $json $all"
import json, sys
d, every = json.loads(sys.argv[1]), json.loads(sys.argv[2])
holder, port, mig = int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
readers = [int(p) for p in sys.argv[6].split(",")]
b = d["blocked"]
assert len(b) == 1, b                       # only the migration (filter)
w = b[0]
assert w["pid"] == mig and w["application_name"] == "alembic", w
assert w["lock"] == {"mode": "AccessExclusiveLock", "relation": "orders"}, w["lock"]
assert "ALTER TABLE orders" in w["query"], w
# the stall the site feels: both readers queue behind the migration
assert w["queued_behind"] == 2, w
assert sorted(w["queued_behind_pids"]) == readers, w
by = w["blocked_by"]
assert len(by) == 1, by
h = by[0]
assert h["pid"] == holder and h["application_name"] == "forgetful-console", h
assert h["state"] == "idle in transaction", h
assert h["client_addr"] == "127.0.0.1" and h["client_port"] == port, h
assert h["backend_start"] and h["xact_start"], h
assert h["backend_start"] <= h["xact_start"], h
assert 0 < h["transaction_seconds"] < 60, h
assert h["waiting"] is False and h["head"] is True and h["depth"] == 1 and h["blocks"] == mig, h
assert "SELECT count(*)" in h["query"], h

# a reader: blocked by the migration (waiting itself, from the Unix socket),
# which is blocked by the holder: the head of the queue, two steps up
rd = [x for x in every["blocked"] if x["pid"] == readers[0]]
assert len(rd) == 1, every
chain = rd[0]["blocked_by"]
assert [c["pid"] for c in chain] == [mig, holder], chain
m, top = chain
assert m["waiting"] is True and m["head"] is False and m["depth"] == 1, m
assert m["client_addr"] is None and m["client_port"] == -1, m   # Unix socket
assert top["head"] is True and top["depth"] == 2 and top["blocks"] == mig, top
assert rd[0]["queued_behind"] == 0, rd[0]
PY

# the text names the holder's address and port, the head, the queue
echo "$text" | grep -q "pid $mig_pid (application \"alembic\".*; 2 sessions queued behind it:" || fail "no queue length: $text"
echo "$text" | grep -q "blocked by pid $holder_pid \[head of the queue\] (idle in transaction.*from 127.0.0.1:$holder_port, connected " ||
	fail "no address:port for the holder: $text"
echo "$text" | grep -q "blocked by pid $holder_pid \[head of the queue, holds up pid $mig_pid\]" || fail "the transitive head is missing: $text"
echo "$text" | grep -q "from a local Unix socket" || fail "the Unix-socket session is not said to be local: $text"
echo "$text" | grep -q "help: SELECT pg_terminate_backend($holder_pid);" || fail "no terminate help: $text"
echo "$text" | grep -q "help: pid $mig_pid waits itself; deal with the session at the head of the queue first (pid $holder_pid)" ||
	fail "the queued migration is not marked as waiting itself: $text"

# --watch into a pipe: one JSON document per line per refresh, bounded by --count
set +e
"$DDLGATE" blockers --dsn "$PG_CONN" --format json --watch 0.2 --count 3 >"$PG_WORK/watch.json"
rc=$?
set -e
[ $rc = 1 ] || fail "--watch --count: exit $rc, want 1 (someone still waits)"
python3 - "$PG_WORK/watch.json" <<'PY' || fail "--watch output: $(cat "$PG_WORK/watch.json")"
import json, sys
lines = open(sys.argv[1]).read().splitlines()
assert len(lines) == 3, lines
docs = [json.loads(l) for l in lines]
assert all(len(d["blocked"]) == 3 and d["time"] for d in docs), docs
assert docs[0]["time"] < docs[2]["time"], [d["time"] for d in docs]
PY
# text on a terminal is redrawn in place (cursor home, clear screen)
script -qec "\"$DDLGATE\" blockers --dsn \"$PG_CONN\" --watch 0.2 --count 2" /dev/null >"$PG_WORK/tty.out" 2>&1 || true
[ "$(grep -c "$(printf '\033\\[H\033\\[2J')" "$PG_WORK/tty.out")" = 2 ] || fail "no redraw on a terminal: $(od -c "$PG_WORK/tty.out" | head)"
grep -q "Ctrl-C to stop" "$PG_WORK/tty.out" || fail "no Ctrl-C hint on a terminal"
# Ctrl-C (SIGINT) ends a watch with exit 0
"$DDLGATE" blockers --dsn "$PG_CONN" --watch 0.2 >"$PG_WORK/watch.txt" &
watcher=$!
sleep 1
kill -INT $watcher
set +e
wait $watcher
rc=$?
set -e
[ $rc = 0 ] || fail "--watch ended by SIGINT: exit $rc, want 0"
[ "$(grep -c '^ddlgate blockers, every 0.2s' "$PG_WORK/watch.txt")" -ge 2 ] || fail "--watch did not refresh: $(cat "$PG_WORK/watch.txt")"

# bad --watch / --count values are usage errors
for bad in "--watch 0" "--watch x" "--count 2" "--watch 1 --count 0" "--watch 1 --count 1.5"; do
	set +e
	# shellcheck disable=SC2086
	"$DDLGATE" blockers --dsn "$PG_CONN" $bad >/dev/null 2>&1
	rc=$?
	set -e
	[ $rc = 2 ] || fail "blockers $bad: exit $rc, want 2"
done

# release: everything proceeds, nobody waits any more
echo "COMMIT;" >&3
exec 3>&-
wait $holder $migration $reader1 $reader2 || fail "sessions failed after the lock was released"
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
