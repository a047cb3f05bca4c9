/*
 * A strict JSON reader (json.h): recursive descent with a depth bound,
 * every value copied into the arena. Used for libpg_query's PL/pgSQL
 * tree; fuzzed by tests/fuzz/fuzz_plpgsql_json.c.
 */
#include "sql/json.h"

#include <stdlib.h>
#include <string.h>

struct jp {
	struct dg_arena *a;
	const char *s;
	size_t n, p;
	const char *err;
	size_t err_at;
};

static int fail(struct jp *j, const char *msg)
{
	if (!j->err) {
		j->err = msg;
		j->err_at = j->p;
	}
	return -1;
}

static void skip_ws(struct jp *j)
{
	while (j->p < j->n && (j->s[j->p] == ' ' || j->s[j->p] == '\t' || j->s[j->p] == '\n' ||
			       j->s[j->p] == '\r'))
		j->p++;
}

static int literal(struct jp *j, const char *word, enum dg_json_type type, struct dg_json *out)
{
	size_t l = strlen(word);
	if (j->n - j->p < l || memcmp(j->s + j->p, word, l))
		return fail(j, "invalid literal");
	j->p += l;
	out->type = type;
	return 0;
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
static int number(struct jp *j, struct dg_json *out)
{
	size_t start = j->p;
	if (j->p < j->n && j->s[j->p] == '-')
		j->p++;
	if (j->p >= j->n || !is_digit(j->s[j->p]))
		return fail(j, "invalid number");
	if (j->s[j->p] == '0')
		j->p++;
	else
		while (j->p < j->n && is_digit(j->s[j->p]))
			j->p++;
	if (j->p < j->n && j->s[j->p] == '.') {
		j->p++;
		if (j->p >= j->n || !is_digit(j->s[j->p]))
			return fail(j, "invalid number");
		while (j->p < j->n && is_digit(j->s[j->p]))
			j->p++;
	}
	if (j->p < j->n && (j->s[j->p] == 'e' || j->s[j->p] == 'E')) {
		j->p++;
		if (j->p < j->n && (j->s[j->p] == '+' || j->s[j->p] == '-'))
			j->p++;
		if (j->p >= j->n || !is_digit(j->s[j->p]))
			return fail(j, "invalid number");
		while (j->p < j->n && is_digit(j->s[j->p]))
			j->p++;
	}
	out->type = DG_JSON_NUMBER;
	out->str = dg_strndup(j->a, j->s + start, j->p - start);
	out->len = j->p - start;
	return 0;
}

static int hex4(struct jp *j, unsigned *out)
{
	unsigned v = 0;
	if (j->n - j->p < 4)
		return fail(j, "truncated \\u escape");
	for (int i = 0; i < 4; i++) {
		int h = dg_hexval((unsigned char)j->s[j->p + i]);
		if (h < 0)
			return fail(j, "invalid \\u escape");
		v = v * 16 + (unsigned)h;
	}
	j->p += 4;
	*out = v;
	return 0;
}

static void put_utf8(struct dg_buf *b, unsigned cp)
{
	if (cp < 0x80) {
		dg_buf_addch(b, (char)cp);
	} else if (cp < 0x800) {
		dg_buf_addch(b, (char)(0xc0 | (cp >> 6)));
		dg_buf_addch(b, (char)(0x80 | (cp & 0x3f)));
	} else if (cp < 0x10000) {
		dg_buf_addch(b, (char)(0xe0 | (cp >> 12)));
		dg_buf_addch(b, (char)(0x80 | ((cp >> 6) & 0x3f)));
		dg_buf_addch(b, (char)(0x80 | (cp & 0x3f)));
	} else {
		dg_buf_addch(b, (char)(0xf0 | (cp >> 18)));
		dg_buf_addch(b, (char)(0x80 | ((cp >> 12) & 0x3f)));
		dg_buf_addch(b, (char)(0x80 | ((cp >> 6) & 0x3f)));
		dg_buf_addch(b, (char)(0x80 | (cp & 0x3f)));
	}
}

/* \uXXXX (after the "\u"), a surrogate pair joined; a lone surrogate is an error. */
static int unicode_escape(struct jp *j, struct dg_buf *b)
{
	unsigned cp, lo;
	if (hex4(j, &cp) < 0)
		return -1;
	if (cp >= 0xdc00 && cp <= 0xdfff)
		return fail(j, "lone low surrogate");
	if (cp >= 0xd800 && cp <= 0xdbff) {
		if (j->n - j->p < 2 || j->s[j->p] != '\\' || j->s[j->p + 1] != 'u')
			return fail(j, "lone high surrogate");
		j->p += 2;
		if (hex4(j, &lo) < 0)
			return -1;
		if (lo < 0xdc00 || lo > 0xdfff)
			return fail(j, "invalid surrogate pair");
		cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
	}
	put_utf8(b, cp);
	return 0;
}

/* A string at j->p (its opening quote); *out gets the arena copy. */
static int string(struct jp *j, const char **out, size_t *len)
{
	struct dg_buf b = DG_BUF_INIT;
	j->p++; /* the quote */
	for (;;) {
		if (j->p >= j->n) {
			dg_buf_release(&b);
			return fail(j, "unterminated string");
		}
		unsigned char c = (unsigned char)j->s[j->p];
		if (c == '"') {
			j->p++;
			break;
		}
		if (c < 0x20) {
			dg_buf_release(&b);
			return fail(j, "control character in string");
		}
		if (c != '\\') {
			/* a run of plain bytes at once */
			size_t s = j->p;
			while (j->p < j->n && j->s[j->p] != '"' && j->s[j->p] != '\\' &&
			       (unsigned char)j->s[j->p] >= 0x20)
				j->p++;
			dg_buf_add(&b, j->s + s, j->p - s);
			continue;
		}
		if (++j->p >= j->n) {
			dg_buf_release(&b);
			return fail(j, "unterminated escape");
		}
		char e = j->s[j->p++];
		const char *plain = strchr("\"\\/bfnrt", e);
		if (e && plain) {
			static const char to[] = "\"\\/\b\f\n\r\t";
			dg_buf_addch(&b, to[plain - "\"\\/bfnrt"]);
		} else if (e == 'u') {
			if (unicode_escape(j, &b) < 0) {
				dg_buf_release(&b);
				return -1;
			}
		} else {
			j->p--;
			dg_buf_release(&b);
			return fail(j, "invalid escape");
		}
	}
	*len = b.len;
	*out = dg_strndup(j->a, b.ptr ? b.ptr : "", b.len);
	dg_buf_release(&b);
	return 0;
}

static int value(struct jp *j, struct dg_json *out, int depth);

/* The items of an array or the members of an object, after the opening bracket. */
static int container(struct jp *j, struct dg_json *out, int depth, int object)
{
	struct dg_json *v = NULL;
	size_t n = 0, cap = 0;
	char close = object ? '}' : ']';
	if (depth >= DG_JSON_MAX_DEPTH)
		return fail(j, "nested too deeply");
	j->p++;
	skip_ws(j);
	if (j->p < j->n && j->s[j->p] == close) {
		j->p++;
	} else {
		for (;;) {
			struct dg_json item;
			memset(&item, 0, sizeof(item));
			skip_ws(j);
			if (object) {
				size_t kl;
				if (j->p >= j->n || j->s[j->p] != '"')
					goto bad_key;
				if (string(j, &item.key, &kl) < 0)
					goto bad;
				skip_ws(j);
				if (j->p >= j->n || j->s[j->p] != ':')
					goto bad_colon;
				j->p++;
			}
			if (value(j, &item, depth + 1) < 0)
				goto bad;
			DG_PUSH(v, n, cap, item);
			skip_ws(j);
			if (j->p < j->n && j->s[j->p] == ',') {
				j->p++;
				continue;
			}
			if (j->p < j->n && j->s[j->p] == close) {
				j->p++;
				break;
			}
			fail(j, object ? "expected ',' or '}'" : "expected ',' or ']'");
			goto bad;
		}
	}
	out->type = object ? DG_JSON_OBJECT : DG_JSON_ARRAY;
	out->n = n;
	out->kids = n ? dg_memdup(j->a, v, n, sizeof(*v)) : NULL;
	free(v);
	return 0;
bad_key:
	fail(j, "expected a member name");
	goto bad;
bad_colon:
	fail(j, "expected ':'");
bad:
	free(v);
	return -1;
}

static int value(struct jp *j, struct dg_json *out, int depth)
{
	const char *key = out->key;
	skip_ws(j);
	if (j->p >= j->n)
		return fail(j, "expected a value");
	memset(out, 0, sizeof(*out));
	out->key = key;
	switch (j->s[j->p]) {
	case '{':
		return container(j, out, depth, 1);
	case '[':
		return container(j, out, depth, 0);
	case '"':
		out->type = DG_JSON_STRING;
		return string(j, &out->str, &out->len);
	case 't':
		return literal(j, "true", DG_JSON_TRUE, out);
	case 'f':
		return literal(j, "false", DG_JSON_FALSE, out);
	case 'n':
		return literal(j, "null", DG_JSON_NULL, out);
	default:
		return number(j, out);
	}
}

int dg_json_parse(struct dg_arena *a, const char *text, size_t len, struct dg_json **out,
		  const char **err, size_t *err_at)
{
	struct jp j = { a, text, len, 0, NULL, 0 };
	struct dg_json *v = dg_alloc(a, sizeof(*v));
	*out = NULL;
	if (value(&j, v, 0) == 0) {
		skip_ws(&j);
		if (j.p < j.n)
			fail(&j, "text after the value");
	}
	if (j.err) {
		*err = j.err;
		*err_at = j.err_at;
		return -1;
	}
	*out = v;
	return 0;
}

const struct dg_json *dg_json_get(const struct dg_json *obj, const char *key)
{
	if (!obj || obj->type != DG_JSON_OBJECT)
		return NULL;
	for (size_t i = 0; i < obj->n; i++)
		if (!strcmp(obj->kids[i].key, key))
			return &obj->kids[i];
	return NULL;
}

long dg_json_int(const struct dg_json *obj, const char *key, long dflt)
{
	const struct dg_json *v = dg_json_get(obj, key);
	if (!v || v->type != DG_JSON_NUMBER)
		return dflt;
	char *end;
	long n = strtol(v->str, &end, 10);
	return *end ? dflt : n;
}

const char *dg_json_str(const struct dg_json *obj, const char *key)
{
	const struct dg_json *v = dg_json_get(obj, key);
	return v && v->type == DG_JSON_STRING ? v->str : NULL;
}
