/*
 * The safe way in the framework's terms: the help line of a finding on
 * SQL a Django or Alembic operation runs. The rules word their help in
 * SQL, once; this table words it again for the operation that made the
 * statement (AddIndexConcurrently in a migration with atomic = False,
 * op.create_index(..., postgresql_concurrently=True) inside
 * autocommit_block(), SeparateDatabaseAndState for two-step changes,
 * default= against db_default=). {dflt} is the rule's own SQL help.
 */
#include <string.h>

#include "frameworks/fw_int.h"

struct help {
	enum fw_kind kind;
	const char *rule;
	const char *ops; /* operations it is for, "|"-separated; NULL = any generated SQL */
	const char *text;
};

static const struct help table[] = {
    /* ---- Django ---- */
    {FW_DJANGO, "require-concurrent-index", "AddIndex",
     "use AddIndexConcurrently(model_name='{model}', index=...) from django.contrib.postgres.operations, "
     "in a migration of its own with `atomic = False`"},
    {FW_DJANGO, "require-concurrent-index", "AddConstraint",
     "build the unique index first with AddIndexConcurrently (or RunSQL) in a migration with `atomic = False`, "
     "then add the constraint with SeparateDatabaseAndState; the SQL: {dflt}"},
    {FW_DJANGO, "require-concurrent-index", "RunSQL",
     "{dflt}: in Django a migration of its own with `atomic = False` (RunSQL cannot leave the transaction "
     "of an atomic migration)"},
    {FW_DJANGO, "require-concurrent-index", NULL,
     "keep the model change but build the index without blocking writes: in a migration with `atomic = False`, "
     "SeparateDatabaseAndState(state_operations=[migrations.{op}(...)], database_operations=[the same "
     "operation with db_index=False, migrations.RunSQL('<the statement below>')]); the SQL: {dflt}"},
    {FW_DJANGO, "require-concurrent-index-drop", "RemoveIndex",
     "use RemoveIndexConcurrently(model_name='{model}', name='{detail}') from "
     "django.contrib.postgres.operations, in a migration with `atomic = False`"},
    {FW_DJANGO, "require-concurrent-index-drop", "RunSQL",
     "{dflt}: in Django a migration of its own with `atomic = False`"},
    {FW_DJANGO, "require-concurrent-index-drop", NULL,
     "drop it with SeparateDatabaseAndState(state_operations=[migrations.{op}(...)], database_operations="
     "[migrations.RunSQL('DROP INDEX CONCURRENTLY IF EXISTS ...')]) in a migration with `atomic = False`"},
    {FW_DJANGO, "concurrent-in-transaction", NULL,
     "set `atomic = False` on the Migration class: Django runs an atomic migration in one transaction, "
     "where CONCURRENTLY fails (and keep that migration to this one operation)"},
    {FW_DJANGO, "add-foreign-key-not-valid", NULL,
     "add the field with db_constraint=False first; then, in a later migration, "
     "SeparateDatabaseAndState(state_operations=[migrations.AlterField(... db_constraint=True)], "
     "database_operations=[migrations.RunSQL(<the NOT VALID statement>), migrations.RunSQL(<the VALIDATE "
     "statement>)]); the SQL: {dflt}"},
    {FW_DJANGO, "add-check-not-valid", "RunSQL", NULL},
    {FW_DJANGO, "add-check-not-valid", NULL,
     "SeparateDatabaseAndState(state_operations=[migrations.{op}(...)], database_operations="
     "[migrations.RunSQL(<the NOT VALID statement>), migrations.RunSQL(<the VALIDATE statement>)]); the SQL: "
     "{dflt}"},
    {FW_DJANGO, "add-unique-constraint", NULL,
     "build the unique index first (RunSQL('CREATE UNIQUE INDEX CONCURRENTLY ...') in a migration with "
     "`atomic = False`), then SeparateDatabaseAndState(state_operations=[migrations.{op}(...)], "
     "database_operations=[migrations.RunSQL('ALTER TABLE ... ADD CONSTRAINT ... UNIQUE USING INDEX ...')]); "
     "the SQL: {dflt}"},
    {FW_DJANGO, "add-column-required", NULL,
     "give the field a default= (Django adds the column with that constant and drops it again: no rewrite "
     "from PostgreSQL 11), or db_default= (Django >= 5.0: the default stays in the database), or add it "
     "with null=True, backfill, then AlterField(null=False)"},
    {FW_DJANGO, "add-column-rewrite", NULL,
     "use default= with a constant or a callable (Django evaluates it once and sends a constant) instead of "
     "a volatile db_default; before PostgreSQL 11 add the field with null=True, backfill in batches "
     "(RunPython over key ranges, `atomic = False`), then AlterField(null=False)"},
    {FW_DJANGO, "set-not-null", NULL,
     "AlterField(null=False) runs SET NOT NULL, a full scan under ACCESS EXCLUSIVE: first "
     "AddConstraint(CheckConstraint(check=Q({detail}__isnull=False), name=...)) through "
     "SeparateDatabaseAndState with the NOT VALID + VALIDATE SQL below, then the AlterField (PostgreSQL 12+ "
     "skips the scan), then RemoveConstraint; the SQL: {dflt}"},
    {FW_DJANGO, "change-column-type", NULL,
     "the type change rewrites the table: add a new field, copy the values in batches (RunPython over key "
     "ranges, `atomic = False`), move the code to it, then remove the old field "
     "(SeparateDatabaseAndState keeps the model's field name while the columns change)"},
    {FW_DJANGO, "ban-rename-column", NULL,
     "rename only the Python name: keep the column with db_column='<old column>' on the field, or "
     "SeparateDatabaseAndState(state_operations=[migrations.{op}(...)], database_operations=[])"},
    {FW_DJANGO, "ban-rename-table", NULL,
     "rename only the Python name: keep the table with Meta.db_table = '<old table>' "
     "(AlterModelTable), or SeparateDatabaseAndState(state_operations=[migrations.{op}(...)], "
     "database_operations=[])"},
    {FW_DJANGO, "ban-drop-column", NULL,
     "two deploys: first remove the field from the model with SeparateDatabaseAndState("
     "state_operations=[migrations.RemoveField(model_name='{model}', name='{detail}')], database_operations=[]), "
     "then drop the column in a later migration (with `# ddlgate:ignore ban-drop-column <why>` above it)"},
    {FW_DJANGO, "ban-drop-table", NULL,
     "two deploys: first remove the model with SeparateDatabaseAndState(state_operations=[migrations."
     "DeleteModel(name='{model}')], database_operations=[]), then drop the table in a later migration"},
    {FW_DJANGO, "prefer-bigint", NULL,
     "use models.BigAutoField(primary_key=True) for the key (DEFAULT_AUTO_FIELD = "
     "'django.db.models.BigAutoField' in settings, or default_auto_field on the AppConfig, does it for new "
     "models)"},
    {FW_DJANGO, "missing-fk-index", NULL,
     "keep db_index=True on the ForeignKey (Django's default); on an existing table add the index with "
     "AddIndexConcurrently in a migration with `atomic = False`: {dflt}"},
    {FW_DJANGO, "unbatched-data-change", "AlterField",
     "AlterField(null=False) with a default updates every NULL row in one statement: backfill first in "
     "batches (RunPython over key ranges in a migration with `atomic = False`), then the AlterField"},
    {FW_DJANGO, "statements-after-access-exclusive", NULL,
     "Django runs every operation of an atomic migration in one transaction, so the ACCESS EXCLUSIVE lock "
     "is held to its end: give that operation a migration of its own"},
    {FW_DJANGO, "require-lock-timeout", NULL,
     "start the migration with migrations.RunSQL(\"SET lock_timeout = '5s'\") (it lasts for the "
     "migration's transaction in an atomic migration)"},
    {FW_DJANGO, "transaction-nesting", "RunSQL",
     "drop BEGIN and COMMIT from the RunSQL: Django already runs an atomic migration in one transaction "
     "(or set `atomic = False` on the Migration and manage the transaction yourself)"},
    {FW_DJANGO, "require-statement-timeout", NULL,
     "start the migration with migrations.RunSQL(\"SET statement_timeout = '15min'\"), sized to what "
     "the step may take"},
    {FW_DJANGO, "opaque-sql", NULL,
     "pass the SQL as a string literal (a module-level constant is read too), so that it can be checked; "
     "ddlgate never runs the migration. Or `# ddlgate:ignore opaque-sql <reason>` above the operation"},

    /* ---- Alembic ---- */
    {FW_ALEMBIC, "require-concurrent-index", "op.execute|execute",
     "{dflt}: in Alembic inside `with op.get_context().autocommit_block():` (upgrade() runs in a "
     "transaction)"},
    {FW_ALEMBIC, "require-concurrent-index", NULL,
     "op.create_index('{detail}', '{table}', [...], postgresql_concurrently=True) inside "
     "`with op.get_context().autocommit_block():`"},
    {FW_ALEMBIC, "require-concurrent-index-drop", NULL,
     "op.drop_index('{detail}', table_name='{table}', postgresql_concurrently=True) inside "
     "`with op.get_context().autocommit_block():`"},
    {FW_ALEMBIC, "concurrent-in-transaction", NULL,
     "run it inside `with op.get_context().autocommit_block():` (Alembic runs upgrade() in a "
     "transaction; the block commits it first)"},
    {FW_ALEMBIC, "add-foreign-key-not-valid", "op.execute|execute", NULL},
    {FW_ALEMBIC, "add-foreign-key-not-valid", NULL,
     "op.create_foreign_key(..., postgresql_not_valid=True), then op.execute('ALTER TABLE {table} VALIDATE "
     "CONSTRAINT ...') in a later revision (a column's sa.ForeignKey: add the column without it first); "
     "the SQL: {dflt}"},
    {FW_ALEMBIC, "add-check-not-valid", "op.execute|execute", NULL},
    {FW_ALEMBIC, "add-check-not-valid", NULL,
     "op.create_check_constraint(..., postgresql_not_valid=True), then op.execute('ALTER TABLE {table} "
     "VALIDATE CONSTRAINT ...') in a later revision; the SQL: {dflt}"},
    {FW_ALEMBIC, "add-unique-constraint", NULL,
     "op.create_index('<name>', '{table}', [...], unique=True, postgresql_concurrently=True) inside "
     "`with op.get_context().autocommit_block():`, then op.execute('ALTER TABLE {table} ADD CONSTRAINT "
     "<name> UNIQUE USING INDEX <name>'); the SQL: {dflt}"},
    {FW_ALEMBIC, "add-column-required", NULL,
     "give the column a constant server_default (no rewrite from PostgreSQL 11), or add it with "
     "nullable=True, backfill, then op.alter_column('{table}', '{detail}', nullable=False)"},
    {FW_ALEMBIC, "add-column-rewrite", NULL,
     "add the column nullable and without the volatile server_default, then "
     "op.alter_column(..., server_default=...) and backfill in batches; the SQL: {dflt}"},
    {FW_ALEMBIC, "set-not-null", NULL,
     "op.create_check_constraint('{table}_{detail}_not_null', '{table}', '{detail} IS NOT NULL', "
     "postgresql_not_valid=True) and its VALIDATE first, then op.alter_column(..., nullable=False) "
     "(PostgreSQL 12+ skips the scan) and drop the check; the SQL: {dflt}"},
    {FW_ALEMBIC, "change-column-type", NULL,
     "op.alter_column(type_=...) rewrites the table: add a new column, backfill it in batches, switch the "
     "code, then drop the old one; the SQL: {dflt}"},
    {FW_ALEMBIC, "ban-rename-column", NULL,
     "op.alter_column(new_column_name=...) breaks the running code: add the new column, write both, "
     "backfill, switch the reads, then drop the old one in a later revision"},
    {FW_ALEMBIC, "ban-rename-table", NULL,
     "op.rename_table() breaks the running code: in the same revision op.execute('CREATE VIEW <old> AS "
     "SELECT * FROM <new>'), and drop the view in a later one"},
    {FW_ALEMBIC, "ban-drop-column", NULL,
     "deploy code that no longer uses the column first, then drop it in a later revision "
     "(`# ddlgate:ignore ban-drop-column <why>` above op.drop_column)"},
    {FW_ALEMBIC, "ban-drop-table", NULL,
     "deploy code that no longer uses the table first, then drop it in a later revision "
     "(`# ddlgate:ignore ban-drop-table <why>` above op.drop_table)"},
    {FW_ALEMBIC, "prefer-bigint", NULL,
     "sa.Column('id', sa.BigInteger(), primary_key=True): Alembic makes it BIGSERIAL"},
    {FW_ALEMBIC, "missing-fk-index", NULL,
     "Alembic never indexes a foreign key's columns for you (create_foreign_key, sa.ForeignKey): "
     "op.create_index('ix_...', '<table>', [<columns>], postgresql_concurrently=True) inside "
     "`with op.get_context().autocommit_block():`; the SQL: {dflt}"},
    {FW_ALEMBIC, "statements-after-access-exclusive", NULL,
     "give the operation a revision of its own and set transaction_per_migration=True in env.py's "
     "context.configure() (else the lock is held until the whole upgrade commits)"},
    {FW_ALEMBIC, "require-lock-timeout", NULL,
     "start upgrade() with op.execute(\"SET lock_timeout = '5s'\")"},
    {FW_ALEMBIC, "transaction-nesting", "op.execute|execute",
     "drop BEGIN and COMMIT from op.execute(): Alembic runs upgrade() in a transaction; for a statement "
     "that must run outside it use `with op.get_context().autocommit_block():`"},
    {FW_ALEMBIC, "require-statement-timeout", NULL,
     "start upgrade() with op.execute(\"SET statement_timeout = '15min'\"), sized to what the step may take"},
    {FW_ALEMBIC, "prefer-timestamptz", NULL,
     "declare the column sa.DateTime(timezone=True): Alembic then emits TIMESTAMP WITH TIME ZONE"},
    {FW_ALEMBIC, "opaque-sql", NULL,
     "pass the SQL as a string literal (or sa.text('...')), so that it can be checked; ddlgate never runs "
     "the migration. Or `# ddlgate:ignore opaque-sql <reason>` above the call"},
};

/* Is op one of the "|"-separated names? */
static int op_in(const char *ops, const char *op)
{
	size_t l = strlen(op);
	for (const char *p = ops; p; p = strchr(p, '|'), p = p ? p + 1 : NULL)
		if (!strncmp(p, op, l) && (p[l] == '|' || !p[l]))
			return 1;
	return 0;
}

/* Is the group's SQL written by the user (RunSQL, execute) rather than generated? */
static int literal_op(const char *op)
{
	return !strcmp(op, "RunSQL") || !strcmp(op, "op.execute") || !strcmp(op, "execute");
}

static const char *fill(struct dg_arena *a, const char *t, const struct fw_group *g, const char *dflt)
{
	struct dg_buf b = DG_BUF_INIT;
	while (*t) {
		const char *open = strchr(t, '{');
		const char *close = open ? strchr(open, '}') : NULL;
		if (!close) {
			dg_buf_adds(&b, t);
			break;
		}
		dg_buf_add(&b, t, (size_t)(open - t));
		size_t n = (size_t)(close - open - 1);
		const char *v = NULL;
		if (n == 5 && !strncmp(open + 1, "model", 5))
			v = g->model ? g->model : "...";
		else if (n == 5 && !strncmp(open + 1, "table", 5))
			v = g->table ? g->table : "...";
		else if (n == 6 && !strncmp(open + 1, "detail", 6))
			v = g->detail ? g->detail : "...";
		else if (n == 2 && !strncmp(open + 1, "op", 2))
			v = g->op;
		else if (n == 4 && !strncmp(open + 1, "dflt", 4))
			v = dflt ? dflt : "";
		dg_buf_adds(&b, v ? v : "");
		t = close + 1;
	}
	const char *r = dg_strndup(a, b.ptr ? b.ptr : "", b.len);
	dg_buf_release(&b);
	return r;
}

const char *fw_help(const struct dg_sql_file *f, const struct dg_stmt *st, const char *rule,
		    const char *dflt)
{
	const struct fw_result *r = f->origin ? f->origin->cookie : NULL;
	const struct dg_sql_span *s = dg_sql_span_at(f, st->offset);
	if (!r || !s || s->group < 0 || (size_t)s->group >= r->n_groups)
		return NULL;
	const struct fw_group *g = &r->groups[s->group];
	for (size_t i = 0; i < DG_ARRAY_SIZE(table); i++) {
		const struct help *h = &table[i];
		if (h->kind != r->kind || strcmp(h->rule, rule))
			continue;
		if (h->ops ? !op_in(h->ops, g->op) : literal_op(g->op) && strcmp(rule, "opaque-sql") &&
								  strcmp(rule, "concurrent-in-transaction") &&
								  strcmp(rule, "statements-after-access-exclusive") &&
								  strcmp(rule, "require-lock-timeout") &&
								  strcmp(rule, "require-statement-timeout"))
			continue;
		if (!h->text)
			return NULL; /* SQL written by the user: the rule's SQL help is the right one */
		return fill(r->arena, h->text, g, dflt);
	}
	return NULL;
}
