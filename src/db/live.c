/*
 * The live schema for `ddlgate audit`: the catalog written out as DDL
 * (schemas, tables with their column types and NOT NULLs, PRIMARY KEY /
 * UNIQUE / EXCLUDE / FOREIGN KEY / CHECK constraints, materialized views
 * (by name), valid indexes; views are left out), so
 * that the schema stage reads it exactly as it reads migrations, and every
 * index with its usage statistics. Catalog reads only: no lock on any user
 * table (sizes come from pg_class.relpages, not pg_relation_size()).
 */
#include "db/db_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The user schemas: not the system's, not TOAST, not other sessions' temp. */
#define USER_NS \
	"n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'"

/*
 * With search_path = pg_catalog every name the server prints is schema
 * qualified, so the replayed live schema needs no search path.
 */
static const char ddl_sql[] =
	"SELECT format('CREATE SCHEMA %I;', n.nspname)\n"
	"FROM pg_namespace n WHERE " USER_NS " AND n.nspname <> 'public'\n"
	"UNION ALL (\n"
	"SELECT format('CREATE TABLE %I.%I (%s);', n.nspname, c.relname,\n"
	"       (SELECT coalesce(string_agg(format('%I %s%s', a.attname,\n"
	"                 format_type(a.atttypid, a.atttypmod),\n"
	"                 CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END), ', ' ORDER BY a.attnum), '')\n"
	"        FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped))\n"
	"FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace\n"
	"WHERE c.relkind IN ('r', 'p') AND " USER_NS "\n"
	"ORDER BY n.nspname, c.relname)\n"
	"UNION ALL (\n"
	/* a materialized view's query is not the point: that it exists, and its indexes */
	"SELECT format('CREATE MATERIALIZED VIEW %I.%I AS SELECT 1 WITH NO DATA;', n.nspname, c.relname)\n"
	"FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace\n"
	"WHERE c.relkind = 'm' AND " USER_NS "\n"
	"ORDER BY n.nspname, c.relname)\n"
	"UNION ALL (\n"
	"SELECT format('ALTER TABLE %I.%I ADD CONSTRAINT %I %s;', n.nspname, c.relname, co.conname,\n"
	"              pg_get_constraintdef(co.oid))\n"
	"FROM pg_constraint co JOIN pg_class c ON c.oid = co.conrelid\n"
	"JOIN pg_namespace n ON n.oid = c.relnamespace\n"
	"WHERE co.contype IN ('p', 'u', 'x', 'f', 'c') AND c.relkind IN ('r', 'p') AND " USER_NS "\n"
	"ORDER BY CASE co.contype WHEN 'p' THEN 0 WHEN 'u' THEN 1 WHEN 'x' THEN 2 WHEN 'c' THEN 3 ELSE 4 END,\n"
	"         n.nspname, c.relname, co.conname)\n"
	"UNION ALL (\n"
	"SELECT pg_get_indexdef(i.indexrelid) || ';'\n"
	"FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid\n"
	"JOIN pg_class ic ON ic.oid = i.indexrelid\n"
	"JOIN pg_namespace n ON n.oid = c.relnamespace\n"
	"WHERE i.indisvalid AND c.relkind IN ('r', 'p', 'm') AND " USER_NS "\n"
	"  AND NOT EXISTS (SELECT 1 FROM pg_constraint co WHERE co.conindid = i.indexrelid\n"
	"                  AND co.conrelid = i.indrelid AND co.contype IN ('p', 'u', 'x'))\n"
	"ORDER BY n.nspname, c.relname, ic.relname)";

/* Between the two: the test for an index CREATE INDEX CONCURRENTLY is building now (12+). */
static const char indexes_head[] =
	"SELECT n.nspname, c.relname, ic.relname, pg_get_indexdef(i.indexrelid), am.amname,\n"
	"       i.indisunique, i.indisprimary,\n"
	"       EXISTS (SELECT 1 FROM pg_constraint co WHERE co.conindid = i.indexrelid\n"
	"               AND co.conrelid = i.indrelid AND co.contype IN ('p', 'u', 'x')),\n"
	"       i.indisvalid, ";
static const char indexes_tail[] =
	",\n"
	"       coalesce(s.idx_scan, -1),\n"
	"       ic.relpages::int8 * current_setting('block_size')::int8,\n"
	"       pg_size_pretty(ic.relpages::int8 * current_setting('block_size')::int8)\n"
	"FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid\n"
	"JOIN pg_class ic ON ic.oid = i.indexrelid\n"
	"JOIN pg_am am ON am.oid = ic.relam\n"
	"JOIN pg_namespace n ON n.oid = c.relnamespace\n"
	"LEFT JOIN pg_stat_user_indexes s ON s.indexrelid = i.indexrelid\n"
	"WHERE " USER_NS "\n"
	"ORDER BY n.nspname, c.relname, ic.relname";

static const char building_12[] =
	"EXISTS (SELECT 1 FROM pg_stat_progress_create_index p WHERE p.index_relid = i.indexrelid)";

static const char stats_sql[] =
	"SELECT current_database(), stats_reset::timestamptz(0)::text FROM pg_stat_database\n"
	"WHERE datname = current_database()";

static int read_ddl(struct dg_arena *a, struct dg_db *db, struct dg_live_db *out)
{
	PGresult *r = dg_db_query(db, "cannot read the catalog", ddl_sql, 0, NULL, PGRES_TUPLES_OK);
	if (!r)
		return -1;
	struct dg_buf b = DG_BUF_INIT;
	for (int i = 0; i < PQntuples(r); i++) {
		dg_buf_adds(&b, PQgetvalue(r, i, 0));
		dg_buf_addch(&b, '\n');
	}
	PQclear(r);
	out->ddl_len = b.len;
	out->ddl = dg_strndup(a, b.ptr ? b.ptr : "", b.len);
	dg_buf_release(&b);
	return 0;
}

static int read_indexes(struct dg_arena *a, struct dg_db *db, struct dg_live_db *out)
{
	char *sql = dg_sprintf(a, "%s%s%s", indexes_head,
			       dg_db_server_version(db) >= 120000 ? building_12 : "false", indexes_tail);
	PGresult *r = dg_db_query(db, "cannot read the indexes", sql, 0, NULL, PGRES_TUPLES_OK);
	if (!r)
		return -1;
	out->n_indexes = (size_t)PQntuples(r);
	out->indexes = dg_alloc(a, (out->n_indexes ? out->n_indexes : 1) * sizeof(*out->indexes));
	for (size_t i = 0; i < out->n_indexes; i++) {
		struct dg_live_index *x = &out->indexes[i];
		int row = (int)i;
		x->schema = dg_db_cell(a, r, row, 0);
		x->table = dg_db_cell(a, r, row, 1);
		x->name = dg_db_cell(a, r, row, 2);
		x->definition = dg_db_cell(a, r, row, 3);
		x->method = dg_db_cell(a, r, row, 4);
		x->unique = dg_db_cell_bool(r, row, 5);
		x->primary = dg_db_cell_bool(r, row, 6);
		x->backs_constraint = dg_db_cell_bool(r, row, 7);
		x->valid = dg_db_cell_bool(r, row, 8);
		x->building = dg_db_cell_bool(r, row, 9);
		x->scans = dg_db_cell_ll(r, row, 10);
		x->size_bytes = dg_db_cell_ll(r, row, 11);
		x->size = dg_db_cell(a, r, row, 12);
	}
	PQclear(r);
	return 0;
}

int dg_db_read_live(struct dg_arena *a, struct dg_db *db, struct dg_live_db *out)
{
	memset(out, 0, sizeof(*out));
	out->server_version = dg_db_server_version(db);
	/* read-only, never queued behind a migration for long, names qualified */
	if (dg_db_exec(db, "cannot prepare the session",
		       "SET default_transaction_read_only = on") < 0 ||
	    dg_db_exec(db, "cannot prepare the session", "SET lock_timeout = '2s'") < 0 ||
	    dg_db_exec(db, "cannot prepare the session", "SET statement_timeout = '60s'") < 0 ||
	    dg_db_exec(db, "cannot prepare the session", "SET search_path = pg_catalog") < 0)
		return -1;
	PGresult *r = dg_db_query(db, "cannot read pg_stat_database", stats_sql, 0, NULL,
				  PGRES_TUPLES_OK);
	if (!r)
		return -1;
	out->database = dg_strdup(a, PQntuples(r) ? PQgetvalue(r, 0, 0) : dg_db_name(db));
	out->stats_reset = PQntuples(r) && !PQgetisnull(r, 0, 1) ? dg_db_cell(a, r, 0, 1) : NULL;
	PQclear(r);
	/* one snapshot of the catalog for both reads */
	if (dg_db_exec(db, "cannot read the catalog", "BEGIN ISOLATION LEVEL REPEATABLE READ") < 0)
		return -1;
	int rc = read_ddl(a, db, out) < 0 || read_indexes(a, db, out) < 0 ? -1 : 0;
	PQclear(PQexec(db->conn, rc < 0 ? "ROLLBACK" : "COMMIT"));
	return rc;
}
