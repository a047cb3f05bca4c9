/*
 * The tracing session behind `ddlgate trace`: a migration runs statement by
 * statement inside one transaction that is always rolled back. After each
 * statement a second connection reads pg_locks for the migration's backend
 * (by oid), and the migration's own connection names those relations (it
 * alone sees the ones created by its uncommitted transaction) and compares
 * pg_class.relfilenode before and after (rewrites) and its transaction's
 * sequential-scan counters (scans).
 */
#include "db/db_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* One user relation of pg_class, as the traced transaction sees it. */
struct rel_row {
	long long oid;
	long long filenode;
	struct dg_trace_rel rel;
};

/* pg_class, the backend's relation locks and its scan counters at one moment. */
struct state {
	struct dg_arena arena;
	struct rel_row *rels;
	size_t n_rels;
	long long *lock_oid;       /* relation locks: oid and DG_LOCKBIT set */
	unsigned *lock_bits;
	size_t n_locks;
	long long *scan_oid;       /* pg_stat_xact_user_tables: oid and seq_scan */
	long long *scan_count;
	size_t n_scans;
};

struct dg_trace {
	struct dg_db *db;          /* the migration's connection, inside the transaction */
	struct dg_db *observer;    /* reads pg_locks from outside */
	char pid[16];
	char lock_timeout[32], statement_timeout[32];
	struct state prev;         /* the state after the last measured statement */
	int prev_valid;
};

static const char rels_sql[] =
	"SELECT c.oid::int8, n.nspname, c.relname, c.relkind, c.relfilenode::int8,\n"
	"       pg_table_is_visible(c.oid)\n"
	"FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace\n"
	"WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')\n"
	"  AND n.nspname NOT LIKE 'pg\\_toast%'";

static const char locks_sql[] =
	"SELECT relation::int8, mode FROM pg_locks\n"
	"WHERE pid = $1::int AND locktype = 'relation' AND granted\n"
	"  AND database = (SELECT oid FROM pg_database WHERE datname = current_database())";

static const char scans_sql[] = "SELECT relid::int8, seq_scan FROM pg_stat_xact_user_tables";

/* Who the migration's backend is, as each connection sees it: must be one server. */
static const char whoami_sql[] =
	"SELECT pg_backend_pid(), (SELECT backend_start::text FROM pg_stat_activity\n"
	"                          WHERE pid = pg_backend_pid())";
static const char seen_sql[] = "SELECT backend_start::text FROM pg_stat_activity WHERE pid = $1::int";

enum dg_lockmode dg_lockmode_from_name(const char *name)
{
	for (int m = DG_LOCK_ACCESS_SHARE; m <= DG_LOCK_ACCESS_EXCLUSIVE; m++)
		if (!strcmp(dg_lockmode_name((enum dg_lockmode)m), name))
			return (enum dg_lockmode)m;
	return DG_LOCK_NONE;
}

enum dg_lockmode dg_lockbits_max(unsigned bits)
{
	for (int m = DG_LOCK_ACCESS_EXCLUSIVE; m > DG_LOCK_NONE; m--)
		if (bits & DG_LOCKBIT(m))
			return (enum dg_lockmode)m;
	return DG_LOCK_NONE;
}

static void state_release(struct state *s)
{
	dg_arena_release(&s->arena);
	memset(s, 0, sizeof(*s));
}

static int read_rels(struct dg_trace *t, struct state *s)
{
	PGresult *r = dg_db_query(t->db, "trace: reading pg_class", rels_sql, 0, NULL,
				  PGRES_TUPLES_OK);
	if (!r)
		return -1;
	s->n_rels = (size_t)PQntuples(r);
	s->rels = dg_alloc(&s->arena, (s->n_rels ? s->n_rels : 1) * sizeof(*s->rels));
	for (size_t i = 0; i < s->n_rels; i++) {
		struct rel_row *x = &s->rels[i];
		int row = (int)i;
		x->oid = dg_db_cell_ll(r, row, 0);
		x->rel.schema = dg_db_cell(&s->arena, r, row, 1);
		x->rel.name = dg_db_cell(&s->arena, r, row, 2);
		x->rel.kind = PQgetvalue(r, row, 3)[0];
		x->filenode = dg_db_cell_ll(r, row, 4);
		x->rel.visible = dg_db_cell_bool(r, row, 5);
		x->rel.display = x->rel.visible ? x->rel.name :
			dg_sprintf(&s->arena, "%s.%s", x->rel.schema, x->rel.name);
	}
	PQclear(r);
	return 0;
}

static int read_locks(struct dg_trace *t, struct state *s)
{
	const char *params[1] = { t->pid };
	PGresult *r = dg_db_query(t->observer, "trace: reading pg_locks", locks_sql, 1, params,
				  PGRES_TUPLES_OK);
	if (!r)
		return -1;
	size_t rows = (size_t)PQntuples(r);
	s->lock_oid = dg_alloc(&s->arena, (rows ? rows : 1) * sizeof(*s->lock_oid));
	s->lock_bits = dg_alloc(&s->arena, (rows ? rows : 1) * sizeof(*s->lock_bits));
	s->n_locks = 0;
	for (size_t i = 0; i < rows; i++) {
		long long oid = dg_db_cell_ll(r, (int)i, 0);
		enum dg_lockmode m = dg_lockmode_from_name(PQgetvalue(r, (int)i, 1));
		size_t k = 0;
		while (k < s->n_locks && s->lock_oid[k] != oid)
			k++;
		if (k == s->n_locks) {
			s->lock_oid[k] = oid;
			s->lock_bits[k] = 0;
			s->n_locks++;
		}
		if (m)
			s->lock_bits[k] |= DG_LOCKBIT(m);
	}
	PQclear(r);
	return 0;
}

static int read_scans(struct dg_trace *t, struct state *s)
{
	PGresult *r = dg_db_query(t->db, "trace: reading pg_stat_xact_user_tables", scans_sql, 0,
				  NULL, PGRES_TUPLES_OK);
	if (!r)
		return -1;
	s->n_scans = (size_t)PQntuples(r);
	s->scan_oid = dg_alloc(&s->arena, (s->n_scans ? s->n_scans : 1) * sizeof(*s->scan_oid));
	s->scan_count = dg_alloc(&s->arena, (s->n_scans ? s->n_scans : 1) * sizeof(*s->scan_count));
	for (size_t i = 0; i < s->n_scans; i++) {
		s->scan_oid[i] = dg_db_cell_ll(r, (int)i, 0);
		s->scan_count[i] = dg_db_cell_ll(r, (int)i, 1);
	}
	PQclear(r);
	return 0;
}

/* pg_locks first (the observer), then the names and counters (the migration's connection). */
static int read_state(struct dg_trace *t, struct state *s)
{
	dg_arena_init(&s->arena);
	if (read_locks(t, s) < 0 || read_rels(t, s) < 0 || read_scans(t, s) < 0)
		return -1;
	return 0;
}

static const struct rel_row *find_rel(const struct state *s, long long oid)
{
	for (size_t i = 0; i < s->n_rels; i++)
		if (s->rels[i].oid == oid)
			return &s->rels[i];
	return NULL;
}

static unsigned lock_bits_of(const struct state *s, long long oid)
{
	for (size_t i = 0; i < s->n_locks; i++)
		if (s->lock_oid[i] == oid)
			return s->lock_bits[i];
	return 0;
}

static long long scans_of(const struct state *s, long long oid)
{
	for (size_t i = 0; i < s->n_scans; i++)
		if (s->scan_oid[i] == oid)
			return s->scan_count[i];
	return 0;
}

/* A relation named as the statement named it: by its name before the statement ran. */
static const struct rel_row *name_of(const struct state *before, const struct state *after,
				     long long oid)
{
	const struct rel_row *x = find_rel(before, oid);
	return x ? x : find_rel(after, oid);
}

static struct dg_trace_rel copy_rel(struct dg_arena *a, const struct dg_trace_rel *r)
{
	struct dg_trace_rel c = *r;
	c.schema = dg_strdup(a, r->schema);
	c.name = dg_strdup(a, r->name);
	c.display = dg_strdup(a, r->display);
	return c;
}

static void diff_locks(struct dg_arena *a, const struct state *before, const struct state *after,
		       struct dg_trace_step *out)
{
	size_t cap = before->n_locks + after->n_locks;
	out->locks = dg_alloc(a, (cap ? cap : 1) * sizeof(*out->locks));
	for (size_t pass = 0; pass < 2; pass++) {
		const struct state *s = pass ? before : after;
		for (size_t i = 0; i < s->n_locks; i++) {
			long long oid = s->lock_oid[i];
			if (pass && lock_bits_of(after, oid))
				continue; /* already taken in the first pass */
			const struct rel_row *x = name_of(before, after, oid);
			if (!x)
				continue; /* a catalog or TOAST relation */
			struct dg_trace_lock *l = &out->locks[out->n_locks++];
			unsigned was = lock_bits_of(before, oid);
			l->rel = copy_rel(a, &x->rel);
			l->held_before = was;
			l->taken = lock_bits_of(after, oid) & ~was;
			l->created = !find_rel(before, oid);
			l->dropped = !find_rel(after, oid);
		}
	}
}

/* Is the relation's (new) storage empty? We hold its lock: no wait. */
static int storage_empty(struct dg_trace *t, long long oid, int *empty)
{
	char p[32];
	const char *params[1] = { p };
	snprintf(p, sizeof(p), "%lld", oid);
	PGresult *r = dg_db_query(t->db, "trace: reading the relation size",
				  "SELECT pg_relation_size($1::oid) = 0", 1, params, PGRES_TUPLES_OK);
	if (!r)
		return -1;
	*empty = dg_db_cell_bool(r, 0, 0);
	PQclear(r);
	return 0;
}

static int diff_storage(struct dg_trace *t, struct dg_arena *a, const struct state *before,
			const struct state *after, struct dg_trace_step *out)
{
	size_t cap = before->n_rels ? before->n_rels : 1;
	out->rewrites = dg_alloc(a, cap * sizeof(*out->rewrites));
	out->emptied = dg_alloc(a, cap * sizeof(*out->emptied));
	for (size_t i = 0; i < before->n_rels; i++) {
		const struct rel_row *b = &before->rels[i];
		const struct rel_row *x = find_rel(after, b->oid);
		if (!x || !b->filenode || !x->filenode || x->filenode == b->filenode)
			continue;
		int empty;
		if (storage_empty(t, b->oid, &empty) < 0)
			return -1;
		if (empty)
			out->emptied[out->n_emptied++] = copy_rel(a, &b->rel);
		else
			out->rewrites[out->n_rewrites++] = copy_rel(a, &b->rel);
	}
	return 0;
}

/*
 * Scanned: the counter grew on a table that existed before the statement
 * and is not empty now (a new or emptied table's read is not the cost the
 * model talks about). The statement read it, so it holds a lock: no wait.
 */
static int diff_scans(struct dg_trace *t, struct dg_arena *a, const struct state *before,
		      const struct state *after, struct dg_trace_step *out)
{
	out->scans = dg_alloc(a, (after->n_scans ? after->n_scans : 1) * sizeof(*out->scans));
	for (size_t i = 0; i < after->n_scans; i++) {
		long long oid = after->scan_oid[i];
		const struct rel_row *x = find_rel(before, oid);
		int empty;
		if (!x || after->scan_count[i] <= scans_of(before, oid) || !find_rel(after, oid))
			continue;
		if (storage_empty(t, oid, &empty) < 0)
			return -1;
		if (!empty)
			out->scans[out->n_scans++] = copy_rel(a, &x->rel);
	}
	return 0;
}

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/*
 * Run sql and wait for all its results; COPY from or to the client is ended
 * at once (a trace sends no data). Returns the first error result, or NULL
 * with *ok set.
 */
static PGresult *run_statement(struct dg_trace *t, const char *sql, int *ok)
{
	PGconn *c = t->db->conn;
	PGresult *err = NULL, *r;
	*ok = 0;
	/* the extended protocol runs exactly one statement */
	if (!PQsendQueryParams(c, sql, 0, NULL, NULL, NULL, NULL, 0))
		return NULL;
	while ((r = PQgetResult(c))) {
		ExecStatusType s = PQresultStatus(r);
		if (s == PGRES_COPY_IN) {
			PQputCopyEnd(c, "ddlgate trace sends no COPY data");
		} else if (s == PGRES_COPY_OUT) {
			char *buf;
			while (PQgetCopyData(c, &buf, 0) > 0)
				PQfreemem(buf);
		} else if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK && s != PGRES_EMPTY_QUERY &&
			   !err) {
			err = r;
			continue;
		}
		PQclear(r);
	}
	*ok = !err;
	return err;
}

static int set_timeouts(struct dg_trace *t)
{
	char sql[160];
	snprintf(sql, sizeof(sql), "SET LOCAL lock_timeout = '%s'", t->lock_timeout);
	if (dg_db_exec(t->db, "trace: SET lock_timeout", sql) < 0)
		return -1;
	snprintf(sql, sizeof(sql), "SET LOCAL statement_timeout = '%s'", t->statement_timeout);
	return dg_db_exec(t->db, "trace: SET statement_timeout", sql);
}

int dg_trace_restore_timeouts(struct dg_trace *t)
{
	return set_timeouts(t);
}

int dg_trace_run(struct dg_trace *t, struct dg_arena *a, const char *sql, int measure,
		 struct dg_trace_step *out)
{
	memset(out, 0, sizeof(*out));
	if (measure && !t->prev_valid) {
		if (read_state(t, &t->prev) < 0) {
			state_release(&t->prev);
			return -1;
		}
		t->prev_valid = 1;
	}
	if (dg_db_exec(t->db, "trace", "SAVEPOINT ddlgate_trace") < 0)
		return -1;
	int ok;
	double t0 = now_ms();
	PGresult *err = run_statement(t, sql, &ok);
	out->ms = now_ms() - t0;
	if (!ok) {
		const char *state = err ? PQresultErrorField(err, PG_DIAG_SQLSTATE) : NULL;
		const char *msg = err ? PQresultErrorField(err, PG_DIAG_MESSAGE_PRIMARY) : NULL;
		out->sqlstate = dg_strdup(a, state ? state : "");
		out->error = dg_db_first_line(a, msg ? msg : PQerrorMessage(t->db->conn));
		out->status = state && !strcmp(state, "25001") ? DG_TRACE_REFUSED : DG_TRACE_FAILED;
		PQclear(err);
		if (PQstatus(t->db->conn) != CONNECTION_OK)
			return dg_db_error("trace: the connection broke", PQerrorMessage(t->db->conn));
		/* undo what the statement did; its locks go with it */
		if (dg_db_exec(t->db, "trace", "ROLLBACK TO SAVEPOINT ddlgate_trace") < 0 ||
		    dg_db_exec(t->db, "trace", "RELEASE SAVEPOINT ddlgate_trace") < 0)
			return -1;
		return 0;
	}
	if (dg_db_exec(t->db, "trace", "RELEASE SAVEPOINT ddlgate_trace") < 0)
		return -1;
	if (!measure) {
		if (t->prev_valid)
			state_release(&t->prev);
		t->prev_valid = 0;
		return 0;
	}
	struct state now;
	if (read_state(t, &now) < 0) {
		state_release(&now);
		return -1;
	}
	diff_locks(a, &t->prev, &now, out);
	int r = diff_storage(t, a, &t->prev, &now, out);
	if (r == 0)
		r = diff_scans(t, a, &t->prev, &now, out);
	state_release(&t->prev);
	t->prev = now;
	/* the size checks read pg_class again: catalog locks only, nothing to refresh */
	return r;
}

/* Both connections must reach the same server: a DSN with several hosts might not. */
static int same_backend(struct dg_trace *t)
{
	PGresult *r = dg_db_query(t->db, "trace", whoami_sql, 0, NULL, PGRES_TUPLES_OK);
	if (!r)
		return -1;
	snprintf(t->pid, sizeof(t->pid), "%s", PQgetvalue(r, 0, 0));
	char *start = dg_xstrdup(PQgetvalue(r, 0, 1));
	PQclear(r);
	const char *params[1] = { t->pid };
	r = dg_db_query(t->observer, "trace", seen_sql, 1, params, PGRES_TUPLES_OK);
	int same = r && PQntuples(r) == 1 && !strcmp(PQgetvalue(r, 0, 0), start);
	int failed = !r;
	PQclear(r);
	free(start);
	if (failed)
		return -1;
	if (!same)
		return dg_error("trace: the two connections reached different servers (a connection string with several hosts?); name one host");
	return 0;
}

int dg_trace_open(struct dg_trace **out, const struct dg_trace_opts *o)
{
	*out = NULL;
	if (!o->dsn || !*o->dsn)
		return dg_error("trace: --dsn is required");
	struct dg_trace *t = dg_xcalloc(1, sizeof(*t));
	snprintf(t->lock_timeout, sizeof(t->lock_timeout), "%dms", o->lock_timeout_ms);
	snprintf(t->statement_timeout, sizeof(t->statement_timeout), "%dms",
		 o->statement_timeout_ms);
	if (dg_db_connect(&t->db, o->dsn, "ddlgate-trace", 1) < 0 ||
	    dg_db_connect(&t->observer, o->dsn, "ddlgate-trace-observer", 1) < 0)
		goto fail;
	if (dg_db_exec(t->observer, "trace", "SET default_transaction_read_only = on") < 0 ||
	    dg_db_exec(t->observer, "trace", "SET statement_timeout = '10s'") < 0 ||
	    same_backend(t) < 0)
		goto fail;
	if (dg_db_exec(t->db, "trace", "BEGIN") < 0 || set_timeouts(t) < 0)
		goto fail;
	*out = t;
	return 0;
fail:
	dg_trace_close(t);
	return -1;
}

struct dg_db *dg_trace_db(struct dg_trace *t)
{
	return t->db;
}

void dg_trace_close(struct dg_trace *t)
{
	if (!t)
		return;
	if (t->db && PQstatus(t->db->conn) == CONNECTION_OK &&
	    PQtransactionStatus(t->db->conn) != PQTRANS_IDLE)
		PQclear(PQexec(t->db->conn, "ROLLBACK"));
	if (t->prev_valid)
		state_release(&t->prev);
	dg_db_close(t->db);
	dg_db_close(t->observer);
	free(t);
}
