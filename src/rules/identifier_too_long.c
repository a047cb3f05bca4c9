/*
 * identifier-too-long: an identifier over 63 bytes (NAMEDATALEN - 1).
 * PostgreSQL truncates it with only a NOTICE, so two long names that
 * share their first 63 bytes become the same name.
 */
#include <string.h>

#include "rules/rule.h"

#define DG_NAME_MAX 63

/* The identifier as PostgreSQL keeps it: unquoted, folded, cut at 63 bytes on a character boundary. */
static const char *kept(struct dg_arena *a, const char *w, size_t len)
{
	struct dg_buf b = DG_BUF_INIT;
	int quoted = len >= 2 && w[0] == '"';
	for (size_t i = quoted ? 1 : 0; i < (quoted ? len - 1 : len); i++) {
		char ch = w[i];
		if (quoted && ch == '"')
			i++; /* "" is one quote */
		else if (!quoted && ch >= 'A' && ch <= 'Z')
			ch = (char)(ch - 'A' + 'a');
		dg_buf_addch(&b, ch);
	}
	size_t n = b.len > DG_NAME_MAX ? DG_NAME_MAX : b.len;
	while (n > 0 && n < b.len && ((unsigned char)b.ptr[n] & 0xC0) == 0x80)
		n--; /* not inside a UTF-8 character */
	const char *s = dg_strndup(a, b.ptr, n);
	dg_buf_release(&b);
	return s;
}

static void check(struct dg_rule_ctx *ctx, const struct dg_stmt *st)
{
	const char *data = ctx->file ? ctx->file->data : NULL;
	for (size_t i = 0; data && i < dg_stmt_rare(st)->n_long_idents; i++) {
		const struct dg_long_ident *li = &dg_stmt_rare(st)->long_idents[i];
		if (li->offset + li->len > ctx->file->len)
			continue;
		const char *k = kept(ctx->arena, data + li->offset, li->len);
		dg_report(ctx, st, (int)li->offset,
			  dg_sprintf(ctx->arena, "choose a name of at most 63 bytes (PostgreSQL would store \"%s\")", k),
			  "identifier of %zu bytes: PostgreSQL keeps only the first 63 (\"%.20s...\"), so names that share them collide",
			  li->bytes, k);
	}
}

const struct dg_rule dg_rule_identifier_too_long = {
	.id = "identifier-too-long",
	.severity = DG_ERROR,
	.summary = "an identifier over 63 bytes (PostgreSQL truncates it)",
	.description = "PostgreSQL keeps identifiers to 63 bytes (NAMEDATALEN - 1) and silently truncates longer ones, with only a NOTICE. Two generated names that share their first 63 bytes (indexes and constraints named after long tables and columns) then collide: the second CREATE fails, or a DROP removes the wrong object, and the name in the migration is not the name in the database.",
	.check_stmt = check,
};
