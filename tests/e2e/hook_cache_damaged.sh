#!/bin/sh
# A facts or words cache that is damaged (a byte changed inside an entry, a
# cut, another version's header, garbage) fails closed: pre-push and
# check --all give exactly the findings of a run without any cache. A name
# changed inside an entry once gave a finding on a table that does not
# exist ("purchasez"): every entry now carries a checksum (schema/facts.c).
# A torn last entry is cut off when new entries are appended (they were
# appended after it, where they were never read, on every run).
. "$DG_SRC/tests/e2e/hook_lib.inc"

export DDLGATE_CACHE_DIR="$T/cache"
git init -q --bare "$T/remote.git"
git clone -q "$T/remote.git" "$T/w" 2>/dev/null
cd "$T/w" || exit 1
mkdir -p db/migrations
mig() {
	printf '%s\n' "$2" >"db/migrations/$1"
	git add db && git commit -q -m "$1"
}
mig V1__init.sql 'CREATE TABLE accounts (id int PRIMARY KEY, name text);'
mig V2__orders.sql 'CREATE TABLE orders (id bigint PRIMARY KEY, account_id int);
CREATE INDEX orders_acct ON orders (account_id);'
mig V3__rename.sql 'ALTER TABLE orders RENAME TO purchases;'
mig V4__other.sql 'CREATE TABLE unrelated (id int PRIMARY KEY);'
git push -q origin HEAD:refs/heads/master 2>/dev/null
base=$(git rev-parse HEAD)
mig V5__new.sql 'ALTER TABLE purchases ADD CONSTRAINT fk FOREIGN KEY (account_id) REFERENCES accounts NOT VALID;
DROP INDEX orders_acct;'
printf 'refs/heads/master %s refs/heads/master %s\n' "$(git rev-parse HEAD)" "$base" >"$T/stdin"

# run NAME: pre-push and check --all with the cache as it is now, into $T/NAME
run() {
	{
		"$DDLGATE" pre-push origin "$T/remote.git" <"$T/stdin" 2>&1
		echo "exit $?"
		"$DDLGATE" check --all 2>&1
		echo "exit $?"
	} >"$T/$1"
}
DDLGATE_NO_CACHE=1 run none
if grep -q 'on "purchases"' "$T/none"; then pass "the findings name the renamed table"; else
	fail "no finding on purchases"
	sed 's/^/#   /' "$T/none"
fi
rm -rf "$DDLGATE_CACHE_DIR"
run cold
DDLGATE_NO_PRUNE=1 run whole # every file's facts into the cache
facts=$(ls "$DDLGATE_CACHE_DIR"/schema-facts-* 2>/dev/null | head -n 1)
words=$(ls "$DDLGATE_CACHE_DIR"/schema-words-* 2>/dev/null | head -n 1)
[ -n "$facts" ] && [ -n "$words" ] && pass "both caches written" || fail "a cache is missing"
cp "$facts" "$T/facts.good"
cp "$words" "$T/words.good"

# same NAME DESCRIPTION: $T/NAME has the findings of the run without a cache
same() {
	if cmp -s "$T/none" "$T/$1"; then pass "$2"; else
		fail "$2: the findings differ from a run without a cache"
		diff "$T/none" "$T/$1" | sed 's/^/#   /'
	fi
	if grep -q -e 'AddressSanitizer' -e 'runtime error:' "$T/$1"; then fail "$2: crashed"; fi
}
same cold "cold cache"
same whole "whole history"
run warm
same warm "warm cache"

# the same length, another name: the framing holds, the checksum does not
LC_ALL=C sed 's/9:purchases /9:purchasez /g' "$T/facts.good" >"$facts"
cmp -s "$facts" "$T/facts.good" && fail "the name is not in the facts cache"
run renamed
same renamed "a name changed inside a facts entry"
# the first digit of every checksum changed (0 to 1, any other to 0)
LC_ALL=C sed -e 's/^\([0-9a-f]\{40\} [0-9]* \)0/\1X/' -e 's/^\([0-9a-f]\{40\} [0-9]* \)[1-9a-f]/\10/' \
	-e 's/^\([0-9a-f]\{40\} [0-9]* \)X/\11/' "$T/facts.good" >"$facts"
cmp -s "$facts" "$T/facts.good" && fail "no checksum in the facts cache"
run badsum
same badsum "a checksum changed"
size=$(wc -c <"$T/facts.good")
head -c $((size / 2)) "$T/facts.good" >"$facts"
run cut
same cut "a facts cache cut in the middle of an entry"
size=$(wc -c <"$facts")
run healed
same healed "the run after it"
if [ "$(wc -c <"$facts")" -eq "$size" ]; then pass "the torn entry was cut off: nothing parsed again"; else
	fail "the facts cache grew again after the cut ($size, then $(wc -c <"$facts") bytes)"; fi
LC_ALL=C sed '1s/ 5 / 4 /' "$T/facts.good" >"$facts"
run version
same version "a facts cache of another version"
head -c 2000 /dev/urandom >"$facts"
run garbage
same garbage "a garbage facts cache"

# the words cache: one hash changed in every entry (the framing holds)
rm -f "$facts" # no facts cached: what the pruned run knows of the files it leaves out is their words
python3 - "$T/words.good" "$words" <<'PY' && run words && same words "a hash changed inside each words entry"
import re, sys
d = bytearray(open(sys.argv[1], "rb").read())
q = d.index(b"\n") + 1
while q < len(d):
    m = re.match(rb"[0-9a-f]{40} (\d+) [0-9a-f]{16}\n", bytes(d[q:q + 80]))
    if not m:
        break
    body = q + m.end()
    if int(m.group(1)) > 1:
        d[body + 1] ^= 0x20
    q = body + int(m.group(1)) + 1
open(sys.argv[2], "wb").write(d)
PY
finish
