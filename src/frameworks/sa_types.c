/*
 * SQLAlchemy column types as the PostgreSQL dialect writes them in DDL
 * (checked against SQLAlchemy 1.4.46 with Alembic 1.8.1 offline --sql):
 * sa.String(40) -> VARCHAR(40), sa.DateTime(timezone=True) -> TIMESTAMP
 * WITH TIME ZONE, postgresql.ARRAY(sa.Text()) -> TEXT[] ...
 */
#include <string.h>

#include "frameworks/fw_int.h"

/* A type name: the last part of sa.Integer / postgresql.JSONB / sqlalchemy.types.String. */
static const char *last_part(const char *s)
{
	const char *d = strrchr(s, '.');
	return d ? d + 1 : s;
}

struct simple_type {
	const char *name; /* SQLAlchemy class */
	const char *sql;  /* PostgreSQL DDL (SQLAlchemy 1.4.46) */
	int integer;	  /* 1 int4, 2 int8, 3 int2: SERIAL candidates */
};

/* Types without arguments that matter; SQLAlchemy 1.4.46, PostgreSQL dialect. */
static const struct simple_type simple[] = {
    {"Integer", "INTEGER", 1},
    {"INTEGER", "INTEGER", 1},
    {"INT", "INTEGER", 1},
    {"BigInteger", "BIGINT", 2},
    {"BIGINT", "BIGINT", 2},
    {"SmallInteger", "SMALLINT", 3},
    {"SMALLINT", "SMALLINT", 3},
    {"Boolean", "BOOLEAN", 0},
    {"BOOLEAN", "BOOLEAN", 0},
    {"Text", "TEXT", 0},
    {"TEXT", "TEXT", 0},
    {"UnicodeText", "TEXT", 0},
    {"Date", "DATE", 0},
    {"DATE", "DATE", 0},
    {"LargeBinary", "BYTEA", 0},
    {"BYTEA", "BYTEA", 0},
    {"BLOB", "BYTEA", 0},
    {"JSON", "JSON", 0},
    {"JSONB", "JSONB", 0},
    {"UUID", "UUID", 0},
    {"Uuid", "UUID", 0},
    {"INET", "INET", 0},
    {"CIDR", "CIDR", 0},
    {"MACADDR", "MACADDR", 0},
    {"MONEY", "MONEY", 0},
    {"TSVECTOR", "TSVECTOR", 0},
    {"HSTORE", "HSTORE", 0},
    {"OID", "OID", 0},
    {"REAL", "REAL", 0},
    {"DOUBLE_PRECISION", "DOUBLE PRECISION", 0},
    {"Interval", "INTERVAL", 0},
    {"INTERVAL", "INTERVAL", 0},
    {"INT4RANGE", "INT4RANGE", 0},
    {"INT8RANGE", "INT8RANGE", 0},
    {"NUMRANGE", "NUMRANGE", 0},
    {"DATERANGE", "DATERANGE", 0},
    {"TSRANGE", "TSRANGE", 0},
    {"TSTZRANGE", "TSTZRANGE", 0},
    {"CITEXT", "CITEXT", 0},
};

/* The integer kind of a rendered type (1 int4, 2 int8, 3 int2, 0 other). */
int fw_sa_integer_kind(const char *sql)
{
	if (!sql)
		return 0;
	for (size_t i = 0; i < DG_ARRAY_SIZE(simple); i++)
		if (simple[i].integer && !strcmp(simple[i].sql, sql))
			return simple[i].integer;
	return 0;
}

/* length=40 or the first positional argument; -1 when none. */
static long long type_arg(struct fw_emit *e, const struct dg_py_value *call, size_t i,
			  const char *kw)
{
	return fw_int(e, dg_py_arg(call, i, kw), -1);
}

/* TIMESTAMP / TIME WITHOUT|WITH TIME ZONE, as the dialect writes them. */
static const char *with_tz(struct fw_emit *e, const char *base, const struct dg_py_value *call)
{
	int tz = fw_bool(e, dg_py_kwarg(call, "timezone"), 0);
	long long prec = fw_int(e, dg_py_kwarg(call, "precision"), -1);
	if (prec >= 0)
		return dg_sprintf(e->a, "%s(%lld) %s TIME ZONE", base, prec, tz ? "WITH" : "WITHOUT");
	return dg_sprintf(e->a, "%s %s TIME ZONE", base, tz ? "WITH" : "WITHOUT");
}

const char *fw_sa_type(struct fw_emit *e, const struct dg_py_value *v, const char **enum_name,
		       const struct dg_py_value **enum_call)
{
	v = fw_resolve(e, v);
	if (enum_name)
		*enum_name = NULL;
	if (!v)
		return NULL;
	const struct dg_py_value *call = v->kind == DG_PY_CALL ? v : NULL;
	const char *name = call ? fw_callee(call) : v->kind == DG_PY_NAME ? v->s : NULL;
	if (!name)
		return NULL;
	name = last_part(name);
	for (size_t i = 0; i < DG_ARRAY_SIZE(simple); i++)
		if (!strcmp(simple[i].name, name))
			return simple[i].sql;
	if (!strcmp(name, "String") || !strcmp(name, "Unicode") || !strcmp(name, "VARCHAR") ||
	    !strcmp(name, "NVARCHAR")) {
		long long n = type_arg(e, call, 0, "length");
		return n >= 0 ? dg_sprintf(e->a, "VARCHAR(%lld)", n) : "VARCHAR";
	}
	if (!strcmp(name, "CHAR") || !strcmp(name, "NCHAR")) {
		long long n = type_arg(e, call, 0, "length");
		return n >= 0 ? dg_sprintf(e->a, "CHAR(%lld)", n) : "CHAR";
	}
	if (!strcmp(name, "DateTime") || !strcmp(name, "TIMESTAMP") || !strcmp(name, "DATETIME"))
		return with_tz(e, "TIMESTAMP", call);
	if (!strcmp(name, "Time") || !strcmp(name, "TIME"))
		return with_tz(e, "TIME", call);
	if (!strcmp(name, "Float") || !strcmp(name, "FLOAT")) {
		long long p = type_arg(e, call, 0, "precision");
		return p >= 0 ? dg_sprintf(e->a, "FLOAT(%lld)", p) : "FLOAT";
	}
	if (!strcmp(name, "Numeric") || !strcmp(name, "NUMERIC") || !strcmp(name, "DECIMAL")) {
		long long p = type_arg(e, call, 0, "precision"), s = type_arg(e, call, 1, "scale");
		const char *base = strcmp(name, "DECIMAL") ? "NUMERIC" : "DECIMAL";
		if (p >= 0 && s >= 0)
			return dg_sprintf(e->a, "%s(%lld, %lld)", base, p, s);
		if (p >= 0)
			return dg_sprintf(e->a, "%s(%lld)", base, p);
		return base;
	}
	if (!strcmp(name, "ARRAY")) {
		const char *item = fw_sa_type(e, dg_py_arg(call, 0, "item_type"), NULL, NULL);
		return item ? dg_sprintf(e->a, "%s[]", item) : NULL;
	}
	if (!strcmp(name, "Enum") || !strcmp(name, "ENUM")) {
		const char *n = fw_str(e, dg_py_kwarg(call, "name"));
		if (!n)
			return NULL;
		/* postgresql.ENUM(..., create_type=False): the type exists already */
		if (enum_name && fw_bool(e, dg_py_kwarg(call, "create_type"), 1))
			*enum_name = n;
		if (enum_call)
			*enum_call = call;
		return fw_qi(e, n);
	}
	return NULL;
}
