#!/bin/sh
# Text output on a terminal (script(1) gives ddlgate a real pseudo-TTY):
# colour, none with NO_COLOR or in JSON, and help: lines wrapped at the
# terminal's width (COLUMNS) with nothing lost; into a pipe nothing wraps.
. "$DG_SRC/tests/e2e/lint_lib.inc"
. "$DG_SRC/tests/skip.inc"

if ! command -v script >/dev/null 2>&1 || ! script -qc true /dev/null >/dev/null 2>&1; then
	dg_skip "script(1) is not available (apt-get install bsdutils): no pseudo-TTY for the colour checks"
fi
ESC=$(printf '\033')
CR=$(printf '\r')
mkdir -p db
printf 'CREATE INDEX orders_idx ON orders (created_at);\nALTER TABLE orders ADD COLUMN token uuid DEFAULT gen_random_uuid();\n' >db/V1__x.sql

# tty CMD...: run CMD on a pseudo-TTY, output (CR stripped) in $T/tty
tty() {
	script -qc "$*" /dev/null 2>&1 | tr -d "$CR" >"$T/tty"
}

# ---- colour
tty env -u NO_COLOR TERM=xterm "'$DDLGATE'" lint db/V1__x.sql
if grep -q "$ESC\[" "$T/tty"; then pass "colour on a TTY"; else fail "no colour on a TTY"; sed 's/^/#   /' "$T/tty"; fi
tty env NO_COLOR=1 TERM=xterm "'$DDLGATE'" lint db/V1__x.sql
if grep -q "$ESC\[" "$T/tty"; then fail "colour despite NO_COLOR"; else pass "NO_COLOR on a TTY: no colour"; fi
expect_in "$T/tty" "error[require-concurrent-index]" "NO_COLOR on a TTY: still the report"
tty env -u NO_COLOR TERM=xterm "'$DDLGATE'" lint --format json db/V1__x.sql
if grep -q "$ESC\[" "$T/tty"; then fail "colour in JSON on a TTY"; else pass "no colour in JSON even on a TTY"; fi
tty env -u NO_COLOR TERM=dumb "'$DDLGATE'" lint db/V1__x.sql
if grep -q "$ESC\[" "$T/tty"; then fail "colour with TERM=dumb"; else pass "TERM=dumb: no colour"; fi

# ---- wrapping of help: lines at the terminal width
"$DDLGATE" lint db/V1__x.sql >"$T/pipe" 2>&1
long=$(grep '^  help: ALTER' "$T/pipe")
[ "${#long}" -gt 60 ] && pass "the add-column help is long (${#long} columns) into a pipe, on one line" ||
	fail "expected a long help line into a pipe: $long"
tty env NO_COLOR=1 COLUMNS=60 "'$DDLGATE'" lint db/V1__x.sql
# the help block: from "  help: ALTER" to the next line that is not indented by 8
awk '/^  help: ALTER/ { on = 1; print; next } on && /^        / { print; next } { on = 0 }' "$T/tty" >"$T/block"
nl=$(wc -l <"$T/block")
[ "$nl" -ge 3 ] && pass "COLUMNS=60: the help wraps onto $nl lines" || { fail "COLUMNS=60: not wrapped"; sed 's/^/#   /' "$T/tty"; }
over=$(awk 'length($0) > 60' "$T/block")
[ -z "$over" ] && pass "every wrapped line fits in 60 columns" || fail "lines over 60 columns: $over"
joined=$(sed -e 's/^  help: //' -e 's/^        //' "$T/block" | tr '\n' ' ' | sed 's/ $//')
[ "$joined" = "${long#  help: }" ] && pass "wrapped text joined = the unwrapped help (nothing lost)" ||
	{ fail "wrapped text differs"; echo "#   got  $joined"; echo "#   want ${long#  help: }"; }
expect_in "$T/tty" "db/V1__x.sql:2:31: error[add-column-rewrite]" "location lines are not wrapped"
# a word longer than the line stays whole
tty env NO_COLOR=1 COLUMNS=20 "'$DDLGATE'" lint db/V1__x.sql
expect_in "$T/tty" "        gen_random_uuid();" "a long word is not cut"
# JSON on a TTY: the help string whole
tty env NO_COLOR=1 COLUMNS=40 "'$DDLGATE'" lint --format json db/V1__x.sql
python3 - "$T/tty" "${long#  help: }" <<'PY' && pass "json on a TTY: help unchanged" || fail "json on a TTY: help changed"
import json, sys
d = json.loads(open(sys.argv[1]).read())
helps = [f["help"] for f in d["findings"] if f["rule"] == "add-column-rewrite"]
sys.exit(0 if helps == [sys.argv[2]] else 1)
PY
finish
