#!/bin/sh
# ddlgate lint on a generated 50 MB file: it must finish (under a memory
# cap) with the one finding at its last line; its time is printed, not
# asserted (speed is bench/'s job). Labelled slow: `make test` leaves it out.
. "$DG_SRC/tests/e2e/lint_lib.inc"

# ---- 50 MB: must finish; time printed, not asserted
python3 - "$T/big.sql" <<'PY'
import sys
target = 50 * 1024 * 1024
with open(sys.argv[1], "w") as f:
    size = i = 0
    while size < target:
        s = ("-- step %d\n"
             "CREATE TABLE IF NOT EXISTS t%d (id bigint PRIMARY KEY, note text);\n"
             "CREATE INDEX CONCURRENTLY IF NOT EXISTS i%d ON orders (created_at, id);\n"
             "INSERT INTO log (msg) VALUES ('step %d; ''quoted'' -- not a comment');\n"
             "/* block */ SELECT %d;\n") % (i, i % 1000, i, i, i)
        f.write(s)
        size += len(s)
        i += 1
    f.write("LOCK TABLE orders;\n")
PY
lines=$(wc -l <"$T/big.sql")
bytes=$(wc -c <"$T/big.sql")
# never let a runaway take the machine down: cap memory (8 GB, 10 GB under ASan;
# libpg_query alone peaks at about 2 GB on this file)
if grep -q __asan_init "$DDLGATE" 2>/dev/null; then
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}hard_rss_limit_mb=10240"
	export ASAN_OPTIONS
	limit=""
else
	limit="ulimit -v 8388608;"
fi
start=$(date +%s.%N)
sh -c "$limit exec timeout 800 \"\$0\" lint --format json \"\$1\"" "$DDLGATE" "$T/big.sql" >"$T/out" 2>"$T/err"
rc=$?
end=$(date +%s.%N)
secs=$(python3 -c "print('%.1f' % ($end - $start))")
mbps=$(python3 -c "print('%.1f' % ($bytes / 1048576 / max($end - $start, 0.001)))")
echo "# 50 MB file: $bytes bytes, $lines lines linted in ${secs}s ($mbps MB/s), exit $rc"
expect_rc 1 "50 MB file finishes"
got=$(json_get '[(f["rule"], f["line"]) for f in d["findings"]]' 2>/dev/null)
[ "$got" = "[('lock-table', $lines)]" ] && pass "50 MB file: the one finding at its last line ($lines)" || fail "50 MB file findings: $(echo "$got" | head -c 300) $(head -c 300 "$T/err")"

finish
