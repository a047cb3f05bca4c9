#!/bin/sh
# doc/ddlgate.1 names every command, every option any `ddlgate help COMMAND`
# prints, and every rule id of DESIGN.md; `cmake --install` (what `make
# install` runs) puts it in share/man/man1. Rendering it is man_render.sh.
. "$DG_SRC/tests/e2e/ci_lib.inc"

MAN="$DG_SRC/doc/ddlgate.1"
cd "$T" || exit 1
if [ -f "$MAN" ]; then pass "doc/ddlgate.1 exists"; else fail "doc/ddlgate.1 missing"; finish; fi

: >"$T/man.txt" # the rendering (groff, man) is tests/e2e/man_render.sh
# the source with roff escapes taken out, for words split across macros
sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' -e 's/\\e/\\/g' -e 's/\\&//g' "$MAN" >"$T/man.src"
cat "$T/man.src" >>"$T/man.txt"

in_man() {
	if grep -q -F -e "$1" "$T/man.txt"; then pass "man page: $1"; else fail "man page lacks $1"; fi
}

"$DG" --help >"$T/top"
cmds=$(sed -n '/^commands:/,/^$/p' "$T/top" | awk 'NF > 1 { print $1 }' | grep -v '^commands:$')
for c in $cmds; do
	in_man "ddlgate $c"
done

# every option of every command's help
for c in $cmds; do
	[ "$c" = help ] && continue
	"$DG" help "$c" >>"$T/allhelp"
done
opts=$(grep -o -e '--[a-z][a-z-]*' "$T/allhelp" | sort -u)
for o in $opts; do
	in_man "$o"
done

for id in protected-branch-push protected-branch-delete protected-branch-force-push \
	protected-branch-commit migration-multiple-heads migration-duplicate-version \
	migration-missing-parent migration-out-of-order migration-modified sql-syntax-error \
	require-concurrent-index require-concurrent-index-drop concurrent-in-transaction \
	add-foreign-key-not-valid add-check-not-valid add-unique-constraint add-column-rewrite \
	add-column-required set-not-null change-column-type prefer-bigint \
	table-rewrite-maintenance lock-table require-lock-timeout \
	statements-after-access-exclusive unbatched-data-change ban-drop-column ban-drop-table \
	ban-rename-column ban-rename-table missing-fk-index; do
	in_man "$id"
done
# rules added since: worth a line in RULES (not a failure)
for id in $("$DG" rules | awk '{ print $1 }'); do
	grep -q -F -e "$id" "$T/man.txt" || echo "# note: rule $id is not in doc/ddlgate.1 yet"
done

# `make install` runs `cmake --install build`: the page lands in man1
if [ -n "${DG_BUILD:-}" ] && [ -f "$DG_BUILD/cmake_install.cmake" ]; then
	if cmake --install "$DG_BUILD" --prefix "$T/inst" >"$T/inst.log" 2>&1; then
		pass "cmake --install"
	else
		fail "cmake --install"
		show "$T/inst.log"
	fi
	if cmp -s "$MAN" "$T/inst/share/man/man1/ddlgate.1"; then pass "installed share/man/man1/ddlgate.1"; else
		fail "share/man/man1/ddlgate.1 not installed"
	fi
	if [ -x "$T/inst/bin/ddlgate" ]; then pass "installed bin/ddlgate"; else fail "bin/ddlgate not installed"; fi
else
	echo "# DG_BUILD not set: install not checked"
fi

finish
