/*
 * Django fields and expressions: a field call of a migration (as the
 * autodetector writes them: models.CharField(max_length=100, null=True))
 * read into the column PostgreSQL gets, and Q objects / F expressions
 * into the SQL conditions of indexes and constraints. Types are Django
 * 3.2.25's postgresql backend data_types (checked with sqlmigrate on
 * PostgreSQL 15, Debian 12); names are its _create_index_name().
 */
#include <ctype.h>
#include <string.h>

#include "frameworks/django_int.h"

struct field_type {
	const char *cls;
	const char *type;	/* data_types entry; %L = max_length, %D = numeric(p, s) */
	int empty_strings;	/* Field.empty_strings_allowed */
	int default_length;	/* max_length when the class has a default, else 0 */
	int serial;		/* AutoField kinds */
	int positive;		/* a CHECK ("col" >= 0) */
	const char *rel_type;	/* rel_db_type when it differs from the type */
};

/* Django 3.2.25, django/db/backends/postgresql/base.py data_types and the field classes. */
static const struct field_type types[] = {
    {"AutoField", "serial", 0, 0, 1, 0, "integer"},
    {"BigAutoField", "bigserial", 0, 0, 2, 0, "bigint"},
    {"SmallAutoField", "smallserial", 0, 0, 3, 0, "smallint"},
    {"BinaryField", "bytea", 1, 0, 0, 0, NULL},
    {"BooleanField", "boolean", 0, 0, 0, 0, NULL},
    {"NullBooleanField", "boolean", 0, 0, 0, 0, NULL},
    {"CharField", "varchar(%L)", 1, 0, 0, 0, NULL},
    {"SlugField", "varchar(%L)", 1, 50, 0, 0, NULL},
    {"EmailField", "varchar(%L)", 1, 254, 0, 0, NULL},
    {"URLField", "varchar(%L)", 1, 200, 0, 0, NULL},
    {"FileField", "varchar(%L)", 1, 100, 0, 0, NULL},
    {"ImageField", "varchar(%L)", 1, 100, 0, 0, NULL},
    {"FilePathField", "varchar(%L)", 1, 100, 0, 0, NULL},
    {"CommaSeparatedIntegerField", "varchar(%L)", 1, 0, 0, 0, NULL},
    {"DateField", "date", 0, 0, 0, 0, NULL},
    {"DateTimeField", "timestamp with time zone", 0, 0, 0, 0, NULL},
    {"DecimalField", "%D", 0, 0, 0, 0, NULL},
    {"DurationField", "interval", 0, 0, 0, 0, NULL},
    {"FloatField", "double precision", 0, 0, 0, 0, NULL},
    {"IntegerField", "integer", 0, 0, 0, 0, NULL},
    {"BigIntegerField", "bigint", 0, 0, 0, 0, NULL},
    {"SmallIntegerField", "smallint", 0, 0, 0, 0, NULL},
    {"PositiveIntegerField", "integer", 0, 0, 0, 1, "integer"},
    {"PositiveBigIntegerField", "bigint", 0, 0, 0, 1, "bigint"},
    {"PositiveSmallIntegerField", "smallint", 0, 0, 0, 1, "smallint"},
    {"IPAddressField", "inet", 0, 0, 0, 0, NULL},
    {"GenericIPAddressField", "inet", 0, 0, 0, 0, NULL},
    {"JSONField", "jsonb", 0, 0, 0, 0, NULL},
    {"TextField", "text", 1, 0, 0, 0, NULL},
    {"TimeField", "time", 0, 0, 0, 0, NULL},
    {"UUIDField", "uuid", 0, 0, 0, 0, NULL},
    /* django.contrib.postgres (3.2.25) */
    {"HStoreField", "hstore", 1, 0, 0, 0, NULL},
    {"CICharField", "citext", 1, 0, 0, 0, NULL},
    {"CIEmailField", "citext", 1, 0, 0, 0, NULL},
    {"CITextField", "citext", 1, 0, 0, 0, NULL},
    {"IntegerRangeField", "int4range", 1, 0, 0, 0, NULL},
    {"BigIntegerRangeField", "int8range", 1, 0, 0, 0, NULL},
    {"DecimalRangeField", "numrange", 1, 0, 0, 0, NULL},
    {"DateTimeRangeField", "tstzrange", 1, 0, 0, 0, NULL},
    {"DateRangeField", "daterange", 1, 0, 0, 0, NULL},
    {"SearchVectorField", "tsvector", 1, 0, 0, 0, NULL},
    /* well-known third-party fields: their db_type */
    {"CountryField", "varchar(%L)", 1, 2, 0, 0, NULL},
    {"PhoneNumberField", "varchar(%L)", 1, 128, 0, 0, NULL},
    {"VersatileImageField", "varchar(%L)", 1, 100, 0, 0, NULL},
    {"PPOIField", "varchar(%L)", 1, 20, 0, 0, NULL},
    {"MeasurementField", "double precision", 0, 0, 0, 0, NULL},
};

/* A class ddlgate does not list, by the suffix of its name (subclasses keep their base's column). */
static const struct {
	const char *suffix, *as;
} by_suffix[] = {
    {"ForeignKey", "ForeignKey"},     {"OneToOneField", "OneToOneField"},
    {"ManyToManyField", "ManyToManyField"}, {"JSONField", "JSONField"},
    {"CharField", "CharField"},	      {"TextField", "TextField"},
    {"BigIntegerField", "BigIntegerField"}, {"SmallIntegerField", "SmallIntegerField"},
    {"IntegerField", "IntegerField"}, {"BooleanField", "BooleanField"},
    {"DecimalField", "DecimalField"}, {"FloatField", "FloatField"},
    {"DateTimeField", "DateTimeField"}, {"DateField", "DateField"},
    {"TimeField", "TimeField"},	      {"EmailField", "EmailField"},
    {"URLField", "URLField"},	      {"SlugField", "SlugField"},
    {"ImageField", "ImageField"},     {"FileField", "FileField"},
    {"UUIDField", "UUIDField"},	      {"ArrayField", "ArrayField"},
};

static const struct field_type *type_of(const char *cls)
{
	for (size_t i = 0; i < DG_ARRAY_SIZE(types); i++)
		if (!strcmp(types[i].cls, cls))
			return &types[i];
	return NULL;
}

static const char *last_part(const char *s)
{
	const char *d = strrchr(s, '.');
	return d ? d + 1 : s;
}

static const struct dg_py_value *kw(const struct dg_py_value *call, const char *name)
{
	return dg_py_kwarg(call, name);
}

/* The models a swappable setting names when the repository's own user model is not found. */
static const char *swappable_default(const char *setting)
{
	if (!strcmp(setting, "AUTH_USER_MODEL"))
		return "auth.user";
	return NULL;
}

static char *lower(struct dg_arena *a, const char *s)
{
	char *r = dg_strdup(a, s);
	for (char *p = r; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return r;
}

struct dj_model *dj_model_find(struct dg_fw_state *st, const char *key)
{
	const char *dot = key ? strchr(key, '.') : NULL;
	if (!dot)
		return NULL;
	size_t al = (size_t)(dot - key);
	for (size_t i = st->n_models; i-- > 0;) {
		struct dj_model *m = &st->models[i];
		if (strlen(m->app) == al && !strncmp(m->app, key, al) && !strcmp(m->name, dot + 1))
			return m;
	}
	return NULL;
}

const char *dj_model_key(struct fw_emit *e, struct dg_fw_state *st, const char *app,
			 const char *self, const struct dg_py_value *v)
{
	v = fw_resolve(e, v);
	if (!v)
		return NULL;
	if (v->kind == DG_PY_NAME && !strncmp(v->s, "settings.", 9)) {
		/* swappable: the repository's own model named like it wins ("user") */
		const char *d = swappable_default(v->s + 9);
		if (!d)
			return NULL;
		const char *want = strchr(d, '.') + 1;
		for (size_t i = 0; i < st->n_models; i++)
			if (!strcmp(st->models[i].name, want))
				return dg_sprintf(e->a, "%s.%s", st->models[i].app, want);
		return d;
	}
	if (v->kind == DG_PY_CALL) {
		const char *f = dg_py_call_name(v); /* migrations.swappable_dependency(...) */
		if (f && !strcmp(f, "swappable_dependency") && v->n_items)
			return dj_model_key(e, st, app, self, v->items[0]);
	}
	const char *s = fw_str(e, v);
	if (!s)
		return NULL;
	if (!strcmp(s, "self"))
		return self;
	if (!strchr(s, '.'))
		return dg_sprintf(e->a, "%s.%s", app, lower(e->a, s));
	const char *dot = strrchr(s, '.');
	return dg_sprintf(e->a, "%.*s.%s", (int)(dot - s), s, lower(e->a, dot + 1));
}

struct dj_field *dj_field_find(struct dj_model *m, const char *name)
{
	if (!m || !name)
		return NULL;
	for (size_t i = 0; i < m->n_fields; i++)
		if (!strcmp(m->fields[i].name, name))
			return &m->fields[i];
	for (size_t i = 0; i < m->n_fields; i++) /* category_id names the field category too */
		if (m->fields[i].column && !strcmp(m->fields[i].column, name))
			return &m->fields[i];
	return NULL;
}

struct dj_field *dj_pk(struct dj_model *m)
{
	for (size_t i = 0; m && i < m->n_fields; i++)
		if (m->fields[i].pk)
			return &m->fields[i];
	return NULL;
}

/* A placeholder constant of the column's type: what a callable default evaluates to. */
static const char *typed_constant(const char *type)
{
	if (!type)
		return "''";
	if (strstr(type, "int") || strstr(type, "serial") || !strncmp(type, "numeric", 7) ||
	    !strcmp(type, "double precision"))
		return "0";
	if (!strcmp(type, "boolean"))
		return "false";
	if (!strncmp(type, "timestamp", 9))
		return "'2000-01-01T00:00:00+00:00'::timestamptz";
	if (!strcmp(type, "date"))
		return "'2000-01-01'::date";
	if (!strcmp(type, "time"))
		return "'00:00:00'::time";
	if (!strcmp(type, "uuid"))
		return "'00000000-0000-0000-0000-000000000000'::uuid";
	if (!strcmp(type, "jsonb"))
		return "'{}'";
	if (!strcmp(type, "interval"))
		return "'0 seconds'::interval";
	if (strstr(type, "[]"))
		return "'{}'";
	return "''";
}

/* A default= value as the constant Django sends (it evaluates callables itself). */
static const char *default_sql(struct fw_emit *e, const struct dj_field *f,
			       const struct dg_py_value *v)
{
	const struct dg_py_value *r = fw_resolve(e, v);
	if (!r || r->kind == DG_PY_NONE)
		return NULL;
	if (r->kind == DG_PY_BOOL && f->type && strcmp(f->type, "boolean"))
		return r->i ? "1" : "0";
	const char *c = fw_sql_const(e, r);
	if (c && f->type && !strcmp(f->type, "jsonb") && r->kind != DG_PY_STR)
		return fw_qs(e, c); /* JSONField(default=0): a JSON text */
	if (c && r->kind == DG_PY_STR && f->type && !strcmp(f->type, "jsonb"))
		return fw_qs(e, dg_sprintf(e->a, "\"%s\"", r->s));
	/* a callable, a dict / list, an expression: evaluated in Python, sent as a constant */
	return c ? c : typed_constant(f->type);
}

/* Django >= 5.0 db_default: an expression the database keeps as the column default. */
static const char *db_default_sql(struct fw_emit *e, const struct dg_py_value *v)
{
	const struct dg_py_value *r = fw_resolve(e, v);
	const char *c = fw_sql_const(e, r);
	if (c)
		return c;
	const char *f = r && r->kind == DG_PY_CALL ? dg_py_call_name(r) : NULL;
	if (f && !strcmp(f, "Now"))
		return "STATEMENT_TIMESTAMP()";
	if (f && !strcmp(f, "Value") && r->n_items)
		return fw_sql_const(e, r->items[0]);
	if (f && (!strcmp(f, "RandomUUID") || !strcmp(f, "GenRandomUUID")))
		return "GEN_RANDOM_UUID()";
	return NULL;
}

void dj_field_read(struct fw_emit *e, struct dg_fw_state *st, const char *app,
		   const struct dg_py_value *call, struct dj_field *f)
{
	(void)st;
	(void)app;
	memset(f, 0, sizeof(*f));
	call = fw_resolve(e, call);
	f->call = call;
	const char *callee = fw_callee(call);
	f->cls = callee ? last_part(callee) : "?";
	f->db_constraint = 1;
	const char *cls = f->cls;
	int known = type_of(cls) || !strcmp(cls, "ForeignKey") || !strcmp(cls, "OneToOneField") ||
		    !strcmp(cls, "ManyToManyField") || !strcmp(cls, "ArrayField");
	for (size_t i = 0; !known && i < DG_ARRAY_SIZE(by_suffix); i++)
		if (dg_str_endswith(cls, by_suffix[i].suffix)) {
			cls = by_suffix[i].as;
			known = 2; /* a subclass, read as its base */
		}
	f->known = known;
	f->null = fw_bool(e, kw(call, "null"), 0);
	f->blank = fw_bool(e, kw(call, "blank"), 0);
	f->pk = fw_bool(e, kw(call, "primary_key"), 0);
	f->unique = fw_bool(e, kw(call, "unique"), 0) || f->pk;
	f->collation = fw_str(e, kw(call, "db_collation"));
	const struct dg_py_value *dc = kw(call, "db_column");
	f->column = fw_str(e, dc);
	if (!strcmp(cls, "ForeignKey") || !strcmp(cls, "OneToOneField") ||
	    !strcmp(cls, "ManyToManyField")) {
		f->rel = !strcmp(cls, "ForeignKey") ? DJ_REL_FK
			 : !strcmp(cls, "OneToOneField") ? DJ_REL_O2O : DJ_REL_M2M;
		/* the target, resolved against the app by the caller (it knows "self") */
		f->to_field = fw_str(e, kw(call, "to_field"));
		f->db_constraint = fw_bool(e, kw(call, "db_constraint"), 1);
		f->db_index = fw_bool(e, kw(call, "db_index"), 1);
		if (f->rel == DJ_REL_O2O)
			f->unique = 1;
		if (f->rel == DJ_REL_M2M) {
			f->m2m_table = fw_str(e, kw(call, "db_table"));
			f->db_index = 0;
			f->unique = 0;
		}
		f->empty_strings = 0;
		return;
	}
	const struct field_type *t = type_of(cls);
	f->db_index = fw_bool(e, kw(call, "db_index"), !strcmp(cls, "SlugField"));
	if (!strcmp(cls, "ArrayField")) {
		struct dj_field base;
		dj_field_read(e, st, app, dg_py_arg(call, 0, "base_field"), &base);
		dj_field_finish(e, st, &base);
		long long size = fw_int(e, kw(call, "size"), -1);
		f->type = size >= 0 ? dg_sprintf(e->a, "%s[%lld]", base.type ? base.type : "text", size)
				    : dg_sprintf(e->a, "%s[]", base.type ? base.type : "text");
		f->data_type = f->type;
		f->known = base.known ? f->known : 0;
		return;
	}
	if (!t) {
		f->type = "text"; /* unknown: noted by the caller */
		f->data_type = "text";
		f->empty_strings = 1;
		return;
	}
	f->empty_strings = t->empty_strings;
	f->serial = t->serial;
	f->data_type = t->type;
	if (!strcmp(t->type, "varchar(%L)")) {
		long long n = fw_int(e, kw(call, "max_length"), t->default_length);
		/* Django 3.2 requires max_length on CharField; without one PostgreSQL's varchar */
		f->type = n > 0 ? dg_sprintf(e->a, "varchar(%lld)", n) : "varchar";
	} else if (!strcmp(t->type, "%D")) {
		f->type = dg_sprintf(e->a, "numeric(%lld, %lld)", fw_int(e, kw(call, "max_digits"), 0),
				     fw_int(e, kw(call, "decimal_places"), 0));
		f->data_type = "numeric(%(max_digits)s, %(decimal_places)s)";
	} else {
		f->type = t->type;
	}
	if (t->positive)
		f->check = ">= 0";
	f->auto_now = fw_bool(e, kw(call, "auto_now"), 0) || fw_bool(e, kw(call, "auto_now_add"), 0);
}

void dj_field_finish(struct fw_emit *e, struct dg_fw_state *st, struct dj_field *f)
{
	if (f->rel == DJ_REL_FK || f->rel == DJ_REL_O2O) {
		/* the column is <name>_id of the target key's rel_db_type */
		struct dj_model *tm = dj_model_find(st, f->to);
		struct dj_field *tk = f->to_field ? dj_field_find(tm, f->to_field) : dj_pk(tm);
		const struct field_type *tt = tk ? type_of(tk->cls) : NULL;
		f->type = tk ? (tt && tt->rel_type ? tt->rel_type : tk->type) : "integer";
		f->data_type = f->type;
		if (tk && tk->serial)
			f->type = tk->serial == 2 ? "bigint" : tk->serial == 3 ? "smallint" : "integer";
	}
	const struct dg_py_value *call = f->call;
	const struct dg_py_value *d = kw(call, "default");
	if (d) {
		const struct dg_py_value *r = fw_resolve(e, d);
		f->has_default = !(r && r->kind == DG_PY_NAME && dg_str_endswith(r->s, "NOT_PROVIDED"));
		if (f->has_default)
			f->default_sql = default_sql(e, f, d);
	} else if (!f->null && f->blank && f->empty_strings) {
		f->default_sql = "''"; /* Django's effective default for a blank text field */
	} else if (f->auto_now) {
		f->default_sql = typed_constant(f->type);
	}
	const struct dg_py_value *dbd = kw(call, "db_default");
	if (dbd) {
		/* Django >= 5.0 (not in the 3.2 checked against): column_sql() includes db_default
		 * and it is never dropped */
		f->db_default = db_default_sql(e, dbd);
		if (!f->db_default) {
			f->db_default = typed_constant(f->type);
			fw_note(e, dbd, "the db_default expression is not read; checked as a constant default");
		}
	}
}

/* ---- names ---- */

const char *dj_index_name(struct fw_emit *e, const char *table, const char *const *cols, size_t n,
			  const char *suffix)
{
	/* Django 3.2 _create_index_name: table_cols_<md5(table, *cols)[:8]><suffix>, 63 at most */
	const char *parts[64];
	size_t np = 0;
	const char *dot = strchr(table, '.');
	if (table[0] == '"' && dot)
		table = dot + 1; /* split_identifier: the name part of "schema"."table" */
	parts[np++] = table;
	for (size_t i = 0; i < n && np < DG_ARRAY_SIZE(parts); i++)
		parts[np++] = cols[i];
	const char *hash = dg_sprintf(e->a, "%s%s", fw_md5_digest(e->a, parts, np, 8), suffix);
	const char *joined = dg_join(e->a, cols, n, "_");
	const char *name = dg_sprintf(e->a, "%s_%s_%s", table, joined, hash);
	if (strlen(name) <= 63)
		return name;
	size_t hl = strlen(hash);
	if (hl > 63 / 3) {
		hash = dg_strndup(e->a, hash, 63 / 3);
		hl = strlen(hash);
	}
	int other = (int)((63 - hl) / 2) - 1;
	name = dg_sprintf(e->a, "%.*s_%.*s_%s", other, table, other, joined, hash);
	if (name[0] == '_' || isdigit((unsigned char)name[0]))
		name = dg_sprintf(e->a, "D%.*s", (int)strlen(name) - 1, name);
	return name;
}

const char *dj_pg_name(struct fw_emit *e, const char *table, const char *column,
		       const char *label)
{
	/* PostgreSQL's makeObjectName: shorten the longer part until it fits in 63 bytes */
	size_t n1 = strlen(table), n2 = column ? strlen(column) : 0;
	size_t avail = 63 - strlen(label) - 1 - (column ? 1 : 0);
	while (n1 + n2 > avail) {
		if (n1 > n2)
			n1--;
		else
			n2--;
	}
	if (!column)
		return dg_sprintf(e->a, "%.*s_%s", (int)n1, table, label);
	return dg_sprintf(e->a, "%.*s_%.*s_%s", (int)n1, table, (int)n2, column, label);
}

/* ---- expressions ---- */

static const char *q_node(struct fw_emit *e, struct dj_model *m, const struct dg_py_value *v,
			  int depth);

/* A field name (or name_id) as its quoted column. */
static const char *col_of(struct fw_emit *e, struct dj_model *m, const char *name)
{
	struct dj_field *f = dj_field_find(m, name);
	return fw_qi(e, f && f->column ? f->column : name);
}

struct expr_ctx {
	struct fw_emit *e;
	struct dj_model *m;
};

static const char *write_expr(void *cookie, const struct dg_py_value *v)
{
	struct expr_ctx *ec = cookie;
	return dj_expr_sql(ec->e, ec->m, v);
}

const char *dj_expr_sql(struct fw_emit *e, struct dj_model *m, const struct dg_py_value *v)
{
	v = fw_resolve(e, v);
	const char *s = fw_str(e, v);
	if (s)
		return col_of(e, m, s);
	const char *c = fw_sql_const(e, v);
	if (c)
		return c;
	const char *f = v && v->kind == DG_PY_CALL ? dg_py_call_name(v) : NULL;
	if (!f)
		return NULL;
	if (!strcmp(f, "F") && v->n_items)
		return col_of(e, m, fw_str(e, v->items[0]) ? fw_str(e, v->items[0]) : "?");
	if (!strcmp(f, "Value") && v->n_items)
		return fw_sql_const(e, v->items[0]);
	static const char *const funcs[] = {"Lower", "Upper", "Length", "Coalesce", "Abs", "Trim"};
	for (size_t i = 0; i < DG_ARRAY_SIZE(funcs); i++)
		if (!strcmp(f, funcs[i])) {
			char *upper = dg_strdup(e->a, f);
			for (char *p = upper; *p; p++)
				*p = (char)toupper((unsigned char)*p);
			struct expr_ctx ec = {e, m};
			return fw_sql_call(e, upper, v, write_expr, &ec);
		}
	return NULL;
}

/* One lookup: price__gte=0 -> "price" >= 0 (Django 3.2's compiler). */
static const char *lookup(struct fw_emit *e, struct dj_model *m, const char *key,
			  const struct dg_py_value *val)
{
	const char *sep = strstr(key, "__");
	const char *field = sep ? dg_strndup(e->a, key, (size_t)(sep - key)) : key;
	const char *op = sep ? sep + 2 : "exact";
	const char *col = col_of(e, m, field);
	const struct dg_py_value *r = fw_resolve(e, val);
	if (!strcmp(op, "isnull"))
		return dg_sprintf(e->a, "%s IS %sNULL", col, fw_bool(e, r, 1) ? "" : "NOT ");
	if (!strcmp(op, "in")) {
		size_t n;
		struct dg_py_value *const *it = fw_items(e, r, &n);
		if (!it)
			return NULL;
		struct dg_buf b = DG_BUF_INIT;
		for (size_t i = 0; i < n; i++) {
			const char *x = dj_expr_sql(e, m, it[i]);
			const char *c = fw_sql_const(e, it[i]);
			dg_buf_addf(&b, "%s%s", i ? ", " : "", c ? c : x ? x : "NULL");
		}
		const char *res = dg_sprintf(e->a, "%s IN (%s)", col, b.ptr ? b.ptr : "");
		dg_buf_release(&b);
		return res;
	}
	const char *rhs = fw_sql_const(e, r);
	if (!rhs)
		rhs = dj_expr_sql(e, m, r);
	if (!rhs)
		return NULL;
	if (!strcmp(op, "exact") && r && r->kind == DG_PY_BOOL)
		return r->i ? col : dg_sprintf(e->a, "NOT %s", col); /* WHERE "active" */
	if (!strcmp(op, "exact") && r && r->kind == DG_PY_NONE)
		return dg_sprintf(e->a, "%s IS NULL", col);
	static const struct {
		const char *lookup, *sql;
	} ops[] = {{"exact", "="}, {"gt", ">"}, {"gte", ">="}, {"lt", "<"}, {"lte", "<="}};
	for (size_t i = 0; i < DG_ARRAY_SIZE(ops); i++)
		if (!strcmp(op, ops[i].lookup))
			return dg_sprintf(e->a, "%s %s %s", col, ops[i].sql, rhs);
	if (!strcmp(op, "iexact"))
		return dg_sprintf(e->a, "UPPER(%s::text) = UPPER(%s)", col, rhs);
	return NULL;
}

/* Q(a=1, b=2) is a AND b; Q(x) & Q(y), |, ~ combine them. */
static const char *q_node(struct fw_emit *e, struct dj_model *m, const struct dg_py_value *v,
			  int depth)
{
	v = fw_resolve(e, v);
	if (!v || depth > 32)
		return NULL;
	if (v->kind == DG_PY_UNKNOWN && v->op) {
		if (!strcmp(v->op, "~") && v->rhs) {
			const char *x = q_node(e, m, v->rhs, depth + 1);
			return x ? dg_sprintf(e->a, "NOT (%s)", x) : NULL;
		}
		if ((!strcmp(v->op, "&") || !strcmp(v->op, "|")) && v->lhs && v->rhs) {
			const char *l = q_node(e, m, v->lhs, depth + 1), *r = q_node(e, m, v->rhs, depth + 1);
			return l && r ? dg_sprintf(e->a, "(%s %s %s)", l, !strcmp(v->op, "&") ? "AND" : "OR", r)
				      : NULL;
		}
		return NULL;
	}
	const char *f = v->kind == DG_PY_CALL ? dg_py_call_name(v) : NULL;
	if (!f || strcmp(f, "Q"))
		return NULL;
	struct dg_buf b = DG_BUF_INIT;
	size_t parts = 0;
	const char *conn = "AND";
	const char *c = fw_str(e, dg_py_kwarg(v, "_connector"));
	if (c && !strcmp(c, "OR"))
		conn = "OR";
	for (size_t i = 0; i < v->n_items; i++) {
		/* positional children: Q objects or ('field__lookup', value) pairs */
		const struct dg_py_value *it = fw_resolve(e, v->items[i]);
		const char *x = NULL;
		if (it && it->kind == DG_PY_TUPLE && it->n_items == 2 && fw_str(e, it->items[0]))
			x = lookup(e, m, fw_str(e, it->items[0]), it->items[1]);
		else
			x = q_node(e, m, it, depth + 1);
		if (!x) {
			dg_buf_release(&b);
			return NULL;
		}
		dg_buf_addf(&b, "%s%s", parts++ ? dg_sprintf(e->a, " %s ", conn) : "", x);
	}
	for (size_t i = 0; i < v->n_kw; i++) {
		if (v->kw_names[i][0] == '_')
			continue; /* _connector, _negated */
		const char *x = lookup(e, m, v->kw_names[i], v->kw_values[i]);
		if (!x) {
			dg_buf_release(&b);
			return NULL;
		}
		dg_buf_addf(&b, "%s%s", parts++ ? dg_sprintf(e->a, " %s ", conn) : "", x);
	}
	const char *r = parts > 1 ? dg_sprintf(e->a, "(%s)", b.ptr) : dg_strdup(e->a, b.ptr ? b.ptr : "true");
	dg_buf_release(&b);
	if (fw_bool(e, dg_py_kwarg(v, "_negated"), 0))
		r = dg_sprintf(e->a, "NOT (%s)", r);
	return r;
}

const char *dj_q_sql(struct fw_emit *e, struct dj_model *m, const struct dg_py_value *q)
{
	return q_node(e, m, q, 0);
}
