/*
 * Internal to src/frameworks/: the SQL emitter that remembers where each
 * byte of SQL came from in the .py file, helpers over the reader's values,
 * and the translators of each framework.
 */
#ifndef DG_FW_INT_H
#define DG_FW_INT_H

#include "frameworks/frameworks.h"
#include "python/pyread.h"

enum fw_kind { FW_DJANGO, FW_ALEMBIC };

/* One operation of a migration: what its SQL and the findings on it are about. */
struct fw_group {
	const char *op;			/* "AddField", "op.create_index" */
	const struct dg_py_value *call; /* the call as written */
	const char *model;		/* Django model name as written */
	const char *table;		/* the table it works on, when one */
	const char *detail;		/* index / constraint / field name, when one */
	int autocommit;			/* Alembic: inside autocommit_block() */
	int separate;			/* inside SeparateDatabaseAndState */
};

/* A local name bound in the function being read (Alembic upgrade()). */
struct fw_local {
	const char *name;
	const struct dg_py_value *value; /* NULL: bound to something not read */
};

struct fw_emit {
	struct dg_arena *a;
	const char *path;
	const char *data;
	size_t len;
	const struct dg_py_module *mod;
	enum fw_kind kind;
	struct dg_buf sql;
	struct dg_sql_span *spans;
	size_t n_spans, cap_spans;
	struct dg_sql_origin_ignore *ignores;
	size_t n_ignores, cap_ignores;
	struct dg_sql_opaque *opaque;
	size_t n_opaque, cap_opaque;
	struct dg_sql_note *notes;
	size_t n_notes, cap_notes;
	struct fw_group *groups;
	size_t n_groups, cap_groups;
	int group;			  /* operation being emitted, -1 none */
	struct dg_sql_origin *origin;	  /* built at the start: line numbers */
	int atomic;			  /* the migration runs in one transaction */
	const char *migration;		  /* "Migration" class or upgrade() line, for notes */
	struct fw_local *locals;	  /* Alembic: names bound in upgrade() so far */
	size_t n_locals, cap_locals;
};

/* What fw_help reads (the origin's cookie): the operations of one migration. */
struct fw_result {
	struct dg_arena *arena; /* the run's: where help text is written */
	enum fw_kind kind;
	int atomic;
	const struct fw_group *groups;
	size_t n_groups;
};

void fw_emit_init(struct fw_emit *e, struct dg_arena *a, const char *path, const char *data,
		  size_t len, const struct dg_py_module *mod, enum fw_kind kind);
/* Make e's SQL into a parsed file with its origin map (and free e's scratch). */
void fw_emit_finish(struct fw_emit *e, struct dg_sql_file *out);
void fw_emit_release(struct fw_emit *e);

/* Start the SQL of one operation; suppression comments above `call` apply to it. */
int fw_group_begin(struct fw_emit *e, const char *op, const struct dg_py_value *call);
struct fw_group *fw_group_cur(struct fw_emit *e);

/* A statement the framework generates, mapped to the current operation (";\n" added). */
void fw_sql(struct fw_emit *e, const char *fmt, ...) DG_PRINTF(2, 3);
void fw_vsql(struct fw_emit *e, const char *fmt, va_list ap);
/* The same, mapped to byte offset `at` of the file instead. */
void fw_sql_at(struct fw_emit *e, size_t at, const char *fmt, ...) DG_PRINTF(3, 4);
/*
 * SQL written in a string literal, copied with its exact positions. With
 * params (Django RunSQL (sql, params)), %s placeholders become $n and %%
 * a single %, as the driver would see them.
 */
void fw_sql_literal(struct fw_emit *e, const struct dg_py_value *str, int params);
/* A note about what was not modelled, at the line of `at` (NULL: the current operation). */
void fw_note(struct fw_emit *e, const struct dg_py_value *at, const char *fmt, ...)
    DG_PRINTF(3, 4);
void fw_note_line(struct fw_emit *e, int line, const char *fmt, ...) DG_PRINTF(3, 4);
/* SQL that runs but cannot be read: an opaque-sql item at `at`. */
void fw_opaque(struct fw_emit *e, const struct dg_py_value *at, const char *fmt, ...)
    DG_PRINTF(3, 4);

/* ---- values ---- */

/* v with names followed to their literal value (module constants, locals). */
const struct dg_py_value *fw_resolve(struct fw_emit *e, const struct dg_py_value *v);
/* A string literal (after fw_resolve), NULL when v is anything else. */
const char *fw_str(struct fw_emit *e, const struct dg_py_value *v);
/* True / False / None / a number as a truth value; dflt when not literal or absent. */
int fw_bool(struct fw_emit *e, const struct dg_py_value *v, int dflt);
/* An integer literal; dflt when not one. */
long long fw_int(struct fw_emit *e, const struct dg_py_value *v, long long dflt);
/* The dotted name a call calls ("migrations.AddField", "op.get_bind().execute" reads "execute"). */
const char *fw_callee(const struct dg_py_value *call);
/* Why a value is not a string literal, for messages ("an f-string", "the variable 'sql'"). */
const char *fw_why_not_literal(struct fw_emit *e, const struct dg_py_value *v);
/* Items of a list / tuple / set (after fw_resolve); NULL with *n = 0 otherwise. */
struct dg_py_value *const *fw_items(struct fw_emit *e, const struct dg_py_value *v, size_t *n);

/* ---- SQL text ---- */

/* "name" quoted as PostgreSQL wants (a name already in quotes stays as it is). */
const char *fw_qi(struct fw_emit *e, const char *name);
/* A SQL string literal 'text'. */
const char *fw_qs(struct fw_emit *e, const char *text);
/*
 * fname(arg, ...) with each of call's positional arguments written by
 * write_arg (NULL from it: the whole call is NULL, it cannot be written).
 */
const char *fw_sql_call(struct fw_emit *e, const char *fname, const struct dg_py_value *call,
			const char *(*write_arg)(void *cookie, const struct dg_py_value *v),
			void *cookie);
/* A Python literal (number, string, bool, None) as a SQL constant; NULL when not literal. */
const char *fw_sql_const(struct fw_emit *e, const struct dg_py_value *v);

/* Django's names_digest: the first `length` hex digits of md5 over the parts. */
const char *fw_md5_digest(struct dg_arena *a, const char *const *parts, size_t n, int length);

/* ---- SQLAlchemy (Alembic) ---- */

/*
 * A SQLAlchemy type (sa.String(40), postgresql.JSONB, sa.Integer) as the
 * PostgreSQL dialect writes it; NULL when not known. For sa.Enum the type
 * name, and when its CREATE TYPE is due, *enum_name and *enum_call.
 */
const char *fw_sa_type(struct fw_emit *e, const struct dg_py_value *v, const char **enum_name,
		       const struct dg_py_value **enum_call);
/* 1 INTEGER, 2 BIGINT, 3 SMALLINT (SERIAL candidates), 0 another type. */
int fw_sa_integer_kind(const char *sql);

/* ---- the translators ---- */

int fw_django(struct fw_emit *e, struct dg_fw_state *st, const struct dg_fw_opts *o);
int fw_alembic(struct fw_emit *e, const struct dg_fw_opts *o);

/* The help hook of dg_sql_origin: the framework's safe way for a rule. */
const char *fw_help(const struct dg_sql_file *f, const struct dg_stmt *st, const char *rule,
		    const char *dflt);

#endif
