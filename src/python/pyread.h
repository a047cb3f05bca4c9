/*
 * A strict reader for the subset of Python that migration files use:
 * module- and class-level assignments whose values are literals, names,
 * attributes, calls, lists, tuples, dicts and keyword arguments; the
 * statements of module-level functions (expression statements, simple
 * assignments, `with` blocks); comments. Every value keeps its place in
 * the file, and a string the bytes it was decoded from. Nothing is
 * imported or executed; anything else is skipped or marked unknown.
 */
#ifndef DG_PYREAD_H
#define DG_PYREAD_H

#include <stddef.h>

#include "core/core.h"

/*
 * Files larger than this are refused rather than read (64 MB: squashed
 * histories and data migrations reach tens of MB), and so are files of
 * more tokens and comments than DG_PY_MAX_TOKENS: the token array of a
 * hostile file stays bounded (48 bytes a token). A refused file is
 * migration-unreadable, never skipped silently.
 */
#define DG_PY_MAX_BYTES (64u << 20)
#define DG_PY_MAX_TOKENS (4u << 20)
#define DG_PY_MAX_TOKENS_TEXT "4194304"

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
	DG_PY_ATTR,	 /* value.name on something that is not a name: a().b (func, s) */
};

/*
 * Where the bytes of a decoded string came from: bytes [at, at + len) of
 * the value were decoded from the file at byte offset src, byte for byte
 * when exact (else from an escape sequence or a newline starting there).
 */
struct dg_py_piece {
	size_t at, len;
	size_t src;
	int exact;
};

struct dg_py_value {
	enum dg_py_kind kind;
	int line, col;		    /* 1-based; col in bytes */
	size_t offset;		    /* byte offset of its first token in the file */
	const char *s;		    /* STR/BYTES (NUL-terminated), NAME */
	size_t len;		    /* STR/BYTES length */
	long long i;		    /* INT (saturated), BOOL */
	struct dg_py_value **items; /* LIST/TUPLE/SET/DICT, CALL positional args */
	size_t n_items;
	const char **kw_names; /* CALL keyword argument names */
	struct dg_py_value **kw_values;
	size_t n_kw;
	struct dg_py_value *func; /* CALL callee, SUBSCRIPT / ATTR value */
	int fstring;		  /* STR from an f-string with replacement fields */
	const struct dg_py_piece *pieces; /* STR / BYTES: where its bytes came from */
	size_t n_pieces;
	/* UNKNOWN built with a binary operator ("%", "+", "&", "and" ...): the
	 * operator and its operands (a chain reads right-nested: a + (b + c)) */
	const char *op;
	struct dg_py_value *lhs, *rhs;
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

enum dg_py_stmt_kind {
	DG_PY_STMT_EXPR,   /* an expression statement: value */
	DG_PY_STMT_ASSIGN, /* name = value (other targets are OTHER) */
	DG_PY_STMT_WITH,   /* with value [as name]: body (`with a, b:` nests b in a) */
	DG_PY_STMT_BLOCK,  /* if / elif / else / for / while / try / except / finally /
			      def / class ...: keyword; body read as a function body is */
	DG_PY_STMT_OTHER,  /* return, pass, import, a statement not read ...: keyword */
};

/* A statement of a function body. */
struct dg_py_stmt {
	enum dg_py_stmt_kind kind;
	int line, col;
	size_t offset;
	const char *keyword;	   /* BLOCK / OTHER: its first word, NULL when unreadable */
	const char *name;	   /* ASSIGN target, WITH `as` name (NULL: none) */
	struct dg_py_value *value; /* EXPR, ASSIGN value, WITH context expression, the
				      condition of an if / elif BLOCK when it reads */
	struct dg_py_stmt *body;   /* WITH, BLOCK */
	size_t n_body;
	const char *error;	   /* OTHER: why it could not be read ("m.py:3:5: ...") */
};

/* A module-level `def`. */
struct dg_py_func {
	const char *name;
	int line, col;
	size_t offset;
	struct dg_py_stmt *body;
	size_t n_body;
};

/* A comment: its text after the '#', without the line end. */
struct dg_py_comment {
	int line, col;
	size_t offset;	/* of the '#' */
	int own_line;	/* nothing but blanks before it on its line */
	const char *text;
};

struct dg_py_module {
	struct dg_py_assign *assigns; /* module-level assignments, in order */
	size_t n_assigns;
	struct dg_py_class *classes; /* module-level classes */
	size_t n_classes;
	const char **imported; /* names bound by import statements */
	size_t n_imported;
	struct dg_py_func *funcs; /* module-level functions, in order */
	size_t n_funcs;
	struct dg_py_comment *comments; /* every comment, in order */
	size_t n_comments;
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
/* The last module-level function called name (NULL = none). */
const struct dg_py_func *dg_py_module_func(const struct dg_py_module *m, const char *name);
/* Keyword argument `name` of a call (NULL = not given). */
const struct dg_py_value *dg_py_kwarg(const struct dg_py_value *call, const char *name);
/* Positional argument i, else keyword `name` (NULL = neither). */
const struct dg_py_value *dg_py_arg(const struct dg_py_value *call, size_t i, const char *name);
/* The last part of a callee's dotted name ("AddField" for migrations.AddField), NULL if none. */
const char *dg_py_call_name(const struct dg_py_value *call);
/* Was name bound by an import? */
int dg_py_is_imported(const struct dg_py_module *m, const char *name);
/* Short description of a value for messages ("a call to foo", "name X"). */
const char *dg_py_describe(struct dg_arena *a, const struct dg_py_value *v);

#endif
