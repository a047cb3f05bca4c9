/* require-concurrent-index: CREATE INDEX without CONCURRENTLY blocks writes. */
#include <string.h>
#include <strings.h>

#include "rules/rule.h"

/* The statement with CONCURRENTLY inserted after INDEX (help text only). */
static const char *with_concurrently(struct dg_rule_ctx *ctx, const struct dg_stmt *st)
{
	const char *t = st->text;
	size_t i = 0, n = t ? st->len : 0;
	if (!t)
		return NULL;
	const char *words[] = { "create", "unique", "index" };
	for (size_t w = 0; w < 3; w++) {
		while (i < n && (t[i] == ' ' || t[i] == '\t' || t[i] == '\n' || t[i] == '\r'))
			i++;
		size_t l = strlen(words[w]);
		if (i + l <= n && !strncasecmp(t + i, words[w], l)) {
			i += l;
		} else if (w != 1) {
			return NULL;
		}
	}
	const char *s = dg_sprintf(ctx->arena, "%.*s CONCURRENTLY%.*s", (int)i, t, (int)(n - i), t + i);
	size_t sl = strlen(s);
	return sl && s[sl - 1] == ';' ? s : dg_sprintf(ctx->arena, "%s;", s);
}

static void check(struct dg_rule_ctx *ctx, const struct dg_stmt *st)
{
	if (st->kind != DG_STMT_CREATE_INDEX || st->concurrently || st->table_is_new ||
	    !dg_lockmode_blocks_writes(dg_ctx_lock_of(st, st->rel)))
		return;
	const char *fix = with_concurrently(ctx, st);
	dg_report(ctx, st, -1,
		  dg_sprintf(ctx->arena, "%s outside a transaction", fix ? fix : "CREATE INDEX CONCURRENTLY ...;"),
		  "CREATE INDEX on existing table \"%s\" blocks writes (%s) while the index builds",
		  dg_ctx_rel(ctx, st->rel), dg_lockmode_name(dg_ctx_lock_of(st, st->rel)));
}

const struct dg_rule dg_rule_require_concurrent_index = {
	.id = "require-concurrent-index",
	.severity = DG_ERROR,
	.summary = "CREATE INDEX without CONCURRENTLY on an existing table",
	.description = "CREATE INDEX takes a SHARE lock on the table for the whole build: every INSERT, UPDATE and DELETE waits until the index is built, which on a big table is minutes to hours. CREATE INDEX CONCURRENTLY takes SHARE UPDATE EXCLUSIVE, which lets writes continue.",
	.check_stmt = check,
};
