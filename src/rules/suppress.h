/*
 * Inside src/rules: which ddlgate:ignore comments of a file may silence a
 * finding under the config's `suppressions:` policy, and, in ci, which ones
 * the change adds. The engine asks it; rules never do.
 */
#ifndef DG_RULES_SUPPRESS_H
#define DG_RULES_SUPPRESS_H

#include "rules/engine.h"
#include "rules/rule.h"

struct dg_suppress_slot;

struct dg_suppress {
	const struct dg_sql_file *f;
	enum dg_suppressions policy;
	unsigned char *ok;      /* per f->ignores[i]: does it silence its rule? */
	unsigned char *added;   /* per f->ignores[i]: added by the change (review only) */
	unsigned char *reason;  /* per f->ignores[i]: a reason text follows the ids */
	struct dg_suppress_slot *slots; /* rule string -> index in f->ignores */
	size_t n_slots;         /* a power of two, or 0 */
	int review, on_base;
};

/* Judge every suppression comment of f under o (policy, the base's text in ci). */
void dg_suppress_init(struct dg_suppress *s, struct dg_arena *a, const struct dg_sql_file *f,
		      const struct dg_lint_opts *o);
/*
 * Does a suppression silence `rule` for st (NULL: file rules) under s?
 * Without s (a rule run outside the engine), the policy of cfg alone.
 */
int dg_suppress_silences(const struct dg_suppress *s, const struct dg_rule_ctx *ctx,
			 const struct dg_stmt *st, const char *rule);
/*
 * The findings about the comments themselves: invalid-suppression for an
 * unknown rule id, a migration-* id, or (require-reason) a missing
 * reason; suppression-added for each comment the change adds (review).
 */
void dg_suppress_report(struct dg_rule_ctx *ctx, const struct dg_suppress *s);

/*
 * engine.c: the text of `line` to show under a finding at byte offset off
 * (an excerpt around it for a long line; *caret its column there, 0: the
 * finding's own).
 */
const char *dg_engine_source_line(struct dg_arena *a, const struct dg_sql_file *f, int line,
				  size_t off, int *caret);

#endif
