/*
 * The lint engine: SQL text in, findings out. Parses, runs the lock model,
 * runs every statement and file rule at its effective level, honours the
 * ddlgate:ignore comments. Used by lint, check, the hooks and ci.
 */
#ifndef DG_ENGINE_H
#define DG_ENGINE_H

#include <stddef.h>

#include "config/config.h"
#include "core/finding.h"

struct dg_schema;

struct dg_lint_opts {
	const struct dg_config *cfg;        /* levels, exclude; never NULL */
	int pg_version;                     /* effective target version */
	enum dg_tx_mode tx;                 /* the set's transaction: setting */
	const struct dg_schema *schema;     /* schema before this file, or NULL */
	/*
	 * ci: the change is reviewed. base_data is the file as the base branch
	 * has it (NULL: the change adds it). Every suppression comment the
	 * change adds is reported (suppression-added); one added to a file the
	 * base has silences nothing.
	 */
	int review;
	const char *base_data;
	size_t base_len;
};

/*
 * Lint one SQL text. `path` is what findings print. Binary data or
 * invalid UTF-8 is an error (-1 with the message set) and nothing else is
 * reported for the file; bad SQL is a finding, not an error.
 */
int dg_lint_sql(struct dg_run *run, const char *path, const char *data, size_t len,
		const struct dg_lint_opts *o);

struct dg_sql_file;

/* The input check dg_lint_sql makes: binary data or invalid UTF-8 is -1. */
int dg_lint_check_text(const char *path, const char *data, size_t len);
/*
 * Lint a file already parsed (dg_sql_parse, e.g. for a schema replay) and
 * checked with dg_lint_check_text: the lock model and every rule. The file
 * must live in run's arena or longer.
 */
void dg_lint_parsed(struct dg_run *run, struct dg_sql_file *f, const struct dg_lint_opts *o);

#endif
