/*
 * schema-drift (audit): the live database and the schema the repository's
 * migrations replay to differ: a table, a column (type, nullability), an
 * index or a PRIMARY KEY / UNIQUE / FOREIGN KEY / EXCLUDE constraint that
 * one side has and the other has not, or has differently. Both sides pass
 * through the same schema model (the live catalog is read as DDL), so
 * types, generated names and index shapes compare like for like.
 */
#include <string.h>

#include "rules/live.h"
#include "rules/rule.h"

/* The migration tools' own bookkeeping tables: in the database, never in a migration. */
static const char *const bookkeeping[] = {
	"flyway_schema_history", "schema_version", "schema_migrations", "__diesel_schema_migrations",
	"alembic_version", "django_migrations", "goose_db_version", "knex_migrations",
	"knex_migrations_lock", "_prisma_migrations", "ar_internal_metadata", "gorp_migrations",
};

static int is_bookkeeping(const char *name)
{
	for (size_t i = 0; i < DG_ARRAY_SIZE(bookkeeping); i++)
		if (!strcmp(bookkeeping[i], name))
			return 1;
	return 0;
}

struct drift {
	struct dg_rule_ctx *ctx;
	const struct dg_live *live;
	const char *help;          /* a hint when the migrations hold DDL the model cannot follow */
};

/* How a table was made: a materialized view, CREATE TABLE AS, or plainly. */
static enum dg_stmt_kind made_by(const struct dg_schema_table *t)
{
	return t->origin.stmt ? t->origin.stmt->kind : DG_STMT_CREATE_TABLE;
}

static const char *what(const struct dg_schema_table *t)
{
	return made_by(t) == DG_STMT_CREATE_MATVIEW ? "materialized view" : "table";
}

/* The model follows a table's columns unless a query made it. */
static int columns_known(const struct dg_schema_table *t)
{
	return t->known && made_by(t) != DG_STMT_CREATE_MATVIEW && made_by(t) != DG_STMT_CREATE_TABLE_AS;
}

static const char *tname(struct drift *d, const struct dg_schema_table *t)
{
	return dg_schema_table_display(d->ctx->arena, t);
}

/* A type name without a schema: format_type() qualifies user types, migrations seldom do. */
static const char *bare_type(const char *name)
{
	const char *dot = name ? strrchr(name, '.') : NULL;
	return dot ? dot + 1 : name ? name : "";
}

static int same_type(const struct dg_type *a, const struct dg_type *b)
{
	if (strcmp(bare_type(a->name), bare_type(b->name)) || a->array != b->array ||
	    a->n_mods != b->n_mods)
		return 0;
	for (int i = 0; i < a->n_mods && i < 2; i++)
		if (a->mods[i] != b->mods[i])
			return 0;
	return 1;
}

static const char *type_text(const struct dg_type *t)
{
	return t->display ? t->display : t->name;
}

static void columns(struct drift *d, const struct dg_schema_table *e, const struct dg_schema_table *l)
{
	struct dg_arena *a = d->ctx->arena;
	if (made_by(e) == DG_STMT_CREATE_MATVIEW || made_by(l) == DG_STMT_CREATE_MATVIEW)
		return; /* a view's columns are its query's */
	for (size_t i = 0; i < e->n_columns; i++) {
		const struct dg_schema_column *c = &e->columns[i];
		const struct dg_schema_column *lc = dg_schema_find_column(l, c->name);
		if (!lc) {
			dg_live_report(d->ctx, d->live, &e->origin, d->help,
				       "column \"%s.%s\" (%s) is in the migrations but not in the database",
				       tname(d, e), c->name, type_text(&c->type));
			continue;
		}
		if (!same_type(&c->type, &lc->type))
			dg_live_report(d->ctx, d->live, &e->origin, d->help,
				       "column \"%s.%s\" is %s in the database but %s in the migrations",
				       tname(d, e), c->name, type_text(&lc->type), type_text(&c->type));
		if (c->not_null != lc->not_null)
			dg_live_report(d->ctx, d->live, &e->origin, d->help,
				       "column \"%s.%s\" is %s in the database but %s in the migrations",
				       tname(d, e), c->name, lc->not_null ? "NOT NULL" : "nullable",
				       c->not_null ? "NOT NULL" : "nullable");
	}
	if (!columns_known(e))
		return; /* only altered by the migrations, or made by a query: the rest is not theirs to say */
	for (size_t i = 0; i < l->n_columns; i++) {
		const struct dg_schema_column *lc = &l->columns[i];
		if (dg_schema_find_column(e, lc->name))
			continue;
		dg_live_report(d->ctx, d->live, &e->origin,
			       dg_sprintf(a, "add it in a migration (ALTER TABLE %s ADD COLUMN %s %s;) or drop it from the database",
					  dg_schema_qualified(a, e->schema, e->name), lc->name,
					  type_text(&lc->type)),
			       "column \"%s.%s\" (%s) exists in the database but no migration adds it",
			       tname(d, e), lc->name, type_text(&lc->type));
	}
}

static const struct dg_schema_index *find_index(const struct dg_schema_table *t, const char *name)
{
	for (size_t i = 0; t && i < t->n_indexes; i++)
		if (!strcmp(t->indexes[i].name, name))
			return &t->indexes[i];
	return NULL;
}

/* A live index that is there but invalid or being built: invalid-index's business. */
static const struct dg_live_index *live_index(const struct dg_live *live, const char *schema,
					      const char *name)
{
	for (size_t i = 0; i < live->db->n_indexes; i++) {
		const struct dg_live_index *x = &live->db->indexes[i];
		if (!strcmp(x->schema, schema) && !strcmp(x->name, name))
			return x;
	}
	return NULL;
}

/* "(a, b) btree unique partial" */
static const char *index_shape(struct dg_arena *a, const struct dg_schema_index *ix)
{
	struct dg_buf b = DG_BUF_INIT;
	dg_buf_addch(&b, '(');
	for (size_t i = 0; i < ix->n_columns; i++)
		dg_buf_addf(&b, "%s%s", i ? ", " : "", ix->columns[i] ? ix->columns[i] : "(expression)");
	dg_buf_addf(&b, ") %s%s%s", ix->method ? ix->method : "btree", ix->unique ? " unique" : "",
		    ix->where ? " partial" : "");
	const char *s = dg_strdup(a, dg_buf_cstr(&b));
	dg_buf_release(&b);
	return s;
}

static int same_index(const struct dg_schema_index *x, const struct dg_schema_index *y)
{
	if (x->n_columns != y->n_columns || x->unique != y->unique || !x->where != !y->where ||
	    strcmp(x->method ? x->method : "btree", y->method ? y->method : "btree"))
		return 0;
	for (size_t i = 0; i < x->n_columns; i++) {
		if (!x->columns[i] != !y->columns[i])
			return 0;
		if (x->columns[i] && strcmp(x->columns[i], y->columns[i]))
			return 0;
	}
	return 1;
}

static void indexes(struct drift *d, const struct dg_schema_table *e, const struct dg_schema_table *l)
{
	struct dg_arena *a = d->ctx->arena;
	for (size_t i = 0; i < e->n_indexes; i++) {
		const struct dg_schema_index *ix = &e->indexes[i];
		const struct dg_schema_index *lx = find_index(l, ix->name);
		if (ix->constraint)
			continue; /* backs a PRIMARY KEY / UNIQUE: the constraint is compared */
		if (lx) {
			if (!same_index(ix, lx))
				dg_live_report(d->ctx, d->live, &ix->origin, d->help,
					       "index \"%s\" on \"%s\" differs: %s in the database, %s in the migrations",
					       ix->name, tname(d, e), index_shape(a, lx), index_shape(a, ix));
			continue;
		}
		if (live_index(d->live, e->schema, ix->name))
			continue; /* invalid or still building: reported by invalid-index */
		dg_live_report(d->ctx, d->live, &ix->origin, d->help,
			       "index \"%s\" on \"%s\" is in the migrations but not in the database",
			       ix->name, tname(d, e));
	}
	if (!e->known)
		return;
	for (size_t i = 0; i < l->n_indexes; i++) {
		const struct dg_schema_index *lx = &l->indexes[i];
		if (lx->constraint || find_index(e, lx->name))
			continue;
		const struct dg_live_index *def = live_index(d->live, l->schema, lx->name);
		dg_live_report(d->ctx, d->live, &e->origin,
			       def ? dg_sprintf(a, "put it in a migration (%s; built CONCURRENTLY) or drop it from the database",
						def->definition) : NULL,
			       "index \"%s\" on \"%s\" %s exists in the database but no migration creates it",
			       lx->name, tname(d, e), index_shape(a, lx));
	}
}

static const char *con_kind(enum dg_schema_con_kind k)
{
	switch (k) {
	case DG_SCON_PRIMARY: return "primary key";
	case DG_SCON_UNIQUE: return "unique constraint";
	case DG_SCON_FOREIGN: return "foreign key";
	case DG_SCON_EXCLUSION: return "exclusion constraint";
	default: return "check constraint";
	}
}

/* CHECK constraints are left out: the model does not follow every one's name. */
static int compared_con(const struct dg_schema_constraint *c)
{
	return c->kind != DG_SCON_CHECK;
}

static const struct dg_schema_constraint *find_con(const struct dg_schema_table *t, const char *name)
{
	for (size_t i = 0; t && i < t->n_constraints; i++)
		if (t->constraints[i].name && !strcmp(t->constraints[i].name, name))
			return &t->constraints[i];
	return NULL;
}

static int same_list(const char **x, size_t nx, const char **y, size_t ny)
{
	if (nx != ny)
		return 0;
	for (size_t i = 0; i < nx; i++)
		if (strcmp(x[i] ? x[i] : "", y[i] ? y[i] : ""))
			return 0;
	return 1;
}

/* What an FK's definition says, for a message. */
static const char *fk_text(struct dg_arena *a, const struct dg_schema_constraint *c)
{
	return dg_sprintf(a, "(%s) REFERENCES %s (%s)", dg_join(a, c->columns, c->n_columns, ", "),
			  dg_schema_qualified(a, c->ref_schema, c->ref_table),
			  c->n_ref_columns ? dg_join(a, c->ref_columns, c->n_ref_columns, ", ") :
					     "its primary key");
}

static void compare_con(struct drift *d, const struct dg_schema_table *e,
			const struct dg_schema_constraint *c, const struct dg_schema_constraint *lc)
{
	struct dg_arena *a = d->ctx->arena;
	int differs = c->kind != lc->kind || !same_list(c->columns, c->n_columns, lc->columns, lc->n_columns);
	if (!differs && c->kind == DG_SCON_FOREIGN)
		differs = strcmp(c->ref_schema, lc->ref_schema) || strcmp(c->ref_table, lc->ref_table) ||
			  (c->n_ref_columns && lc->n_ref_columns &&
			   !same_list(c->ref_columns, c->n_ref_columns, lc->ref_columns, lc->n_ref_columns));
	if (differs) {
		dg_live_report(d->ctx, d->live, &c->origin, d->help,
			       "%s \"%s\" on \"%s\" differs: %s %s in the database, %s %s in the migrations",
			       con_kind(c->kind), c->name, tname(d, e), con_kind(lc->kind),
			       lc->kind == DG_SCON_FOREIGN ? fk_text(a, lc) :
				       dg_sprintf(a, "(%s)", dg_join(a, lc->columns, lc->n_columns, ", ")),
			       con_kind(c->kind),
			       c->kind == DG_SCON_FOREIGN ? fk_text(a, c) :
				       dg_sprintf(a, "(%s)", dg_join(a, c->columns, c->n_columns, ", ")));
		return;
	}
	if (c->validated && !lc->validated)
		dg_live_report(d->ctx, d->live, &c->origin,
			       dg_sprintf(a, "ALTER TABLE %s VALIDATE CONSTRAINT %s;",
					  dg_schema_qualified(a, e->schema, e->name), c->name),
			       "%s \"%s\" on \"%s\" is NOT VALID in the database but validated in the migrations (a VALIDATE CONSTRAINT never ran there)",
			       con_kind(c->kind), c->name, tname(d, e));
}

static void constraints(struct drift *d, const struct dg_schema_table *e, const struct dg_schema_table *l)
{
	for (size_t i = 0; i < e->n_constraints; i++) {
		const struct dg_schema_constraint *c = &e->constraints[i];
		if (!compared_con(c) || !c->name)
			continue;
		const struct dg_schema_constraint *lc = find_con(l, c->name);
		if (lc)
			compare_con(d, e, c, lc);
		else
			dg_live_report(d->ctx, d->live, &c->origin, d->help,
				       "%s \"%s\" on \"%s\" is in the migrations but not in the database",
				       con_kind(c->kind), c->name, tname(d, e));
	}
	if (!e->known)
		return;
	for (size_t i = 0; i < l->n_constraints; i++) {
		const struct dg_schema_constraint *lc = &l->constraints[i];
		if (!compared_con(lc) || !lc->name || find_con(e, lc->name))
			continue;
		dg_live_report(d->ctx, d->live, &e->origin, d->help,
			       "%s \"%s\" on \"%s\" exists in the database but no migration adds it",
			       con_kind(lc->kind), lc->name, tname(d, e));
	}
}

static int in_expected_schemas(const struct dg_schema *s, const char *schema)
{
	for (size_t i = 0; i < s->n_schemas; i++)
		if (!strcmp(s->schemas[i], schema))
			return 1;
	return 0;
}

/* A hint on every finding when the migrations hold DDL the model could not follow. */
static const char *opaque_hint(struct dg_arena *a, const struct dg_schema *s)
{
	if (!s->n_notes)
		return NULL;
	return dg_sprintf(a, "the migrations also run DDL ddlgate cannot follow (%s:%d: %s), which may account for this",
			  s->notes[0].path, s->notes[0].line, s->notes[0].message);
}

static void check_live(struct dg_rule_ctx *ctx, const struct dg_live *live)
{
	const struct dg_schema *exp = live->expected;
	if (!exp)
		return;
	struct drift d = { ctx, live, opaque_hint(ctx->arena, exp) };
	for (size_t i = 0; i < exp->n_tables; i++) {
		const struct dg_schema_table *e = exp->tables[i];
		const struct dg_schema_table *l = dg_live_table(live, e->schema, e->name);
		if (!l) {
			dg_live_report(ctx, live, &e->origin, d.help,
				       "%s \"%s\" is %s by the migrations but does not exist in the database",
				       what(e), tname(&d, e), e->known ? "created" : "altered");
			continue;
		}
		if (e->partition_of)
			continue; /* a partition's columns and indexes are its parent's */
		columns(&d, e, l);
		indexes(&d, e, l);
		constraints(&d, e, l);
	}
	for (size_t i = 0; i < live->schema->n_tables; i++) {
		const struct dg_schema_table *l = live->schema->tables[i];
		if (!l->known || !in_expected_schemas(exp, l->schema) || is_bookkeeping(l->name) ||
		    dg_live_expected_table(live, l->schema, l->name))
			continue;
		dg_live_report(ctx, live, NULL,
			       "create it in a migration, or drop it from the database if nothing uses it",
			       "%s \"%s\" exists in the database but no migration creates it",
			       what(l), tname(&d, l));
	}
}

const struct dg_rule dg_rule_schema_drift = {
	.id = "schema-drift",
	.severity = DG_ERROR,
	.summary = "the live schema differs from the one the migrations replay to (audit, live database)",
	.description = "ddlgate audit, run inside a repository with migration sets, replays the migrations and reads the live catalog through the same schema model, then names every table, column (type, nullability), index and PRIMARY KEY / UNIQUE / FOREIGN KEY / EXCLUDE constraint that one side has and the other has not, or has differently. Drift means a hand-made change (a hotfix index, a column added in psql) that the next environment built from the migrations will not have, or a migration that never ran.",
	.check_live = check_live,
};
