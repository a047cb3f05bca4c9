#!/bin/sh
# `make deb`'s package (cpack -G DEB on the build tree, into a scratch
# directory): its control fields (Depends computed from the libraries the
# binary really links, libpg_query static so absent), its files (binary in
# /usr/bin, the man page, the hook shims, the pre-commit examples), and,
# unpacked into a scratch root with dpkg -x (nothing is installed on the
# machine), a binary that runs and shims that block a push.
. "$DG_SRC/tests/e2e/hook_lib.inc"
. "$DG_SRC/tests/skip.inc"

for tool in cpack dpkg-deb dpkg-shlibdeps readelf; do
	command -v "$tool" >/dev/null 2>&1 || dg_skip "$tool is not installed (apt-get install cmake dpkg-dev binutils)"
done
[ -n "${DG_BUILD:-}" ] && [ -f "$DG_BUILD/CPackConfig.cmake" ] || dg_skip "DG_BUILD has no CPackConfig.cmake (run from ctest)"

cpack -G DEB --config "$DG_BUILD/CPackConfig.cmake" -B "$T/pkg" >"$T/cpack.log" 2>&1 ||
	{ fail "cpack -G DEB"; sed 's/^/#   /' "$T/cpack.log"; finish; }
deb=$(ls "$T"/pkg/ddlgate_*.deb 2>/dev/null)
ver=$("$DDLGATE" --version | sed 's/^ddlgate \([^ ]*\).*/\1/')
arch=$(dpkg --print-architecture)
[ "$(basename "$deb")" = "ddlgate_${ver}_${arch}.deb" ] && pass "file name ddlgate_${ver}_${arch}.deb" ||
	fail "package file is '$deb'"

# ---- control fields
field() { dpkg-deb -f "$deb" "$1"; }
[ "$(field Package)" = ddlgate ] && pass "Package: ddlgate" || fail "Package: $(field Package)"
[ "$(field Version)" = "$ver" ] && pass "Version: $ver (the binary's)" || fail "Version: $(field Version)"
[ "$(field Architecture)" = "$arch" ] && pass "Architecture: $arch" || fail "Architecture: $(field Architecture)"
[ -n "$(field Maintainer)" ] && [ -n "$(field Description)" ] && pass "Maintainer and Description set" || fail "Maintainer/Description missing"
deps=$(field Depends)
echo "# Depends: $deps"
# every shared library the packaged binary needs comes from a package in Depends
dpkg-deb -x "$deb" "$T/root"
bin="$T/root/usr/bin/ddlgate"
readelf -d "$bin" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' >"$T/needed"
[ -s "$T/needed" ] && pass "the binary links $(wc -l <"$T/needed") shared libraries" || fail "readelf found no NEEDED entries"
while read -r so; do
	file=$(ldconfig -p | awk -v so="$so" '$1 == so { print $NF; exit }')
	[ -n "$file" ] || { fail "$so: not found by ldconfig"; continue; }
	owner=$(dpkg -S "$(readlink -f "$file")" 2>/dev/null | head -n 1 | cut -d: -f1)
	[ -n "$owner" ] || owner=$(dpkg -S "$file" 2>/dev/null | head -n 1 | cut -d: -f1)
	case ", $deps" in
	*", $owner"[\ ,]* | *", $owner") pass "$so (package $owner) is in Depends" ;;
	*) fail "$so comes from $owner, which Depends lacks" ;;
	esac
done <"$T/needed"
case $deps in *pg-query* | *pg_query*) fail "Depends names libpg_query (it is linked statically)" ;;
	*) pass "no libpg_query in Depends (static)" ;; esac
if readelf -d "$bin" | grep -q 'pg_query'; then fail "binary links libpg_query dynamically"; else pass "libpg_query is not a shared dependency"; fi

# ---- files
dpkg-deb -c "$deb" | awk '{ print $1, $NF }' >"$T/list"
has() {
	if grep -q -E "^$1 \\./$2\$" "$T/list"; then pass "contains /$2"; else fail "lacks /$2"; sed 's/^/#   /' "$T/list"; fi
}
has '-rwxr-xr-x' usr/bin/ddlgate
has '-rw-r--r--' usr/share/man/man1/ddlgate.1.gz
has '-rwxr-xr-x' usr/share/ddlgate/hooks/pre-push
has '-rwxr-xr-x' usr/share/ddlgate/hooks/pre-commit
has '-rw-r--r--' usr/share/doc/ddlgate/.pre-commit-hooks.yaml
has '-rw-r--r--' usr/share/doc/ddlgate/examples/pre-commit-config.yaml
has '-rw-r--r--' usr/share/doc/ddlgate/README.md
if dpkg-deb -c "$deb" | awk '{ print $2 }' | grep -v -q '^root/root$'; then fail "files not owned by root"; else pass "every file owned by root/root"; fi
if grep -q -v -e ' \./usr/' -e ' \./$' "$T/list"; then fail "files outside /usr: $(grep -v ' \./usr/' "$T/list" | head -3)"; else pass "everything under /usr"; fi

# ---- the unpacked package works
gunzip -c "$T/root/usr/share/man/man1/ddlgate.1.gz" >"$T/man" && cmp -s "$T/man" "$DG_SRC/doc/ddlgate.1" &&
	pass "the man page is doc/ddlgate.1, gzipped" || fail "man page differs from doc/ddlgate.1"
cmp -s "$T/root/usr/share/doc/ddlgate/.pre-commit-hooks.yaml" "$DG_SRC/.pre-commit-hooks.yaml" &&
	pass ".pre-commit-hooks.yaml as in the repository" || fail ".pre-commit-hooks.yaml differs"
if readelf -S "$bin" | grep -q '\.debug_info'; then fail "binary not stripped"; else pass "binary stripped"; fi
got=$("$bin" --version 2>&1)
case $got in "ddlgate $ver "*) pass "unpacked binary runs: $got" ;; *) fail "unpacked binary: $got" ;; esac
printf 'CREATE INDEX i ON t (a);\n' >"$T/x.sql"
"$bin" lint "$T/x.sql" >"$T/out" 2>&1
out_has "error[require-concurrent-index]" "unpacked binary lints"

# the packaged shims as a global hooks directory, the packaged binary on PATH
PATH="$T/root/usr/bin:$PATH"
make_repo --pre-push
git config core.hooksPath "$T/root/usr/share/ddlgate/hooks"
git checkout -q -b topic
commit_file docs/a.txt one
expect_status 1 "push through the packaged shim (core.hooksPath)" git push origin topic:master
out_has "error[protected-branch-push]" "the packaged hook blocked it"
command -v ddlgate | grep -q "^$T/root/usr/bin/" && pass "the packaged binary ran" || fail "another ddlgate on PATH"
finish
