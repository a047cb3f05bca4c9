/*
 * Fuzz target: the operation reader of the frameworks stage. Arbitrary
 * bytes as a Django migration and as an Alembic revision (one project
 * state carried through both, as a history would), the SQL it makes
 * parsed, mapped back and linted with every rule. Any input must end in
 * SQL with findings or a one-line error naming the file, never a crash,
 * a hang or a leak.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "core/finding.h"
#include "frameworks/frameworks.h"
#include "rules/engine.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dg_run run;
	struct dg_config cfg;
	dg_run_init(&run);
	dg_config_init(&cfg);
	struct dg_fw_state *st = dg_fw_state_new(&run.arena);
	static const enum dg_set_format formats[] = {DG_FORMAT_DJANGO, DG_FORMAT_ALEMBIC};
	for (size_t i = 0; i < 2; i++) {
		struct dg_sql_file f;
		struct dg_fw_opts o = {formats[i], DG_TX_AUTO, "app"};
		if (dg_fw_migration_sql(&run.arena, st, "fuzz.py", (const char *)data, size, &o, &f) < 0) {
			const char *e = dg_last_error();
			if (!e || strncmp(e, "fuzz.py", 7))
				abort(); /* every error names the file */
			dg_error_clear();
			continue;
		}
		/* every statement maps into the .py file */
		for (size_t k = 0; k < f.n_stmts; k++)
			if (f.stmts[k].line < 1 || f.stmts[k].column < 1)
				abort();
		struct dg_lint_opts lo = {.cfg = &cfg, .pg_version = 17, .tx = DG_TX_AUTO};
		dg_lint_parsed(&run, &f, &lo);
	}
	dg_config_release(&cfg);
	dg_run_release(&run);
	return 0;
}
