/*
 * What is blocking my migration: every session waiting for a lock, the
 * chain of sessions in its way up to the head of the queue, and how many
 * sessions queue behind it. Two read-only queries over pg_stat_activity,
 * pg_locks and pg_blocking_pids() (9.6+), in one transaction so that the
 * sessions they describe are one snapshot.
 */
#include "db/db_int.h"

#include <stdlib.h>
#include <string.h>

/* Everyone who waits, what for, and who is in the way (pg_blocking_pids). */
static const char waiters_sql[] =
	"SELECT w.pid, coalesce(w.application_name, ''), coalesce(w.usename::text, ''),\n"
	"       coalesce(w.query, ''),\n"
	"       extract(epoch FROM now() - coalesce(w.state_change, now()))::float8,\n"
	"       coalesce(l.mode, ''), coalesce(l.relation::regclass::text, ''),\n"
	"       coalesce(l.relation::text, ''), x.bp::text\n"
	"FROM pg_stat_activity w\n"
	"CROSS JOIN LATERAL (SELECT pg_blocking_pids(w.pid) AS bp) x\n"
	"LEFT JOIN LATERAL (SELECT mode, relation FROM pg_locks\n"
	"                   WHERE pid = w.pid AND NOT granted\n"
	"                   ORDER BY relation IS NULL LIMIT 1) l ON true\n"
	"WHERE w.pid <> pg_backend_pid() AND cardinality(x.bp) > 0\n"
	"ORDER BY w.pid";

/* The sessions named as blockers: where they connect from, since when. */
static const char sessions_sql[] =
	"SELECT a.pid, coalesce(a.state, ''), coalesce(a.application_name, ''),\n"
	"       coalesce(a.usename::text, ''), coalesce(host(a.client_addr), ''),\n"
	"       coalesce(a.client_hostname, ''), coalesce(a.client_port, 0),\n"
	"       coalesce(to_json(a.backend_start)#>>'{}', ''),\n"
	"       coalesce(to_json(a.xact_start)#>>'{}', ''),\n"
	"       coalesce(extract(epoch FROM now() - a.backend_start)::float8, -1),\n"
	"       coalesce(extract(epoch FROM now() - a.xact_start)::float8, -1),\n"
	"       extract(epoch FROM now() - coalesce(a.state_change, now()))::float8,\n"
	"       coalesce(a.query, ''), coalesce(a.wait_event_type, '')\n"
	"FROM pg_stat_activity a WHERE a.pid = ANY($1::int[])";

/* One waiting session as the first query returned it. */
struct waiter {
	struct dg_blocked info;
	const char *rel_oid;       /* "" when it waits for something else than a relation */
	int *bp;                   /* pg_blocking_pids() */
	size_t n_bp;
};

struct graph {
	struct waiter *w;
	size_t n;
	struct dg_blocker *sessions; /* details of every blocking pid */
	size_t n_sessions;
};

/* "{12,34}" -> pids (arena). */
static int *parse_pids(struct dg_arena *a, const char *s, size_t *n)
{
	size_t cap = 1;
	for (const char *p = s; *p; p++)
		cap += *p == ',';
	int *v = dg_alloc(a, cap * sizeof(*v));
	*n = 0;
	while (*s) {
		while (*s && (*s < '0' || *s > '9'))
			s++;
		if (!*s)
			break;
		char *end;
		v[(*n)++] = (int)strtol(s, &end, 10);
		s = end;
	}
	return v;
}

static struct waiter *find_waiter(const struct graph *g, int pid)
{
	for (size_t i = 0; i < g->n; i++)
		if (g->w[i].info.pid == pid)
			return &g->w[i];
	return NULL;
}

static const struct dg_blocker *find_session(const struct graph *g, int pid)
{
	for (size_t i = 0; i < g->n_sessions; i++)
		if (g->sessions[i].pid == pid)
			return &g->sessions[i];
	return NULL;
}

static void read_waiters(struct dg_arena *a, const PGresult *r, struct graph *g)
{
	g->n = (size_t)PQntuples(r);
	g->w = dg_alloc(a, (g->n ? g->n : 1) * sizeof(*g->w));
	for (size_t i = 0; i < g->n; i++) {
		struct waiter *w = &g->w[i];
		int row = (int)i;
		w->info.pid = atoi(PQgetvalue(r, row, 0));
		w->info.application = dg_db_cell(a, r, row, 1);
		w->info.user = dg_db_cell(a, r, row, 2);
		w->info.query = dg_db_cell(a, r, row, 3);
		w->info.wait_seconds = dg_db_cell_f(r, row, 4);
		w->info.lock_mode = dg_db_cell(a, r, row, 5);
		w->info.relation = dg_db_cell(a, r, row, 6);
		w->rel_oid = dg_db_cell(a, r, row, 7);
		w->bp = parse_pids(a, PQgetvalue(r, row, 8), &w->n_bp);
	}
}

static void read_sessions(struct dg_arena *a, const PGresult *r, struct graph *g)
{
	g->n_sessions = (size_t)PQntuples(r);
	g->sessions = dg_alloc(a, (g->n_sessions ? g->n_sessions : 1) * sizeof(*g->sessions));
	for (size_t i = 0; i < g->n_sessions; i++) {
		struct dg_blocker *b = &g->sessions[i];
		int row = (int)i;
		b->pid = atoi(PQgetvalue(r, row, 0));
		b->state = dg_db_cell(a, r, row, 1);
		b->application = dg_db_cell(a, r, row, 2);
		b->user = dg_db_cell(a, r, row, 3);
		b->client_addr = dg_db_cell(a, r, row, 4);
		b->client_hostname = dg_db_cell(a, r, row, 5);
		b->client_port = atoi(PQgetvalue(r, row, 6));
		b->backend_start = dg_db_cell(a, r, row, 7);
		b->xact_start = dg_db_cell(a, r, row, 8);
		b->backend_seconds = dg_db_cell_f(r, row, 9);
		b->xact_seconds = dg_db_cell_f(r, row, 10);
		b->state_seconds = dg_db_cell_f(r, row, 11);
		b->query = dg_db_cell(a, r, row, 12);
		b->wait_event_type = dg_db_cell(a, r, row, 13);
	}
}

/* "{1,2,3}": every pid some waiter names as a blocker. */
static const char *blocking_pids_param(struct dg_arena *a, const struct graph *g)
{
	struct dg_buf b = DG_BUF_INIT;
	dg_buf_addch(&b, '{');
	for (size_t i = 0; i < g->n; i++)
		for (size_t k = 0; k < g->w[i].n_bp; k++)
			dg_buf_addf(&b, "%s%d", b.len > 1 ? "," : "", g->w[i].bp[k]);
	dg_buf_addch(&b, '}');
	const char *s = dg_strdup(a, b.ptr);
	dg_buf_release(&b);
	return s;
}

/* A pid pg_blocking_pids() names but pg_stat_activity no longer shows. */
static struct dg_blocker gone_session(int pid)
{
	struct dg_blocker b = { 0 };
	b.pid = pid;
	/* pid 0: a prepared transaction holds the lock */
	b.state = pid ? "gone" : "prepared transaction";
	b.application = b.user = b.client_addr = b.client_hostname = "";
	b.backend_start = b.xact_start = b.query = b.wait_event_type = "";
	b.backend_seconds = b.xact_seconds = b.state_seconds = -1;
	return b;
}

/*
 * The chain in w's way, breadth first: its own blockers (depth 1), then
 * the blockers of those that wait themselves, up to the head of the queue.
 */
static void walk_chain(struct dg_arena *a, const struct graph *g, const struct waiter *w,
		       struct dg_blocker **out, size_t *n_out)
{
	struct dg_blocker *chain = NULL;
	size_t n = 0, cap = 0;
	int *queue = NULL, *depth = NULL, *by = NULL;
	size_t qn = 0, qcap = 0, dcap = 0, bcap = 0, nd = 0, nb = 0;
	for (size_t k = 0; k < w->n_bp; k++) {
		DG_PUSH(queue, qn, qcap, w->bp[k]);
		DG_PUSH(depth, nd, dcap, 1);
		DG_PUSH(by, nb, bcap, w->info.pid);
	}
	for (size_t q = 0; q < qn; q++) {
		int pid = queue[q], seen = pid == w->info.pid;
		for (size_t k = 0; k < n && !seen; k++)
			seen = chain[k].pid == pid;
		if (seen)
			continue;
		const struct dg_blocker *s = find_session(g, pid);
		struct dg_blocker b = s ? *s : gone_session(pid);
		const struct waiter *up = pid ? find_waiter(g, pid) : NULL;
		b.depth = depth[q];
		b.blocks = by[q];
		b.waiting = up != NULL;
		b.head = !b.waiting;
		DG_PUSH(chain, n, cap, b);
		for (size_t k = 0; up && k < up->n_bp; k++) {
			DG_PUSH(queue, qn, qcap, up->bp[k]);
			DG_PUSH(depth, nd, dcap, depth[q] + 1);
			DG_PUSH(by, nb, bcap, pid);
		}
	}
	*out = n ? dg_memdup(a, chain, n, sizeof(*chain)) : dg_alloc(a, sizeof(*chain));
	*n_out = n;
	free(chain);
	free(queue);
	free(depth);
	free(by);
}

/* Is `target` somewhere in the chain in x's way? */
static int waits_behind(const struct graph *g, const struct waiter *x, int target)
{
	int *queue = NULL;
	size_t qn = 0, qcap = 0;
	int found = 0;
	for (size_t k = 0; k < x->n_bp; k++)
		DG_PUSH(queue, qn, qcap, x->bp[k]);
	for (size_t q = 0; q < qn && !found && q < 4096; q++) {
		if (queue[q] == target) {
			found = 1;
			break;
		}
		int dup = 0;
		for (size_t k = 0; k < q && !dup; k++)
			dup = queue[k] == queue[q];
		const struct waiter *up = dup ? NULL : find_waiter(g, queue[q]);
		for (size_t k = 0; up && k < up->n_bp; k++)
			DG_PUSH(queue, qn, qcap, up->bp[k]);
	}
	free(queue);
	return found;
}

/* The sessions that wait behind w for the same relation (the stall the site feels). */
static void queued_behind(struct dg_arena *a, const struct graph *g, struct waiter *w)
{
	size_t n = 0;
	w->info.queued = dg_alloc(a, (g->n ? g->n : 1) * sizeof(int));
	for (size_t i = 0; i < g->n; i++) {
		const struct waiter *x = &g->w[i];
		if (x == w || (*w->rel_oid && strcmp(x->rel_oid, w->rel_oid)))
			continue;
		if (waits_behind(g, x, w->info.pid))
			w->info.queued[n++] = x->info.pid;
	}
	w->info.n_queued = n;
}

static int read_graph(struct dg_arena *a, struct dg_db *db, struct graph *g)
{
	PGresult *r = dg_db_query(db, "query failed", waiters_sql, 0, NULL, PGRES_TUPLES_OK);
	if (!r)
		return -1;
	read_waiters(a, r, g);
	PQclear(r);
	const char *pids = blocking_pids_param(a, g);
	r = dg_db_query(db, "query failed", sessions_sql, 1, &pids, PGRES_TUPLES_OK);
	if (!r)
		return -1;
	read_sessions(a, r, g);
	PQclear(r);
	return 0;
}

int dg_db_blockers(struct dg_arena *a, struct dg_db *db, const char *app,
		   struct dg_blocked **out, size_t *n_out)
{
	struct graph g = { 0 };
	*out = NULL;
	*n_out = 0;
	if (PQserverVersion(db->conn) < 90600)
		return dg_error("the server is older than PostgreSQL 9.6 (no pg_blocking_pids())");
	/* one snapshot of pg_stat_activity for both queries */
	if (dg_db_exec(db, "query failed", "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY") < 0)
		return -1;
	int r = read_graph(a, db, &g);
	PQclear(PQexec(db->conn, r < 0 ? "ROLLBACK" : "COMMIT"));
	if (r < 0)
		return -1;
	struct dg_blocked *list = dg_alloc(a, (g.n ? g.n : 1) * sizeof(*list));
	size_t n = 0;
	for (size_t i = 0; i < g.n; i++) {
		struct waiter *w = &g.w[i];
		if (app && *app && strcmp(w->info.application, app))
			continue;
		walk_chain(a, &g, w, &w->info.blockers, &w->info.n_blockers);
		queued_behind(a, &g, w);
		list[n++] = w->info;
	}
	*out = list;
	*n_out = n;
	return 0;
}
