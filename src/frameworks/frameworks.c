/* The stage's entry: read a migration, run its framework's translator, parse the SQL. */
#include <string.h>

#include "frameworks/fw_int.h"

int dg_fw_migration_sql(struct dg_arena *a, struct dg_fw_state *st, const char *path,
			const char *data, size_t len, const struct dg_fw_opts *o,
			struct dg_sql_file *out)
{
	struct dg_py_module *mod = dg_alloc(a, sizeof(*mod));
	if (dg_py_read(a, path, data, len, mod) < 0)
		return -1;
	struct fw_emit e;
	fw_emit_init(&e, a, path, data, len, mod,
		     o->format == DG_FORMAT_DJANGO ? FW_DJANGO : FW_ALEMBIC);
	if (o->format == DG_FORMAT_DJANGO)
		fw_django(&e, st, o);
	else
		fw_alembic(&e, o);
	fw_emit_finish(&e, out);
	return 0;
}
