/*
 * A strict reader for the subset of Python that migration files use:
 * module- and class-level assignments whose values are literals, names,
 * attributes, calls, lists, tuples, dicts and keyword arguments. Nothing
 * is imported or executed; anything else is skipped or marked unknown.
 */
#ifndef DG_PYREAD_H
#define DG_PYREAD_H

#include <stddef.h>

#include "core/core.h"

/* Files larger than this are refused rather than read: migration modules
 * are small, and the token array of a hostile file must stay bounded. */
#define DG_PY_MAX_BYTES (2u << 20)

enum dg_py_kind {
	DG_PY_UNKNOWN = 0, /* an expression the reader does not evaluate */
	DG_PY_NONE,
	DG_PY_BOOL,
	DG_PY_INT,
	DG_PY_FLOAT,
	DG_PY_STR, /* text (implicit concatenation done, escapes decoded) */
	DG_PY_BYTES,
	DG_PY_NAME, /* a dotted name: foo, settings.AUTH_USER_MODEL */
	DG_PY_LIST,
	DG_PY_TUPLE,
	DG_PY_SET,
	DG_PY_DICT,	 /* items alternate key, value */
	DG_PY_CALL,	 /* func(args..., kw=...) */
	DG_PY_SUBSCRIPT, /* value[index]: kept so type annotations read as what they are */
};

struct dg_py_value {
	enum dg_py_kind kind;
	int line, col;		    /* 1-based; col in bytes */
	const char *s;		    /* STR/BYTES (NUL-terminated), NAME */
	size_t len;		    /* STR/BYTES length */
	long long i;		    /* INT (saturated), BOOL */
	struct dg_py_value **items; /* LIST/TUPLE/SET/DICT, CALL positional args */
	size_t n_items;
	const char **kw_names; /* CALL keyword argument names */
	struct dg_py_value **kw_values;
	size_t n_kw;
	struct dg_py_value *func; /* CALL callee, SUBSCRIPT value */
	int fstring;		  /* STR from an f-string with replacement fields */
};

/* One `name = value` / `name: annotation = value` statement. */
struct dg_py_assign {
	const char *name;
	int line, col;		   /* of the name */
	struct dg_py_value *value; /* NULL for a bare annotation `name: T` */
};

struct dg_py_class {
	const char *name;
	int line, col;
	struct dg_py_value **bases;
	size_t n_bases;
	struct dg_py_assign *body; /* assignments directly in the class body */
	size_t n_body;
};

struct dg_py_module {
	struct dg_py_assign *assigns; /* module-level assignments, in order */
	size_t n_assigns;
	struct dg_py_class *classes; /* module-level classes */
	size_t n_classes;
	const char **imported; /* names bound by import statements */
	size_t n_imported;
};

/*
 * Read a Python file. On malformed input (unterminated string, unbalanced
 * brackets, bad indentation, NUL bytes, invalid UTF-8, too large, nesting
 * too deep) returns -1 with "path:line:col: message" set; never crashes.
 */
int dg_py_read(struct dg_arena *a, const char *path, const char *data, size_t len,
	       struct dg_py_module *out);

/* The last assignment to name at module level (NULL = none). */
const struct dg_py_assign *dg_py_module_get(const struct dg_py_module *m, const char *name);
const struct dg_py_assign *dg_py_class_get(const struct dg_py_class *c, const char *name);
/* Was name bound by an import? */
int dg_py_is_imported(const struct dg_py_module *m, const char *name);
/* Short description of a value for messages ("a call to foo", "name X"). */
const char *dg_py_describe(struct dg_arena *a, const struct dg_py_value *v);

#endif
