/*
 * The per-statement lock report of `ddlgate explain`, in pieces that
 * `ddlgate trace` reuses for its measured report: the JSON fields of a
 * statement's static claims, the statement's text and the claim table.
 */
#ifndef DG_REPORT_EXPLAIN_H
#define DG_REPORT_EXPLAIN_H

#include "core/core.h"
#include "sql/stmt.h"

/*
 * The explain JSON fields of one statement, without the braces:
 * "path", "line", "column", "sql", "locks", "rewrites", "scans",
 * "in_transaction", "timezone_dependent_rewrites", "index_rebuilds", and
 * when they apply "held" and "in_do_block".
 */
void dg_explain_json_fields(struct dg_buf *b, struct dg_arena *a, const char *path,
			    const struct dg_stmt *st);
/* "path:line:col:" and the statement's first lines, indented with "  | ". */
void dg_explain_text_head(struct dg_buf *b, const char *path, const struct dg_stmt *st,
			  const char *remark);
/* The claim table (relation, lock, blocks, rewrite, scan) and the model's note. */
void dg_explain_text_claims(struct dg_buf *b, struct dg_arena *a, const struct dg_stmt *st);

/*
 * Every relation a statement locks, rewrites or scans, once each, in that
 * order (arena array).
 */
const struct dg_rel **dg_explain_relations(struct dg_arena *a, const struct dg_stmt *st,
					   size_t *n);
/* The lock st claims on r, DG_LOCK_NONE when none. */
enum dg_lockmode dg_explain_lock_on(const struct dg_stmt *st, const struct dg_rel *r);
int dg_explain_rel_in(const struct dg_rel *v, size_t n, const struct dg_rel *r);
/* What a lock mode blocks: "both", "reads", "writes" or "none". */
const char *dg_explain_blocks_word(enum dg_lockmode m);

#endif
