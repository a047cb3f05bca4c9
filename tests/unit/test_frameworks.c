/*
 * frameworks/: Django and Alembic operations -> the SQL their framework
 * runs (names as Django makes them), positions in the .py file, notes,
 * opaque SQL, suppressions, and the project state across migrations.
 */
#include <stdlib.h>
#include <string.h>

#include "frameworks/frameworks.h"
#include "tap.h"

static struct dg_arena arena;

static struct dg_sql_file *translate(struct dg_fw_state *st, enum dg_set_format fmt,
				     const char *path, const char *src)
{
	struct dg_sql_file *f = dg_alloc(&arena, sizeof(*f));
	struct dg_fw_opts o = {fmt, DG_TX_AUTO, "shop"};
	if (dg_fw_migration_sql(&arena, st, path, src, strlen(src), &o, f) < 0) {
		ok(0, "%s translates: %s", path, dg_last_error());
		dg_error_clear();
		return NULL;
	}
	return f;
}

/* Does the emitted SQL contain text? */
static int has(const struct dg_sql_file *f, const char *text)
{
	return f && strstr(f->data, text) != NULL;
}

static const struct dg_stmt *stmt_with(const struct dg_sql_file *f, const char *text)
{
	for (size_t i = 0; f && i < f->n_stmts; i++)
		if (strstr(dg_stmt_text(&arena, &f->stmts[i]), text))
			return &f->stmts[i];
	return NULL;
}

static int note_has(const struct dg_sql_file *f, const char *text)
{
	for (size_t i = 0; f && f->origin && i < f->origin->n_notes; i++)
		if (strstr(f->origin->notes[i].message, text))
			return f->origin->notes[i].line;
	return 0;
}

static void django(void)
{
	struct dg_fw_state *st = dg_fw_state_new(&arena);
	const char *m1 = "from django.db import migrations, models\n"
			 "import django.db.models.deletion\n"
			 "\n"
			 "class Migration(migrations.Migration):\n"
			 "    initial = True\n"
			 "    operations = [\n"
			 "        migrations.CreateModel(\n"
			 "            name='Customer',\n"
			 "            fields=[\n"
			 "                ('id', models.AutoField(primary_key=True, serialize=False)),\n"
			 "                ('email', models.EmailField(unique=True)),\n"
			 "            ],\n"
			 "        ),\n"
			 "        migrations.CreateModel(\n"
			 "            name='Order',\n"
			 "            fields=[\n"
			 "                ('id', models.BigAutoField(primary_key=True, serialize=False)),\n"
			 "                ('customer', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='shop.customer')),\n"
			 "                ('note', models.CharField(max_length=20, db_index=True)),\n"
			 "            ],\n"
			 "        ),\n"
			 "    ]\n";
	struct dg_sql_file *f = translate(st, DG_FORMAT_DJANGO, "shop/migrations/0001_initial.py", m1);
	if (!f)
		return;
	ok(has(f, "BEGIN;") && has(f, "COMMIT;"), "an atomic migration runs in BEGIN / COMMIT");
	ok(has(f, "CREATE TABLE \"shop_customer\" (\"id\" serial NOT NULL PRIMARY KEY, \"email\" varchar(254) NOT NULL UNIQUE)"),
	   "CreateModel: table, types, EmailField's max_length, inline UNIQUE");
	ok(has(f, "\"customer_id\" integer NOT NULL"), "a ForeignKey column: <name>_id of the target key's type");
	ok(has(f, "CREATE INDEX \"shop_customer_email_"), "the _like index of a unique text field");
	ok(has(f, "FOREIGN KEY (\"customer_id\") REFERENCES \"shop_customer\" (\"id\") DEFERRABLE INITIALLY DEFERRED"),
	   "the FK constraint, deferred to the end of the migration");
	const struct dg_stmt *fk = stmt_with(f, "FOREIGN KEY");
	ok(fk && fk->line == 14, "the deferred FK points at its CreateModel (line %d)", fk ? fk->line : 0);
	ok(stmt_with(f, "COMMIT") && stmt_with(f, "COMMIT")->line == 4, "COMMIT points at the Migration class");

	const char *m2 = "from django.db import migrations, models\n"
			 "class Migration(migrations.Migration):\n"
			 "    dependencies = [('shop', '0001_initial')]\n"
			 "    operations = [\n"
			 "        migrations.AddField('order', 'paid', models.BooleanField(default=False)),\n"
			 "        # ddlgate:ignore require-concurrent-index built by hand\n"
			 "        migrations.AlterField('order', 'note', models.CharField(max_length=40, db_index=True, null=True)),\n"
			 "        migrations.RemoveField('order', 'customer'),\n"
			 "        migrations.RunSQL(\"UPDATE shop_order SET paid = true\"),\n"
			 "        migrations.RunSQL(sql),\n"
			 "        migrations.AlterModelTableComment('order', 'x'),\n"
			 "    ]\n";
	f = translate(st, DG_FORMAT_DJANGO, "shop/migrations/0002_more.py", m2);
	if (!f)
		return;
	ok(has(f, "ADD COLUMN \"paid\" boolean DEFAULT false NOT NULL") &&
	       has(f, "ALTER COLUMN \"paid\" DROP DEFAULT"),
	   "AddField with a default: added with it, then the default dropped");
	ok(has(f, "ALTER COLUMN \"note\" TYPE varchar(40), ALTER COLUMN \"note\" DROP NOT NULL"),
	   "AlterField: type and null in one ALTER TABLE, no USING between varchars");
	ok(has(f, "SET CONSTRAINTS \"shop_order_customer_id_") && has(f, "DROP COLUMN \"customer_id\" CASCADE"),
	   "RemoveField of a FK: its constraint (by the name the state remembers), then the column");
	const struct dg_stmt *up = stmt_with(f, "UPDATE shop_order");
	ok(up && up->line == 9 && up->column == 28, "RunSQL: the statement's place inside the string (%d:%d)",
	   up ? up->line : 0, up ? up->column : 0);
	ok(f->origin->n_opaque == 1 && f->origin->opaque[0].stmt.line == 10 &&
	       strstr(f->origin->opaque[0].what, "the variable 'sql'"),
	   "RunSQL of a variable: opaque, at its line");
	is_int(note_has(f, "AlterModelTableComment is not modelled"), 11, "an unknown operation is a note at its line");
	const struct dg_stmt *alt = stmt_with(f, "TYPE varchar(40)");
	int ignored = 0;
	for (size_t i = 0; alt && i < alt->n_ignored; i++)
		ignored |= !strcmp(alt->ignored[i], "require-concurrent-index");
	ok(ignored, "a ddlgate:ignore comment above the operation silences its statements");

	/* unreadable Python is an error naming the place */
	struct dg_sql_file bad;
	struct dg_fw_opts o = {DG_FORMAT_DJANGO, DG_TX_AUTO, "shop"};
	ok(dg_fw_migration_sql(&arena, st, "shop/migrations/0003_bad.py", "x = (\n", 6, &o, &bad) < 0 &&
	       !strncmp(dg_last_error(), "shop/migrations/0003_bad.py:1:5:", 32),
	   "a Python error names file:line:col (%s)", dg_last_error());
	dg_error_clear();

	const char *na = "from django.db import migrations, models\n"
			 "class Migration(migrations.Migration):\n"
			 "    atomic = False\n"
			 "    operations = [migrations.RunSQL('CREATE INDEX CONCURRENTLY x ON y (z)')]\n";
	f = translate(st, DG_FORMAT_DJANGO, "shop/migrations/0003_idx.py", na);
	ok(f && !has(f, "BEGIN;"), "atomic = False: no transaction");
}

static void alembic(void)
{
	struct dg_fw_state *st = dg_fw_state_new(&arena);
	const char *src = "from alembic import op\n"
			  "import sqlalchemy as sa\n"
			  "revision = 'r1'\n"
			  "down_revision = None\n"
			  "def upgrade():\n"
			  "    op.create_table('t', sa.Column('id', sa.Integer(), primary_key=True),\n"
			  "                    sa.Column('u_id', sa.Integer(), sa.ForeignKey('u.id')))\n"
			  "    op.add_column('t', sa.Column('n', sa.String(20), server_default='x', nullable=False))\n"
			  "    with op.get_context().autocommit_block():\n"
			  "        op.create_index(op.f('ix_t_n'), 't', ['n'], postgresql_concurrently=True)\n"
			  "    op.execute(f'DROP TABLE {name}')\n"
			  "    op.get_bind().execute(\"\"\"\n"
			  "        UPDATE t SET n = 'y'\"\"\")\n"
			  "    for x in range(3):\n"
			  "        op.drop_column('t', 'n')\n";
	struct dg_sql_file *f = translate(st, DG_FORMAT_ALEMBIC, "versions/r1.py", src);
	if (!f)
		return;
	ok(has(f, "\"id\" SERIAL NOT NULL") && has(f, "FOREIGN KEY(\"u_id\") REFERENCES \"u\" (\"id\")"),
	   "create_table: SERIAL key, column ForeignKey as a table constraint");
	ok(has(f, "ADD COLUMN \"n\" VARCHAR(20) DEFAULT 'x' NOT NULL"), "add_column with a server_default");
	ok(has(f, "COMMIT;\nCREATE INDEX CONCURRENTLY \"ix_t_n\" ON \"t\" (\"n\");\nBEGIN;"),
	   "autocommit_block: COMMIT before, BEGIN after, op.f() names");
	const struct dg_stmt *up = stmt_with(f, "UPDATE t");
	ok(up && up->line == 13 && up->column == 9, "SQL in a triple-quoted string: its line and column (%d:%d)",
	   up ? up->line : 0, up ? up->column : 0);
	ok(f->origin->n_opaque == 1 && strstr(f->origin->opaque[0].what, "an f-string"),
	   "an f-string is opaque SQL");
	is_int(note_has(f, "inside `for` are not followed"), 14, "a loop is a note at its line");
}

int main(void)
{
	dg_arena_init(&arena);
	django();
	alembic();
	dg_arena_release(&arena);
	return done();
}
