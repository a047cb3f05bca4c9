#!/bin/sh
# pre-push on a long history replays only the earlier migrations the new
# one needs (src/schema/prune.h). Each push below adds one migration to a
# history of 2,100 whose relevant files are far back and reach the new
# one's tables only indirectly (a rename, an index dropped by its name
# alone, a search_path, a LIKE copy, a Unicode-escaped name, an index made
# by a constant EXECUTE, a domain and the tables that use it); for each, the findings must be exactly
# those of the whole history (DDLGATE_NO_PRUNE=1), cold and warm, and
# some must be there at all. The facts cache shows that the pruned run
# parsed only a few files.
. "$DG_SRC/tests/e2e/hook_lib.inc"

FILLERS=${FILLERS:-2100}
export DDLGATE_CACHE_DIR="$T/cache"
git init -q --bare "$T/remote.git"
# special migrations at fixed places among filler ones (V<n>__f<n>.sql)
cat >"$T/special" <<'EOF'
10	CREATE TABLE accounts (id int PRIMARY KEY, name text);
20	CREATE TABLE "Mixed Case" (id bigint PRIMARY KEY);
30	CREATE TABLE old_name (id bigint PRIMARY KEY, acct int);
40	ALTER TABLE old_name RENAME TO renamed;
50	CREATE INDEX ON renamed (acct);
60	CREATE TABLE orders (id bigint PRIMARY KEY, account_id int);
70	CREATE INDEX acct_lookup ON orders (account_id);
80	DROP INDEX acct_lookup;
90	CREATE SCHEMA app; CREATE TABLE app.items (id bigint PRIMARY KEY, owner int);
100	SET search_path = app; CREATE INDEX items_owner_idx ON items (owner);
110	CREATE DOMAIN positive AS int CHECK (VALUE > 0);
115	CREATE TABLE scores (id bigint PRIMARY KEY, s positive);
120	CREATE TABLE U&"\0070ayments" (id bigint PRIMARY KEY, account_id int, payer int);
130	DO $$ BEGIN EXECUTE 'CREATE INDEX zz_idx ON pay' || 'ments (payer)'; END $$;
140	CREATE TABLE tmpl (id bigint PRIMARY KEY, ref int); CREATE INDEX tmpl_ref_idx ON tmpl (ref);
150	CREATE TABLE copied (LIKE tmpl INCLUDING ALL);
160	CREATE TABLE gone (id bigint PRIMARY KEY, account_id int); CREATE INDEX ON gone (account_id);
170	DROP TABLE gone;
180	CREATE TABLE audit (id bigint PRIMARY KEY, account_id int REFERENCES accounts);
EOF
awk -v n="$FILLERS" -v special="$T/special" 'BEGIN {
	FS = "\t"
	while ((getline line < special) > 0) {
		split(line, f, "\t")
		sql[f[1]] = f[2]
	}
	t = 1700000000
	for (i = 1; i <= n; i++) {
		body = (i in sql) ? sql[i] "\n" : sprintf("CREATE TABLE f%d (id bigint PRIMARY KEY, v text);\n", i)
		printf "commit refs/heads/master\ncommitter T <t@example.com> %d +0000\ndata 2\nm\n", t++
		printf "M 100644 inline db/migrations/V%d__m%d.sql\ndata %d\n%s\n", i, i, length(body), body
	}
}' | git --git-dir="$T/remote.git" fast-import --quiet
git clone -q "$T/remote.git" "$T/w"
cd "$T/w" || exit 1
base=$(git rev-parse HEAD)
v=$((FILLERS + 1))

# push SQL: commit it as the next migration, run pre-push pruned and whole, cold
# and warm; the outputs must match. Leaves the pruned cold output in $T/out.
n_push=0
push() {
	n_push=$((n_push + 1))
	git reset -q --hard "$base"
	printf '%s\n' "$1" >"db/migrations/V${v}__new.sql"
	git add db && git commit -q -m "new"
	printf 'refs/heads/master %s refs/heads/master %s\n' "$(git rev-parse HEAD)" "$base" >"$T/stdin"
	rm -rf "$DDLGATE_CACHE_DIR"
	"$DDLGATE" pre-push origin "$T/remote.git" <"$T/stdin" >"$T/pruned" 2>&1
	echo "exit $?" >>"$T/pruned"
	entries=$(grep -c -E '^[0-9a-f]{40} [0-9]+ [0-9a-f]{16}$' "$DDLGATE_CACHE_DIR"/schema-facts-* 2>/dev/null)
	"$DDLGATE" pre-push origin "$T/remote.git" <"$T/stdin" >"$T/warm" 2>&1
	echo "exit $?" >>"$T/warm"
	rm -rf "$DDLGATE_CACHE_DIR"
	DDLGATE_NO_PRUNE=1 "$DDLGATE" pre-push origin "$T/remote.git" <"$T/stdin" >"$T/whole" 2>&1
	echo "exit $?" >>"$T/whole"
	if cmp -s "$T/pruned" "$T/whole" && cmp -s "$T/warm" "$T/whole"; then
		pass "push $n_push: pruned findings are the whole history's ($2)"
	else
		fail "push $n_push: pruned findings differ from the whole history's ($2)"
		diff "$T/whole" "$T/pruned" | sed 's/^/#   /'
		diff "$T/whole" "$T/warm" | sed 's/^/#   /'
	fi
	cp "$T/pruned" "$T/out"
}

push 'CREATE TABLE lines (id bigint PRIMARY KEY, account_id int REFERENCES accounts (id));' \
	"an FK to a table 2,100 migrations back, no index"
out_has "missing-fk-index" "the FK without an index is reported"
out_has "V${v}__new.sql" "on the new migration"
# the cold pruned run parsed the new file and the few it needs, not 2,100
if [ "${entries:-0}" -lt 50 ]; then pass "pruned run parsed ${entries:-0} files"; else
	fail "pruned run parsed ${entries:-0} files, want far fewer than $FILLERS"; fi

# a damaged words cache (cut in the middle of an entry, then garbage) is not trusted
rm -rf "$DDLGATE_CACHE_DIR"
"$DDLGATE" pre-push origin "$T/remote.git" <"$T/stdin" >/dev/null 2>&1 # fills it
words=$(ls "$DDLGATE_CACHE_DIR"/schema-words-* 2>/dev/null | head -n 1)
if [ -n "$words" ]; then
	size=$(wc -c <"$words")
	head -c $((size / 2)) "$words" >"$T/words" && cp "$T/words" "$words"
	"$DDLGATE" pre-push origin "$T/remote.git" <"$T/stdin" >"$T/cut" 2>&1
	echo "exit $?" >>"$T/cut"
	head -c 300 /dev/urandom >"$words"
	"$DDLGATE" pre-push origin "$T/remote.git" <"$T/stdin" >"$T/garbage" 2>&1
	echo "exit $?" >>"$T/garbage"
	if cmp -s "$T/cut" "$T/whole" && cmp -s "$T/garbage" "$T/whole"; then
		pass "a cut or garbage words cache changes nothing"
	else
		fail "a damaged words cache changed the findings"
		diff "$T/whole" "$T/cut" | sed 's/^/#   /'
		diff "$T/whole" "$T/garbage" | sed 's/^/#   /'
	fi
else
	fail "no words cache was written"
fi

push 'ALTER TABLE orders ADD CONSTRAINT orders_acc_fk FOREIGN KEY (account_id) REFERENCES accounts (id);' \
	"its index was dropped by name alone (V80)"
out_has "missing-fk-index" "the dropped index leaves the FK unindexed"

push 'ALTER TABLE renamed ADD CONSTRAINT r_fk FOREIGN KEY (acct) REFERENCES accounts (id);' \
	"a renamed table whose generated index covers the FK"
out_lacks "missing-fk-index" "the index made on its old name covers it"

push 'CREATE INDEX CONCURRENTLY renamed_acct_idx ON accounts (name);' \
	"a name another file generated"

push 'SET search_path = app;
ALTER TABLE items ADD CONSTRAINT it_fk FOREIGN KEY (owner) REFERENCES public.accounts (id);' \
	"a table and index of another schema, by search_path"
out_lacks "missing-fk-index" "the index made through search_path covers it"

push 'ALTER TABLE items ADD CONSTRAINT it_fk FOREIGN KEY (owner) REFERENCES accounts (id);' \
	"the same name unqualified: not that table"

push 'ALTER TABLE payments ADD CONSTRAINT pay_fk FOREIGN KEY (account_id) REFERENCES accounts (id);' \
	"a table named with a Unicode escape"
out_has "missing-fk-index" "the table the escape names is known"

push 'ALTER TABLE payments ADD CONSTRAINT c8 FOREIGN KEY (payer) REFERENCES accounts (id);' \
	"an index made by a constant EXECUTE whose table name is split"
out_lacks "missing-fk-index" "the EXECUTE's index covers it"

push 'ALTER TABLE copied ADD CONSTRAINT c_fk FOREIGN KEY (ref) REFERENCES accounts (id);' \
	"a LIKE copy with its indexes"

push 'ALTER TABLE "Mixed Case" ADD COLUMN account_id int REFERENCES accounts;' \
	"a quoted mixed-case table"

push 'ALTER TABLE accounts ADD COLUMN p positive NOT NULL DEFAULT 1;' \
	"a column of a domain with a CHECK"

# only the lint asks which tables use the domain (the lock model, for
# require-lock-timeout): the history is built again with them
printf 'rules:\n  require-lock-timeout: warning\n' >.ddlgate.yml
push 'ALTER DOMAIN positive ADD CONSTRAINT below_100 CHECK (VALUE < 100);' \
	"a domain's constraint, which locks the tables that use it"
out_has 'existing table "scores"' "the table of a column of the domain is locked"
rm -f .ddlgate.yml

push 'CREATE TABLE gone (id bigint PRIMARY KEY, account_id bigint REFERENCES accounts);' \
	"a table dropped long ago, created again"

push 'ALTER TABLE accounts DROP CONSTRAINT accounts_pkey CASCADE;' \
	"the FKs of other tables to it"

push 'ALTER TABLE accounts ALTER COLUMN id TYPE bigint;' \
	"a type change of a referenced key"

finish
