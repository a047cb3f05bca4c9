#!/bin/sh
# `ddlgate check` on every migration fixture: each fixture directory is copied
# to a scratch directory (its own repository root) and the findings
# (path:line:col: severity[rule] of the migration-* rules) and the exit status
# must be exactly these; the fixtures' SQL is kept trivially safe for the lint.
set -u
: "${DDLGATE:?}" "${DG_SRC:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
fail=0

# expect FIXTURE EXIT [FINDING...]
expect() {
	name=$1 want_rc=$2
	shift 2
	rm -rf "$tmp/$name"
	cp -R "$DG_SRC/fixtures/migrations/$name" "$tmp/$name"
	out=$(cd "$tmp/$name" && "$DDLGATE" check 2>"$tmp/err")
	rc=$?
	got=$(printf '%s\n' "$out" | sed -n 's/^\([^ ]*:[0-9]*:[0-9]*: [a-z]*\[migration-[a-z-]*\]\):.*/\1/p' | sort)
	want=$(for f in "$@"; do printf '%s\n' "$f"; done | sort)
	if [ "$rc" != "$want_rc" ] || [ "$got" != "$want" ]; then
		echo "FAIL $name: exit $rc (want $want_rc)"
		echo "  got:";  printf '%s\n' "$got" | sed 's/^/    /'
		echo "  want:"; printf '%s\n' "$want" | sed 's/^/    /'
		echo "  output:"; printf '%s\n' "$out" | sed 's/^/    /'
		sed 's/^/  stderr: /' "$tmp/err"
		fail=1
	else
		echo "ok $name"
	fi
}

V=migrations/versions
expect alembic-heads 1 "$V/3c4d5e6f7081_add_name.py:6:1: error[migration-multiple-heads]"
expect alembic-merged 0
expect alembic-labels 0
expect alembic-missing-parent 1 "$V/2b3c4d5e6f70_add_email.py:5:1: error[migration-missing-parent]"
expect alembic-duplicate 1 "$V/3c_add_phone.py:2:1: error[migration-duplicate-version]"
expect alembic-unevaluable 0 "$V/2b3c4d5e6f70_add_email.py:5:17: warning[migration-unreadable]"
expect alembic-version-locations 0
expect django-conflict 1 "blog/migrations/0003_post_slug.py:4:1: error[migration-multiple-heads]"
expect django-ok 0
expect django-missing-parent 1 "blog/migrations/0002_post_title.py:6:1: error[migration-missing-parent]"
expect flyway-duplicate 1 \
	"db/migration/V2__add_name.sql:1:1: error[migration-duplicate-version]" \
	"db/migration/V3_1__add_phone.sql:1:1: error[migration-duplicate-version]"
expect flyway-ok 0
expect golang-duplicate 1 "migrations/2_add_name.up.sql:1:1: error[migration-duplicate-version]"
expect golang-ok 0
expect dbmate-duplicate 1 "db/migrations/20240105120000_add_name.sql:1:1: error[migration-duplicate-version]"
expect diesel-duplicate 1 "migrations/20240102100000_create_posts/up.sql:1:1: error[migration-duplicate-version]"
expect sequential-duplicate 1 "sql/002_add_email.sql:1:1: error[migration-duplicate-version]"
expect sequential-ok 0
expect sqitch-missing 1 "db/sqitch.plan:5:1: error[migration-missing-parent]"
expect configured 1 "services/billing/schema/0001_more.sql:1:1: error[migration-duplicate-version]"

# the messages name every head with its file and the exact fix
out=$(cd "$tmp/alembic-heads" && "$DDLGATE" check)
for want in '2b3c4d5e6f70 (migrations/versions/2b3c4d5e6f70_add_email.py)' \
	    '3c4d5e6f7081 (migrations/versions/3c4d5e6f7081_add_name.py)' \
	    'help: alembic merge -m "merge heads" 2b3c4d5e6f70 3c4d5e6f7081'; do
	case $out in *"$want"*) ;; *) echo "FAIL alembic-heads message lacks: $want"; fail=1 ;; esac
done
out=$(cd "$tmp/django-conflict" && "$DDLGATE" check)
case $out in *"help: python manage.py makemigrations --merge blog"*) ;;
	*) echo "FAIL django-conflict: no merge command in: $out"; fail=1 ;; esac
out=$(cd "$tmp/flyway-duplicate" && "$DDLGATE" check)
case $out in *"rename db/migration/V2__add_name.sql to V3.2__add_name.sql"*) ;;
	*) echo "FAIL flyway-duplicate: no rename hint in: $out"; fail=1 ;; esac

# a rule turned off reports nothing
rc=0
(cd "$tmp/alembic-heads" && "$DDLGATE" check --rule migration-multiple-heads=off >/dev/null) || rc=$?
[ "$rc" = 0 ] || { echo "FAIL --rule migration-multiple-heads=off: exit $rc"; fail=1; }

# a suppression comment never silences a graph rule: they judge the set, not
# a statement (issue 14: `ddlgate:ignore-file all` used to hide two heads);
# the comment is reported as invalid-suppression instead
f="$tmp/alembic-heads/migrations/versions/3c4d5e6f7081_add_name.py"
sed 's/^revision: str = /# ddlgate:ignore migration-multiple-heads both heads are merged at deploy\
revision: str = /' "$f" >"$f.new" && mv "$f.new" "$f"
rc=0; out=$(cd "$tmp/alembic-heads" && "$DDLGATE" check) || rc=$?
[ "$rc" = 1 ] || { echo "FAIL ddlgate:ignore of a graph rule in a Python migration: exit $rc: $out"; fail=1; }
case $out in *"error[migration-multiple-heads]"*) ;; *) echo "FAIL ddlgate:ignore silenced multiple heads: $out"; fail=1 ;; esac
f="$tmp/django-conflict/blog/migrations/0003_post_slug.py"
printf '# ddlgate:ignore-file all\n# ddlgate:ignore-file migration-duplicate-version,migration-multiple-heads\n' >>"$f"
rc=0; out=$(cd "$tmp/django-conflict" && "$DDLGATE" check) || rc=$?
[ "$rc" = 1 ] || { echo "FAIL ddlgate:ignore-file in a Django migration: exit $rc: $out"; fail=1; }
case $out in *"error[migration-multiple-heads]"*) ;; *) echo "FAIL ignore-file all silenced multiple heads: $out"; fail=1 ;; esac
case $out in *"warning[invalid-suppression]: a comment cannot silence migration-multiple-heads"*) ;;
	*) echo "FAIL a comment naming a graph rule is not reported: $out"; fail=1 ;; esac

# --list-sets says what was found and why
out=$(cd "$tmp/configured" && "$DDLGATE" check --list-sets)
for want in "services/billing/schema  sql (sequential), 2 migrations" \
	    "services/users/schema  sql (sequential), 1 migration" \
	    "why: .ddlgate.yml:2: path services/*/schema, format sql, naming sequential"; do
	case $out in *"$want"*) ;; *) echo "FAIL --list-sets lacks: $want"; echo "$out"; fail=1 ;; esac
done
out=$(cd "$tmp/alembic-version-locations" && "$DDLGATE" check --list-sets)
case $out in *"db/versions_a  alembic, 2 migrations"*"also db/versions_b"*) ;;
	*) echo "FAIL version_locations not read: $out"; fail=1 ;; esac

# JSON output carries the rule and the help
out=$(cd "$tmp/flyway-duplicate" && "$DDLGATE" check --format json)
case $out in *'"rule": "migration-duplicate-version"'*'"help": "rename db/migration/V2__add_name.sql to V3.2__add_name.sql (the next free version)"'*) ;;
	*) echo "FAIL json: $out"; fail=1 ;; esac

# a malformed migration is a warning naming file:line:col, never a crash
mkdir -p "$tmp/bad/migrations/versions"
printf '[alembic]\nscript_location = migrations\n' >"$tmp/bad/alembic.ini"
printf 'revision = "abc\ndown_revision = None\n' >"$tmp/bad/migrations/versions/abc_x.py"
printf 'revision = "def"\ndown_revision = ("abc",\n' >"$tmp/bad/migrations/versions/def_y.py"
printf 'revision = "aaa"\000\n' >"$tmp/bad/migrations/versions/aaa_z.py"
out=$(cd "$tmp/bad" && "$DDLGATE" check 2>&1)
rc=$?
for want in "abc_x.py:1:12: warning[migration-unreadable]: cannot read this alembic migration: unterminated string literal" \
	    "def_y.py:2:17: warning[migration-unreadable]: cannot read this alembic migration: '(' was never closed" \
	    "aaa_z.py:1:17: warning[migration-unreadable]: cannot read this alembic migration: binary data"; do
	case $out in *"$want"*) ;; *) echo "FAIL malformed input lacks: $want"; echo "$out"; fail=1 ;; esac
done
[ "$rc" -le 1 ] || { echo "FAIL malformed input: exit $rc"; fail=1; }

# a virtualenv in the work tree holds third-party migrations: not sets
sp="$tmp/venvrepo/venv/lib/python3.11/site-packages/django/contrib/auth/migrations"
mkdir -p "$sp"
printf 'class Migration(M):\n    dependencies = []\n' >"$sp/0001_initial.py"
printf 'class Migration(M):\n    dependencies = []\n' >"$sp/0002_other_root.py"
out=$(cd "$tmp/venvrepo" && "$DDLGATE" check --list-sets)
case $out in "0 migration sets in work tree"*) ;;
	*) echo "FAIL site-packages taken as a set: $out"; fail=1 ;; esac

# bad arguments are exit 2 with a message
rc=0; "$DDLGATE" check --bogus >/dev/null 2>&1 || rc=$?
[ "$rc" = 2 ] || { echo "FAIL check --bogus: exit $rc"; fail=1; }
rc=0; "$DDLGATE" check --rev >/dev/null 2>&1 || rc=$?
[ "$rc" = 2 ] || { echo "FAIL check --rev without value: exit $rc"; fail=1; }

exit $fail
