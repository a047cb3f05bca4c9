/*
 * missing-fk-index on its own, for callers that report the rule on files
 * they do not lint otherwise (`--all` in the hooks and ci: FKs of older
 * migrations).
 */
#ifndef DG_MISSING_FK_INDEX_H
#define DG_MISSING_FK_INDEX_H

#include "config/config.h"
#include "core/finding.h"
#include "schema/schema.h"
#include "sql/sql.h"

/*
 * Run missing-fk-index alone on file f with the schema before it. parsed:
 * f holds every fact (else its replay facts came from the cache, and its
 * text is parsed again for the suppression comments).
 */
void dg_missing_fk_index_run(struct dg_run *run, const struct dg_config *cfg,
			     const struct dg_sql_file *f, int parsed, const struct dg_schema *before);

#endif
