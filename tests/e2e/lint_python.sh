#!/bin/sh
# lint / explain / schema of Django and Alembic migrations: read, never run;
# findings at the exact place in the .py file (inside strings of every
# form: triple quotes, implicit concatenation, escapes, raw strings, CRLF),
# the .py source line under the caret, framework help, suppressions,
# opaque SQL, notes for what is not modelled, and a .py outside any set.
. "$DG_SRC/tests/e2e/lint_lib.inc"

mkdir -p shop/migrations alembic/versions
: >shop/__init__.py
: >shop/migrations/__init__.py
cat >shop/models.py <<'EOF'
# not a migration: lint DIR skips it
from django.db import models
EOF
cat >shop/migrations/0001_initial.py <<'EOF'
from django.db import migrations, models
import django.db.models.deletion


class Migration(migrations.Migration):
    initial = True

    operations = [
        migrations.CreateModel(
            name='Customer',
            fields=[('id', models.BigAutoField(primary_key=True, serialize=False))],
        ),
        migrations.CreateModel(
            name='Order',
            fields=[
                ('id', models.BigAutoField(primary_key=True, serialize=False)),
                ('customer', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, to='shop.customer')),
                ('note', models.TextField(null=True)),
            ],
        ),
    ]
EOF
cat >shop/migrations/0002_index.py <<'EOF'
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [('shop', '0001_initial')]

    operations = [
        migrations.AddIndex(
            model_name='order',
            index=models.Index(fields=['note'], name='order_note_idx'),
        ),
    ]
EOF
# strings of every form; CRLF line ends
printf '%s\r\n' \
	"from django.db import migrations" \
	"" \
	"SQL = \"\"\"" \
	"SELECT 1;" \
	"  LOCK TABLE shop_order;" \
	"\"\"\"" \
	"" \
	"class Migration(migrations.Migration):" \
	"    dependencies = [('shop', '0002_index')]" \
	"    operations = [" \
	"        migrations.RunSQL(\"\"\"" \
	"SELECT 2;" \
	"    VACUUM FULL shop_order;" \
	"\"\"\")," \
	"        migrations.RunSQL('SELECT 3; ' 'CLUSTER shop_order;')," \
	"        migrations.RunSQL('SELECT \\'\\\\t\\'; DELETE FROM shop_order;')," \
	"        migrations.RunSQL(r'SELECT 4; LOCK TABLE shop_customer IN SHARE MODE;')," \
	"        migrations.RunSQL(SQL)," \
	"        migrations.RunSQL([(\"UPDATE shop_order SET note = %s\", ['x'])])," \
	"        # ddlgate:ignore lock-table the table is tiny" \
	"        migrations.RunSQL('LOCK TABLE shop_customer;')," \
	"        migrations.RunSQL(f'DROP TABLE {name}')," \
	"        migrations.AlterModelTableComment('order', 'x')," \
	"        migrations.RunPython(migrations.RunPython.noop)," \
	"    ]" >shop/migrations/0003_sql.py

run "$DDLGATE" lint --format json shop/migrations/0003_sql.py
expect_rc 1 "a Django migration is linted"
at() { json_get "sorted((f['line'], f['column']) for f in d['findings'] if f['rule'] == '$1')"; }
expect_eq() {
	if [ "$1" = "$2" ]; then pass "$3"; else fail "$3: got '$1', want '$2'"; fi
}
expect_eq "$(at table-rewrite-maintenance)" "[(13, 5), (15, 41)]" \
	"VACUUM FULL in a triple-quoted string with CRLF; CLUSTER after implicit concatenation"
expect_eq "$(at unbatched-data-change)" "[(16, 44), (19, 30)]" \
	"DELETE after escapes; an UPDATE with parameters"
expect_eq "$(at lock-table)" "[(5, 3), (17, 39)]" \
	"LOCK TABLE in a raw string; in a module constant (its own place); a suppressed one is left out"
expect_eq "$(at opaque-sql)" "[(22, 27)]" "an f-string is opaque SQL at its place"
expect_eq "$(json_get "[f['path'] for f in d['findings']][0]")" "shop/migrations/0003_sql.py" \
	"findings name the .py file"
expect_in "$T/err" "shop/migrations/0003_sql.py:23: migrations.AlterModelTableComment is not modelled; its SQL was not checked" \
	"an operation not modelled is a note naming it and its line"
expect_in "$T/err" "0003_sql.py:24: migrations.RunPython runs Python code" "RunPython is a note, not a finding"

run "$DDLGATE" lint shop/migrations/0003_sql.py
expect_in "$T/out" "  13 |     VACUUM FULL shop_order;" "the .py source line is shown under the finding"
expect_in "$T/out" "warning[opaque-sql]: the SQL of migrations.RunSQL is an f-string" "opaque-sql says why"

# the schema Django builds: the FK without an index, and its fix in Django terms
run "$DDLGATE" lint shop/migrations/0001_initial.py
expect_rc 1 "missing-fk-index on a Django ForeignKey with db_index=False"
expect_in "$T/out" "shop/migrations/0001_initial.py:13:9: error[missing-fk-index]" "at the CreateModel"
expect_in "$T/out" "help: keep db_index=True on the ForeignKey" "help in Django terms"
run "$DDLGATE" lint shop/migrations/0002_index.py
expect_in "$T/out" "help: use AddIndexConcurrently(model_name='order', index=...)" \
	"AddIndex on an existing table: AddIndexConcurrently with atomic = False"
expect_in "$T/out" "atomic = False" "says atomic = False"

# a directory: migrations linted, other .py files skipped
run "$DDLGATE" lint --format json shop
expect_rc 1 "lint DIR lints the app's migrations"
expect_eq "$(json_get "sorted({f['path'] for f in d['findings']})")" \
	"['shop/migrations/0001_initial.py', 'shop/migrations/0002_index.py', 'shop/migrations/0003_sql.py']" \
	"every migration, and models.py skipped"

# a .py that is not a migration, named on the command line: says what it expected
run "$DDLGATE" lint shop/models.py
expect_rc 2 "a .py outside any set is an error"
expect_one_line_err "shop/models.py: not a migration of an Alembic or Django set" "names what was expected"
printf 'from django.db import migrations\nclass Migration(migrations.Migration):\n    operations = [\n' >shop/migrations/0004_broken.py
run "$DDLGATE" lint shop/migrations/0004_broken.py
expect_rc 0 "an unreadable Python migration: by hand a warning (issue 14)"
expect_in "$T/out" "shop/migrations/0004_broken.py:3:18: warning[migration-unreadable]: cannot read this django migration: '[' was never closed" "migration-unreadable with file:line:col"
run "$DDLGATE" lint --rule migration-unreadable=error shop/migrations/0004_broken.py
expect_rc 1 "configured as an error, lint fails on it"
run "$DDLGATE" lint shop
expect_in "$T/out" "0004_broken.py:3:18: warning[migration-unreadable]" "a directory walk reports it too, never skips it"
run "$DDLGATE" explain shop/migrations/0004_broken.py
expect_rc 2 "explain of an unreadable migration is an error"
expect_one_line_err "shop/migrations/0004_broken.py:3:18: cannot read this django migration: '[' was never closed" "with file:line:col"
rm shop/migrations/0004_broken.py

# Alembic: autocommit blocks, foreign keys without indexes, help in Alembic terms
cat >alembic.ini <<'EOF'
[alembic]
script_location = alembic
EOF
cat >alembic/env.py <<'EOF'
EOF
cat >alembic/versions/a1.py <<'EOF'
from alembic import op
import sqlalchemy as sa

revision = 'a1'
down_revision = None


def upgrade():
    op.create_table('users', sa.Column('id', sa.BigInteger(), primary_key=True))
    op.create_table('posts', sa.Column('id', sa.BigInteger(), primary_key=True),
                    sa.Column('user_id', sa.BigInteger(), nullable=True))
EOF
cat >alembic/versions/a2.py <<'EOF'
from alembic import op
import sqlalchemy as sa

revision = 'a2'
down_revision = 'a1'


def upgrade():
    op.create_foreign_key('posts_user_fk', 'posts', 'users', ['user_id'], ['id'],
                          postgresql_not_valid=True)
    op.create_index('posts_user_idx', 'posts', ['user_id'])
    with op.get_context().autocommit_block():
        op.create_index('posts_user_idx2', 'posts', ['user_id'], postgresql_concurrently=True)
    op.create_index('posts_user_idx3', 'posts', ['user_id'], postgresql_concurrently=True)
EOF
cat >alembic/versions/a3.py <<'EOF'
from alembic import op

revision = 'a3'
down_revision = 'a2'


def upgrade():
    op.create_foreign_key('posts_user_fk2', 'posts', 'users', ['user_id'], ['id'])
    op.drop_index('posts_user_idx', table_name='posts')
    op.drop_index('posts_user_idx2', table_name='posts')
    op.drop_index('posts_user_idx3', table_name='posts')
EOF
run "$DDLGATE" lint --format json alembic/versions
expect_rc 1 "an Alembic tree is linted"
rules_of() { json_get "sorted((f['line'], f['rule']) for f in d['findings'] if f['path'].endswith('$1') and f['rule'] != 'statements-after-access-exclusive')"; }
expect_eq "$(rules_of a2.py)" "[(11, 'require-concurrent-index'), (14, 'concurrent-in-transaction')]" \
	"autocommit_block() runs CONCURRENTLY outside the transaction; outside it fails"
expect_eq "$(rules_of a3.py)" "[(8, 'add-foreign-key-not-valid'), (9, 'require-concurrent-index-drop'), (10, 'require-concurrent-index-drop'), (11, 'missing-fk-index'), (11, 'missing-fk-index'), (11, 'require-concurrent-index-drop')]" \
	"dropping the last index of both foreign keys: missing-fk-index on the replayed history"
run "$DDLGATE" lint alembic/versions/a2.py
expect_in "$T/out" "help: run it inside \`with op.get_context().autocommit_block():\`" \
	"concurrent-in-transaction: help in Alembic terms"
expect_in "$T/out" "op.create_index('posts_user_idx', 'posts', [...], postgresql_concurrently=True) inside" \
	"require-concurrent-index: postgresql_concurrently=True inside autocommit_block()"

# explain and schema read the same SQL
run "$DDLGATE" explain alembic/versions/a2.py
expect_rc 0 "explain of an Alembic revision"
expect_in "$T/out" "alembic/versions/a2.py:14:5: (in a transaction block)" "each statement at its operation"
expect_in "$T/out" "CREATE INDEX CONCURRENTLY \"posts_user_idx3\"" "the SQL Alembic emits"
run "$DDLGATE" schema alembic/versions
expect_in "$T/out" "foreign key posts_user_fk2 (user_id) references public.users (id)" \
	"schema replays the Alembic history"
run "$DDLGATE" schema shop/migrations
expect_in "$T/out" "table public.shop_order" "schema replays the Django history"
run "$DDLGATE" check --worktree --format json
expect_rc 1 "check lints the Python migrations too"
expect_eq "$(json_get "'alembic/versions/a3.py' in {f['path'] for f in d['findings']} and 'shop/migrations/0003_sql.py' in {f['path'] for f in d['findings']}")" \
	"True" "findings in both sets"

# look-alikes of saleor's and redash's histories (fixtures/frameworks/lookalike)
mkdir -p "$T/la/.git" && cp -r "$DG_SRC/fixtures/frameworks/lookalike/." "$T/la/"
cd "$T/la" || exit 1
run "$DDLGATE" lint --format json store dashboards
found() { json_get "sorted((f['path'].split('/')[-1], f['line'], f['rule']) for f in d['findings'] if f['rule'] not in ('statements-after-access-exclusive', 'prefer-bigint'))"; }
expect_eq "$(found)" "[('0003_note_date_index.py', 19, 'require-concurrent-index'), ('2b3c4d5e6f70_create_favorites.py', 16, 'missing-fk-index'), ('3c4d5e6f7081_favorites_unique.py', 15, 'add-unique-constraint'), ('3c4d5e6f7081_favorites_unique.py', 16, 'require-concurrent-index'), ('4d5e6f708192_options_as_jsonb.py', 17, 'change-column-type')]" \
	"look-alike histories: the findings the README documents for saleor and redash"
run "$DDLGATE" lint --pg-version 10 --format json store/migrations/0002_order_language_code.py
expect_eq "$(found)" "[('0002_order_language_code.py', 9, 'add-column-rewrite')]" \
	"a constant default added the Django way rewrites only before PostgreSQL 11"
finish
