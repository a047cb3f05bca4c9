#!/bin/sh
# scripts/install-deps as a user without root: with every package present
# it installs nothing and never calls sudo or apt-get (so such a user can
# build); with one missing it asks sudo to apt-get exactly that one. `id`,
# `sudo` and `apt-get` are stand-ins on PATH that log their calls; the
# package database (dpkg-query) is the machine's own.
. "$DG_SRC/tests/e2e/ci_lib.inc"
. "$DG_SRC/tests/skip.inc"
command -v dpkg-query >/dev/null 2>&1 || dg_skip "no dpkg-query: not a Debian machine"

# a copy of the scripts, with libpg_query where fetch-libpg-query looks
mkdir -p "$T/tree/scripts" "$T/tree/build" "$T/fake"
cp "$DG_SRC/scripts/install-deps" "$DG_SRC/scripts/fetch-libpg-query" "$T/tree/scripts/"
if [ -d "$DG_SRC/build/deps/libpg_query" ]; then
	ln -s "$DG_SRC/build/deps" "$T/tree/build/deps"
fi
cat >"$T/fake/id" <<'SH'
#!/bin/sh
[ "$1" = -u ] && { echo 1000; exit 0; }
[ "$1" = -un ] && { echo tester; exit 0; }
exec /usr/bin/id "$@"
SH
for t in sudo apt-get; do
	printf '#!/bin/sh\necho "%s $*" >>"%s/calls"\nexit 0\n' "$t" "$T" >"$T/fake/$t"
done
chmod +x "$T/fake/"*
run_deps() {
	: >"$T/calls"
	PATH="$T/fake:$PATH" sh "$T/tree/scripts/install-deps" "$@" >"$T/out" 2>"$T/err"
	rc=$?
}

missing_build=""
for p in $(sed -n '/^BUILD_PKGS="/,/"$/p' "$DG_SRC/scripts/install-deps" | tr -d '"' | sed 's/^BUILD_PKGS=//'); do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing_build="$missing_build $p"
done
[ -z "$missing_build" ] || dg_skip "build packages missing here:$missing_build"

run_deps build --if-missing
[ "$rc" -eq 0 ] && pass "build --if-missing, nothing missing: exit 0" || { fail "exit $rc"; show "$T/err"; }
[ ! -s "$T/calls" ] && pass "no sudo, no apt-get" || { fail "called:"; show "$T/calls"; }
[ ! -s "$T/out" ] && [ ! -s "$T/err" ] && pass "--if-missing: silent" || { fail "output"; show "$T/out"; show "$T/err"; }
run_deps build
grep -q "all build dependencies present" "$T/out" && pass "build: says all are present" || { fail "build output"; show "$T/out"; }
[ ! -s "$T/calls" ] && pass "build: still no sudo" || fail "build: sudo called"

# one package missing: only it, through sudo
cat >"$T/fake/dpkg-query" <<'SH'
#!/bin/sh
for a in "$@"; do [ "$a" = libyaml-dev ] && exit 1; done
exec /usr/bin/dpkg-query "$@"
SH
chmod +x "$T/fake/dpkg-query"
run_deps build --if-missing
[ "$rc" -eq 0 ] && pass "one missing: exit 0" || { fail "one missing: exit $rc"; show "$T/err"; }
grep -q "^sudo apt-get install .*libyaml-dev" "$T/calls" && pass "sudo apt-get install libyaml-dev" || { fail "calls:"; show "$T/calls"; }
if grep "^sudo apt-get install" "$T/calls" | sed 's/.*--no-install-recommends//' | grep -q -w -e libgit2-dev -e cmake; then
	fail "installs packages that are present"
else
	pass "installs only the missing one"
fi
grep -q "install-deps: installing: libyaml-dev" "$T/out" && pass "says what it installs" || { fail "output"; show "$T/out"; }
run_deps bogus
[ "$rc" -eq 2 ] && pass "unknown argument: exit 2" || fail "unknown argument: exit $rc"
finish
