/*
 * Volatility of built-in functions, as pg_proc.provolatile says on
 * PostgreSQL 10..18 (the most volatile of a name's overloads; a few come
 * from common extensions: pgcrypto, uuid-ossp). Only volatility matters
 * for the lock model: a volatile default must be computed per row, so
 * ADD COLUMN rewrites. tests/pg/lock_oracle.sh checks this table against
 * the server's pg_proc.
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
	{ "array_append", DG_VOL_IMMUTABLE },
	{ "array_cat", DG_VOL_IMMUTABLE },
	{ "array_length", DG_VOL_IMMUTABLE },
	{ "array_position", DG_VOL_IMMUTABLE },
	{ "array_remove", DG_VOL_IMMUTABLE },
	{ "array_to_string", DG_VOL_STABLE },
	{ "ascii", DG_VOL_IMMUTABLE },
	{ "bit_length", DG_VOL_IMMUTABLE },
	{ "btrim", DG_VOL_IMMUTABLE },
	{ "cardinality", DG_VOL_IMMUTABLE },
	{ "ceil", DG_VOL_IMMUTABLE },
	{ "char_length", DG_VOL_IMMUTABLE },
	{ "chr", DG_VOL_IMMUTABLE },
	{ "clock_timestamp", DG_VOL_VOLATILE },
	{ "concat", DG_VOL_STABLE },
	{ "concat_ws", DG_VOL_STABLE },
	{ "current_database", DG_VOL_STABLE },
	{ "current_date", DG_VOL_STABLE },
	{ "current_schema", DG_VOL_STABLE },
	{ "current_setting", DG_VOL_STABLE },
	{ "current_time", DG_VOL_STABLE },
	{ "current_timestamp", DG_VOL_STABLE },
	{ "current_user", DG_VOL_STABLE },
	{ "currval", DG_VOL_VOLATILE },
	{ "date_bin", DG_VOL_IMMUTABLE },
	{ "date_part", DG_VOL_STABLE },
	{ "date_trunc", DG_VOL_STABLE },
	{ "decode", DG_VOL_IMMUTABLE },
	{ "encode", DG_VOL_IMMUTABLE },
	{ "exp", DG_VOL_IMMUTABLE },
	{ "extract", DG_VOL_STABLE },
	{ "floor", DG_VOL_IMMUTABLE },
	{ "format", DG_VOL_STABLE },
	{ "gen_random_bytes", DG_VOL_VOLATILE },
	{ "gen_random_uuid", DG_VOL_VOLATILE },
	{ "inet_client_addr", DG_VOL_STABLE },
	{ "inet_server_addr", DG_VOL_STABLE },
	{ "initcap", DG_VOL_IMMUTABLE },
	{ "json_build_array", DG_VOL_STABLE },
	{ "json_build_object", DG_VOL_STABLE },
	{ "json_typeof", DG_VOL_IMMUTABLE },
	{ "jsonb_build_array", DG_VOL_STABLE },
	{ "jsonb_build_object", DG_VOL_STABLE },
	{ "jsonb_set", DG_VOL_IMMUTABLE },
	{ "jsonb_strip_nulls", DG_VOL_IMMUTABLE },
	{ "jsonb_typeof", DG_VOL_IMMUTABLE },
	{ "justify_days", DG_VOL_IMMUTABLE },
	{ "lastval", DG_VOL_VOLATILE },
	{ "left", DG_VOL_IMMUTABLE },
	{ "length", DG_VOL_IMMUTABLE },
	{ "ln", DG_VOL_IMMUTABLE },
	{ "localtime", DG_VOL_STABLE },
	{ "localtimestamp", DG_VOL_STABLE },
	{ "log", DG_VOL_IMMUTABLE },
	{ "lower", DG_VOL_IMMUTABLE },
	{ "lpad", DG_VOL_IMMUTABLE },
	{ "ltrim", DG_VOL_IMMUTABLE },
	{ "make_date", DG_VOL_IMMUTABLE },
	{ "make_interval", DG_VOL_IMMUTABLE },
	{ "make_time", DG_VOL_IMMUTABLE },
	{ "make_timestamp", DG_VOL_IMMUTABLE },
	{ "make_timestamptz", DG_VOL_STABLE },
	{ "md5", DG_VOL_IMMUTABLE },
	{ "mod", DG_VOL_IMMUTABLE },
	{ "nextval", DG_VOL_VOLATILE },
	{ "normalize", DG_VOL_IMMUTABLE },
	{ "now", DG_VOL_STABLE },
	{ "octet_length", DG_VOL_IMMUTABLE },
	{ "pg_backend_pid", DG_VOL_STABLE },
	{ "pg_current_xact_id", DG_VOL_STABLE },
	{ "pg_sleep", DG_VOL_VOLATILE },
	{ "power", DG_VOL_IMMUTABLE },
	{ "quote_ident", DG_VOL_IMMUTABLE },
	{ "quote_literal", DG_VOL_STABLE },
	{ "random", DG_VOL_VOLATILE },
	{ "random_normal", DG_VOL_VOLATILE },
	{ "regexp_replace", DG_VOL_IMMUTABLE },
	{ "repeat", DG_VOL_IMMUTABLE },
	{ "replace", DG_VOL_IMMUTABLE },
	{ "reverse", DG_VOL_IMMUTABLE },
	{ "right", DG_VOL_IMMUTABLE },
	{ "round", DG_VOL_IMMUTABLE },
	{ "row_to_json", DG_VOL_STABLE },
	{ "rpad", DG_VOL_IMMUTABLE },
	{ "rtrim", DG_VOL_IMMUTABLE },
	{ "session_user", DG_VOL_STABLE },
	{ "setseed", DG_VOL_VOLATILE },
	{ "setval", DG_VOL_VOLATILE },
	{ "sha224", DG_VOL_IMMUTABLE },
	{ "sha256", DG_VOL_IMMUTABLE },
	{ "sha384", DG_VOL_IMMUTABLE },
	{ "sha512", DG_VOL_IMMUTABLE },
	{ "sign", DG_VOL_IMMUTABLE },
	{ "split_part", DG_VOL_IMMUTABLE },
	{ "sqrt", DG_VOL_IMMUTABLE },
	{ "starts_with", DG_VOL_IMMUTABLE },
	{ "statement_timestamp", DG_VOL_STABLE },
	{ "string_to_array", DG_VOL_IMMUTABLE },
	{ "strpos", DG_VOL_IMMUTABLE },
	{ "substr", DG_VOL_IMMUTABLE },
	{ "substring", DG_VOL_IMMUTABLE },
	{ "timeofday", DG_VOL_VOLATILE },
	{ "timezone", DG_VOL_STABLE },
	{ "to_char", DG_VOL_STABLE },
	{ "to_date", DG_VOL_STABLE },
	{ "to_hex", DG_VOL_IMMUTABLE },
	{ "to_json", DG_VOL_STABLE },
	{ "to_jsonb", DG_VOL_STABLE },
	{ "to_number", DG_VOL_STABLE },
	{ "to_regclass", DG_VOL_STABLE },
	{ "to_timestamp", DG_VOL_STABLE },
	{ "to_tsvector", DG_VOL_STABLE },
	{ "transaction_timestamp", DG_VOL_STABLE },
	{ "translate", DG_VOL_IMMUTABLE },
	{ "trim", DG_VOL_IMMUTABLE },
	{ "trunc", DG_VOL_IMMUTABLE },
	{ "txid_current", DG_VOL_STABLE },
	{ "unistr", DG_VOL_IMMUTABLE },
	{ "upper", DG_VOL_IMMUTABLE },
	{ "uuid_generate_v1", DG_VOL_VOLATILE },
	{ "uuid_generate_v1mc", DG_VOL_VOLATILE },
	{ "uuid_generate_v4", DG_VOL_VOLATILE },
	{ "uuid_nil", DG_VOL_IMMUTABLE },
	{ "version", DG_VOL_STABLE },
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
