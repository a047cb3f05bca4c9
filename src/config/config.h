/*
 * .ddlgate.yml: the only place that knows YAML. Every key is optional;
 * unknown keys, wrong types and unknown rule ids are errors with file:line:col.
 */
#ifndef DG_CONFIG_H
#define DG_CONFIG_H

#include <stddef.h>

#include "core/finding.h"

#define DG_CONFIG_FILE ".ddlgate.yml"
#define DG_PG_VERSION_DEFAULT 17
#define DG_PG_VERSION_MIN 10
#define DG_PG_VERSION_MAX 18

enum dg_set_format {
	DG_FORMAT_SQL,
	DG_FORMAT_ALEMBIC,
	DG_FORMAT_DJANGO,
};

enum dg_tx_mode {
	DG_TX_AUTO,
	DG_TX_YES,
	DG_TX_NO,
};

struct dg_set_config {
	char *path;                 /* directory; globs allowed */
	enum dg_set_format format;
	char *naming;               /* sql: flyway, golang-migrate, dbmate, diesel, sqitch-like, sequential, auto */
	enum dg_tx_mode transaction;
	char *app_label;            /* django: overrides the directory name */
	int line;                   /* where it was configured (0 = auto-detected) */
};

/* Who may silence findings with ddlgate:ignore comments (suppressions:). */
enum dg_suppressions {
	DG_SUPPRESS_ALLOW = 0,      /* any ddlgate:ignore silences its rules */
	DG_SUPPRESS_REQUIRE_REASON, /* only one with a reason text after the ids */
	DG_SUPPRESS_DENY,           /* none: every finding is reported */
};

#define DG_TIMEOUT_DEFAULT 60      /* seconds a git read may take (timeout_seconds) */
#define DG_TIMEOUT_MAX 86400

struct dg_rule_level {
	char *id;
	enum dg_severity severity;
};

struct dg_config {
	char *file;                 /* where it was read from, NULL for defaults */
	int pg_version;
	char **protected_branches;  /* glob patterns */
	size_t n_protected;
	struct dg_rule_level *levels; /* rules: and branch_rules: together */
	size_t n_levels;
	struct dg_set_config *sets;
	size_t n_sets;
	char **exclude;             /* globs, relative to the repository root */
	size_t n_exclude;
	enum dg_suppressions suppressions;
	int timeout_seconds;        /* a command reading git gives up after this long */
};

/* Returns non-zero when id names a known rule (the registry supplies it). */
typedef int (*dg_rule_known_fn)(const char *id);
/* The known id closest to an unknown one, or NULL (the registry supplies it). */
typedef const char *(*dg_rule_suggest_fn)(const char *id);
/* Unknown rule ids in a config then get a "did you mean" hint (process-wide; NULL: none). */
void dg_config_set_rule_suggest(dg_rule_suggest_fn fn);

void dg_config_init(struct dg_config *cfg);   /* the defaults */
void dg_config_release(struct dg_config *cfg);
/* Parse YAML text; `file` names it in messages. On error cfg holds defaults. */
int dg_config_parse(struct dg_config *cfg, const char *file, const char *data,
		    size_t len, dg_rule_known_fn known);
int dg_config_load(struct dg_config *cfg, const char *path, dg_rule_known_fn known);
/*
 * Paths in a .ddlgate.yml below the root are relative to its directory:
 * prefix every set path and exclude pattern with dir ("services/api").
 */
void dg_config_rebase(struct dg_config *cfg, const char *dir);
/* Set (or replace) a level, as --rule ID=LEVEL does. */
void dg_config_set_level(struct dg_config *cfg, const char *id, enum dg_severity sev);
/* The configured level of a rule, or `dflt` when the config says nothing. */
enum dg_severity dg_config_level(const struct dg_config *cfg, const char *id,
				 enum dg_severity dflt);
int dg_config_is_protected(const struct dg_config *cfg, const char *branch);
int dg_config_is_excluded(const struct dg_config *cfg, const char *path);
const char *dg_set_format_name(enum dg_set_format f);
const char *dg_suppressions_name(enum dg_suppressions s);

#endif
