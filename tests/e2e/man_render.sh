#!/bin/sh
# doc/ddlgate.1 renders: groff reports no warnings, the rendering names the
# commands, and `man` finds the page where `cmake --install` puts it.
# Skipped (never passed) without groff and man (Debian: groff-base, man-db).
. "$DG_SRC/tests/e2e/ci_lib.inc"
needs groff groff-base
needs man man-db

MAN="$DG_SRC/doc/ddlgate.1"
cd "$T" || exit 1
if groff -man -Tutf8 -ww -z "$MAN" >"$T/groff" 2>&1 && [ ! -s "$T/groff" ]; then
	pass "groff: no warnings"
else
	fail "groff warnings"
	show "$T/groff"
fi
groff -man -Tascii -P-c -P-b -P-u "$MAN" 2>/dev/null >"$T/man.txt"
for w in "ddlgate lint" "ddlgate ci" "ddlgate pre-push" "EXIT STATUS"; do
	if grep -q -F -e "$w" "$T/man.txt"; then pass "rendered page: $w"; else fail "rendered page lacks $w"; fi
done
mkdir -p "$T/inst/share/man/man1"
if [ -n "${DG_BUILD:-}" ] && [ -f "$DG_BUILD/cmake_install.cmake" ]; then
	cmake --install "$DG_BUILD" --prefix "$T/inst" >"$T/inst.log" 2>&1 || { fail "cmake --install"; show "$T/inst.log"; }
else
	cp "$MAN" "$T/inst/share/man/man1/"
fi
MANPATH="$T/inst/share/man" MANWIDTH=80 man ddlgate >"$T/manout" 2>&1
if grep -q "ddlgate ci" "$T/manout"; then pass "man ddlgate finds the installed page"; else
	fail "man ddlgate did not render the installed page"
	show "$T/manout"
fi
finish
