/*
 * Volatility of built-in functions, as pg_proc.provolatile says on
 * PostgreSQL 10..17. Only volatility matters for the lock model: a
 * volatile default must be computed per row, so ADD COLUMN rewrites.
 */
#include <stdlib.h>
#include <string.h>

#include "sql/sql.h"

struct fn_vol {
	const char *name;
	enum dg_volatility vol;
};

/* Sorted by name for bsearch. */
static const struct fn_vol builtins[] = {
	{ "abs", DG_VOL_IMMUTABLE },
	{ "age", DG_VOL_STABLE },
	{ "array_length", DG_VOL_IMMUTABLE },
	{ "btrim", DG_VOL_IMMUTABLE },
	{ "ceil", DG_VOL_IMMUTABLE },
	{ "char_length", DG_VOL_IMMUTABLE },
	{ "clock_timestamp", DG_VOL_VOLATILE },
	{ "concat", DG_VOL_STABLE },
	{ "concat_ws", DG_VOL_STABLE },
	{ "currval", DG_VOL_VOLATILE },
	{ "current_database", DG_VOL_STABLE },
	{ "current_date", DG_VOL_STABLE },
	{ "current_schema", DG_VOL_STABLE },
	{ "current_setting", DG_VOL_STABLE },
	{ "current_time", DG_VOL_STABLE },
	{ "current_timestamp", DG_VOL_STABLE },
	{ "current_user", DG_VOL_STABLE },
	{ "date_part", DG_VOL_STABLE },
	{ "date_trunc", DG_VOL_STABLE },
	{ "floor", DG_VOL_IMMUTABLE },
	{ "gen_random_bytes", DG_VOL_VOLATILE },
	{ "gen_random_uuid", DG_VOL_VOLATILE },
	{ "inet_client_addr", DG_VOL_STABLE },
	{ "json_build_array", DG_VOL_STABLE },
	{ "json_build_object", DG_VOL_STABLE },
	{ "jsonb_build_array", DG_VOL_STABLE },
	{ "jsonb_build_object", DG_VOL_STABLE },
	{ "lastval", DG_VOL_VOLATILE },
	{ "left", DG_VOL_IMMUTABLE },
	{ "length", DG_VOL_IMMUTABLE },
	{ "localtime", DG_VOL_STABLE },
	{ "localtimestamp", DG_VOL_STABLE },
	{ "lower", DG_VOL_IMMUTABLE },
	{ "lpad", DG_VOL_IMMUTABLE },
	{ "ltrim", DG_VOL_IMMUTABLE },
	{ "make_date", DG_VOL_IMMUTABLE },
	{ "make_interval", DG_VOL_IMMUTABLE },
	{ "make_timestamp", DG_VOL_IMMUTABLE },
	{ "make_timestamptz", DG_VOL_STABLE },
	{ "md5", DG_VOL_IMMUTABLE },
	{ "nextval", DG_VOL_VOLATILE },
	{ "now", DG_VOL_STABLE },
	{ "pg_backend_pid", DG_VOL_STABLE },
	{ "pg_current_xact_id", DG_VOL_STABLE },
	{ "random", DG_VOL_VOLATILE },
	{ "random_normal", DG_VOL_VOLATILE },
	{ "replace", DG_VOL_IMMUTABLE },
	{ "right", DG_VOL_IMMUTABLE },
	{ "round", DG_VOL_IMMUTABLE },
	{ "rpad", DG_VOL_IMMUTABLE },
	{ "rtrim", DG_VOL_IMMUTABLE },
	{ "session_user", DG_VOL_STABLE },
	{ "setseed", DG_VOL_VOLATILE },
	{ "setval", DG_VOL_VOLATILE },
	{ "sha256", DG_VOL_IMMUTABLE },
	{ "statement_timestamp", DG_VOL_STABLE },
	{ "substr", DG_VOL_IMMUTABLE },
	{ "substring", DG_VOL_IMMUTABLE },
	{ "timeofday", DG_VOL_VOLATILE },
	{ "timezone", DG_VOL_STABLE },
	{ "to_char", DG_VOL_STABLE },
	{ "to_date", DG_VOL_STABLE },
	{ "to_json", DG_VOL_STABLE },
	{ "to_jsonb", DG_VOL_STABLE },
	{ "to_number", DG_VOL_STABLE },
	{ "to_timestamp", DG_VOL_STABLE },
	{ "transaction_timestamp", DG_VOL_STABLE },
	{ "trim", DG_VOL_IMMUTABLE },
	{ "trunc", DG_VOL_IMMUTABLE },
	{ "txid_current", DG_VOL_STABLE },
	{ "upper", DG_VOL_IMMUTABLE },
	{ "uuid_generate_v1", DG_VOL_VOLATILE },
	{ "uuid_generate_v1mc", DG_VOL_VOLATILE },
	{ "uuid_generate_v4", DG_VOL_VOLATILE },
	{ "uuid_nil", DG_VOL_IMMUTABLE },
};

static int cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct fn_vol *)elem)->name);
}

enum dg_volatility dg_sql_function_volatility(const char *name)
{
	const struct fn_vol *f = bsearch(name, builtins, DG_ARRAY_SIZE(builtins),
					 sizeof(builtins[0]), cmp);
	return f ? f->vol : DG_VOL_UNKNOWN;
}
