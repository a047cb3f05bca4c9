/*
 * Fuzz target: the .ddlgate.yml reader on arbitrary bytes. Any input must
 * parse or fail with a message that names the file; a failed parse leaves
 * the defaults; a parsed config holds only valid values.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "core/core.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int known(const char *id)
{
	return !strcmp(id, "lock-table") || !strcmp(id, "prefer-bigint") ||
	       !strcmp(id, "protected-branch-push");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dg_config cfg;
	dg_config_init(&cfg);
	dg_error_clear();
	if (dg_config_parse(&cfg, "fuzz.yml", (const char *)data, size, known) < 0) {
		if (strncmp(dg_last_error(), "fuzz.yml:", 9))
			abort(); /* every message names the file (and, for YAML, line:col) */
		if (cfg.pg_version != DG_PG_VERSION_DEFAULT || cfg.n_levels || cfg.n_sets ||
		    cfg.n_exclude || cfg.n_protected != 2 || cfg.suppressions != DG_SUPPRESS_ALLOW ||
		    cfg.timeout_seconds != DG_TIMEOUT_DEFAULT)
			abort(); /* a failed parse leaves the defaults */
	} else {
		if (cfg.pg_version < DG_PG_VERSION_MIN || cfg.pg_version > DG_PG_VERSION_MAX)
			abort();
		if (cfg.suppressions != DG_SUPPRESS_ALLOW && cfg.suppressions != DG_SUPPRESS_REQUIRE_REASON &&
		    cfg.suppressions != DG_SUPPRESS_DENY)
			abort();
		if (cfg.timeout_seconds < 1 || cfg.timeout_seconds > DG_TIMEOUT_MAX)
			abort();
		for (size_t i = 0; i < cfg.n_levels; i++)
			if (!known(cfg.levels[i].id) || cfg.levels[i].severity > DG_ERROR)
				abort();
		for (size_t i = 0; i < cfg.n_sets; i++)
			if (!cfg.sets[i].path || !*cfg.sets[i].path || !cfg.sets[i].naming)
				abort();
		/* two names against every pattern: more is quadratic in the input */
		if (cfg.n_protected)
			(void)dg_config_is_protected(&cfg, cfg.protected_branches[0]);
		(void)dg_config_is_protected(&cfg, "release/1.0");
		if (cfg.n_exclude)
			(void)dg_config_is_excluded(&cfg, cfg.exclude[cfg.n_exclude - 1]);
		(void)dg_config_is_excluded(&cfg, "db/migrations/V1__x.sql");
	}
	dg_config_release(&cfg);
	return 0;
}
