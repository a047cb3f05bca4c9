/* The pre-push stdin reader: git's ref lines, parsed strictly. */
#include "git/push.h"

#include <stdlib.h>
#include <string.h>

#include "core/core.h"

/* Refs git hands us are printable, non-empty and contain no space. */
static int check_ref(const char *s, size_t len, int line, const char *what)
{
	if (!len)
		return dg_error("pre-push input line %d: empty %s", line, what);
	if (len > 4096)
		return dg_error("pre-push input line %d: %s is too long", line, what);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7f)
			return dg_error("pre-push input line %d: control character in %s", line,
					what);
	}
	return 0;
}

static int check_sha(struct dg_oid *out, const char *s, size_t len, int line, const char *what)
{
	char hex[DG_OID_HEXSZ + 1];
	if (len != DG_OID_HEXSZ)
		return dg_error("pre-push input line %d: %s is not a 40-digit sha", line, what);
	memcpy(hex, s, len);
	hex[len] = '\0';
	if (dg_oid_parse(out, hex) < 0)
		return dg_error("pre-push input line %d: %s is not a 40-digit sha", line, what);
	return 0;
}

/* Say what is wrong with the spacing of a line git would never write. */
static int check_spacing(const char *s, size_t len, int line)
{
	static const char form[] = "git writes '<local ref> <local sha> <remote ref> <remote sha>' "
				   "separated by single spaces";
	if (len && (s[0] == ' ' || s[0] == '\t'))
		return dg_error("pre-push input line %d: leading whitespace; %s", line, form);
	if (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		return dg_error("pre-push input line %d: trailing whitespace; %s", line, form);
	if (memchr(s, '\t', len))
		return dg_error("pre-push input line %d: a tab between fields; %s", line, form);
	for (size_t i = 0; i + 1 < len; i++)
		if (s[i] == ' ' && s[i + 1] == ' ')
			return dg_error("pre-push input line %d: two spaces at column %zu; %s",
					line, i + 1, form);
	return 0;
}

static int parse_line(struct dg_push_ref *r, const char *s, size_t len, int line)
{
	const char *field[4];
	size_t flen[4];
	size_t nf = 0;
	const char *p = s, *end = s + len;
	if (check_spacing(s, len, line) < 0)
		return -1;
	while (nf < 4) {
		const char *sp = memchr(p, ' ', (size_t)(end - p));
		const char *stop = sp ? sp : end;
		field[nf] = p;
		flen[nf] = (size_t)(stop - p);
		nf++;
		if (!sp)
			break;
		p = sp + 1;
		if (nf == 4)
			return dg_error("pre-push input line %d: more than four fields", line);
	}
	if (nf != 4)
		return dg_error("pre-push input line %d: expected "
				"'<local ref> <local sha> <remote ref> <remote sha>'",
				line);
	if (check_ref(field[0], flen[0], line, "local ref") < 0 ||
	    check_sha(&r->local_oid, field[1], flen[1], line, "local sha") < 0 ||
	    check_ref(field[2], flen[2], line, "remote ref") < 0 ||
	    check_sha(&r->remote_oid, field[3], flen[3], line, "remote sha") < 0)
		return -1;
	int del_name = flen[0] == 8 && !memcmp(field[0], "(delete)", 8);
	int zero = dg_oid_is_zero(&r->local_oid);
	if (del_name && !zero)
		return dg_error("pre-push input line %d: '(delete)' with a non-zero local sha",
				line);
	if (zero && !del_name)
		return dg_error(
		    "pre-push input line %d: zero local sha for '%.*s' (only '(delete)' has one)",
		    line, (int)flen[0], field[0]);
	r->local_ref = dg_xstrndup(field[0], flen[0]);
	r->remote_ref = dg_xstrndup(field[2], flen[2]);
	r->line = line;
	r->is_delete = zero;
	r->is_new = dg_oid_is_zero(&r->remote_oid);
	r->fast_forward = -1;
	return 0;
}

int dg_push_parse(struct dg_push_list *out, const char *data, size_t len)
{
	memset(out, 0, sizeof(*out));
	const char *p = data, *end = data + len;
	int line = 0;
	while (p < end) {
		line++;
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *stop = nl ? nl : end;
		struct dg_push_ref r;
		memset(&r, 0, sizeof(r));
		if (memchr(p, '\0', (size_t)(stop - p))) {
			dg_push_list_release(out);
			return dg_error("pre-push input line %d: NUL byte", line);
		}
		if (parse_line(&r, p, (size_t)(stop - p), line) < 0) {
			dg_push_list_release(out);
			return -1;
		}
		DG_PUSH(out->v, out->n, out->cap, r);
		p = nl ? nl + 1 : end;
	}
	return 0;
}

void dg_push_list_release(struct dg_push_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].local_ref);
		free(l->v[i].remote_ref);
	}
	free(l->v);
	memset(l, 0, sizeof(*l));
}
