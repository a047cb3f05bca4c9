/*
 * Private to src/sql/: a small strict JSON reader (RFC 8259) for the one
 * JSON text ddlgate reads, the PL/pgSQL tree libpg_query prints
 * (pg_query_parse_plpgsql). Strict: no comments, no trailing commas,
 * escapes checked, \u surrogate pairs joined, the whole text consumed;
 * nesting is bounded, so no input exhausts the stack.
 */
#ifndef DG_SQL_JSON_H
#define DG_SQL_JSON_H

#include <stddef.h>

#include "core/core.h"

enum dg_json_type {
	DG_JSON_NULL = 0,
	DG_JSON_FALSE,
	DG_JSON_TRUE,
	DG_JSON_NUMBER,
	DG_JSON_STRING,
	DG_JSON_ARRAY,
	DG_JSON_OBJECT,
};

struct dg_json {
	enum dg_json_type type;
	const char *key;           /* the member's name, inside an object; NULL elsewhere */
	const char *str;           /* STRING: unescaped, NUL-terminated; NUMBER: its text */
	size_t len;                /* STRING: bytes (it may hold a NUL from \u0000) */
	struct dg_json *kids;      /* ARRAY items / OBJECT members, in order */
	size_t n;
};

/* How deep arrays and objects may nest. */
#define DG_JSON_MAX_DEPTH 2000

/*
 * Parse text[0, len) into a tree in the arena. 0 and *out set; -1 with
 * *err (a static message) and *err_at (byte offset) set when the text is
 * not one JSON value, or nests deeper than DG_JSON_MAX_DEPTH.
 */
int dg_json_parse(struct dg_arena *a, const char *text, size_t len, struct dg_json **out,
		  const char **err, size_t *err_at);

/* The member `key` of an object (the first one), or NULL (not an object, or no such member). */
const struct dg_json *dg_json_get(const struct dg_json *obj, const char *key);
/* The member's integer value, or dflt when it is missing or not an integer. */
long dg_json_int(const struct dg_json *obj, const char *key, long dflt);
/* The member's string, or NULL. */
const char *dg_json_str(const struct dg_json *obj, const char *key);

#endif
