#!/bin/sh
# Fail closed on a damaged repository: a truncated loose object (libgit2 1.5
# would spin forever inflating it), an object overwritten with garbage, a
# missing blob in the pushed range and an object that blocks when read
# (a FIFO: the watchdog's timeout_seconds) each make pre-push, pre-commit,
# check and ci exit 2 within the time limit with a message naming the object
# and `git fsck` -- never exit 0, never a hang. Also: install in a bare
# repository, and pre-push lines git would never write.
. "$DG_SRC/tests/e2e/hook_lib.inc"

# obj_path SHA: the loose object file of SHA in the current repository
obj_path() { echo ".git/objects/$(echo "$1" | cut -c1-2)/$(echo "$1" | cut -c3-)"; }

# damage MODE SHA: truncate | garbage | remove | fifo the loose object
damage() {
	f=$(obj_path "$2")
	[ -f "$f" ] || { echo "not a loose object: $2"; exit 1; }
	chmod u+w "$f"
	case "$1" in
	truncate) head -c 20 "$f" >"$T/obj" && cp "$T/obj" "$f" ;;
	garbage) head -c 300 /dev/urandom >"$f" ;;
	remove) rm -f "$f" ;;
	fifo) rm -f "$f" && mkfifo "$f" ;;
	esac
}

# expect_bounded DESC WANT-RC PATTERN CMD...: CMD ends in time with WANT-RC,
# and its output holds PATTERN
expect_bounded() {
	desc=$1 want=$2 pat=$3
	shift 3
	timeout 30 "$@" >"$T/out" 2>&1 </dev/null
	rc=$?
	if [ "$rc" = 124 ]; then fail "$desc: hung (killed after 30 s)"; return; fi
	[ "$rc" = "$want" ] && pass "$desc: exit $rc" || { fail "$desc: exit $rc, want $want"; sed 's/^/#   /' "$T/out"; }
	grep -q -e "$pat" "$T/out" && pass "$desc: says '$pat'" || { fail "$desc: lacks '$pat'"; sed 's/^/#   /' "$T/out"; }
	if grep -q -e 'AddressSanitizer' -e 'LeakSanitizer' -e 'runtime error:' "$T/out"; then fail "$desc: sanitizer report"; sed 's/^/#   /' "$T/out"; fi
}

# state: refs, index and work tree, to prove nothing was changed
state() { (git for-each-ref; git ls-files -s; git status --porcelain; find . -path ./.git -prune -o -type f -print | sort) 2>/dev/null | md5sum; }

# a topic branch with a new migration whose commit (or blob) we damage
setup() {
	make_repo --pre-push
	git checkout -q -b topic
	commit_file db/migrations/V2__idx.sql 'CREATE INDEX orders_created_idx ON orders (created_at);'
	TOPIC=$(git rev-parse HEAD)
	BASE=$(git rev-parse origin/master)
	BLOB=$(git rev-parse HEAD:db/migrations/V2__idx.sql)
}
pushline() { printf 'refs/heads/topic %s refs/heads/%s %s\n' "$TOPIC" "$1" "$2"; }
Z=0000000000000000000000000000000000000000

for mode in truncate garbage; do
	setup
	damage $mode "$TOPIC"
	before=$(state)
	pushline topic $Z >"$T/stdin"
	expect_bounded "$mode commit: pre-push of a new branch" 2 "$TOPIC" sh -c '"$0" pre-push origin "$1" <"$2"' "$DDLGATE" "$T/remote.git" "$T/stdin"
	grep -q 'git fsck' "$T/out" && pass "$mode: names git fsck" || fail "$mode: no git fsck hint"
	pushline master "$BASE" >"$T/stdin"
	expect_bounded "$mode commit: pre-push onto master" 2 "$TOPIC" sh -c '"$0" pre-push origin "$1" <"$2"' "$DDLGATE" "$T/remote.git" "$T/stdin"
	expect_bounded "$mode commit: check" 2 "git fsck" "$DDLGATE" check
	grep -q 'no commit yet' "$T/out" && fail "$mode: check claims HEAD has no commit" || pass "$mode: check does not blame an unborn HEAD"
	expect_bounded "$mode commit: ci" 2 "git fsck" "$DDLGATE" ci --base origin/master
	expect_bounded "$mode commit: real git push is blocked" 1 "" git push -q origin topic
	[ -z "$(remote_at refs/heads/topic)" ] && pass "$mode: nothing reached the remote" || fail "$mode: the push went through"
	[ "$(state)" = "$before" ] && pass "$mode: repository unchanged" || fail "$mode: repository changed"
done

# the commit is fine but its new migration's blob is missing
setup
damage remove "$BLOB"
pushline topic $Z >"$T/stdin"
expect_bounded "missing blob: pre-push" 2 "$(echo "$BLOB" | cut -c1-12)" sh -c '"$0" pre-push origin "$1" <"$2"' "$DDLGATE" "$T/remote.git" "$T/stdin"
expect_bounded "missing blob: ci" 2 "db/migrations/V2__idx.sql" "$DDLGATE" ci --base origin/master

# a damaged blob in the index: pre-commit
make_repo --pre-commit
mkdir -p db/migrations
printf 'CREATE INDEX orders_created_idx ON orders (created_at);\n' >db/migrations/V2__idx.sql
git add db/migrations/V2__idx.sql
damage truncate "$(git rev-parse :db/migrations/V2__idx.sql)"
expect_bounded "truncated staged blob: pre-commit" 2 "git fsck" "$DDLGATE" pre-commit

# an object that blocks when read: the watchdog ends it after timeout_seconds
setup
printf 'timeout_seconds: 1\n' >.ddlgate.yml
damage fifo "$BLOB"
pushline topic $Z >"$T/stdin"
start=$(date +%s)
expect_bounded "blocking object: pre-push" 2 "gave up after 1 s (timeout_seconds) reading object" sh -c '"$0" pre-push origin "$1" <"$2"' "$DDLGATE" "$T/remote.git" "$T/stdin"
[ $(( $(date +%s) - start )) -le 10 ] && pass "watchdog: within the limit" || fail "watchdog: took $(( $(date +%s) - start )) s"
expect_bounded "blocking object: check" 2 "reading object $BLOB" "$DDLGATE" check
rm -f "$(obj_path "$BLOB")"

# install in a bare repository writes nothing without --force
git init -q --bare "$T/bare.git"
(cd "$T/bare.git" && expect_bounded "install in a bare repository" 2 "bare repository: its hooks run only for pushes it receives" "$DDLGATE" install)
[ ! -e "$T/bare.git/hooks/pre-push" ] && pass "bare: no hook written" || fail "bare: a hook was written"
(cd "$T/bare.git" && expect_bounded "install --force in a bare repository" 0 "only run if someone commits or pushes" "$DDLGATE" install --force)
[ -x "$T/bare.git/hooks/pre-push" ] && pass "bare --force: hook written" || fail "bare --force: no hook"

# pre-push input git would never write says what is wrong with it
make_repo --pre-push
printf '  refs/heads/master %s refs/heads/master %s\n' "$(git rev-parse HEAD)" $Z >"$T/stdin"
expect_bounded "leading spaces on stdin" 2 "line 1: leading whitespace" sh -c '"$0" pre-push origin "$1" <"$2"' "$DDLGATE" "$T/remote.git" "$T/stdin"

finish
