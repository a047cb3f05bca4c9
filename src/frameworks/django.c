/*
 * Django migrations: the operations of the Migration class turned into
 * the SQL Django's postgresql schema editor runs, against a project state
 * carried from migration to migration (the models so far, and the names
 * of the constraints and indexes Django created for them: what its
 * introspection would find). Checked against Django 3.2.25 (Debian 12):
 * sqlmigrate on PostgreSQL 15 for each mapping, including the order of the
 * deferred statements (FK constraints and indexes run at the end of the
 * migration) and BEGIN / COMMIT around atomic migrations.
 */
#include <ctype.h>
#include <stdarg.h>
#include <string.h>

#include "frameworks/django_int.h"

struct dg_fw_state *dg_fw_state_new(struct dg_arena *a)
{
	struct dg_fw_state *st = dg_alloc(a, sizeof(*st));
	st->a = a;
	return st;
}

/* One Django operation being translated. */
struct op {
	struct fw_emit *e;
	struct dg_fw_state *st;
	const char *app;
	const struct dg_py_value *call;
	const char *name; /* "AddField" */
};

static void emit(struct op *o, const char *fmt, ...) DG_PRINTF(2, 3);
static void emit(struct op *o, const char *fmt, ...)
{
	if (o->st->quiet)
		return;
	va_list ap;
	va_start(ap, fmt);
	fw_vsql(o->e, fmt, ap);
	va_end(ap);
}

static const char *q(struct op *o, const char *name)
{
	return fw_qi(o->e, name);
}

static const struct dg_py_value *arg(struct op *o, size_t i, const char *kw)
{
	return dg_py_arg(o->call, i, kw);
}

static char *lower(struct dg_arena *a, const char *s)
{
	char *r = dg_strdup(a, s ? s : "");
	for (char *p = r; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return r;
}

/* The model an operation names (model_name= / name=), in the operation's app. */
static struct dj_model *add_model(struct op *o, const char *name);

/*
 * The model an operation names (model_name= / name=), in the operation's
 * app. One the migrations read so far never created (a partial history)
 * is assumed to have Django's default table, and said so.
 */
static struct dj_model *model_of(struct op *o, const struct dg_py_value *v)
{
	const char *n = fw_str(o->e, v);
	if (!n)
		return NULL;
	struct dj_model *m = dj_model_find(o->st, dg_sprintf(o->e->a, "%s.%s", o->app, lower(o->e->a, n)));
	struct fw_group *g = fw_group_cur(o->e);
	g->model = n;
	if (!m) {
		m = add_model(o, n);
		if (!o->st->quiet)
			fw_note(o->e, o->call, "model '%s' is not created by the migrations before this one; "
				"assumed its table is \"%s\" with fields unknown", n, m->db_table);
	}
	g->table = m->db_table;
	return m;
}

static const char *model_key(struct op *o, const struct dj_model *m)
{
	return dg_sprintf(o->e->a, "%s.%s", m->app, m->name);
}

/*
 * The model of an operation by its argument (position 0 or keyword kw);
 * NULL, with a note, when the name is not a literal.
 */
static struct dj_model *op_model(struct op *o, const char *kw)
{
	struct dj_model *m = model_of(o, arg(o, 0, kw));
	if (!m)
		fw_note(o->e, o->call, "migrations.%s without a literal model name is not modelled; its SQL was not checked",
			o->name);
	return m;
}

/* Does the model have a table of its own (not managed=False, not a proxy)? */
static int live(const struct dj_model *m)
{
	return m->managed && !m->proxy;
}

/* ---- column SQL ---- */

/* The type with its collation. */
static const char *type_sql(struct op *o, const struct dj_field *f)
{
	if (f->collation)
		return dg_sprintf(o->e->a, "%s COLLATE %s", f->type, q(o, f->collation));
	return f->type;
}

/* column_sql(): type [DEFAULT x] NULL|NOT NULL [PRIMARY KEY|UNIQUE] [CHECK (...)] */
static const char *column_def(struct op *o, const struct dj_field *f, int include_default)
{
	struct dg_buf b = DG_BUF_INIT;
	dg_buf_adds(&b, type_sql(o, f));
	if (f->db_default)
		dg_buf_addf(&b, " DEFAULT %s", f->db_default);
	else if (include_default && f->default_sql)
		dg_buf_addf(&b, " DEFAULT %s", f->default_sql);
	dg_buf_adds(&b, f->null ? " NULL" : " NOT NULL");
	if (f->pk)
		dg_buf_adds(&b, " PRIMARY KEY");
	else if (f->unique)
		dg_buf_adds(&b, " UNIQUE");
	if (f->check)
		dg_buf_addf(&b, " CHECK (%s %s)", q(o, f->column), f->check);
	const char *r = dg_strndup(o->e->a, b.ptr, b.len);
	dg_buf_release(&b);
	return r;
}

static int is_text_type(const char *type)
{
	return type && (!strncmp(type, "varchar", 7) || !strncmp(type, "text", 4)) && !strchr(type, '[');
}

/* The names Django gives to what it creates for a field. */
static const char *fk_name(struct op *o, const char *table, const struct dj_field *f,
			   const char *to_table, const char *to_col)
{
	const char *cols[1] = {f->column};
	return dj_index_name(o->e, table, cols, 1, dg_sprintf(o->e->a, "_fk_%s_%s", to_table, to_col));
}

static const char *col_index_name(struct op *o, const char *table, const char *col,
				  const char *suffix)
{
	const char *cols[1] = {col};
	return dj_index_name(o->e, table, cols, 1, suffix);
}

/* The table and key column an FK field points at. */
static int fk_target(struct op *o, const struct dj_field *f, const char **table, const char **col)
{
	struct dj_model *tm = dj_model_find(o->st, f->to);
	struct dj_field *tk = f->to_field ? dj_field_find(tm, f->to_field) : dj_pk(tm);
	if (tm) {
		*table = tm->db_table;
		*col = tk && tk->column ? tk->column : "id";
		return 1;
	}
	/* a model outside the repository (django.contrib's, a package's): its default table */
	const char *dot = f->to ? strchr(f->to, '.') : NULL;
	if (!dot)
		return 0;
	*table = dg_sprintf(o->e->a, "%.*s_%s", (int)(dot - f->to), f->to, dot + 1);
	*col = f->to_field ? f->to_field : "id";
	return 1;
}

/* ---- deferred SQL (run at the end of the migration) ---- */

static struct dj_deferred *defer(struct op *o, enum dj_def_kind kind, const char *table,
				 const char *name)
{
	struct dj_deferred d;
	memset(&d, 0, sizeof(d));
	d.kind = kind;
	d.group = o->e->group;
	d.table = table;
	d.name = name;
	APUSH(o->st->a, o->st->def, o->st->n_def, o->st->cap_def, d);
	return &o->st->def[o->st->n_def - 1];
}

static void defer_cols(struct op *o, struct dj_deferred *d, const char *col, const char *suffix)
{
	d->cols = dg_alloc(o->st->a, 2 * sizeof(*d->cols));
	d->suffixes = dg_alloc(o->st->a, 2 * sizeof(*d->suffixes));
	d->cols[0] = col;
	d->suffixes[0] = suffix;
	d->n = 1;
}

/* The index statements of a field (db_index, and the _like one PostgreSQL gets for text). */
static struct dj_deferred *defer_late(struct op *o, enum dj_def_kind kind, const char *table,
				      const char *suffix, enum dj_slot slot)
{
	struct dj_deferred *d = defer(o, kind, table, NULL);
	d->suffix = suffix;
	d->slot = slot;
	return d;
}

/*
 * The index statements of a field (db_index, and the _like one PostgreSQL
 * gets for text). Deferred ones do not exist (for later operations of the
 * migration) until the end of the migration: their names come then.
 */
static void field_indexes(struct op *o, const char *table, struct dj_field *f, int deferred)
{
	if (!f->column)
		return;
	const char *ops = f->type && !strncmp(f->type, "varchar", 7) ? " varchar_pattern_ops" : " text_pattern_ops";
	int like = (f->db_index || f->unique) && is_text_type(f->type);
	if (deferred) {
		if (f->db_index && !f->unique)
			defer_cols(o, defer_late(o, DJ_DEF_INDEX, table, "", DJ_SLOT_IDX), f->column, NULL);
		if (like)
			defer_cols(o, defer_late(o, DJ_DEF_INDEX, table, "_like", DJ_SLOT_LIKE), f->column, ops);
		return;
	}
	if (f->db_index && !f->unique) {
		f->idx_name = col_index_name(o, table, f->column, "");
		emit(o, "CREATE INDEX %s ON %s (%s)", q(o, f->idx_name), q(o, table), q(o, f->column));
	}
	if (like) {
		f->like_name = col_index_name(o, table, f->column, "_like");
		emit(o, "CREATE INDEX %s ON %s (%s%s)", q(o, f->like_name), q(o, table), q(o, f->column), ops);
	}
}

static void field_fk(struct op *o, const char *table, struct dj_field *f, int deferred)
{
	const char *tt, *tc;
	if ((f->rel != DJ_REL_FK && f->rel != DJ_REL_O2O) || !f->db_constraint || !fk_target(o, f, &tt, &tc))
		return;
	if (deferred) {
		struct dj_deferred *d = defer_late(o, DJ_DEF_FK, table, NULL, DJ_SLOT_FK);
		defer_cols(o, d, f->column, NULL);
		d->to_table = tt;
		d->to_col = tc;
	} else {
		f->fk_name = fk_name(o, table, f, tt, tc);
		emit(o, "ALTER TABLE %s ADD CONSTRAINT %s FOREIGN KEY (%s) REFERENCES %s (%s) DEFERRABLE INITIALLY DEFERRED",
		     q(o, table), q(o, f->fk_name), q(o, f->column), q(o, tt), q(o, tc));
	}
}

/* A deferred object exists now: the state learns its name, as introspection would find it. */
static void record_name(struct fw_emit *e, struct dg_fw_state *st, const struct dj_deferred *d)
{
	for (size_t i = 0; i < st->n_models; i++) {
		struct dj_model *m = &st->models[i];
		if (strcmp(m->db_table, d->table))
			continue;
		if (d->slot == DJ_SLOT_UT || d->slot == DJ_SLOT_IT) {
			struct dj_fieldset *sets = d->slot == DJ_SLOT_UT ? m->ut : m->it;
			size_t n = d->slot == DJ_SLOT_UT ? m->n_ut : m->n_it;
			for (size_t k = 0; k < n; k++) {
				int same = sets[k].n == d->n;
				for (size_t c = 0; same && c < d->n; c++) {
					struct dj_field *f = dj_field_find(m, sets[k].fields[c]);
					same = f && f->column && !strcmp(f->column, d->cols[c]);
				}
				if (same)
					sets[k].name = d->name;
			}
			continue;
		}
		for (size_t k = 0; k < m->n_fields; k++) {
			struct dj_field *f = &m->fields[k];
			if (!f->column || strcmp(f->column, d->cols[0]))
				continue;
			if (d->slot == DJ_SLOT_FK)
				f->fk_name = d->name;
			else if (d->slot == DJ_SLOT_IDX)
				f->idx_name = d->name;
			else if (d->slot == DJ_SLOT_LIKE)
				f->like_name = d->name;
		}
	}
	(void)e;
}

static void flush_deferred(struct fw_emit *e, struct dg_fw_state *st)
{
	for (size_t i = 0; i < st->n_def; i++) {
		struct dj_deferred *d = &st->def[i];
		if (d->dropped)
			continue;
		e->group = d->group;
		if (!d->name) {
			/* named now, with the table as it is now (Django's IndexName is lazy) */
			const char *suffix = d->kind == DJ_DEF_FK
						 ? dg_sprintf(e->a, "_fk_%s_%s", d->to_table, d->to_col)
						 : d->suffix;
			d->name = dj_index_name(e, d->table, d->cols, d->n, suffix ? suffix : "");
		}
		if (d->slot)
			record_name(e, st, d);
		struct dg_buf cols = DG_BUF_INIT;
		for (size_t k = 0; k < d->n; k++)
			dg_buf_addf(&cols, "%s%s%s", k ? ", " : "", d->rendered ? d->cols[k] : fw_qi(e, d->cols[k]),
				    d->suffixes && d->suffixes[k] ? d->suffixes[k] : "");
		const char *c = cols.ptr ? cols.ptr : "";
		if (d->kind == DJ_DEF_FK)
			fw_sql(e, "ALTER TABLE %s ADD CONSTRAINT %s FOREIGN KEY (%s) REFERENCES %s (%s) DEFERRABLE INITIALLY DEFERRED",
			       fw_qi(e, d->table), fw_qi(e, d->name), c, fw_qi(e, d->to_table), fw_qi(e, d->to_col));
		else if (d->kind == DJ_DEF_UNIQUE)
			fw_sql(e, "ALTER TABLE %s ADD CONSTRAINT %s UNIQUE (%s)", fw_qi(e, d->table),
			       fw_qi(e, d->name), c);
		else
			fw_sql(e, "CREATE %sINDEX %s ON %s%s (%s)%s%s%s%s", d->unique ? "UNIQUE " : "",
			       fw_qi(e, d->name), fw_qi(e, d->table), d->using ? d->using : "", c,
			       d->include ? " INCLUDE (" : "", d->include ? d->include : "",
			       d->include ? ")" : "", d->where ? dg_sprintf(e->a, " WHERE %s", d->where) : "");
		dg_buf_release(&cols);
	}
	st->n_def = 0;
}

/* Deferred statements on a dropped table (or column) are dropped with it, as Django does. */
static void drop_deferred(struct dg_fw_state *st, const char *table, const char *column)
{
	for (size_t i = 0; i < st->n_def; i++) {
		struct dj_deferred *d = &st->def[i];
		int hit = 0;
		if (!column) {
			hit = !strcmp(d->table, table) || (d->to_table && !strcmp(d->to_table, table));
		} else {
			for (size_t k = 0; k < d->n && !hit; k++)
				hit = !strcmp(d->table, table) && !strcmp(d->cols[k], column);
			hit |= d->to_table && !strcmp(d->to_table, table) && !strcmp(d->to_col, column);
		}
		if (hit)
			d->dropped = 1;
	}
}

static void rename_deferred(struct dg_fw_state *st, const char *table, const char *from,
			    const char *to, int column)
{
	for (size_t i = 0; i < st->n_def; i++) {
		struct dj_deferred *d = &st->def[i];
		if (!column) {
			if (!strcmp(d->table, from))
				d->table = to;
			if (d->to_table && !strcmp(d->to_table, from))
				d->to_table = to;
			continue;
		}
		for (size_t k = 0; k < d->n; k++)
			if (!strcmp(d->table, table) && !strcmp(d->cols[k], from))
				d->cols[k] = to;
		if (d->to_table && !strcmp(d->to_table, table) && !strcmp(d->to_col, from))
			d->to_col = to;
	}
}

/* ---- reading the pieces of operations ---- */

/* A field of an operation: its call read, name and column set, target resolved. */
static void read_field(struct op *o, struct dj_model *m, const char *name,
		       const struct dg_py_value *call, struct dj_field *f)
{
	dj_field_read(o->e, o->st, o->app, call, f);
	f->name = name;
	if (f->rel) {
		const char *self = m ? model_key(o, m) : NULL;
		f->to = dj_model_key(o->e, o->st, o->app, self, dg_py_arg(f->call, 0, "to"));
		if (!f->to)
			fw_note(o->e, f->call, "the target of field '%s' is not a literal model name; its constraint was not checked",
				name);
	}
	if (!f->column && f->rel != DJ_REL_M2M)
		f->column = f->rel ? dg_sprintf(o->e->a, "%s_id", name) : name;
	if (f->known != 1 && f->known != 2 && !o->st->quiet)
		fw_note(o->e, f->call, "the field class %s is not known to ddlgate; its column '%s' was checked as %s",
			f->cls, f->column ? f->column : name, f->type ? f->type : "text");
	dj_field_finish(o->e, o->st, f);
}

/* unique_together / index_together: a set of tuples, or one tuple of names. */
static size_t read_together(struct op *o, const struct dg_py_value *v, struct dj_fieldset **out)
{
	size_t n;
	struct dg_py_value *const *it = fw_items(o->e, v, &n);
	*out = NULL;
	if (!it || !n)
		return 0;
	int flat = fw_str(o->e, it[0]) != NULL; /* ('a', 'b'): normalize_together() */
	size_t count = flat ? 1 : n;
	struct dj_fieldset *sets = dg_alloc(o->e->a, count * sizeof(*sets));
	for (size_t i = 0; i < count; i++) {
		size_t k;
		struct dg_py_value *const *names = flat ? it : fw_items(o->e, it[i], &k);
		if (flat)
			k = n;
		sets[i].fields = dg_alloc(o->e->a, (k + 1) * sizeof(*sets[i].fields));
		for (size_t j = 0; names && j < k; j++) {
			const char *s = fw_str(o->e, names[j]);
			if (s)
				sets[i].fields[sets[i].n++] = s;
		}
	}
	*out = sets;
	return count;
}

static int same_fieldset(const struct dj_fieldset *a, const struct dj_fieldset *b)
{
	if (a->n != b->n)
		return 0;
	for (size_t i = 0; i < a->n; i++)
		if (strcmp(a->fields[i], b->fields[i]))
			return 0;
	return 1;
}

static const char **set_columns(struct op *o, struct dj_model *m, const struct dj_fieldset *s)
{
	const char **cols = dg_alloc(o->e->a, (s->n + 1) * sizeof(*cols));
	for (size_t i = 0; i < s->n; i++) {
		struct dj_field *f = dj_field_find(m, s->fields[i]);
		cols[i] = f && f->column ? f->column : s->fields[i];
	}
	return cols;
}

static const char *quoted_list(struct op *o, const char *const *cols, size_t n)
{
	struct dg_buf b = DG_BUF_INIT;
	for (size_t i = 0; i < n; i++)
		dg_buf_addf(&b, "%s%s", i ? ", " : "", q(o, cols[i]));
	const char *r = dg_strndup(o->e->a, b.ptr ? b.ptr : "", b.len);
	dg_buf_release(&b);
	return r;
}

/* An index or constraint object (a call): its class, and its name= in *name. */
static const char *named_object(struct fw_emit *e, const struct dg_py_value **v, const char **name)
{
	*v = fw_resolve(e, *v);
	const char *cls = dg_py_call_name(*v);
	*name = cls ? fw_str(e, dg_py_kwarg(*v, "name")) : NULL;
	return cls;
}

/* models.Index / GinIndex(...) / a UniqueConstraint's index: read into ix. */
static int read_index(struct op *o, struct dj_model *m, const struct dg_py_value *v,
		      struct dj_index *ix)
{
	struct fw_emit *e = o->e;
	memset(ix, 0, sizeof(*ix));
	const char *cls = named_object(e, &v, &ix->name);
	if (!cls)
		return 0;
	static const struct {
		const char *cls, *using;
	} pg[] = {{"GinIndex", "gin"},	 {"GistIndex", "gist"},	    {"BrinIndex", "brin"},
		  {"HashIndex", "hash"}, {"SpGistIndex", "spgist"}, {"BloomIndex", "bloom"},
		  {"BTreeIndex", "btree"}};
	for (size_t i = 0; i < DG_ARRAY_SIZE(pg); i++)
		if (!strcmp(cls, pg[i].cls))
			ix->using = dg_sprintf(e->a, " USING %s", pg[i].using);
	size_t n;
	struct dg_py_value *const *fields = fw_items(e, dg_py_kwarg(v, "fields"), &n);
	struct dg_py_value *const *ops = NULL;
	size_t n_ops = 0;
	ops = fw_items(e, dg_py_kwarg(v, "opclasses"), &n_ops);
	if (fields) {
		ix->cols = dg_alloc(e->a, (n + 1) * sizeof(*ix->cols));
		ix->columns = dg_alloc(e->a, (n + 1) * sizeof(*ix->columns));
		for (size_t i = 0; i < n; i++) {
			const char *fn = fw_str(e, fields[i]);
			if (!fn)
				return 0;
			int desc = fn[0] == '-';
			struct dj_field *f = dj_field_find(m, desc ? fn + 1 : fn);
			const char *col = f && f->column ? f->column : desc ? fn + 1 : fn;
			const char *op = i < n_ops ? fw_str(e, ops[i]) : NULL;
			ix->columns[i] = col;
			ix->cols[i] = dg_sprintf(e->a, "%s%s%s%s", q(o, col), op ? " " : "", op ? op : "",
						 desc ? " DESC" : "");
		}
		ix->n = n;
	} else {
		/* Index(expressions..., name=...) (Django 3.2) */
		ix->cols = dg_alloc(e->a, (v->n_items + 1) * sizeof(*ix->cols));
		ix->columns = dg_alloc(e->a, (v->n_items + 1) * sizeof(*ix->columns));
		for (size_t i = 0; i < v->n_items; i++) {
			const char *x = dj_expr_sql(e, m, v->items[i]);
			if (!x) {
				x = "(1)";
				fw_note(e, v->items[i], "an index expression ddlgate cannot read: checked as an expression index");
			}
			ix->cols[i] = dg_sprintf(e->a, "(%s)", x);
		}
		ix->n = v->n_items;
	}
	const struct dg_py_value *cond = dg_py_kwarg(v, "condition");
	if (cond) {
		ix->where = dj_q_sql(e, m, cond);
		if (!ix->where) {
			ix->where = "true";
			fw_note(e, cond, "the condition of index '%s' is not read; checked as a partial index",
				ix->name ? ix->name : "?");
		}
	}
	size_t ni;
	struct dg_py_value *const *inc = fw_items(e, dg_py_kwarg(v, "include"), &ni);
	if (inc && ni) {
		const char **ic = dg_alloc(e->a, ni * sizeof(*ic));
		for (size_t i = 0; i < ni; i++) {
			struct dj_field *f = dj_field_find(m, fw_str(e, inc[i]));
			ic[i] = f && f->column ? f->column : fw_str(e, inc[i]) ? fw_str(e, inc[i]) : "?";
		}
		ix->include = quoted_list(o, ic, ni);
	}
	return ix->name != NULL && ix->n;
}

static const char *index_sql(struct op *o, const char *table, const struct dj_index *ix)
{
	struct fw_emit *e = o->e;
	return dg_sprintf(e->a, "CREATE %sINDEX %s%s ON %s%s (%s)%s%s%s%s", ix->unique ? "UNIQUE " : "",
			  ix->concurrently ? "CONCURRENTLY " : "", q(o, ix->name), q(o, table),
			  ix->using ? ix->using : "", dg_join(e->a, ix->cols, ix->n, ", "),
			  ix->include ? " INCLUDE (" : "", ix->include ? ix->include : "",
			  ix->include ? ")" : "", ix->where ? dg_sprintf(e->a, " WHERE %s", ix->where) : "");
}

/* CheckConstraint / UniqueConstraint / ExclusionConstraint: read into c. */
static int read_constraint(struct op *o, struct dj_model *m, const struct dg_py_value *v,
			   struct dj_constraint *c)
{
	struct fw_emit *e = o->e;
	memset(c, 0, sizeof(*c));
	const char *cls = named_object(e, &v, &c->name);
	if (!cls || !c->name)
		return 0;
	if (!strcmp(cls, "CheckConstraint")) {
		c->kind = DJ_CHECK;
		const char *x = dj_q_sql(e, m, dg_py_kwarg(v, "check"));
		if (!x) {
			x = "true";
			fw_note(e, v, "the condition of check constraint '%s' is not read; checked as a CHECK constraint", c->name);
		}
		c->sql = dg_sprintf(e->a, "CHECK (%s)", x);
		return 1;
	}
	if (!strcmp(cls, "UniqueConstraint")) {
		c->kind = DJ_UNIQUE;
		struct dg_py_value *fake = dg_alloc(e->a, sizeof(*fake));
		*fake = *v; /* read like an Index: fields, condition, include, opclasses */
		if (!read_index(o, m, fake, &c->idx))
			return 0;
		c->idx.unique = 1;
		c->as_index = c->idx.where || c->idx.include || dg_py_kwarg(v, "opclasses");
		const char *defer = fw_str(e, dg_py_kwarg(v, "deferrable"));
		const struct dg_py_value *dv = fw_resolve(e, dg_py_kwarg(v, "deferrable"));
		if (!defer && dv && dv->kind == DG_PY_NAME) /* models.Deferrable.DEFERRED */
			defer = dg_str_endswith(dv->s, "IMMEDIATE") ? "IMMEDIATE" : "DEFERRED";
		c->sql = dg_sprintf(e->a, "UNIQUE (%s)%s%s", dg_join(e->a, c->idx.cols, c->idx.n, ", "),
				    defer ? " DEFERRABLE INITIALLY " : "", defer ? defer : "");
		return 1;
	}
	if (!strcmp(cls, "ExclusionConstraint")) {
		c->kind = DJ_EXCLUDE;
		size_t n;
		struct dg_py_value *const *ex = fw_items(e, dg_py_kwarg(v, "expressions"), &n);
		struct dg_buf b = DG_BUF_INIT;
		for (size_t i = 0; ex && i < n; i++) {
			size_t k;
			struct dg_py_value *const *pair = fw_items(e, ex[i], &k);
			const char *x = k == 2 ? dj_expr_sql(e, m, pair[0]) : NULL;
			const char *op = k == 2 ? fw_str(e, pair[1]) : NULL;
			if (!op && k == 2) { /* RangeOperators.OVERLAPS */
				const struct dg_py_value *r = fw_resolve(e, pair[1]);
				op = r && r->kind == DG_PY_NAME && dg_str_endswith(r->s, "OVERLAPS") ? "&&" : "=";
			}
			dg_buf_addf(&b, "%s%s WITH %s", i ? ", " : "", x ? x : "(1)", op ? op : "=");
		}
		const char *it = fw_str(e, dg_py_kwarg(v, "index_type"));
		c->sql = dg_sprintf(e->a, "EXCLUDE USING %s (%s)", it ? it : "GIST", b.ptr ? b.ptr : "");
		dg_buf_release(&b);
		return 1;
	}
	return 0;
}

/* ---- the model state ---- */

static struct dj_model *add_model(struct op *o, const char *name)
{
	struct dj_model m;
	memset(&m, 0, sizeof(m));
	m.app = o->app;
	m.name = lower(o->st->a, name);
	m.shown = name;
	m.db_table = dg_sprintf(o->st->a, "%s_%s", o->app, m.name);
	m.managed = 1;
	APUSH(o->st->a, o->st->models, o->st->n_models, o->st->cap_models, m);
	return &o->st->models[o->st->n_models - 1];
}

static void add_field(struct op *o, struct dj_model *m, const struct dj_field *f)
{
	APUSH(o->st->a, m->fields, m->n_fields, m->cap_fields, *f);
}

static void remove_field(struct dj_model *m, const struct dj_field *f)
{
	size_t i = (size_t)(f - m->fields);
	memmove(&m->fields[i], &m->fields[i + 1], (m->n_fields - i - 1) * sizeof(*f));
	m->n_fields--;
}

/* truncate_name(): a name over 63 bytes keeps 59 and an md5 of 4. */
static const char *truncate_name(struct op *o, const char *name)
{
	if (strlen(name) <= 63)
		return name;
	const char *parts[1] = {name};
	return dg_sprintf(o->e->a, "%.59s%s", name, fw_md5_digest(o->e->a, parts, 1, 4));
}

static void create_table(struct op *o, struct dj_model *m);

/* The table Django makes for a ManyToManyField without its own through model. */
static void create_through(struct op *o, struct dj_model *m, const struct dj_field *f)
{
	if (f->through)
		return; /* an explicit through model has its own CreateModel */
	struct dj_model *to = dj_model_find(o->st, f->to);
	const char *to_name = f->to ? strchr(f->to, '.') + 1 : "target";
	const char *from = m->name, *tn = to_name;
	if (!strcmp(from, tn)) {
		from = dg_sprintf(o->e->a, "from_%s", m->name);
		tn = dg_sprintf(o->e->a, "to_%s", to_name);
	}
	struct dj_model *t = add_model(o, dg_sprintf(o->e->a, "%s_%s", m->shown, f->name));
	t->db_table = f->m2m_table ? f->m2m_table : truncate_name(o, dg_sprintf(o->e->a, "%s_%s", m->db_table, f->name));
	struct dj_field id, a, b;
	/* Django 3.2 with the default DEFAULT_AUTO_FIELD: an AutoField id */
	memset(&id, 0, sizeof(id));
	id.name = id.column = "id";
	id.cls = "AutoField";
	id.type = "serial";
	id.data_type = "serial";
	id.serial = 1;
	id.pk = id.unique = 1;
	id.known = 1;
	add_field(o, t, &id);
	memset(&a, 0, sizeof(a));
	a.name = from;
	a.column = dg_sprintf(o->e->a, "%s_id", from);
	a.cls = "ForeignKey";
	a.rel = DJ_REL_FK;
	a.to = model_key(o, m);
	a.db_constraint = f->db_constraint;
	a.db_index = 1;
	a.known = 1;
	b = a;
	b.name = tn;
	b.column = dg_sprintf(o->e->a, "%s_id", tn);
	b.to = f->to;
	struct dj_field *mpk = dj_pk(m), *tpk = dj_pk(to);
	a.type = mpk ? (mpk->serial == 2 ? "bigint" : mpk->serial ? "integer" : mpk->type) : "integer";
	b.type = tpk ? (tpk->serial == 2 ? "bigint" : tpk->serial ? "integer" : tpk->type) : "integer";
	a.data_type = a.type;
	b.data_type = b.type;
	add_field(o, t, &a);
	add_field(o, t, &b);
	t->ut = dg_alloc(o->st->a, sizeof(*t->ut));
	t->ut[0].fields = dg_alloc(o->st->a, 2 * sizeof(char *));
	t->ut[0].fields[0] = a.name;
	t->ut[0].fields[1] = b.name;
	t->ut[0].n = 2;
	t->n_ut = t->cap_ut = 1;
	create_table(o, t);
}

static struct dj_model *through_of(struct op *o, struct dj_model *m, const struct dj_field *f)
{
	return dj_model_find(o->st, dg_sprintf(o->e->a, "%s.%s", m->app,
					       lower(o->e->a, dg_sprintf(o->e->a, "%s_%s", m->shown, f->name))));
}

/* CREATE TABLE and its deferred constraints and indexes (schema_editor.create_model). */
static void create_table(struct op *o, struct dj_model *m)
{
	struct fw_emit *e = o->e;
	if (!m->managed || m->proxy)
		return;
	/* unique_together first: table_sql() defers them before the FKs */
	for (size_t i = 0; i < m->n_ut; i++) {
		const char **cols = set_columns(o, m, &m->ut[i]);
		struct dj_deferred *d = defer_late(o, DJ_DEF_UNIQUE, m->db_table, "_uniq", DJ_SLOT_UT);
		d->cols = cols;
		d->n = m->ut[i].n;
	}
	struct dg_buf b = DG_BUF_INIT;
	size_t n = 0;
	for (size_t i = 0; i < m->n_fields; i++) {
		struct dj_field *f = &m->fields[i];
		if (!f->column)
			continue;
		dg_buf_addf(&b, "%s%s %s", n++ ? ", " : "", q(o, f->column), column_def(o, f, 0));
		if (f->pk)
			m->pk_name = dj_pg_name(e, m->db_table, NULL, "pkey");
		else if (f->unique)
			f->uniq_name = dj_pg_name(e, m->db_table, f->column, "key");
		if (f->check)
			f->check_name = dj_pg_name(e, m->db_table, f->column, "check");
		field_fk(o, m->db_table, f, 1);
	}
	for (size_t i = 0; i < m->n_cons; i++) {
		struct dj_constraint *c = &m->cons[i];
		if (c->kind == DJ_UNIQUE && c->as_index) {
			struct dj_deferred *d = defer(o, DJ_DEF_INDEX, m->db_table, c->name);
			d->cols = c->idx.columns;
			d->n = c->idx.n;
			d->unique = 1;
			d->where = c->idx.where;
			d->include = c->idx.include;
			continue;
		}
		dg_buf_addf(&b, "%sCONSTRAINT %s %s", n++ ? ", " : "", q(o, c->name), c->sql);
	}
	emit(o, "CREATE TABLE %s (%s)", q(o, m->db_table), b.ptr ? b.ptr : "");
	dg_buf_release(&b);
	/* _model_indexes_sql: each field's indexes, index_together, Meta.indexes (deferred) */
	for (size_t i = 0; i < m->n_fields; i++)
		field_indexes(o, m->db_table, &m->fields[i], 1);
	for (size_t i = 0; i < m->n_it; i++) {
		const char **cols = set_columns(o, m, &m->it[i]);
		struct dj_deferred *d = defer_late(o, DJ_DEF_INDEX, m->db_table, "_idx", DJ_SLOT_IT);
		d->cols = cols;
		d->n = m->it[i].n;
	}
	for (size_t i = 0; i < m->n_indexes; i++) {
		struct dj_index *ix = &m->indexes[i];
		struct dj_deferred *d = defer(o, DJ_DEF_INDEX, m->db_table, ix->name);
		d->cols = ix->cols; /* rendered already: "col" DESC, (LOWER("x")) */
		d->n = ix->n;
		d->rendered = 1;
		d->using = ix->using;
		d->where = ix->where;
		d->include = ix->include;
	}
	for (size_t i = 0; i < m->n_fields; i++)
		if (m->fields[i].rel == DJ_REL_M2M)
			create_through(o, m, &m->fields[i]);
}

/* ---- operations ---- */

static void op_create_model(struct op *o)
{
	struct fw_emit *e = o->e;
	const char *name = fw_str(e, arg(o, 0, "name"));
	if (!name) {
		fw_note(e, o->call, "migrations.CreateModel without a literal name is not modelled; its SQL was not checked");
		return;
	}
	fw_group_cur(e)->model = name;
	struct dj_model *m = add_model(o, name);
	size_t mi = (size_t)(m - o->st->models);
	const struct dg_py_value *opts = fw_resolve(e, dg_py_kwarg(o->call, "options"));
	if (opts && opts->kind == DG_PY_DICT) {
		for (size_t i = 0; i + 1 < opts->n_items; i += 2) {
			const char *k = fw_str(e, opts->items[i]);
			const struct dg_py_value *v = opts->items[i + 1];
			if (!k)
				continue;
			if (!strcmp(k, "db_table") && fw_str(e, v)) {
				m->db_table = fw_str(e, v);
				m->explicit_table = 1;
			}
			else if (!strcmp(k, "managed"))
				m->managed = fw_bool(e, v, 1);
			else if (!strcmp(k, "proxy"))
				m->proxy = fw_bool(e, v, 0);
		}
	}
	fw_group_cur(e)->table = m->db_table;
	size_t n;
	struct dg_py_value *const *fields = fw_items(e, arg(o, 1, "fields"), &n);
	for (size_t i = 0; fields && i < n; i++) {
		size_t k;
		struct dg_py_value *const *pair = fw_items(e, fields[i], &k);
		const char *fname = k == 2 ? fw_str(e, pair[0]) : NULL;
		if (!fname) {
			fw_note(e, fields[i], "a field of CreateModel that is not a ('name', Field(...)) pair is not modelled");
			continue;
		}
		struct dj_field f;
		m = &o->st->models[mi];
		read_field(o, m, fname, pair[1], &f);
		m = &o->st->models[mi];
		add_field(o, m, &f);
	}
	m = &o->st->models[mi];
	if (opts && opts->kind == DG_PY_DICT) {
		for (size_t i = 0; i + 1 < opts->n_items; i += 2) {
			const char *k = fw_str(e, opts->items[i]);
			const struct dg_py_value *v = opts->items[i + 1];
			if (!k)
				continue;
			if (!strcmp(k, "unique_together")) {
				m->n_ut = m->cap_ut = read_together(o, v, &m->ut);
			} else if (!strcmp(k, "index_together")) {
				m->n_it = m->cap_it = read_together(o, v, &m->it);
			} else if (!strcmp(k, "indexes") || !strcmp(k, "constraints")) {
				size_t ni;
				struct dg_py_value *const *it = fw_items(e, v, &ni);
				for (size_t j = 0; it && j < ni; j++) {
					if (k[0] == 'i') {
						struct dj_index ix;
						if (read_index(o, m, it[j], &ix))
							APUSH(o->st->a, m->indexes, m->n_indexes, m->cap_indexes, ix);
						else
							fw_note(e, it[j], "an index ddlgate cannot read; its SQL was not checked");
					} else {
						struct dj_constraint c;
						if (read_constraint(o, m, it[j], &c))
							APUSH(o->st->a, m->cons, m->n_cons, m->cap_cons, c);
						else
							fw_note(e, it[j], "a constraint ddlgate cannot read; its SQL was not checked");
					}
				}
			} else if (!strcmp(k, "order_with_respect_to")) {
				struct dj_field f;
				memset(&f, 0, sizeof(f));
				f.name = f.column = "_order";
				f.cls = "IntegerField";
				f.type = f.data_type = "integer";
				f.known = 1;
				add_field(o, m, &f);
			}
		}
	}
	create_table(o, m);
}

static void drop_table(struct op *o, struct dj_model *m)
{
	for (size_t i = 0; i < m->n_fields; i++)
		if (m->fields[i].rel == DJ_REL_M2M && !m->fields[i].through) {
			struct dj_model *t = through_of(o, m, &m->fields[i]);
			if (t) {
				emit(o, "DROP TABLE %s CASCADE", q(o, t->db_table));
				drop_deferred(o->st, t->db_table, NULL);
			}
		}
	if (live(m)) {
		emit(o, "DROP TABLE %s CASCADE", q(o, m->db_table));
		drop_deferred(o->st, m->db_table, NULL);
	}
}

static void forget_model(struct dg_fw_state *st, struct dj_model *m)
{
	size_t i = (size_t)(m - st->models);
	memmove(&st->models[i], &st->models[i + 1], (st->n_models - i - 1) * sizeof(*m));
	st->n_models--;
}

static void op_delete_model(struct op *o)
{
	struct dj_model *m = op_model(o, "name");
	if (!m)
		return;
	drop_table(o, m);
	forget_model(o->st, m);
}

/* SET CONSTRAINTS ... IMMEDIATE; ALTER TABLE ... DROP CONSTRAINT (Django's sql_delete_fk). */
static void drop_fk(struct op *o, const char *table, const char *name)
{
	emit(o, "SET CONSTRAINTS %s IMMEDIATE; ALTER TABLE %s DROP CONSTRAINT %s", q(o, name), q(o, table),
	     q(o, name));
}

/* The fields of the whole state that point at field key of model m (FK / O2O). */
struct rel_ref {
	struct dj_model *model;
	struct dj_field *field;
};

static size_t related(struct op *o, struct dj_model *m, const struct dj_field *key,
		      struct rel_ref *out, size_t max)
{
	size_t n = 0;
	const char *mk = model_key(o, m);
	for (size_t i = 0; i < o->st->n_models && n < max; i++)
		for (size_t k = 0; k < o->st->models[i].n_fields && n < max; k++) {
			struct dj_field *f = &o->st->models[i].fields[k];
			if ((f->rel != DJ_REL_FK && f->rel != DJ_REL_O2O) || !f->to || strcmp(f->to, mk))
				continue;
			if (f->to_field ? strcmp(f->to_field, key->name) : !key->pk)
				continue;
			out[n].model = &o->st->models[i];
			out[n++].field = f;
		}
	return n;
}

/* Kwargs of a field that never change the database (Django 3.2 _field_should_be_altered). */
static int non_db_attr(const char *k)
{
	static const char *const attrs[] = {"blank",	 "db_column",	   "editable",	   "error_messages",
					    "help_text", "limit_choices_to", "on_delete",	   "related_name",
					    "related_query_name", "validators", "verbose_name", "to"};
	for (size_t i = 0; i < DG_ARRAY_SIZE(attrs); i++)
		if (!strcmp(attrs[i], k))
			return 1;
	return 0;
}

static int py_same(struct fw_emit *e, const struct dg_py_value *a, const struct dg_py_value *b,
		   int depth);

static int items_same(struct fw_emit *e, const struct dg_py_value *a, const struct dg_py_value *b,
		      int depth)
{
	if (a->n_items != b->n_items)
		return 0;
	for (size_t i = 0; i < a->n_items; i++)
		if (!py_same(e, a->items[i], b->items[i], depth + 1))
			return 0;
	return 1;
}

/* Two values written the same way (for comparing field arguments). */
static int py_same(struct fw_emit *e, const struct dg_py_value *a, const struct dg_py_value *b, int depth)
{
	a = fw_resolve(e, a);
	b = fw_resolve(e, b);
	if (!a || !b)
		return a == b;
	if (depth > 16 || a->kind != b->kind)
		return 0;
	switch (a->kind) {
	case DG_PY_STR:
	case DG_PY_BYTES:
		return a->len == b->len && !memcmp(a->s, b->s, a->len);
	case DG_PY_NAME:
	case DG_PY_ATTR:
		return !strcmp(a->s, b->s) && (a->kind == DG_PY_NAME || py_same(e, a->func, b->func, depth + 1));
	case DG_PY_INT:
	case DG_PY_BOOL:
		return a->i == b->i;
	case DG_PY_NONE:
		return 1;
	case DG_PY_CALL:
		if (!py_same(e, a->func, b->func, depth + 1) || a->n_kw != b->n_kw)
			return 0;
		for (size_t i = 0; i < a->n_kw; i++) {
			const struct dg_py_value *bv = dg_py_kwarg(b, a->kw_names[i]);
			if (!bv || !py_same(e, a->kw_values[i], bv, depth + 1))
				return 0;
		}
		return items_same(e, a, b, depth);
	case DG_PY_LIST:
	case DG_PY_TUPLE:
	case DG_PY_SET:
	case DG_PY_DICT:
		return items_same(e, a, b, depth);
	default:
		/* a float, an expression: the same bytes in the file */
		return 0;
	}
}

/* Would Django 3.2 alter anything in the database for old -> new? */
static int should_alter(struct op *o, const struct dj_field *a, const struct dj_field *b)
{
	struct fw_emit *e = o->e;
	if (strcmp(a->column ? a->column : "", b->column ? b->column : ""))
		return 1;
	if (strcmp(a->cls, b->cls))
		return 1;
	if (a->rel && (!a->to || !b->to || strcmp(a->to, b->to)))
		return 1;
	const struct dg_py_value *ca = a->call, *cb = b->call;
	for (int pass = 0; pass < 2; pass++) {
		const struct dg_py_value *x = pass ? cb : ca, *y = pass ? ca : cb;
		for (size_t i = 0; x && i < x->n_kw; i++) {
			if (non_db_attr(x->kw_names[i]))
				continue;
			const struct dg_py_value *yv = dg_py_kwarg(y, x->kw_names[i]);
			if (!yv || !py_same(e, x->kw_values[i], yv, 0))
				return 1;
		}
	}
	return 0;
}

/* ALTER COLUMN TYPE as the postgresql schema editor writes it, with its sequence work. */
static void type_change(struct op *o, const char *table, const struct dj_field *a,
			const struct dj_field *b, const char **action, const char **post, size_t *n_post)
{
	struct fw_emit *e = o->e;
	const char *col = q(o, b->column);
	int using = strcmp(a->data_type ? a->data_type : "", b->data_type ? b->data_type : "") != 0;
	const char *type = type_sql(o, b);
	const char *seq = dg_sprintf(e->a, "%s_%s_seq", table, b->column);
	if (b->serial) {
		const char *base = b->serial == 2 ? "bigint" : b->serial == 3 ? "smallint" : "integer";
		*action = dg_sprintf(e->a, "ALTER COLUMN %s TYPE %s%s%s", col, base, using ? " USING " : "",
				     using ? dg_sprintf(e->a, "%s::%s", col, base) : "");
		post[(*n_post)++] = dg_sprintf(e->a, "DROP SEQUENCE IF EXISTS %s CASCADE", q(o, seq));
		post[(*n_post)++] = dg_sprintf(e->a, "CREATE SEQUENCE %s", q(o, seq));
		post[(*n_post)++] = dg_sprintf(e->a, "ALTER TABLE %s ALTER COLUMN %s SET DEFAULT nextval('%s')",
					       q(o, table), col, q(o, seq));
		post[(*n_post)++] = dg_sprintf(e->a, "SELECT setval('%s', MAX(%s)) FROM %s", q(o, seq), col,
					       q(o, table));
		post[(*n_post)++] = dg_sprintf(e->a, "ALTER SEQUENCE %s OWNED BY %s.%s", q(o, seq), q(o, table), col);
		return;
	}
	*action = dg_sprintf(e->a, "ALTER COLUMN %s TYPE %s%s%s", col, type, using ? " USING " : "",
			     using ? dg_sprintf(e->a, "%s::%s", col, b->type) : "");
	if (a->serial) /* away from AutoField: its sequence goes */
		post[(*n_post)++] = dg_sprintf(e->a, "DROP SEQUENCE IF EXISTS %s CASCADE", q(o, seq));
}

/*
 * schema_editor.alter_field(): Django 3.2.25's _alter_field and the
 * postgresql backend's additions, step by step, with the names the
 * database has (from the state) where Django would introspect them.
 */
static void alter_field(struct op *o, struct dj_model *m, struct dj_field *a, struct dj_field *b)
{
	struct fw_emit *e = o->e;
	const char *t = m->db_table;
	if (!should_alter(o, a, b)) {
		b->fk_name = a->fk_name;
		b->uniq_name = a->uniq_name;
		b->idx_name = a->idx_name;
		b->like_name = a->like_name;
		b->check_name = a->check_name;
		return;
	}
	if (a->rel == DJ_REL_M2M || b->rel == DJ_REL_M2M) {
		fw_note(e, o->call, "altering a ManyToManyField is not modelled; its SQL was not checked");
		return;
	}
	b->fk_name = a->fk_name;
	b->uniq_name = a->uniq_name;
	b->idx_name = a->idx_name;
	b->like_name = a->like_name;
	b->check_name = a->check_name;
	int type_changed = strcmp(a->type ? a->type : "", b->type ? b->type : "") != 0;
	/* postgresql: a text index cannot survive a change to a non-text type */
	if ((a->db_index || a->unique) && is_text_type(a->type) && !is_text_type(b->type) &&
	    strncmp(b->type, "citext", 6)) {
		emit(o, "DROP INDEX IF EXISTS %s", q(o, col_index_name(o, t, a->column, "_like")));
		b->like_name = NULL;
	}
	int fks_dropped = 0;
	if ((a->rel == DJ_REL_FK || a->rel == DJ_REL_O2O) && a->db_constraint && a->fk_name) {
		drop_fk(o, t, a->fk_name);
		b->fk_name = NULL;
		fks_dropped = 1;
	}
	if (a->unique && (!b->unique || (!a->pk && b->pk)) && a->uniq_name && !a->pk) {
		emit(o, "ALTER TABLE %s DROP CONSTRAINT %s", q(o, t), q(o, a->uniq_name));
		b->uniq_name = NULL;
	}
	struct rel_ref rels[64];
	size_t n_rels = 0;
	int drop_incoming = ((a->pk && b->pk) || (a->unique && b->unique)) && type_changed;
	if (drop_incoming) {
		n_rels = related(o, m, a, rels, DG_ARRAY_SIZE(rels));
		for (size_t i = 0; i < n_rels; i++)
			if (rels[i].field->fk_name) {
				drop_fk(o, rels[i].model->db_table, rels[i].field->fk_name);
				rels[i].field->fk_name = NULL;
			}
	}
	if (a->db_index && !a->unique && (!b->db_index || b->unique)) {
		/* introspection finds every btree index on the column: the plain one and _like */
		if (a->idx_name)
			emit(o, "DROP INDEX IF EXISTS %s", q(o, a->idx_name));
		if (a->like_name && !(b->unique && is_text_type(b->type)))
			emit(o, "DROP INDEX IF EXISTS %s", q(o, a->like_name));
		b->idx_name = NULL;
		if (!(b->unique && is_text_type(b->type)))
			b->like_name = NULL;
	}
	if (a->check && (!b->check || type_changed) && a->check_name) {
		emit(o, "ALTER TABLE %s DROP CONSTRAINT %s", q(o, t), q(o, a->check_name));
		b->check_name = NULL;
	}
	if (strcmp(a->column, b->column)) {
		emit(o, "ALTER TABLE %s RENAME COLUMN %s TO %s", q(o, t), q(o, a->column), q(o, b->column));
		rename_deferred(o->st, t, a->column, b->column, 1);
	}
	const char *actions[8], *post[8];
	size_t n_act = 0, n_post = 0;
	const char *null_action = NULL;
	if (strcmp(a->collation ? a->collation : "", b->collation ? b->collation : ""))
		actions[n_act++] = dg_sprintf(e->a, "ALTER COLUMN %s TYPE %s", q(o, b->column), type_sql(o, b));
	else if (type_changed)
		type_change(o, t, a, b, &actions[n_act++], post, &n_post);
	int needs_default = 0;
	if (a->null && !b->null) {
		const char *od = a->default_sql ? a->default_sql : "", *nd = b->default_sql;
		if (nd && strcmp(od, nd)) {
			needs_default = 1;
			actions[n_act++] = dg_sprintf(e->a, "ALTER COLUMN %s SET DEFAULT %s", q(o, b->column), nd);
		}
	}
	if (a->null != b->null)
		null_action = dg_sprintf(e->a, "ALTER COLUMN %s %s", q(o, b->column),
					 b->null ? "DROP NOT NULL" : "SET NOT NULL");
	int four_way = b->has_default && a->null && !b->null;
	if (n_act || null_action) {
		if (!four_way && null_action)
			actions[n_act++] = null_action;
		if (n_act) /* the postgresql backend combines them in one ALTER TABLE */
			emit(o, "ALTER TABLE %s %s", q(o, t), dg_join(e->a, actions, n_act, ", "));
		if (four_way) {
			emit(o, "UPDATE %s SET %s = %s WHERE %s IS NULL", q(o, t), q(o, b->column),
			     b->default_sql ? b->default_sql : "NULL", q(o, b->column));
			if (null_action)
				emit(o, "ALTER TABLE %s %s", q(o, t), null_action);
		}
	}
	for (size_t i = 0; i < n_post; i++)
		emit(o, "%s", post[i]);
	if (a->pk && !b->pk && m->pk_name) {
		emit(o, "ALTER TABLE %s DROP CONSTRAINT %s", q(o, t), q(o, m->pk_name));
		m->pk_name = NULL;
	}
	if ((!a->unique && b->unique && !b->pk) || (a->pk && !b->pk && b->unique)) {
		b->uniq_name = col_index_name(o, t, b->column, "_uniq");
		emit(o, "ALTER TABLE %s ADD CONSTRAINT %s UNIQUE (%s)", q(o, t), q(o, b->uniq_name), q(o, b->column));
	}
	if ((!a->db_index || a->unique) && b->db_index && !b->unique) {
		b->idx_name = col_index_name(o, t, b->column, "");
		emit(o, "CREATE INDEX %s ON %s (%s)", q(o, b->idx_name), q(o, t), q(o, b->column));
	}
	if (!a->pk && b->pk) {
		m->pk_name = col_index_name(o, t, b->column, "_pk");
		emit(o, "ALTER TABLE %s ADD CONSTRAINT %s PRIMARY KEY (%s)", q(o, t), q(o, m->pk_name), q(o, b->column));
		if (!drop_incoming)
			n_rels = related(o, m, a, rels, DG_ARRAY_SIZE(rels));
	}
	if (drop_incoming || (!a->pk && b->pk)) {
		/* the referencing columns follow the key's new type */
		for (size_t i = 0; i < n_rels; i++) {
			struct dj_field *rf = rels[i].field;
			const char *nt = b->serial == 2 ? "bigint" : b->serial == 3 ? "smallint" : b->serial ? "integer" : b->type;
			int u = strcmp(rf->type ? rf->type : "", nt) != 0;
			emit(o, "ALTER TABLE %s ALTER COLUMN %s TYPE %s%s%s", q(o, rels[i].model->db_table),
			     q(o, rf->column), nt, u ? " USING " : "",
			     u ? dg_sprintf(e->a, "%s::%s", q(o, rf->column), nt) : "");
			rf->type = rf->data_type = nt;
		}
	}
	if ((b->rel == DJ_REL_FK || b->rel == DJ_REL_O2O) && b->db_constraint &&
	    (fks_dropped || !a->rel || !a->db_constraint))
		field_fk(o, t, b, 0);
	if (drop_incoming) {
		for (size_t i = 0; i < n_rels; i++) {
			struct dj_field *rf = rels[i].field;
			if (!rf->db_constraint)
				continue;
			rf->fk_name = col_index_name(o, rels[i].model->db_table, rf->column, "_fk");
			emit(o, "ALTER TABLE %s ADD CONSTRAINT %s FOREIGN KEY (%s) REFERENCES %s (%s) DEFERRABLE INITIALLY DEFERRED",
			     q(o, rels[i].model->db_table), q(o, rf->fk_name), q(o, rf->column), q(o, t), q(o, b->column));
		}
	}
	if (b->check && (!a->check || type_changed)) {
		b->check_name = col_index_name(o, t, b->column, "_check");
		emit(o, "ALTER TABLE %s ADD CONSTRAINT %s CHECK (%s %s)", q(o, t), q(o, b->check_name),
		     q(o, b->column), b->check);
	}
	if (needs_default)
		emit(o, "ALTER TABLE %s ALTER COLUMN %s DROP DEFAULT", q(o, t), q(o, b->column));
	/* postgresql: the _like index follows db_index / unique */
	if (((!(a->db_index || a->unique) && b->db_index) || (!a->unique && b->unique)) &&
	    is_text_type(b->type) && !b->like_name) {
		b->like_name = col_index_name(o, t, b->column, "_like");
		emit(o, "CREATE INDEX %s ON %s (%s%s)", q(o, b->like_name), q(o, t), q(o, b->column),
		     !strncmp(b->type, "varchar", 7) ? " varchar_pattern_ops" : " text_pattern_ops");
	}
	if (a->unique && !(b->db_index || b->unique) && is_text_type(a->type)) {
		emit(o, "DROP INDEX IF EXISTS %s", q(o, col_index_name(o, t, a->column, "_like")));
		b->like_name = NULL;
	}
}

static void op_add_field(struct op *o)
{
	struct fw_emit *e = o->e;
	struct dj_model *m = op_model(o, "model_name");
	const char *name = fw_str(e, arg(o, 1, "name"));
	if (!m || !name)
		return;
	size_t mi = (size_t)(m - o->st->models);
	struct dj_field f;
	read_field(o, m, name, arg(o, 2, "field"), &f);
	m = &o->st->models[mi];
	fw_group_cur(e)->detail = name;
	if (f.rel == DJ_REL_M2M) {
		add_field(o, m, &f);
		m = &o->st->models[mi];
		create_through(o, m, &m->fields[m->n_fields - 1]);
		return;
	}
	const char *t = m->db_table;
	if (!m->managed || m->proxy) {
		add_field(o, m, &f);
		return;
	}
	const char *def = column_def(o, &f, 1);
	const char *tt, *tc;
	if ((f.rel == DJ_REL_FK || f.rel == DJ_REL_O2O) && f.db_constraint && fk_target(o, &f, &tt, &tc)) {
		/* Django 3.2 on PostgreSQL: the constraint inline, then SET CONSTRAINTS ... IMMEDIATE */
		f.fk_name = fk_name(o, t, &f, tt, tc);
		emit(o, "ALTER TABLE %s ADD COLUMN %s %s CONSTRAINT %s REFERENCES %s(%s) DEFERRABLE INITIALLY DEFERRED; SET CONSTRAINTS %s IMMEDIATE",
		     q(o, t), q(o, f.column), def, q(o, f.fk_name), q(o, tt), q(o, tc), q(o, f.fk_name));
	} else {
		emit(o, "ALTER TABLE %s ADD COLUMN %s %s", q(o, t), q(o, f.column), def);
	}
	if (f.pk)
		m->pk_name = dj_pg_name(e, t, NULL, "pkey");
	else if (f.unique)
		f.uniq_name = dj_pg_name(e, t, f.column, "key");
	if (f.check)
		f.check_name = dj_pg_name(e, t, f.column, "check");
	/* Django keeps no default in the database: it drops the one it added the column with */
	if (f.default_sql && !f.db_default)
		emit(o, "ALTER TABLE %s ALTER COLUMN %s DROP DEFAULT", q(o, t), q(o, f.column));
	field_indexes(o, t, &f, 1);
	if (!fw_bool(e, dg_py_kwarg(o->call, "preserve_default"), 1)) {
		f.has_default = 0;
		f.default_sql = NULL;
	}
	add_field(o, m, &f);
}

static void op_remove_field(struct op *o)
{
	struct fw_emit *e = o->e;
	struct dj_model *m = op_model(o, "model_name");
	const char *name = fw_str(e, arg(o, 1, "name"));
	struct dj_field *f = dj_field_find(m, name);
	if (!m || !f || strcmp(f->name, name)) {
		if (m)
			fw_note(e, o->call, "migrations.RemoveField of '%s', which model '%s' does not have; its SQL was not checked",
				name ? name : "?", m->shown);
		return;
	}
	fw_group_cur(e)->detail = name;
	if (f->rel == DJ_REL_M2M) {
		struct dj_model *t = through_of(o, m, f);
		if (t) {
			emit(o, "DROP TABLE %s CASCADE", q(o, t->db_table));
			drop_deferred(o->st, t->db_table, NULL);
			forget_model(o->st, t);
			m = model_of(o, arg(o, 0, "model_name"));
			f = dj_field_find(m, name);
		}
		remove_field(m, f);
		return;
	}
	if (live(m)) {
		if (f->rel && f->fk_name)
			drop_fk(o, m->db_table, f->fk_name);
		emit(o, "ALTER TABLE %s DROP COLUMN %s CASCADE", q(o, m->db_table), q(o, f->column));
		drop_deferred(o->st, m->db_table, f->column);
	}
	remove_field(m, f);
}

static void op_alter_field(struct op *o, int rename)
{
	struct fw_emit *e = o->e;
	struct dj_model *m = op_model(o, "model_name");
	const char *name = fw_str(e, arg(o, 1, rename ? "old_name" : "name"));
	struct dj_field *f = dj_field_find(m, name);
	if (!m || !f || strcmp(f->name, name)) {
		if (m)
			fw_note(e, o->call, "migrations.%s of '%s', which model '%s' does not have; its SQL was not checked",
				o->name, name ? name : "?", m->shown);
		return;
	}
	fw_group_cur(e)->detail = name;
	size_t mi = (size_t)(m - o->st->models), fi = (size_t)(f - m->fields);
	struct dj_field old = *f, now;
	if (rename) {
		/* RenameField: the same field under a new name (and column, without db_column) */
		const char *to = fw_str(e, arg(o, 2, "new_name"));
		if (!to)
			return;
		now = old;
		now.name = to;
		if (!dg_py_kwarg(old.call, "db_column"))
			now.column = old.rel && old.rel != DJ_REL_M2M ? dg_sprintf(e->a, "%s_id", to) : to;
	} else {
		read_field(o, m, name, arg(o, 2, "field"), &now);
	}
	m = &o->st->models[mi];
	if (live(m) && !o->st->quiet) {
		alter_field(o, m, &old, &now);
	} else {
		now.fk_name = old.fk_name;
		now.uniq_name = old.uniq_name;
		now.idx_name = old.idx_name;
		now.like_name = old.like_name;
		now.check_name = old.check_name;
	}
	if (!rename && !fw_bool(e, dg_py_kwarg(o->call, "preserve_default"), 1)) {
		now.has_default = 0;
		now.default_sql = NULL;
	}
	m = &o->st->models[mi];
	m->fields[fi] = now;
	if (rename) {
		/* the together options and indexes name fields: follow the rename */
		for (size_t i = 0; i < m->n_ut + m->n_it; i++) {
			struct dj_fieldset *s = i < m->n_ut ? &m->ut[i] : &m->it[i - m->n_ut];
			for (size_t k = 0; k < s->n; k++)
				if (!strcmp(s->fields[k], name))
					s->fields[k] = now.name;
		}
	}
}

/* RenameModel: the table (when its name is Django's default) and the FKs that point at it. */
static void op_rename_model(struct op *o)
{
	struct fw_emit *e = o->e;
	struct dj_model *m = op_model(o, "old_name");
	const char *to = fw_str(e, arg(o, 1, "new_name"));
	if (!m || !to)
		return;
	const char *old_key = model_key(o, m);
	const char *old_table = m->db_table;
	m->name = lower(o->st->a, to);
	const char *old_shown = m->shown;
	m->shown = to;
	const char *new_key = model_key(o, m);
	if (!m->explicit_table) {
		m->db_table = dg_sprintf(o->st->a, "%s_%s", m->app, m->name);
		if (live(m))
			emit(o, "ALTER TABLE %s RENAME TO %s", q(o, old_table), q(o, m->db_table));
		rename_deferred(o->st, NULL, old_table, m->db_table, 0);
	}
	/* every FK to the model: alter_field() to the new target drops and re-adds its constraint */
	for (size_t i = 0; i < o->st->n_models; i++) {
		struct dj_model *rm = &o->st->models[i];
		for (size_t k = 0; k < rm->n_fields; k++) {
			struct dj_field *f = &rm->fields[k];
			if (!f->to || strcmp(f->to, old_key))
				continue;
			f->to = new_key;
			if ((f->rel == DJ_REL_FK || f->rel == DJ_REL_O2O) && f->db_constraint && live(rm)) {
				if (f->fk_name)
					drop_fk(o, rm->db_table, f->fk_name);
				field_fk(o, rm->db_table, f, 0);
			}
		}
	}
	/* its auto-created M2M tables are named after it: renamed too */
	for (size_t k = 0; k < m->n_fields; k++) {
		struct dj_field *f = &m->fields[k];
		if (f->rel != DJ_REL_M2M || f->through || f->m2m_table)
			continue;
		struct dj_model *t = dj_model_find(o->st, dg_sprintf(e->a, "%s.%s", m->app,
								    lower(e->a, dg_sprintf(e->a, "%s_%s", old_shown, f->name))));
		if (!t)
			continue;
		const char *nt = truncate_name(o, dg_sprintf(e->a, "%s_%s", m->db_table, f->name));
		if (strcmp(nt, t->db_table))
			emit(o, "ALTER TABLE %s RENAME TO %s", q(o, t->db_table), q(o, nt));
		t->db_table = nt;
		t->name = lower(o->st->a, dg_sprintf(e->a, "%s_%s", to, f->name));
		t->shown = dg_sprintf(o->st->a, "%s_%s", to, f->name);
	}
}

static void op_alter_model_table(struct op *o)
{
	struct fw_emit *e = o->e;
	struct dj_model *m = op_model(o, "name");
	const struct dg_py_value *tv = arg(o, 1, "table");
	if (!m)
		return;
	const char *nt = fw_str(e, tv);
	m->explicit_table = nt != NULL;
	if (!nt) /* table=None: back to Django's default name */
		nt = dg_sprintf(o->st->a, "%s_%s", m->app, m->name);
	if (strcmp(nt, m->db_table) && live(m)) {
		emit(o, "ALTER TABLE %s RENAME TO %s", q(o, m->db_table), q(o, nt));
		rename_deferred(o->st, NULL, m->db_table, nt, 0);
		for (size_t k = 0; k < m->n_fields; k++) {
			struct dj_field *f = &m->fields[k];
			struct dj_model *t = f->rel == DJ_REL_M2M && !f->through && !f->m2m_table ? through_of(o, m, f) : NULL;
			if (!t)
				continue;
			const char *tn = truncate_name(o, dg_sprintf(e->a, "%s_%s", nt, f->name));
			emit(o, "ALTER TABLE %s RENAME TO %s", q(o, t->db_table), q(o, tn));
			t->db_table = tn;
		}
	}
	m->db_table = nt;
}

static void op_alter_together(struct op *o, int unique)
{
	struct fw_emit *e = o->e;
	struct dj_model *m = op_model(o, "name");
	if (!m)
		return;
	struct dj_fieldset *now;
	size_t n = read_together(o, arg(o, 1, unique ? "unique_together" : "index_together"), &now);
	struct dj_fieldset *old = unique ? m->ut : m->it;
	size_t n_old = unique ? m->n_ut : m->n_it;
	int has_table = live(m);
	/* deleted ones first (by the name the database has), then the new ones */
	for (size_t i = 0; i < n_old; i++) {
		int kept = 0;
		for (size_t k = 0; k < n && !kept; k++)
			kept = same_fieldset(&old[i], &now[k]);
		if (kept || !has_table || !old[i].name)
			continue;
		if (unique)
			emit(o, "ALTER TABLE %s DROP CONSTRAINT %s", q(o, m->db_table), q(o, old[i].name));
		else
			emit(o, "DROP INDEX IF EXISTS %s", q(o, old[i].name));
	}
	for (size_t k = 0; k < n; k++) {
		int had = 0;
		for (size_t i = 0; i < n_old && !had; i++)
			if (same_fieldset(&old[i], &now[k])) {
				had = 1;
				now[k].name = old[i].name;
			}
		if (had || !has_table)
			continue;
		const char **cols = set_columns(o, m, &now[k]);
		now[k].name = dj_index_name(e, m->db_table, cols, now[k].n, unique ? "_uniq" : "_idx");
		if (unique)
			emit(o, "ALTER TABLE %s ADD CONSTRAINT %s UNIQUE (%s)", q(o, m->db_table), q(o, now[k].name),
			     quoted_list(o, cols, now[k].n));
		else
			emit(o, "CREATE INDEX %s ON %s (%s)", q(o, now[k].name), q(o, m->db_table),
			     quoted_list(o, cols, now[k].n));
	}
	if (unique) {
		m->ut = now;
		m->n_ut = m->cap_ut = n;
	} else {
		m->it = now;
		m->n_it = m->cap_it = n;
	}
}

static void op_add_index(struct op *o, int concurrently)
{
	struct fw_emit *e = o->e;
	struct dj_model *m = op_model(o, "model_name");
	struct dj_index ix;
	if (!m)
		return;
	if (!read_index(o, m, arg(o, 1, "index"), &ix)) {
		fw_note(e, o->call, "an index ddlgate cannot read; its SQL was not checked");
		return;
	}
	fw_group_cur(e)->detail = ix.name;
	ix.concurrently = concurrently;
	if (live(m))
		emit(o, "%s", index_sql(o, m->db_table, &ix));
	ix.concurrently = 0;
	APUSH(o->st->a, m->indexes, m->n_indexes, m->cap_indexes, ix);
}

static void op_remove_index(struct op *o, int concurrently)
{
	struct fw_emit *e = o->e;
	struct dj_model *m = op_model(o, "model_name");
	const char *name = fw_str(e, arg(o, 1, "name"));
	if (!m || !name)
		return;
	fw_group_cur(e)->detail = name;
	if (live(m))
		emit(o, "DROP INDEX %sIF EXISTS %s", concurrently ? "CONCURRENTLY " : "", q(o, name));
	for (size_t i = 0; i < m->n_indexes; i++)
		if (!strcmp(m->indexes[i].name, name)) {
			memmove(&m->indexes[i], &m->indexes[i + 1], (m->n_indexes - i - 1) * sizeof(*m->indexes));
			m->n_indexes--;
			break;
		}
}

static void op_add_constraint(struct op *o)
{
	struct fw_emit *e = o->e;
	struct dj_model *m = op_model(o, "model_name");
	struct dj_constraint c;
	if (!m)
		return;
	if (!read_constraint(o, m, arg(o, 1, "constraint"), &c)) {
		fw_note(e, o->call, "a constraint ddlgate cannot read; its SQL was not checked");
		return;
	}
	fw_group_cur(e)->detail = c.name;
	if (live(m)) {
		if (c.kind == DJ_UNIQUE && c.as_index) {
			struct dj_index ix = c.idx;
			ix.name = c.name;
			emit(o, "%s", index_sql(o, m->db_table, &ix));
		} else {
			emit(o, "ALTER TABLE %s ADD CONSTRAINT %s %s", q(o, m->db_table), q(o, c.name), c.sql);
		}
	}
	APUSH(o->st->a, m->cons, m->n_cons, m->cap_cons, c);
}

static void op_remove_constraint(struct op *o)
{
	struct fw_emit *e = o->e;
	struct dj_model *m = op_model(o, "model_name");
	const char *name = fw_str(e, arg(o, 1, "name"));
	if (!m || !name)
		return;
	fw_group_cur(e)->detail = name;
	for (size_t i = 0; i < m->n_cons; i++) {
		struct dj_constraint *c = &m->cons[i];
		if (strcmp(c->name, name))
			continue;
		if (live(m)) {
			if (c->kind == DJ_UNIQUE && c->as_index)
				emit(o, "DROP INDEX IF EXISTS %s", q(o, name));
			else
				emit(o, "ALTER TABLE %s DROP CONSTRAINT %s", q(o, m->db_table), q(o, name));
		}
		memmove(c, c + 1, (m->n_cons - i - 1) * sizeof(*c));
		m->n_cons--;
		return;
	}
	fw_note(e, o->call, "migrations.RemoveConstraint of '%s', which model '%s' does not have; its SQL was not checked",
		name, m->shown);
}

static void op_order_with_respect_to(struct op *o)
{
	struct dj_model *m = op_model(o, "name");
	if (!m)
		return;
	const struct dg_py_value *v = fw_resolve(o->e, arg(o, 1, "order_with_respect_to"));
	struct dj_field *cur = dj_field_find(m, "_order");
	int want = v && v->kind != DG_PY_NONE;
	int has_table = live(m);
	if (want && !cur) {
		/* Django 3.2: add_field(_order IntegerField(default=0)) */
		struct dj_field f;
		memset(&f, 0, sizeof(f));
		f.name = f.column = "_order";
		f.cls = "IntegerField";
		f.type = f.data_type = "integer";
		f.known = 1;
		if (has_table) {
			emit(o, "ALTER TABLE %s ADD COLUMN \"_order\" integer DEFAULT 0 NOT NULL", q(o, m->db_table));
			emit(o, "ALTER TABLE %s ALTER COLUMN \"_order\" DROP DEFAULT", q(o, m->db_table));
		}
		add_field(o, m, &f);
	} else if (!want && cur) {
		if (has_table)
			emit(o, "ALTER TABLE %s DROP COLUMN \"_order\" CASCADE", q(o, m->db_table));
		remove_field(m, cur);
	}
}

/* RunSQL(sql): a string, a list of strings, a list of (sql, params); anything else is opaque. */
static void run_sql(struct op *o, const struct dg_py_value *sql)
{
	struct fw_emit *e = o->e;
	const struct dg_py_value *v = fw_resolve(e, sql);
	if (!v || (v->kind == DG_PY_NAME && dg_str_endswith(v->s, ".noop")) ||
	    (v->kind == DG_PY_STR && !v->fstring && !v->len))
		return;
	if (o->st->quiet)
		return;
	if (v->kind == DG_PY_STR && !v->fstring) {
		fw_sql_literal(e, v, 0);
		return;
	}
	size_t n;
	struct dg_py_value *const *items = fw_items(e, v, &n);
	if (items && v->kind != DG_PY_SET) {
		for (size_t i = 0; i < n; i++) {
			const struct dg_py_value *it = fw_resolve(e, items[i]);
			size_t k;
			struct dg_py_value *const *pair = it && it->kind != DG_PY_STR ? fw_items(e, it, &k) : NULL;
			if (pair && k == 2) {
				const struct dg_py_value *s = fw_resolve(e, pair[0]);
				const struct dg_py_value *p = fw_resolve(e, pair[1]);
				int params = p && p->kind != DG_PY_NONE;
				if (s && s->kind == DG_PY_STR && !s->fstring)
					fw_sql_literal(e, s, params);
				else
					fw_opaque(e, pair[0], "the SQL of migrations.RunSQL is %s; ddlgate reads SQL only from string literals and never runs the migration",
						  fw_why_not_literal(e, pair[0]));
			} else if (it && it->kind == DG_PY_STR && !it->fstring) {
				fw_sql_literal(e, it, 0);
			} else {
				fw_opaque(e, items[i], "the SQL of migrations.RunSQL is %s; ddlgate reads SQL only from string literals and never runs the migration",
					  fw_why_not_literal(e, items[i]));
			}
		}
		return;
	}
	fw_opaque(e, sql, "the SQL of migrations.RunSQL is %s; ddlgate reads SQL only from string literals and never runs the migration",
		  fw_why_not_literal(e, sql));
}

static void operations(struct fw_emit *e, struct dg_fw_state *st, const char *app,
		       const struct dg_py_value *list, int depth);

/* A copy of the models that database_operations can change without touching the real state. */
static void state_copy(struct dg_fw_state *to, const struct dg_fw_state *from)
{
	*to = *from;
	to->models = dg_alloc(from->a, (from->n_models + 1) * sizeof(*to->models));
	to->cap_models = from->n_models + 1;
	for (size_t i = 0; i < from->n_models; i++) {
		struct dj_model *m = &to->models[i];
		*m = from->models[i];
		if (m->n_fields)
			m->fields = dg_memdup(from->a, m->fields, m->n_fields, sizeof(*m->fields));
		m->cap_fields = m->n_fields;
		if (m->n_indexes)
			m->indexes = dg_memdup(from->a, m->indexes, m->n_indexes, sizeof(*m->indexes));
		m->cap_indexes = m->n_indexes;
		if (m->n_cons)
			m->cons = dg_memdup(from->a, m->cons, m->n_cons, sizeof(*m->cons));
		m->cap_cons = m->n_cons;
	}
}

static void op_separate(struct op *o, int depth)
{
	/* database_operations run on a copy of the state; state_operations change it, silently */
	struct dg_fw_state copy;
	state_copy(&copy, o->st);
	fw_group_cur(o->e)->separate = 1;
	int outer = o->e->group;
	operations(o->e, &copy, o->app, dg_py_kwarg(o->call, "database_operations"), depth + 1);
	o->st->def = copy.def;
	o->st->n_def = copy.n_def;
	o->st->cap_def = copy.cap_def;
	o->e->group = outer;
	int quiet = o->st->quiet;
	o->st->quiet = 1;
	operations(o->e, o->st, o->app, dg_py_kwarg(o->call, "state_operations"), depth + 1);
	o->st->quiet = quiet;
}

/* One operation of the list. */
static void operation(struct fw_emit *e, struct dg_fw_state *st, const char *app,
		      const struct dg_py_value *v, int depth)
{
	v = fw_resolve(e, v);
	const char *name = v && v->kind == DG_PY_CALL ? dg_py_call_name(v) : NULL;
	if (!name) {
		fw_note(e, v, "an operation that is not a call (%s) is not modelled; its SQL was not checked",
			v ? dg_py_describe(e->a, v) : "nothing");
		return;
	}
	const char *shown = fw_callee(v);
	int outer = e->group;
	fw_group_begin(e, name, v);
	if (st->quiet)
		fw_group_cur(e)->separate = 1;
	struct op o = {e, st, app, v, name};
	if (!strcmp(name, "CreateModel"))
		op_create_model(&o);
	else if (!strcmp(name, "DeleteModel"))
		op_delete_model(&o);
	else if (!strcmp(name, "AddField"))
		op_add_field(&o);
	else if (!strcmp(name, "RemoveField"))
		op_remove_field(&o);
	else if (!strcmp(name, "AlterField"))
		op_alter_field(&o, 0);
	else if (!strcmp(name, "RenameField"))
		op_alter_field(&o, 1);
	else if (!strcmp(name, "RenameModel"))
		op_rename_model(&o);
	else if (!strcmp(name, "AlterModelTable"))
		op_alter_model_table(&o);
	else if (!strcmp(name, "AlterUniqueTogether"))
		op_alter_together(&o, 1);
	else if (!strcmp(name, "AlterIndexTogether"))
		op_alter_together(&o, 0);
	else if (!strcmp(name, "AddIndex") || !strcmp(name, "AddIndexConcurrently"))
		op_add_index(&o, name[8] == 'C');
	else if (!strcmp(name, "RemoveIndex") || !strcmp(name, "RemoveIndexConcurrently"))
		op_remove_index(&o, name[11] == 'C');
	else if (!strcmp(name, "AddConstraint"))
		op_add_constraint(&o);
	else if (!strcmp(name, "RemoveConstraint"))
		op_remove_constraint(&o);
	else if (!strcmp(name, "AlterOrderWithRespectTo"))
		op_order_with_respect_to(&o);
	else if (!strcmp(name, "AlterModelOptions") || !strcmp(name, "AlterModelManagers"))
		; /* state only: Django runs no SQL for them */
	else if (!strcmp(name, "RunSQL")) {
		run_sql(&o, dg_py_arg(v, 0, "sql"));
		int quiet = st->quiet;
		st->quiet = 1;
		operations(e, st, app, dg_py_kwarg(v, "state_operations"), depth + 1);
		st->quiet = quiet;
	} else if (!strcmp(name, "RunPython")) {
		if (!st->quiet)
			fw_note(e, v, "migrations.RunPython runs Python code: the queries it makes are not checked");
	} else if (!strcmp(name, "SeparateDatabaseAndState")) {
		op_separate(&o, depth);
	} else if (dg_str_endswith(name, "Extension")) {
		/* django.contrib.postgres: CREATE EXTENSION IF NOT EXISTS (Django 3.2.25) */
		static const struct {
			const char *op, *ext;
		} exts[] = {{"BloomExtension", "bloom"},	  {"BtreeGinExtension", "btree_gin"},
			    {"BtreeGistExtension", "btree_gist"}, {"CITextExtension", "citext"},
			    {"CryptoExtension", "pgcrypto"},	  {"HStoreExtension", "hstore"},
			    {"TrigramExtension", "pg_trgm"},	  {"UnaccentExtension", "unaccent"}};
		const char *ext = !strcmp(name, "CreateExtension") ? fw_str(e, dg_py_arg(v, 0, "name")) : NULL;
		for (size_t i = 0; i < DG_ARRAY_SIZE(exts); i++)
			if (!strcmp(exts[i].op, name))
				ext = exts[i].ext;
		if (ext)
			emit(&o, "CREATE EXTENSION IF NOT EXISTS %s", fw_qi(e, ext));
		else
			fw_note(e, v, "%s is not modelled; its SQL was not checked", shown ? shown : name);
	} else if (!st->quiet) {
		fw_note(e, v, "%s is not modelled; its SQL was not checked", shown ? shown : name);
	}
	e->group = outer;
}

static void operations(struct fw_emit *e, struct dg_fw_state *st, const char *app,
		       const struct dg_py_value *list, int depth)
{
	if (!list || depth > 8)
		return;
	size_t n;
	struct dg_py_value *const *ops = fw_items(e, list, &n);
	if (!ops) {
		fw_note(e, list, "operations given as %s are not read; their SQL was not checked",
			dg_py_describe(e->a, fw_resolve(e, list)));
		return;
	}
	for (size_t i = 0; i < n; i++)
		operation(e, st, app, ops[i], depth);
}

int fw_django(struct fw_emit *e, struct dg_fw_state *st, const struct dg_fw_opts *o)
{
	const struct dg_py_class *cls = NULL;
	for (size_t i = 0; i < e->mod->n_classes; i++)
		if (!strcmp(e->mod->classes[i].name, "Migration"))
			cls = &e->mod->classes[i];
	if (!cls)
		return 0; /* not a migration module (discovery does not take one): nothing runs */
	const char *app = o->app_label ? o->app_label : "app";
	const struct dg_py_assign *at = dg_py_class_get(cls, "atomic");
	const struct dg_py_assign *ops = dg_py_class_get(cls, "operations");
	/* BEGIN and COMMIT map to `class Migration` (its byte offset) */
	size_t at_off = 0;
	for (size_t i = 0, line = 1; i < e->len; i++) {
		if ((int)line == cls->line) {
			at_off = i + (size_t)(cls->col - 1);
			break;
		}
		line += e->data[i] == '\n';
	}
	e->atomic = (at ? fw_bool(e, at->value, 1) : 1) && o->tx != DG_TX_NO;
	if (e->atomic)
		fw_sql_at(e, at_off, "BEGIN");
	if (ops)
		operations(e, st, app, ops->value, 0);
	flush_deferred(e, st);
	e->group = -1;
	if (e->atomic)
		fw_sql_at(e, at_off, "COMMIT");
	return 0;
}
