/* Help in the framework's terms (placeholder while the table is written). */
#include "frameworks/fw_int.h"

const char *fw_help(const struct dg_sql_file *f, const struct dg_stmt *st, const char *rule,
		    const char *dflt)
{
	(void)f;
	(void)st;
	(void)rule;
	(void)dflt;
	return NULL;
}
