/*
 * The per-statement lock report shared by `ddlgate explain` (the static
 * claims) and `ddlgate trace` (the claims beside what the server did).
 */
#include "report/explain.h"

#include <string.h>

int dg_explain_rel_in(const struct dg_rel *v, size_t n, const struct dg_rel *r)
{
	for (size_t i = 0; i < n; i++)
		if (dg_rel_equal(&v[i], r))
			return 1;
	return 0;
}

const char *dg_explain_blocks_word(enum dg_lockmode m)
{
	int r = dg_lockmode_blocks_reads(m), w = dg_lockmode_blocks_writes(m);
	return r && w ? "both" : r ? "reads" : w ? "writes" : "none";
}

enum dg_lockmode dg_explain_lock_on(const struct dg_stmt *st, const struct dg_rel *r)
{
	enum dg_lockmode m = DG_LOCK_NONE;
	for (size_t k = 0; k < st->n_locks; k++)
		if (dg_rel_equal(&st->locks[k].rel, r) && st->locks[k].mode > m)
			m = st->locks[k].mode;
	return m;
}

static void json_rels(struct dg_buf *b, const char *key, const struct dg_rel *v, size_t n,
		      struct dg_arena *a)
{
	dg_buf_addf(b, ", \"%s\": [", key);
	for (size_t i = 0; i < n; i++) {
		if (i)
			dg_buf_adds(b, ", ");
		dg_buf_add_json_str(b, dg_rel_display(a, &v[i]));
	}
	dg_buf_addch(b, ']');
}

static void json_locks(struct dg_buf *b, struct dg_arena *a, const struct dg_lock *v, size_t n)
{
	dg_buf_addch(b, '[');
	for (size_t i = 0; i < n; i++) {
		dg_buf_adds(b, i ? ", {\"relation\": " : "{\"relation\": ");
		dg_buf_add_json_str(b, dg_rel_display(a, &v[i].rel));
		dg_buf_adds(b, ", \"mode\": ");
		dg_buf_add_json_str(b, dg_lockmode_name(v[i].mode));
		dg_buf_addch(b, '}');
	}
	dg_buf_addch(b, ']');
}

void dg_explain_json_fields(struct dg_buf *b, struct dg_arena *a, const char *path,
			    const struct dg_stmt *st)
{
	dg_buf_adds(b, "\"path\": ");
	dg_buf_add_json_str(b, path);
	dg_buf_addf(b, ", \"line\": %d, \"column\": %d, \"sql\": ", st->line, st->column);
	dg_buf_add_json_str(b, dg_stmt_text(a, st));
	dg_buf_adds(b, ",\n   \"locks\": ");
	json_locks(b, a, st->locks, st->n_locks);
	json_rels(b, "rewrites", st->rewrites, st->n_rewrites, a);
	json_rels(b, "scans", st->scans, st->n_scans, a);
	dg_buf_addf(b, ", \"in_transaction\": %s", st->in_transaction ? "true" : "false");
	json_rels(b, "timezone_dependent_rewrites", st->tz_rewrites, st->n_tz_rewrites, a);
	json_rels(b, "index_rebuilds", st->index_rebuilds, st->n_index_rebuilds, a);
	if (st->n_held) {
		dg_buf_adds(b, ",\n   \"held\": ");
		json_locks(b, a, st->held, st->n_held);
	}
	if (st->body_of)
		dg_buf_adds(b, ", \"in_do_block\": true");
}

/* The statement, indented, its first lines only: the report is a summary. */
static void text_sql(struct dg_buf *b, const char *sql, size_t len)
{
	int lines = 0;
	const char *p = sql, *end = sql + len;
	while (p < end && lines < 8) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t l = nl ? (size_t)(nl - p) : (size_t)(end - p);
		dg_buf_adds(b, "  | ");
		dg_buf_add(b, p, l);
		dg_buf_addch(b, '\n');
		lines++;
		if (!nl)
			return;
		p = nl + 1;
	}
	if (p < end)
		dg_buf_adds(b, "  | ...\n");
}

void dg_explain_text_head(struct dg_buf *b, const char *path, const struct dg_stmt *st,
			  const char *remark)
{
	dg_buf_addf(b, "%s:%d:%d:%s%s\n", path, st->line, st->column, remark && *remark ? " " : "",
		    remark ? remark : "");
	text_sql(b, st->text ? st->text : "", st->text ? st->len : 0);
}

const struct dg_rel **dg_explain_relations(struct dg_arena *a, const struct dg_stmt *st,
					   size_t *n_out)
{
	size_t n = 0, cap = st->n_locks + st->n_rewrites + st->n_scans;
	const struct dg_rel **rels = dg_alloc(a, (cap ? cap : 1) * sizeof(*rels));
	for (size_t i = 0; i < st->n_locks + st->n_rewrites + st->n_scans; i++) {
		const struct dg_rel *r = i < st->n_locks ? &st->locks[i].rel :
			i < st->n_locks + st->n_rewrites ? &st->rewrites[i - st->n_locks] :
			&st->scans[i - st->n_locks - st->n_rewrites];
		int seen = 0;
		for (size_t k = 0; k < n && !seen; k++)
			seen = dg_rel_equal(rels[k], r);
		if (!seen)
			rels[n++] = r;
	}
	*n_out = n;
	return rels;
}

void dg_explain_text_claims(struct dg_buf *b, struct dg_arena *a, const struct dg_stmt *st)
{
	size_t n;
	const struct dg_rel **rels = dg_explain_relations(a, st, &n);
	size_t width = strlen("relation");
	if (!n) {
		dg_buf_adds(b, "  no table locks\n");
	} else {
		for (size_t i = 0; i < n; i++) {
			size_t l = strlen(dg_rel_display(a, rels[i]));
			if (l > width)
				width = l;
		}
		dg_buf_addf(b, "  %-*s  %-24s  %-6s  %-7s  %s\n", (int)width, "relation", "lock",
			    "blocks", "rewrite", "scan");
		for (size_t i = 0; i < n; i++) {
			enum dg_lockmode m = dg_explain_lock_on(st, rels[i]);
			dg_buf_addf(b, "  %-*s  %-24s  %-6s  %-7s  %s\n", (int)width,
				    dg_rel_display(a, rels[i]), m ? dg_lockmode_name(m) : "-",
				    m ? dg_explain_blocks_word(m) : "-",
				    dg_explain_rel_in(st->rewrites, st->n_rewrites, rels[i]) ? "yes" : "no",
				    dg_explain_rel_in(st->scans, st->n_scans, rels[i]) ? "yes" : "no");
		}
	}
	for (size_t i = 0; i < st->n_tz_rewrites; i++)
		dg_buf_addf(b, "  the rewrite of %s happens unless the session TimeZone is UTC (PostgreSQL 12+ keeps the storage then)\n",
			    dg_rel_display(a, &st->tz_rewrites[i]));
	for (size_t i = 0; i < st->n_index_rebuilds; i++)
		dg_buf_addf(b, "  rebuilds indexes of %s (the table itself keeps its storage)\n",
			    dg_rel_display(a, &st->index_rebuilds[i]));
	for (size_t i = 0; i < st->n_held; i++) {
		enum dg_lockmode own = dg_explain_lock_on(st, &st->held[i].rel);
		if (own != st->held[i].mode)
			dg_buf_addf(b, "  the transaction holds %s on %s from an earlier statement while this one runs\n",
				    dg_lockmode_name(st->held[i].mode), dg_rel_display(a, &st->held[i].rel));
	}
	if (st->note)
		dg_buf_addf(b, "  note: %s\n", st->note);
}
