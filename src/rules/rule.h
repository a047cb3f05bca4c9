/*
 * Rules: one file per rule, one registry table. A rule reads ddlgate's
 * facts (statements, migration graphs, pushed refs, the replayed schema)
 * and appends findings through dg_report*(); it never sees a parse tree.
 */
#ifndef DG_RULE_H
#define DG_RULE_H

#include "config/config.h"
#include "core/finding.h"
#include "sql/sql.h"
#include "sql/stmt.h"

struct dg_rule;
struct dg_graph;       /* migrations/graph.h */
struct dg_push_ref;    /* git/push.h */
struct dg_commit_ctx;  /* git/push.h */
struct dg_schema;      /* schema/schema.h */
struct dg_live;        /* rules/live.h: a live database (audit) */
struct dg_suppress;    /* rules/suppress.h */

/* Everything a check may look at, and where its findings go. */
struct dg_rule_ctx {
	struct dg_run *run;
	struct dg_arena *arena;             /* == &run->arena: what findings keep */
	struct dg_arena *file_arena;        /* lives as long as the file's facts: per-file scratch */
	const struct dg_config *cfg;
	const struct dg_rule *rule;         /* the rule being run */
	enum dg_severity severity;          /* its effective level */
	int pg_version;
	const struct dg_sql_file *file;     /* statement and file rules */
	const struct dg_schema *schema;     /* replayed schema before this file; may be NULL */
	const char *display_path;           /* path to print for the file */
	void *extra;                        /* stage-specific payload */
	const struct dg_suppress *suppress; /* the file's comments under the policy (engine) */
	int down_migration;                 /* 0: not known yet; 1: an up script; 2: a rollback */
};

struct dg_rule {
	const char *id;
	enum dg_severity severity;          /* default level */
	const char *summary;                /* one line, for `ddlgate rules` */
	const char *description;            /* a paragraph: why, which lock, for how long */
	/* Hooks; a rule fills the ones it needs. */
	void (*check_stmt)(struct dg_rule_ctx *ctx, const struct dg_stmt *st);
	void (*check_file)(struct dg_rule_ctx *ctx, const struct dg_sql_file *f);
	void (*check_graph)(struct dg_rule_ctx *ctx, const struct dg_graph *g);
	void (*check_push)(struct dg_rule_ctx *ctx, const struct dg_push_ref *p);
	void (*check_commit)(struct dg_rule_ctx *ctx, const struct dg_commit_ctx *c);
	void (*check_schema)(struct dg_rule_ctx *ctx, const struct dg_schema *s);
	void (*check_live)(struct dg_rule_ctx *ctx, const struct dg_live *live);
	/*
	 * Its statement and file checks read no fact of the lock model (locks,
	 * transactions, the file's index): the engine runs them before the
	 * model, so that what they build and free (missing-fk-index's replay
	 * of the file) is never in memory with the model's index.
	 */
	int before_lock_model;
};

/* The registry (registry.c): every linked rule, in listing order. */
const struct dg_rule *const *dg_rules_list(size_t *n);
const struct dg_rule *dg_rule_find(const char *id);
int dg_rule_known(const char *id);      /* for the config reader */
/* The rule id closest to an unknown one (a typo), or NULL: for "did you mean". */
const char *dg_rule_suggest(const char *id);
/* " (did you mean 'x'?)" for an unknown id, else ""; static storage. */
const char *dg_rule_did_you_mean(const char *id);
/* The effective level of a rule under cfg. */
enum dg_severity dg_rule_level(const struct dg_rule *r, const struct dg_config *cfg);

/*
 * A context for running rules on run under cfg; with rule non-NULL, set to
 * that rule at its effective level.
 */
void dg_rule_ctx_init(struct dg_rule_ctx *ctx, struct dg_run *run, const struct dg_config *cfg,
		      const struct dg_rule *rule);

/*
 * Report a finding for statement st at byte offset `location` (-1 = the
 * statement's start). `help` may be NULL. Suppressions are honoured here.
 */
void dg_report(struct dg_rule_ctx *ctx, const struct dg_stmt *st, int location,
	       const char *help, const char *fmt, ...) DG_PRINTF(5, 6);
/* Report at an explicit place (graph, push and schema rules). line 0 = no place. */
void dg_report_at(struct dg_rule_ctx *ctx, const char *path, int line, int column,
		  const char *help, const char *fmt, ...) DG_PRINTF(6, 7);

/* Convenience for rules. */
const char *dg_ctx_rel(struct dg_rule_ctx *ctx, const struct dg_rel *r);
/*
 * Does lock l of st fall on a relation that existed before the statement
 * (not created by st itself, nor earlier in this file)? Only those make
 * other sessions wait.
 */
int dg_ctx_lock_on_existing(const struct dg_rule_ctx *ctx, const struct dg_stmt *st,
			    const struct dg_lock *l);
/* Is the relation created earlier in this file (so empty and unseen)? */
int dg_ctx_table_is_new(const struct dg_rule_ctx *ctx, const struct dg_stmt *st,
			const struct dg_rel *r);
/*
 * Is the file a down migration (golang-migrate .down.sql, diesel down.sql,
 * Flyway U undo script)? It restores an older schema on purpose.
 */
int dg_ctx_in_down_migration(const struct dg_rule_ctx *ctx);
/*
 * The kind of constraint `name` of table r as of st: from the file's
 * earlier statements, else the schema replayed before the file;
 * DG_CON_NONE when neither says.
 */
enum dg_con_kind dg_ctx_constraint_kind(const struct dg_rule_ctx *ctx, const struct dg_stmt *st,
					const struct dg_rel *r, const char *name);
/* The lock st itself takes on r, DG_LOCK_NONE when none. */
enum dg_lockmode dg_ctx_lock_of(const struct dg_stmt *st, const struct dg_rel *r);
/* The mode st's transaction holds on r while st runs (its own lock, or an earlier statement's). */
enum dg_lockmode dg_ctx_held_on(const struct dg_stmt *st, const struct dg_rel *r);
/*
 * The earlier statement of st's transaction that took `mode` on r first,
 * or NULL (for messages: "taken at line N").
 */
const struct dg_stmt *dg_ctx_lock_taker(const struct dg_rule_ctx *ctx, const struct dg_stmt *st,
					const struct dg_rel *r, enum dg_lockmode mode);

#endif
