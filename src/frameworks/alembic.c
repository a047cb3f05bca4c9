/*
 * Alembic revisions: the statements of upgrade() (op.* calls, batch_op.*
 * inside `with op.batch_alter_table(...)`, `with op.get_context().
 * autocommit_block():`, execute() of literal SQL on op, op.get_bind() or a
 * connection), turned into the SQL Alembic emits on PostgreSQL. Every
 * mapping was checked against Alembic 1.8.1 with SQLAlchemy 1.4.46
 * (`alembic upgrade --sql`, Debian 12); the comments say so where the
 * output has a shape worth knowing.
 */
#include <string.h>

#include "frameworks/fw_int.h"

/* The arguments of an operation, on op (table first) or on a batch (table implied). */
struct args {
	const struct dg_py_value *call;
	const char *table;  /* batch: the table of batch_alter_table() */
	const char *schema; /* batch: its schema */
	int batch;
};

/*
 * Argument `pos` of the op.* signature whose table parameter is at `tpos`
 * (batch_op.* drops that parameter); keyword `kw` otherwise.
 */
static const struct dg_py_value *arg(const struct args *a, size_t pos, size_t tpos, const char *kw)
{
	if (!a->batch)
		return dg_py_arg(a->call, pos, kw);
	if (pos == tpos)
		return NULL;
	return dg_py_arg(a->call, pos > tpos ? pos - 1 : pos, kw);
}

static const struct dg_py_value *kwarg(const struct args *a, const char *kw)
{
	return dg_py_kwarg(a->call, kw);
}

/* A name argument: a string, op.f("name") / conv("name"), None (NULL). */
static const char *name_of(struct fw_emit *e, const struct dg_py_value *v)
{
	v = fw_resolve(e, v);
	if (v && v->kind == DG_PY_CALL && v->n_items == 1) {
		const char *f = dg_py_call_name(v);
		if (f && (!strcmp(f, "f") || !strcmp(f, "conv") || !strcmp(f, "quoted_name")))
			return fw_str(e, v->items[0]);
	}
	return fw_str(e, v);
}

/* "schema"."table" as SQLAlchemy names it (the schema= keyword), quoted. */
static const char *qtable(struct fw_emit *e, const char *schema, const char *table)
{
	if (schema)
		return dg_sprintf(e->a, "%s.%s", fw_qi(e, schema), fw_qi(e, table));
	return fw_qi(e, table);
}

/* The table of an operation: its table argument, or the batch's. */
static const char *table_of(struct fw_emit *e, const struct args *a, size_t tpos, const char *kw,
			    const char **schema)
{
	*schema = a->batch ? a->schema : fw_str(e, kwarg(a, "schema"));
	if (a->batch)
		return a->table;
	return name_of(e, arg(a, tpos, tpos, kw));
}

/* "CONSTRAINT name " before a constraint clause, or nothing for an unnamed one. */
static const char *con_prefix(struct fw_emit *e, const char *name)
{
	return name ? dg_sprintf(e->a, "CONSTRAINT %s ", fw_qi(e, name)) : "";
}

/* What the current operation is about, for its findings' help. */
static void mark(struct fw_emit *e, const char *table, const char *detail)
{
	struct fw_group *g = fw_group_cur(e);
	g->table = table;
	g->detail = detail;
}

/* The (constraint name, table) of the constraint operations, marked; NULL when not literal. */
static const char *constraint_target(struct fw_emit *e, const struct args *a, const char **schema,
				     const char **name)
{
	*name = name_of(e, arg(a, 0, 1, "constraint_name"));
	const char *table = table_of(e, a, 1, "table_name", schema);
	if (table)
		mark(e, table, *name);
	return table;
}

/* The (table, column) of alter_column / drop_column, marked; NULL when not literal. */
static const char *column_target(struct fw_emit *e, const struct args *a, const char **schema,
				 const char **col)
{
	const char *table = table_of(e, a, 0, "table_name", schema);
	*col = fw_str(e, arg(a, 1, 0, "column_name"));
	if (!table || !*col)
		return NULL;
	mark(e, table, *col);
	return table;
}

static const char *expr(struct fw_emit *e, const struct dg_py_value *v, int depth);

/*
 * Column names as SQL: "a", "b" (one string is one column). With exprs,
 * an element may be a SQL expression (sa.text('lower(x)')). NULL when an
 * element cannot be written.
 */
static const char *columns(struct fw_emit *e, const struct dg_py_value *v, int exprs)
{
	size_t n;
	struct dg_py_value *const *it = fw_items(e, v, &n);
	const char *one = fw_str(e, v);
	if (one)
		return fw_qi(e, one);
	if (!it)
		return NULL;
	struct dg_buf b = DG_BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		const char *c = fw_str(e, it[i]);
		const char *x = c ? fw_qi(e, c) : exprs ? expr(e, it[i], 0) : NULL;
		if (!x) {
			dg_buf_release(&b);
			return NULL;
		}
		dg_buf_addf(&b, "%s%s", i ? ", " : "", x);
	}
	const char *r = dg_strndup(e->a, b.ptr ? b.ptr : "", b.len);
	dg_buf_release(&b);
	return r;
}

static const char *column_list(struct fw_emit *e, const struct dg_py_value *v)
{
	return columns(e, v, 0);
}

/* ---- SQL expressions (check constraints, index expressions, defaults) ---- */

/* The text of sa.text("...") / text(...) / literal_column(...), or NULL. */
static const char *text_call(struct fw_emit *e, const struct dg_py_value *v)
{
	v = fw_resolve(e, v);
	if (!v || v->kind != DG_PY_CALL || !v->n_items)
		return NULL;
	const char *f = dg_py_call_name(v);
	if (f && (!strcmp(f, "text") || !strcmp(f, "literal_column")))
		return fw_str(e, v->items[0]);
	return NULL;
}

/* A value SQLAlchemy would render as a bound literal: 5, 'x', NULL. */
static const char *operand(struct fw_emit *e, const struct dg_py_value *v, int depth)
{
	const char *c = fw_sql_const(e, v);
	return c ? c : expr(e, v, depth + 1);
}

struct operand_ctx {
	struct fw_emit *e;
	int depth;
};

static const char *write_operand(void *cookie, const struct dg_py_value *v)
{
	struct operand_ctx *oc = cookie;
	return operand(oc->e, v, oc->depth);
}

/*
 * A SQLAlchemy SQL expression: raw text (a string or text()), a column,
 * a comparison of those, sa.func.name(...), true() / false(). NULL when
 * the reader cannot write it.
 */
static const char *expr(struct fw_emit *e, const struct dg_py_value *v, int depth)
{
	v = fw_resolve(e, v);
	if (!v || depth > 16)
		return NULL;
	const char *t = text_call(e, v);
	if (t)
		return t;
	if (v->kind == DG_PY_STR && !v->fstring)
		return v->s;
	if (v->kind == DG_PY_UNKNOWN && v->op && v->lhs && v->rhs) {
		static const char *const cmp[] = {"<", ">", "<=", ">=", "==", "!=", "+", "-", "*", "/"};
		for (size_t i = 0; i < DG_ARRAY_SIZE(cmp); i++)
			if (!strcmp(v->op, cmp[i])) {
				const char *l = operand(e, v->lhs, depth), *r = operand(e, v->rhs, depth);
				const char *op = !strcmp(v->op, "==") ? "=" : v->op;
				if (!strcmp(v->op, "==") && r && !strcmp(r, "NULL"))
					return l ? dg_sprintf(e->a, "%s IS NULL", l) : NULL;
				if (!strcmp(v->op, "!=") && r && !strcmp(r, "NULL"))
					return l ? dg_sprintf(e->a, "%s IS NOT NULL", l) : NULL;
				return l && r ? dg_sprintf(e->a, "%s %s %s", l, op, r) : NULL;
			}
		return NULL;
	}
	if (v->kind != DG_PY_CALL)
		return NULL;
	const char *callee = fw_callee(v);
	const char *f = dg_py_call_name(v);
	if (!f)
		return NULL;
	if ((!strcmp(f, "column") || !strcmp(f, "literal_column")) && v->n_items)
		return fw_str(e, v->items[0]);
	if (!strcmp(f, "true") || !strcmp(f, "false") || !strcmp(f, "null"))
		return !strcmp(f, "null") ? "NULL" : f;
	if (!strcmp(f, "isnot") || !strcmp(f, "is_not") || !strcmp(f, "is_")) {
		/* sa.column('x').isnot(None) */
		const struct dg_py_value *obj = v->func && v->func->kind == DG_PY_ATTR ? v->func->func : NULL;
		const char *l = obj ? expr(e, obj, depth + 1) : NULL;
		return l ? dg_sprintf(e->a, "%s IS %sNULL", l, strcmp(f, "is_") ? "NOT " : "") : NULL;
	}
	if (callee && (strstr(callee, "func.") == callee || strstr(callee, ".func."))) {
		/* sa.func.now() -> now() */
		struct operand_ctx oc = {e, depth};
		return fw_sql_call(e, f, v, write_operand, &oc);
	}
	return NULL;
}

/* A server_default: a string is a literal, text() raw SQL (Alembic 1.8.1: DEFAULT 'new'). */
static const char *server_default(struct fw_emit *e, const struct dg_py_value *v)
{
	v = fw_resolve(e, v);
	if (!v || v->kind == DG_PY_NONE)
		return NULL;
	if (v->kind == DG_PY_STR && !v->fstring)
		return fw_qs(e, v->s);
	return expr(e, v, 0);
}

/* ---- columns ---- */

struct fk_ref {
	const char *name, *ref, *ondelete, *onupdate, *deferrable;
	int not_valid;
};

struct column {
	const char *name;
	const char *type;
	const char *enum_name;
	const struct dg_py_value *enum_call;
	int nullable, pk, unique, index, autoinc;
	const char *def;
	const char *computed;
	const char *identity;
	const char *check;
	struct fk_ref fks[4];
	size_t n_fks;
	const struct dg_py_value *call;
};

/* "table.column" / "schema.table.column" of sa.ForeignKey() as REFERENCES text. */
static const char *fk_target(struct fw_emit *e, const char *spec)
{
	const char *dot = strrchr(spec, '.');
	if (!dot)
		return NULL;
	const char *col = dot + 1;
	const char *tab = dg_strndup(e->a, spec, (size_t)(dot - spec));
	const char *d2 = strrchr(tab, '.');
	const char *t = d2 ? qtable(e, dg_strndup(e->a, tab, (size_t)(d2 - tab)), d2 + 1) : fw_qi(e, tab);
	return dg_sprintf(e->a, "%s (%s)", t, fw_qi(e, col));
}

static void fk_options(struct fw_emit *e, const struct dg_py_value *call, struct fk_ref *fk)
{
	memset(fk, 0, sizeof(*fk));
	fk->name = name_of(e, dg_py_kwarg(call, "name"));
	fk->ondelete = fw_str(e, dg_py_kwarg(call, "ondelete"));
	fk->onupdate = fw_str(e, dg_py_kwarg(call, "onupdate"));
	if (fw_bool(e, dg_py_kwarg(call, "deferrable"), 0)) {
		const char *init = fw_str(e, dg_py_kwarg(call, "initially"));
		fk->deferrable = init ? dg_sprintf(e->a, " DEFERRABLE INITIALLY %s", init) : " DEFERRABLE";
	}
	fk->not_valid = fw_bool(e, dg_py_kwarg(call, "postgresql_not_valid"), 0);
}

/* The tail of a FOREIGN KEY clause: ON DELETE ... DEFERRABLE ... NOT VALID. */
static const char *fk_tail(struct fw_emit *e, const struct fk_ref *fk)
{
	return dg_sprintf(e->a, "%s%s%s%s%s%s%s", fk->ondelete ? " ON DELETE " : "",
			  fk->ondelete ? fk->ondelete : "", fk->onupdate ? " ON UPDATE " : "",
			  fk->onupdate ? fk->onupdate : "", fk->deferrable ? fk->deferrable : "",
			  fk->not_valid ? " NOT VALID" : "", "");
}

/* sa.Column(name, type, *schema_items, **kw); 0 when it cannot be read (noted). */
static int read_column(struct fw_emit *e, const struct dg_py_value *v, struct column *c)
{
	memset(c, 0, sizeof(*c));
	v = fw_resolve(e, v);
	c->call = v;
	const char *f = dg_py_call_name(v);
	if (!f || strcmp(f, "Column")) {
		fw_note(e, v, "a column that is not an sa.Column(...) call is not modelled; its SQL was not checked");
		return 0;
	}
	size_t i = 0;
	c->name = fw_str(e, dg_py_arg(v, 0, "name"));
	if (c->name)
		i = 1;
	const struct dg_py_value *type = dg_py_kwarg(v, "type_");
	if (!type && i < v->n_items) {
		const struct dg_py_value *t = fw_resolve(e, v->items[i]);
		const char *tf = t && t->kind == DG_PY_CALL ? dg_py_call_name(t) : NULL;
		if (!tf || (strcmp(tf, "ForeignKey") && strcmp(tf, "Computed") && strcmp(tf, "Identity") &&
			    strcmp(tf, "Sequence") && strcmp(tf, "CheckConstraint"))) {
			type = v->items[i];
			i++;
		}
	}
	if (!c->name) {
		fw_note(e, v, "a column without a literal name is not modelled; its SQL was not checked");
		return 0;
	}
	c->type = type ? fw_sa_type(e, type, &c->enum_name, &c->enum_call) : NULL;
	if (!c->type) {
		fw_note(e, type ? type : v, "the type %s of column '%s' is not known to ddlgate; checked as TEXT",
			type ? dg_py_describe(e->a, fw_resolve(e, type)) : "(none given)", c->name);
		c->type = "TEXT";
	}
	for (; i < v->n_items; i++) {
		const struct dg_py_value *it = fw_resolve(e, v->items[i]);
		const char *k = it && it->kind == DG_PY_CALL ? dg_py_call_name(it) : NULL;
		if (!k)
			continue;
		if (!strcmp(k, "ForeignKey") && c->n_fks < DG_ARRAY_SIZE(c->fks)) {
			const char *spec = fw_str(e, dg_py_arg(it, 0, "column"));
			const char *ref = spec ? fk_target(e, spec) : NULL;
			if (!ref) {
				fw_note(e, it, "a ForeignKey whose target is not a literal 'table.column' is not modelled");
				continue;
			}
			struct fk_ref *fk = &c->fks[c->n_fks++];
			fk_options(e, it, fk);
			fk->ref = ref;
		} else if (!strcmp(k, "Computed")) {
			c->computed = expr(e, dg_py_arg(it, 0, "sqltext"), 0);
			if (!c->computed) {
				c->computed = "NULL";
				fw_note(e, it, "the expression of Computed() is not read; checked as a stored generated column");
			}
		} else if (!strcmp(k, "Identity")) {
			c->identity = fw_bool(e, dg_py_kwarg(it, "always"), 0) ? "ALWAYS" : "BY DEFAULT";
		} else if (!strcmp(k, "CheckConstraint")) {
			c->check = expr(e, dg_py_arg(it, 0, "sqltext"), 0);
		}
	}
	c->pk = fw_bool(e, dg_py_kwarg(v, "primary_key"), 0);
	c->nullable = fw_bool(e, dg_py_kwarg(v, "nullable"), !c->pk);
	c->unique = fw_bool(e, dg_py_kwarg(v, "unique"), 0);
	c->index = fw_bool(e, dg_py_kwarg(v, "index"), 0);
	const struct dg_py_value *ai = fw_resolve(e, dg_py_kwarg(v, "autoincrement"));
	c->autoinc = ai && ai->kind == DG_PY_BOOL ? (int)ai->i : -1;
	const struct dg_py_value *sd = dg_py_kwarg(v, "server_default");
	c->def = server_default(e, sd);
	if (sd && !c->def && fw_resolve(e, sd)->kind != DG_PY_NONE) {
		c->def = "NULL";
		fw_note(e, sd, "the server_default of column '%s' is not read; checked as a constant", c->name);
	}
	return 1;
}

/* "name TYPE [GENERATED ...] [DEFAULT x] [NOT NULL]" as SQLAlchemy writes a column. */
static const char *column_sql(struct fw_emit *e, const struct column *c, const char *type)
{
	struct dg_buf b = DG_BUF_INIT;
	dg_buf_addf(&b, "%s %s", fw_qi(e, c->name), type);
	if (c->def)
		dg_buf_addf(&b, " DEFAULT %s", c->def);
	if (c->computed)
		dg_buf_addf(&b, " GENERATED ALWAYS AS (%s) STORED", c->computed);
	if (c->identity)
		dg_buf_addf(&b, " GENERATED %s AS IDENTITY", c->identity);
	if (!c->nullable)
		dg_buf_adds(&b, " NOT NULL");
	if (c->check)
		dg_buf_addf(&b, " CHECK (%s)", c->check);
	const char *r = dg_strndup(e->a, b.ptr, b.len);
	dg_buf_release(&b);
	return r;
}

/* CREATE TYPE for an sa.Enum that create_table creates (Alembic 1.8.1 does; add_column does not). */
static void create_enum(struct fw_emit *e, const struct column *c)
{
	struct dg_buf b = DG_BUF_INIT;
	const struct dg_py_value *call = c->enum_call;
	for (size_t i = 0; call && i < call->n_items; i++) {
		const char *lab = fw_str(e, call->items[i]);
		if (lab)
			dg_buf_addf(&b, "%s%s", b.len ? ", " : "", fw_qs(e, lab));
	}
	fw_sql(e, "CREATE TYPE %s AS ENUM (%s)", fw_qi(e, c->enum_name), b.ptr ? b.ptr : "");
	dg_buf_release(&b);
}

/* CREATE INDEX for a column's index=True: ix_<table>_<column> (unique=True too: a UNIQUE index). */
static void column_index(struct fw_emit *e, const char *schema, const char *table,
			 const struct column *c)
{
	fw_sql(e, "CREATE %sINDEX %s ON %s (%s)", c->unique ? "UNIQUE " : "",
	       fw_qi(e, dg_sprintf(e->a, "ix_%s_%s", table, c->name)), qtable(e, schema, table),
	       fw_qi(e, c->name));
}

/* ---- operations ---- */

static const char *index_elems(struct fw_emit *e, const struct dg_py_value *v)
{
	return columns(e, v, 1);
}

/* CREATE [UNIQUE] INDEX [CONCURRENTLY] name ON t [USING m] (cols) [INCLUDE (...)] [WHERE ...]. */
static void index_sql(struct fw_emit *e, const char *name, const char *schema, const char *table,
		      const char *cols, const struct dg_py_value *call, int unique)
{
	const char *using = fw_str(e, dg_py_kwarg(call, "postgresql_using"));
	const char *include = column_list(e, dg_py_kwarg(call, "postgresql_include"));
	const struct dg_py_value *w = dg_py_kwarg(call, "postgresql_where");
	const char *where = w ? expr(e, w, 0) : NULL;
	if (w && !where) {
		where = "true";
		fw_note(e, w, "the postgresql_where of index '%s' is not read; checked as a partial index", name);
	}
	int conc = fw_bool(e, dg_py_kwarg(call, "postgresql_concurrently"), 0);
	mark(e, table, name);
	fw_sql(e, "CREATE %sINDEX %s%s ON %s%s%s (%s)%s%s%s%s", unique ? "UNIQUE " : "",
	       conc ? "CONCURRENTLY " : "", fw_qi(e, name), qtable(e, schema, table),
	       using ? " USING " : "", using ? using : "", cols, include ? " INCLUDE (" : "",
	       include ? include : "", include ? ")" : "",
	       where ? dg_sprintf(e->a, " WHERE %s", where) : "");
}

static int op_create_table(struct fw_emit *e, const struct args *a)
{
	const struct dg_py_value *call = a->call;
	const char *table = name_of(e, dg_py_arg(call, 0, "table_name"));
	const char *schema = fw_str(e, dg_py_kwarg(call, "schema"));
	if (!table)
		return 0;
	fw_group_cur(e)->table = table;
	struct column cols[256];
	size_t nc = 0;
	const struct dg_py_value *pkc = NULL;
	/* first pass: columns, their enum types, and which are the primary key */
	for (size_t i = 1; i < call->n_items; i++) {
		const struct dg_py_value *it = fw_resolve(e, call->items[i]);
		const char *k = it && it->kind == DG_PY_CALL ? dg_py_call_name(it) : NULL;
		if (k && !strcmp(k, "Column") && nc < DG_ARRAY_SIZE(cols)) {
			if (read_column(e, it, &cols[nc]))
				nc++;
		} else if (k && !strcmp(k, "PrimaryKeyConstraint")) {
			pkc = it;
		} else if (!k || (strcmp(k, "ForeignKeyConstraint") && strcmp(k, "UniqueConstraint") &&
				  strcmp(k, "CheckConstraint") && strcmp(k, "Index"))) {
			fw_note(e, it ? it : call, "%s in op.create_table() is not modelled",
				it ? dg_py_describe(e->a, it) : "an argument");
		}
	}
	if (pkc)
		for (size_t i = 0; i < pkc->n_items; i++) {
			const char *pn = fw_str(e, pkc->items[i]);
			for (size_t k = 0; pn && k < nc; k++)
				if (!strcmp(cols[k].name, pn)) {
					cols[k].pk = 1;
					if (!dg_py_kwarg(cols[k].call, "nullable"))
						cols[k].nullable = 0;
				}
		}
	size_t n_pk = 0;
	for (size_t k = 0; k < nc; k++)
		n_pk += cols[k].pk;
	for (size_t k = 0; k < nc; k++)
		if (cols[k].enum_name)
			create_enum(e, &cols[k]);
	struct dg_buf b = DG_BUF_INIT;
	dg_buf_addf(&b, "CREATE TABLE %s (\n", qtable(e, schema, table));
	for (size_t k = 0; k < nc; k++) {
		const struct column *c = &cols[k];
		const char *type = c->type;
		/* SQLAlchemy 1.4.46: the one integer primary key without FK or default is SERIAL */
		int ik = fw_sa_integer_kind(type);
		if (c->pk && n_pk == 1 && ik && !c->n_fks && !c->def && !c->identity && c->autoinc != 0)
			type = ik == 2 ? "BIGSERIAL" : ik == 3 ? "SMALLSERIAL" : "SERIAL";
		dg_buf_addf(&b, "%s    %s", k ? ",\n" : "", column_sql(e, c, type));
	}
	const char *pkname = pkc ? name_of(e, dg_py_kwarg(pkc, "name")) : NULL;
	if (n_pk) {
		dg_buf_adds(&b, ",\n    ");
		if (pkname)
			dg_buf_addf(&b, "CONSTRAINT %s ", fw_qi(e, pkname));
		dg_buf_adds(&b, "PRIMARY KEY (");
		for (size_t k = 0, w = 0; k < nc; k++)
			if (cols[k].pk)
				dg_buf_addf(&b, "%s%s", w++ ? ", " : "", fw_qi(e, cols[k].name));
		dg_buf_addch(&b, ')');
	}
	for (size_t k = 0; k < nc; k++) {
		for (size_t f = 0; f < cols[k].n_fks; f++) {
			const struct fk_ref *fk = &cols[k].fks[f];
			dg_buf_adds(&b, ",\n    ");
			if (fk->name)
				dg_buf_addf(&b, "CONSTRAINT %s ", fw_qi(e, fk->name));
			dg_buf_addf(&b, "FOREIGN KEY(%s) REFERENCES %s%s", fw_qi(e, cols[k].name), fk->ref,
				    fk_tail(e, fk));
		}
		/* unique=True alone is a table constraint; with index=True a unique index instead */
		if (cols[k].unique && !cols[k].index)
			dg_buf_addf(&b, ",\n    UNIQUE (%s)", fw_qi(e, cols[k].name));
	}
	for (size_t i = 1; i < call->n_items; i++) {
		const struct dg_py_value *it = fw_resolve(e, call->items[i]);
		const char *k = it && it->kind == DG_PY_CALL ? dg_py_call_name(it) : NULL;
		if (!k)
			continue;
		const char *cname = name_of(e, dg_py_kwarg(it, "name"));
		const char *cn = con_prefix(e, cname);
		if (!strcmp(k, "ForeignKeyConstraint")) {
			const char *local = column_list(e, dg_py_arg(it, 0, "columns"));
			size_t nr;
			struct dg_py_value *const *rv = fw_items(e, dg_py_arg(it, 1, "refcolumns"), &nr);
			const char *first = nr ? fw_str(e, rv[0]) : NULL;
			const char *dot = first ? strrchr(first, '.') : NULL;
			if (!local || !dot) {
				fw_note(e, it, "a ForeignKeyConstraint without literal columns is not modelled");
				continue;
			}
			struct dg_buf rc = DG_BUF_INIT;
			for (size_t r = 0; r < nr; r++) {
				const char *s = fw_str(e, rv[r]);
				const char *d = s ? strrchr(s, '.') : NULL;
				dg_buf_addf(&rc, "%s%s", r ? ", " : "", fw_qi(e, d ? d + 1 : s ? s : "?"));
			}
			struct fk_ref fk;
			fk_options(e, it, &fk);
			const char *rt = dg_strndup(e->a, first, (size_t)(dot - first));
			const char *d2 = strrchr(rt, '.');
			dg_buf_addf(&b, ",\n    %sFOREIGN KEY(%s) REFERENCES %s (%s)%s", cn, local,
				    d2 ? qtable(e, dg_strndup(e->a, rt, (size_t)(d2 - rt)), d2 + 1) : fw_qi(e, rt),
				    rc.ptr ? rc.ptr : "", fk_tail(e, &fk));
			dg_buf_release(&rc);
		} else if (!strcmp(k, "UniqueConstraint")) {
			struct dg_buf cl = DG_BUF_INIT;
			for (size_t c = 0; c < it->n_items; c++) {
				const char *s = fw_str(e, it->items[c]);
				if (s)
					dg_buf_addf(&cl, "%s%s", cl.len ? ", " : "", fw_qi(e, s));
			}
			dg_buf_addf(&b, ",\n    %sUNIQUE (%s)", cn, cl.ptr ? cl.ptr : "");
			dg_buf_release(&cl);
		} else if (!strcmp(k, "CheckConstraint")) {
			const char *x = expr(e, dg_py_arg(it, 0, "sqltext"), 0);
			if (!x) {
				x = "true";
				fw_note(e, it, "the condition of a CheckConstraint is not read; checked as a CHECK constraint");
			}
			dg_buf_addf(&b, ",\n    %sCHECK (%s)", cn, x);
		}
	}
	dg_buf_adds(&b, "\n)");
	fw_sql(e, "%s", b.ptr);
	dg_buf_release(&b);
	/* then the indexes: sa.Index(...) arguments and index=True columns */
	for (size_t i = 1; i < call->n_items; i++) {
		const struct dg_py_value *it = fw_resolve(e, call->items[i]);
		const char *k = it && it->kind == DG_PY_CALL ? dg_py_call_name(it) : NULL;
		if (!k || strcmp(k, "Index"))
			continue;
		const char *iname = name_of(e, dg_py_arg(it, 0, "name"));
		struct dg_buf cl = DG_BUF_INIT;
		for (size_t c = 1; c < it->n_items; c++) {
			const char *s = fw_str(e, it->items[c]);
			const char *x = s ? fw_qi(e, s) : expr(e, it->items[c], 0);
			dg_buf_addf(&cl, "%s%s", cl.len ? ", " : "", x ? x : "?");
		}
		if (iname)
			index_sql(e, iname, schema, table, cl.ptr ? cl.ptr : "", it,
				  fw_bool(e, dg_py_kwarg(it, "unique"), 0));
		dg_buf_release(&cl);
	}
	for (size_t k = 0; k < nc; k++)
		if (cols[k].index)
			column_index(e, schema, table, &cols[k]);
	fw_group_cur(e)->detail = NULL;
	return 1;
}

/* ADD COLUMN, then its foreign keys and index, as Alembic 1.8.1 emits them one by one. */
static int op_add_column(struct fw_emit *e, const struct args *a)
{
	const char *schema;
	const char *table = table_of(e, a, 0, "table_name", &schema);
	struct column c;
	if (!table || !read_column(e, arg(a, 1, 0, "column"), &c))
		return 0;
	mark(e, table, c.name);
	const char *t = qtable(e, schema, table);
	fw_sql(e, "ALTER TABLE %s ADD COLUMN %s", t, column_sql(e, &c, c.type));
	if (c.unique && !c.index)
		fw_sql(e, "ALTER TABLE %s ADD UNIQUE (%s)", t, fw_qi(e, c.name));
	for (size_t f = 0; f < c.n_fks; f++) {
		const struct fk_ref *fk = &c.fks[f];
		fw_sql(e, "ALTER TABLE %s ADD %sFOREIGN KEY(%s) REFERENCES %s%s", t,
		       con_prefix(e, fk->name),
		       fw_qi(e, c.name), fk->ref, fk_tail(e, fk));
	}
	if (c.index)
		column_index(e, schema, table, &c);
	return 1;
}

/* PostgreSQL's alter_column: TYPE first, then NULL, DEFAULT, comment, and the rename last. */
static int op_alter_column(struct fw_emit *e, const struct args *a)
{
	const char *schema, *col;
	const char *table = column_target(e, a, &schema, &col);
	if (!table)
		return 0;
	const char *t = qtable(e, schema, table), *qc = fw_qi(e, col);
	const struct dg_py_value *type = kwarg(a, "type_");
	if (type) {
		const char *ts = fw_sa_type(e, type, NULL, NULL);
		if (!ts) {
			fw_note(e, type, "the new type of column '%s' is not known to ddlgate; checked as TEXT", col);
			ts = "TEXT";
		}
		const char *using = fw_str(e, kwarg(a, "postgresql_using"));
		fw_sql(e, "ALTER TABLE %s ALTER COLUMN %s TYPE %s%s%s", t, qc, ts, using ? " USING " : "",
		       using ? using : "");
	}
	const struct dg_py_value *nl = fw_resolve(e, kwarg(a, "nullable"));
	if (nl && nl->kind != DG_PY_NONE)
		fw_sql(e, "ALTER TABLE %s ALTER COLUMN %s %s NOT NULL", t, qc, fw_bool(e, nl, 1) ? "DROP" : "SET");
	const struct dg_py_value *sd = kwarg(a, "server_default");
	const struct dg_py_value *sdr = fw_resolve(e, sd);
	if (sdr && !(sdr->kind == DG_PY_BOOL && !sdr->i)) {
		if (sdr->kind == DG_PY_NONE) {
			fw_sql(e, "ALTER TABLE %s ALTER COLUMN %s DROP DEFAULT", t, qc);
		} else {
			const char *d = server_default(e, sd);
			if (!d) {
				d = "NULL";
				fw_note(e, sd, "the server_default for column '%s' is not read; checked as a constant", col);
			}
			fw_sql(e, "ALTER TABLE %s ALTER COLUMN %s SET DEFAULT %s", t, qc, d);
		}
	}
	const struct dg_py_value *cm = fw_resolve(e, kwarg(a, "comment"));
	if (cm && !(cm->kind == DG_PY_BOOL && !cm->i)) {
		const char *s = fw_str(e, cm);
		fw_sql(e, "COMMENT ON COLUMN %s.%s IS %s", t, qc, s ? fw_qs(e, s) : "NULL");
	}
	const char *nn = fw_str(e, kwarg(a, "new_column_name"));
	if (nn)
		fw_sql(e, "ALTER TABLE %s RENAME %s TO %s", t, qc, fw_qi(e, nn));
	return 1;
}

static int op_create_index(struct fw_emit *e, const struct args *a)
{
	const char *schema;
	const char *name = name_of(e, arg(a, 0, 1, "index_name"));
	const char *table = table_of(e, a, 1, "table_name", &schema);
	const char *cols = index_elems(e, arg(a, 2, 1, "columns"));
	if (!name || !table || !cols)
		return 0;
	index_sql(e, name, schema, table, cols, a->call, fw_bool(e, kwarg(a, "unique"), 0));
	return 1;
}

static int op_drop_index(struct fw_emit *e, const struct args *a)
{
	const char *name = name_of(e, dg_py_arg(a->call, 0, "index_name"));
	const char *schema = a->batch ? a->schema : fw_str(e, kwarg(a, "schema"));
	if (!name)
		return 0;
	struct fw_group *g = fw_group_cur(e);
	g->detail = name;
	g->table = a->batch ? a->table : name_of(e, dg_py_arg(a->call, 1, "table_name"));
	fw_sql(e, "DROP INDEX %s%s", fw_bool(e, kwarg(a, "postgresql_concurrently"), 0) ? "CONCURRENTLY " : "",
	       qtable(e, schema, name));
	return 1;
}

static int op_create_foreign_key(struct fw_emit *e, const struct args *a)
{
	/* op.create_foreign_key(name, source_table, referent_table, local_cols, remote_cols);
	 * batch_op.create_foreign_key(name, referent_table, local_cols, remote_cols) */
	const char *schema;
	const char *name = name_of(e, arg(a, 0, 1, "constraint_name"));
	const char *table = table_of(e, a, 1, "source_table", &schema);
	const char *ref = name_of(e, arg(a, 2, 1, "referent_table"));
	const char *local = column_list(e, arg(a, 3, 1, "local_cols"));
	const char *remote = column_list(e, arg(a, 4, 1, "remote_cols"));
	if (!table || !ref || !local || !remote)
		return 0;
	mark(e, table, name);
	struct fk_ref fk;
	fk_options(e, a->call, &fk);
	fw_sql(e, "ALTER TABLE %s ADD %sFOREIGN KEY(%s) REFERENCES %s (%s)%s", qtable(e, schema, table),
	       con_prefix(e, name), local,
	       qtable(e, fw_str(e, kwarg(a, "referent_schema")), ref), remote, fk_tail(e, &fk));
	return 1;
}

/* create_unique_constraint / create_primary_key(name, table, columns). */
static int op_key_constraint(struct fw_emit *e, const struct args *a, const char *kind)
{
	const char *schema, *name;
	const char *table = constraint_target(e, a, &schema, &name);
	const char *cols = column_list(e, arg(a, 2, 1, "columns"));
	if (!table || !cols)
		return 0;
	fw_sql(e, "ALTER TABLE %s ADD %s%s (%s)", qtable(e, schema, table),
	       con_prefix(e, name), kind, cols);
	return 1;
}

static int op_create_check(struct fw_emit *e, const struct args *a)
{
	const char *schema, *name;
	const char *table = constraint_target(e, a, &schema, &name);
	const struct dg_py_value *cv = arg(a, 2, 1, "condition");
	if (!table)
		return 0;
	const char *cond = expr(e, cv, 0);
	if (!cond) {
		cond = "true";
		fw_note(e, cv, "the condition of check constraint '%s' is not read; checked as a CHECK constraint",
			name ? name : "?");
	}
	fw_sql(e, "ALTER TABLE %s ADD %sCHECK (%s)%s", qtable(e, schema, table),
	       con_prefix(e, name), cond,
	       fw_bool(e, kwarg(a, "postgresql_not_valid"), 0) ? " NOT VALID" : "");
	return 1;
}

static int op_create_exclude(struct fw_emit *e, const struct args *a)
{
	const char *schema, *name;
	const char *table = constraint_target(e, a, &schema, &name);
	if (!table)
		return 0;
	struct dg_buf b = DG_BUF_INIT;
	for (size_t i = a->batch ? 1 : 2; i < a->call->n_items; i++) {
		size_t n;
		struct dg_py_value *const *p = fw_items(e, a->call->items[i], &n);
		const char *c = n == 2 ? fw_str(e, p[0]) : NULL, *op = n == 2 ? fw_str(e, p[1]) : NULL;
		if (!c || !op) {
			dg_buf_release(&b);
			return 0;
		}
		dg_buf_addf(&b, "%s%s WITH %s", b.len ? ", " : "", fw_qi(e, c), op);
	}
	const char *using = fw_str(e, kwarg(a, "using"));
	fw_sql(e, "ALTER TABLE %s ADD %sEXCLUDE USING %s (%s)", qtable(e, schema, table),
	       con_prefix(e, name), using ? using : "gist",
	       b.ptr ? b.ptr : "");
	dg_buf_release(&b);
	return 1;
}

static int op_drop_constraint(struct fw_emit *e, const struct args *a)
{
	const char *schema, *name;
	const char *table = constraint_target(e, a, &schema, &name);
	if (!name || !table)
		return 0;
	fw_sql(e, "ALTER TABLE %s DROP CONSTRAINT %s", qtable(e, schema, table), fw_qi(e, name));
	return 1;
}

static int op_drop_column(struct fw_emit *e, const struct args *a)
{
	const char *schema, *col;
	const char *table = column_target(e, a, &schema, &col);
	if (!table)
		return 0;
	fw_sql(e, "ALTER TABLE %s DROP COLUMN %s", qtable(e, schema, table), fw_qi(e, col));
	return 1;
}

static int op_table_only(struct fw_emit *e, const struct args *a, const char *what)
{
	const char *table = name_of(e, dg_py_arg(a->call, 0, "table_name"));
	const char *schema = fw_str(e, kwarg(a, "schema"));
	if (!table)
		return 0;
	fw_group_cur(e)->table = table;
	if (!strcmp(what, "drop_table")) {
		fw_sql(e, "DROP TABLE %s", qtable(e, schema, table));
		return 1;
	}
	const char *to = name_of(e, dg_py_arg(a->call, 1, "new_table_name"));
	if (!to)
		return 0;
	fw_sql(e, "ALTER TABLE %s RENAME TO %s", qtable(e, schema, table), fw_qi(e, to));
	return 1;
}

/* op.bulk_insert(sa.table('t', sa.column('a'), ...), [{'a': 1}, ...]): INSERT per row. */
static int op_bulk_insert(struct fw_emit *e, const struct args *a)
{
	const struct dg_py_value *t = fw_resolve(e, dg_py_arg(a->call, 0, "table"));
	const char *table = t && t->kind == DG_PY_CALL ? fw_str(e, dg_py_arg(t, 0, "name")) : NULL;
	size_t n;
	struct dg_py_value *const *rows = fw_items(e, dg_py_arg(a->call, 1, "rows"), &n);
	if (!table || !rows) {
		fw_note(e, NULL, "op.bulk_insert() with a table or rows that are not literals is not modelled; its SQL was not checked");
		return 1;
	}
	fw_group_cur(e)->table = table;
	for (size_t r = 0; r < n; r++) {
		const struct dg_py_value *row = fw_resolve(e, rows[r]);
		if (!row || row->kind != DG_PY_DICT || !row->n_items)
			continue;
		struct dg_buf k = DG_BUF_INIT, v = DG_BUF_INIT;
		for (size_t i = 0; i + 1 < row->n_items; i += 2) {
			const char *key = fw_str(e, row->items[i]);
			const char *val = fw_sql_const(e, row->items[i + 1]);
			dg_buf_addf(&k, "%s%s", i ? ", " : "", fw_qi(e, key ? key : "?"));
			dg_buf_addf(&v, "%s%s", i ? ", " : "", val ? val : "NULL");
		}
		fw_sql(e, "INSERT INTO %s (%s) VALUES (%s)", fw_qi(e, table), k.ptr, v.ptr);
		dg_buf_release(&k);
		dg_buf_release(&v);
	}
	return 1;
}

/* SQL passed to an execute(): a literal is linted as written; anything else is opaque. */
static void execute_sql(struct fw_emit *e, const struct dg_py_value *sql, const char *how)
{
	const struct dg_py_value *v = fw_resolve(e, sql);
	if (v && v->kind == DG_PY_CALL && v->n_items) {
		const char *f = dg_py_call_name(v);
		if (f && !strcmp(f, "text"))
			v = fw_resolve(e, v->items[0]);
	}
	if (v && v->kind == DG_PY_STR && !v->fstring) {
		fw_sql_literal(e, v, 0);
		return;
	}
	fw_opaque(e, sql ? sql : fw_group_cur(e)->call,
		  "the SQL of %s is %s; ddlgate reads SQL only from string literals and never runs the migration",
		  how, fw_why_not_literal(e, sql));
}

/* Is v (a value or a local bound to it) op.get_bind() / a connection? */
static int is_connection(struct fw_emit *e, const struct dg_py_value *v)
{
	v = fw_resolve(e, v);
	if (!v)
		return 0;
	if (v->kind == DG_PY_CALL) {
		const char *c = fw_callee(v);
		return c && (!strcmp(c, "op.get_bind") || dg_str_endswith(c, ".connect"));
	}
	if (v->kind == DG_PY_ATTR)
		return !strcmp(v->s, "connection") || !strcmp(v->s, "bind");
	return 0;
}

struct walk {
	const char *batch;	  /* name bound by `with op.batch_alter_table(...) as NAME` */
	const char *table, *schema; /* its table */
	int autocommit;
	int depth;
};

static void walk_body(struct fw_emit *e, const struct dg_py_stmt *body, size_t n, struct walk *w,
		      const struct dg_fw_opts *o);

static const struct {
	const char *name;
	int (*fn)(struct fw_emit *e, const struct args *a);
} ops[] = {
    {"add_column", op_add_column},	     {"alter_column", op_alter_column},
    {"create_index", op_create_index},	     {"drop_index", op_drop_index},
    {"create_foreign_key", op_create_foreign_key}, {"create_check_constraint", op_create_check},
    {"create_exclude_constraint", op_create_exclude}, {"drop_constraint", op_drop_constraint},
    {"drop_column", op_drop_column},	     {"create_table", op_create_table},
    {"bulk_insert", op_bulk_insert},
};

/* One call statement of upgrade(). */
static void do_call(struct fw_emit *e, const struct dg_py_value *call, struct walk *w,
		    const struct dg_fw_opts *o)
{
	const char *callee = fw_callee(call);
	const char *f = dg_py_call_name(call);
	if (!f)
		return;
	/* execute() of op, of op.get_bind(), of a connection: literal SQL is linted */
	if (!strcmp(f, "execute") || !strcmp(f, "exec_driver_sql")) {
		const struct dg_py_value *obj = call->func->kind == DG_PY_ATTR ? call->func->func : NULL;
		const char *how = callee && !strcmp(callee, "op.execute") ? "op.execute()" : "execute()";
		if (callee && !strcmp(callee, "op.execute")) {
			fw_group_begin(e, "op.execute", call);
		} else if (obj ? is_connection(e, obj) : callee && strchr(callee, '.')) {
			fw_group_begin(e, "execute", call);
		} else {
			return;
		}
		fw_group_cur(e)->autocommit = w->autocommit;
		execute_sql(e, dg_py_arg(call, 0, "sqltext"), how);
		return;
	}
	int on_op = callee && !strncmp(callee, "op.", 3) && !strchr(callee + 3, '.');
	int on_batch = w->batch && callee && !strncmp(callee, w->batch, strlen(w->batch)) &&
		       callee[strlen(w->batch)] == '.' && !strchr(callee + strlen(w->batch) + 1, '.');
	if (on_op || on_batch) {
		struct args a = {call, w->table, w->schema, on_batch};
		const char *shown = dg_sprintf(e->a, "%s.%s", on_batch ? w->batch : "op", f);
		fw_group_begin(e, shown, call);
		fw_group_cur(e)->autocommit = w->autocommit;
		for (size_t i = 0; i < DG_ARRAY_SIZE(ops); i++)
			if (!strcmp(ops[i].name, f)) {
				if (!ops[i].fn(e, &a))
					fw_note(e, call, "%s() with arguments that are not literals is not modelled; its SQL was not checked", shown);
				return;
			}
		int ok = 1;
		if (!strcmp(f, "create_unique_constraint"))
			ok = op_key_constraint(e, &a, "UNIQUE");
		else if (!strcmp(f, "create_primary_key"))
			ok = op_key_constraint(e, &a, "PRIMARY KEY");
		else if (!on_batch && (!strcmp(f, "drop_table") || !strcmp(f, "rename_table")))
			ok = op_table_only(e, &a, f);
		else if (!strcmp(f, "f") || !strcmp(f, "get_bind") || !strcmp(f, "get_context") ||
			 !strcmp(f, "inline_literal") || !strcmp(f, "implementation_for"))
			return; /* no SQL */
		else
			fw_note(e, call, "%s() is not modelled; its SQL was not checked", shown);
		if (!ok)
			fw_note(e, call, "%s() with arguments that are not literals is not modelled; its SQL was not checked", shown);
		return;
	}
	/* a helper function of this file called without arguments: its body is followed */
	if (callee && !strchr(callee, '.')) {
		const struct dg_py_func *fn = dg_py_module_func(e->mod, callee);
		if (fn && !call->n_items && !call->n_kw && w->depth < 4 && strcmp(callee, "upgrade") &&
		    strcmp(callee, "downgrade")) {
			w->depth++;
			walk_body(e, fn->body, fn->n_body, w, o);
			w->depth--;
		} else if (fn || dg_py_is_imported(e->mod, callee)) {
			fw_note(e, call, "the call to %s() is not followed; the SQL it runs was not checked", callee);
		}
	}
}

/* Does a block run any call (so that not following it may hide SQL)? */
static int has_calls(const struct dg_py_stmt *body, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct dg_py_stmt *s = &body[i];
		if ((s->kind == DG_PY_STMT_EXPR || s->kind == DG_PY_STMT_ASSIGN) && s->value &&
		    s->value->kind == DG_PY_CALL)
			return 1;
		if (has_calls(s->body, s->n_body))
			return 1;
	}
	return 0;
}

static void do_with(struct fw_emit *e, const struct dg_py_stmt *s, struct walk *w,
		    const struct dg_fw_opts *o)
{
	const struct dg_py_value *cm = s->value;
	const char *f = dg_py_call_name(cm);
	if (f && !strcmp(f, "autocommit_block")) {
		/* Alembic 1.8.1 offline: COMMIT before the block, BEGIN after it */
		fw_group_begin(e, "autocommit_block", cm);
		int tx = o->tx != DG_TX_NO;
		if (tx)
			fw_sql(e, "COMMIT");
		int was = w->autocommit;
		w->autocommit = 1;
		walk_body(e, s->body, s->n_body, w, o);
		w->autocommit = was;
		fw_group_begin(e, "autocommit_block", cm);
		if (tx)
			fw_sql(e, "BEGIN");
		return;
	}
	if (f && !strcmp(f, "batch_alter_table")) {
		/* on PostgreSQL batch mode is plain ALTER TABLE (recreate="auto") */
		struct walk inner = *w;
		inner.table = name_of(e, dg_py_arg(cm, 0, "table_name"));
		inner.schema = fw_str(e, dg_py_kwarg(cm, "schema"));
		inner.batch = s->name;
		const char *rec = fw_str(e, dg_py_kwarg(cm, "recreate"));
		if (rec && !strcmp(rec, "always")) {
			fw_note(e, cm, "batch_alter_table(recreate=\"always\") copies the table; not modelled, its SQL was not checked");
			return;
		}
		if (!inner.table || !inner.batch) {
			fw_note(e, cm, "batch_alter_table() without a literal table name and `as` target is not modelled; its SQL was not checked");
			return;
		}
		walk_body(e, s->body, s->n_body, &inner, o);
		return;
	}
	if (has_calls(s->body, s->n_body))
		fw_note_line(e, s->line, "`with %s:` is not modelled; the statements inside were checked as if it did nothing",
			     dg_py_describe(e->a, cm));
	walk_body(e, s->body, s->n_body, w, o);
}

/*
 * `if <...>.dialect.name == 'postgresql':` (or !=): 1 when the block runs
 * on PostgreSQL, 0 when it does not, -1 when the condition says nothing.
 */
static int on_postgresql(struct fw_emit *e, const struct dg_py_stmt *s)
{
	const struct dg_py_value *c = s->value;
	if (!c || !c->op || strcmp(s->keyword, "if") || (strcmp(c->op, "==") && strcmp(c->op, "!=")))
		return -1;
	const struct dg_py_value *name = fw_str(e, c->rhs) ? c->lhs : c->rhs;
	const char *lit = fw_str(e, c->rhs) ? fw_str(e, c->rhs) : fw_str(e, c->lhs);
	if (!lit || !name || (name->kind != DG_PY_ATTR && name->kind != DG_PY_NAME) ||
	    !dg_str_endswith(name->s, "name"))
		return -1;
	int is_pg = !strcmp(lit, "postgresql");
	return !strcmp(c->op, "==") ? is_pg : !is_pg;
}

static void walk_body(struct fw_emit *e, const struct dg_py_stmt *body, size_t n, struct walk *w,
		      const struct dg_fw_opts *o)
{
	int prev_pg = -1; /* what the last `if` on the dialect decided, for its else */
	for (size_t i = 0; i < n; i++) {
		const struct dg_py_stmt *s = &body[i];
		if (s->kind != DG_PY_STMT_BLOCK)
			prev_pg = -1;
		switch (s->kind) {
		case DG_PY_STMT_EXPR:
			if (s->value->kind == DG_PY_CALL)
				do_call(e, s->value, w, o);
			break;
		case DG_PY_STMT_ASSIGN: {
			struct fw_local l = {s->name, s->value};
			if (s->value->kind == DG_PY_CALL)
				do_call(e, s->value, w, o);
			DG_PUSH(e->locals, e->n_locals, e->cap_locals, l);
			break;
		}
		case DG_PY_STMT_WITH:
			do_with(e, s, w, o);
			break;
		case DG_PY_STMT_BLOCK: {
			int pg = on_postgresql(e, s);
			if (prev_pg >= 0 && (!strcmp(s->keyword, "else") || !strcmp(s->keyword, "elif")))
				pg = !strcmp(s->keyword, "else") && !prev_pg ? 1 : prev_pg ? 0 : -1;
			prev_pg = !strcmp(s->keyword, "if") ? pg : prev_pg;
			if (pg == 1) {
				walk_body(e, s->body, s->n_body, w, o);
				break;
			}
			if (pg == 0)
				break;
			if (has_calls(s->body, s->n_body) && strcmp(s->keyword, "def") && strcmp(s->keyword, "class"))
				fw_note_line(e, s->line, "the statements inside `%s` are not followed; their SQL was not checked",
					     s->keyword);
			break;
		}
		case DG_PY_STMT_OTHER:
			if (s->error)
				fw_note_line(e, s->line, "a statement ddlgate cannot read (%s); its SQL was not checked",
					     s->error);
			break;
		}
	}
}

int fw_alembic(struct fw_emit *e, const struct dg_fw_opts *o)
{
	const struct dg_py_func *up = dg_py_module_func(e->mod, "upgrade");
	if (!up)
		return 0; /* nothing runs (Alembic itself would fail on it): nothing to check */
	/* PostgreSQL has transactional DDL: Alembic runs upgrade() in a transaction (whole run or
	 * transaction_per_migration; a file's SQL is inside one either way) */
	int tx = o->tx != DG_TX_NO;
	e->atomic = tx;
	if (tx)
		fw_sql_at(e, up->offset, "BEGIN");
	struct walk w = {NULL, NULL, NULL, 0, 0};
	walk_body(e, up->body, up->n_body, &w, o);
	e->group = -1;
	if (tx)
		fw_sql_at(e, up->offset, "COMMIT");
	return 0;
}
