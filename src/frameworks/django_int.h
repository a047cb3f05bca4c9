/*
 * Internal to the Django translator: the project state (models, their
 * fields and the database objects Django made for them) and the field
 * reader shared by django.c and django_fields.c.
 */
#ifndef DG_DJANGO_INT_H
#define DG_DJANGO_INT_H

#include "frameworks/fw_int.h"

/* Append to an arena array (the state lives as long as the run: no free). */
#define APUSH(a, p, n, cap, item)                                                   \
	do {                                                                        \
		if ((n) == (cap)) {                                                 \
			size_t nc_ = (cap) ? (cap) * 2 : 8;                         \
			void *np_ = dg_alloc((a), nc_ * sizeof(*(p)));              \
			if (n)                                                      \
				memcpy(np_, (p), (n) * sizeof(*(p)));               \
			(p) = np_;                                                  \
			(cap) = nc_;                                                \
		}                                                                   \
		(p)[(n)++] = (item);                                                \
	} while (0)

enum dj_rel { DJ_REL_NONE = 0, DJ_REL_FK, DJ_REL_O2O, DJ_REL_M2M };

/* A field of a model, with the names of what Django created for it in the database. */
struct dj_field {
	const char *name;
	const char *column;	  /* NULL for a many-to-many field (no column) */
	const char *cls;	  /* "CharField" */
	const char *type;	  /* its column type ("varchar(100)"); FK: the target key's type */
	const char *data_type;	  /* Django's data_types entry, for the USING decision of AlterField */
	const char *check;	  /* PositiveIntegerField: "col" >= 0 (with the column) */
	int null, unique, pk, db_index, blank;
	int empty_strings;	  /* '' is a value (an effective default for blank=True) */
	int has_default;	  /* default= given */
	const char *default_sql;  /* the constant Django sends for it (NULL: none / None) */
	const char *db_default;	  /* Django >= 5.0 db_default: kept in the database */
	int auto_now;		  /* auto_now / auto_now_add */
	int serial;		  /* AutoField kinds: 1 serial, 2 bigserial, 3 smallserial */
	enum dj_rel rel;
	const char *to;		  /* "app.model" of the target */
	const char *to_field;	  /* target field name; NULL = its primary key */
	int db_constraint;
	const char *through;	  /* M2M: an explicit through model */
	const char *m2m_table;	  /* M2M: db_table= */
	const char *collation;
	int known;		  /* the field class is one ddlgate knows */
	const struct dg_py_value *call;
	/* what exists in the database for it (the names Django gave them) */
	const char *fk_name, *uniq_name, *idx_name, *like_name, *check_name;
};

struct dj_fieldset {
	const char **fields; /* field names */
	size_t n;
	const char *name; /* the constraint / index in the database */
};

struct dj_index {
	const char *name;
	const char **cols;     /* rendered elements: "col" DESC, LOWER("x") */
	const char **columns;  /* plain column names (NULL for expressions), for coverage */
	size_t n;
	const char *using;     /* " USING gin" */
	const char *where;     /* condition SQL */
	const char *include;   /* INCLUDE list SQL */
	int unique, concurrently;
};

enum dj_con_kind { DJ_CHECK = 1, DJ_UNIQUE, DJ_EXCLUDE };

struct dj_constraint {
	enum dj_con_kind kind;
	const char *name;
	const char *sql;   /* CHECK (...) / UNIQUE (...) / EXCLUDE USING ... clause */
	int as_index;	   /* a conditional / covering UNIQUE: a unique index, not a constraint */
	struct dj_index idx;
};

struct dj_model {
	const char *app;   /* app label */
	const char *name;  /* model name, lower case */
	const char *shown; /* as written */
	const char *db_table;
	struct dj_field *fields;
	size_t n_fields, cap_fields;
	struct dj_fieldset *ut, *it; /* unique_together, index_together */
	size_t n_ut, n_it, cap_ut, cap_it;
	struct dj_index *indexes;
	size_t n_indexes, cap_indexes;
	struct dj_constraint *cons;
	size_t n_cons, cap_cons;
	int managed, proxy;
	int explicit_table;  /* db_table set by the migrations (it survives RenameModel) */
	const char *pk_name; /* its PRIMARY KEY constraint */
};

/* SQL Django runs at the end of the migration (schema_editor.deferred_sql). */
enum dj_def_kind { DJ_DEF_FK = 1, DJ_DEF_INDEX, DJ_DEF_UNIQUE };

/* Where the name of a deferred object is kept once it exists (the state's "introspection"). */
enum dj_slot { DJ_SLOT_NONE = 0, DJ_SLOT_FK, DJ_SLOT_IDX, DJ_SLOT_LIKE, DJ_SLOT_UT, DJ_SLOT_IT };

struct dj_deferred {
	enum dj_def_kind kind;
	int group;
	const char *table, *name; /* name NULL: Django's, made when it runs (IndexName is lazy) */
	const char *suffix;	  /* for that name: "", "_like", "_uniq", "_idx" */
	enum dj_slot slot;
	const char **cols;     /* column names */
	const char **suffixes; /* per column: " DESC", " varchar_pattern_ops" (NULL = none) */
	size_t n;
	const char *to_table, *to_col; /* FK */
	const char *using, *where, *include;
	int unique;
	int rendered; /* cols are SQL already (Meta.indexes), not column names */
	int dropped;
};

struct dg_fw_state {
	struct dg_arena *a;
	struct dj_model *models;
	size_t n_models, cap_models;
	struct dj_deferred *def;
	size_t n_def, cap_def;
	int quiet; /* SeparateDatabaseAndState's state_operations: state only, no SQL */
};

/* Read a field call (models.CharField(max_length=20), ...) into f; name and column set by the caller. */
void dj_field_read(struct fw_emit *e, struct dg_fw_state *st, const char *app,
		   const struct dg_py_value *call, struct dj_field *f);
/* Column type and checks once the field's target is known (FK: the target key's type). */
void dj_field_finish(struct fw_emit *e, struct dg_fw_state *st, struct dj_field *f);
/* "app.model" of a model reference ('app.Model', 'Model', 'self', settings.AUTH_USER_MODEL). */
const char *dj_model_key(struct fw_emit *e, struct dg_fw_state *st, const char *app,
			 const char *self, const struct dg_py_value *v);
struct dj_model *dj_model_find(struct dg_fw_state *st, const char *key);
struct dj_field *dj_field_find(struct dj_model *m, const char *name);
/* The primary key field of a model, NULL when none is known. */
struct dj_field *dj_pk(struct dj_model *m);
/*
 * A Q(...) / models.Q object as the SQL condition Django writes for it
 * on model m; NULL when it cannot be read.
 */
const char *dj_q_sql(struct fw_emit *e, struct dj_model *m, const struct dg_py_value *q);
/* An index expression or field reference (F('x'), Lower('x'), 'x'): its SQL, NULL if unknown. */
const char *dj_expr_sql(struct fw_emit *e, struct dj_model *m, const struct dg_py_value *v);
/* Django's _create_index_name(table, columns, suffix). */
const char *dj_index_name(struct fw_emit *e, const char *table, const char *const *cols, size_t n,
			  const char *suffix);
/* PostgreSQL's name for an unnamed constraint: table_column_key / _pkey / _fkey. */
const char *dj_pg_name(struct fw_emit *e, const char *table, const char *column,
		       const char *label);

#endif
