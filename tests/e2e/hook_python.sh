#!/bin/sh
# The hooks and ci lint Python migrations as they lint SQL: pre-commit the
# staged Django migration, pre-push the pushed Alembic revision, ci only
# what the pull request adds or changes; read from git objects, never run.
. "$DG_SRC/tests/e2e/hook_lib.inc"

make_repo --pre-commit
mkdir -p shop/migrations
: >shop/__init__.py
: >shop/migrations/__init__.py
cat >shop/migrations/0001_initial.py <<'EOF'
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True
    operations = [
        migrations.CreateModel(
            name='Order',
            fields=[('id', models.BigAutoField(primary_key=True, serialize=False)),
                    ('note', models.TextField(null=True))],
        ),
        # an old problem the hooks do not report again
        migrations.RunSQL('LOCK TABLE shop_order'),
    ]
EOF
git add shop && git commit -q -m "shop app" && git push -q origin master 2>/dev/null
base=$(git rev-parse HEAD)

bad="from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [('shop', '0001_initial')]
    operations = [
        migrations.AddIndex(model_name='order', index=models.Index(fields=['note'], name='order_note_idx')),
    ]"
good="from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False
    dependencies = [('shop', '0001_initial')]
    operations = [
        AddIndexConcurrently(model_name='order', index=models.Index(fields=['note'], name='order_note_idx')),
    ]"
M=shop/migrations/0002_note_idx.py

printf '%s\n' "$bad" >$M
git add $M
printf '%s\n' "$good" >$M
expect_status 1 "pre-commit: a staged Django migration with a blocking index" git commit -m idx
out_has "$M:7:9: error[require-concurrent-index]" "names the staged .py file, line and column"
out_has "AddIndexConcurrently" "help in Django terms"
out_lacks "lock-table" "the committed migration is not reported again"
git add $M
expect_status 0 "pre-commit: AddIndexConcurrently with atomic = False passes" git commit -q -m idx

# pre-push: an Alembic revision pushed on a topic branch
git checkout -q -b topic
mkdir -p alembic/versions
printf '[alembic]\nscript_location = alembic\n' >alembic.ini
cat >alembic/versions/r1.py <<'EOF'
from alembic import op
import sqlalchemy as sa

revision = 'r1'
down_revision = None


def upgrade():
    op.create_table('users', sa.Column('id', sa.BigInteger(), primary_key=True),
                    sa.Column('team_id', sa.BigInteger()))
    op.create_table('teams', sa.Column('id', sa.BigInteger(), primary_key=True))
    op.create_foreign_key('users_team_fk', 'users', 'teams', ['team_id'], ['id'])
EOF
git add alembic.ini alembic && git commit -q --no-verify -m "alembic"
"$DDLGATE" install --pre-push >/dev/null
expect_status 1 "pre-push: an Alembic foreign key without an index is blocked" git push origin topic
out_has "alembic/versions/r1.py:12:5: error[missing-fk-index]" "at op.create_foreign_key()"
out_has "op.create_index(" "help in Alembic terms"
expect_remote refs/heads/topic "" "nothing was pushed"

# ci: only what the branch adds or changes since the base
printf '\n    op.create_index("users_team_idx", "users", ["team_id"])\n' >>alembic/versions/r1.py
git commit -q -a --no-verify -m "index the fk"
expect_status 0 "ci: the branch's migrations pass" "$DDLGATE" ci --base "$base"
out_lacks "lock-table" "ci does not report the base's migration"
expect_status 0 "ci lists the changed Python files as linted" "$DDLGATE" ci --base "$base" --format json
out_has '"files": 2' "the two changed migrations were linted"
finish
