/*
 * Live-server commands: the only place that includes <libpq-fe.h>.
 * blockers and audit only read; trace runs a migration inside a
 * transaction that it always rolls back, and never commits.
 */
#ifndef DG_DB_H
#define DG_DB_H

#include <stddef.h>

#include "core/core.h"
#include "sql/stmt.h"

/* One connection to a live server (opaque: libpq stays inside src/db/). */
struct dg_db;

/*
 * Connect with a libpq connection string or URI. With ignore_env, the PG*
 * variables that choose a server (PGHOST, PGHOSTADDR, PGPORT, PGDATABASE,
 * PGUSER, PGSERVICE, PGOPTIONS, ...) are not consulted: what dsn leaves
 * out takes libpq's built-in default. -1 with libpq's message (one line).
 */
int dg_db_connect(struct dg_db **out, const char *dsn, const char *application_name,
		  int ignore_env);
void dg_db_close(struct dg_db *db);
const char *dg_db_name(const struct dg_db *db);     /* the database connected to */
int dg_db_server_version(const struct dg_db *db);   /* 150004 for 15.4 */
/* "15.4" (arena). */
const char *dg_db_server_version_text(struct dg_arena *a, const struct dg_db *db);

/* ---- blockers ---- */

/* A session in a waiting session's way, directly or further up the queue. */
struct dg_blocker {
	int pid;
	const char *state;          /* "idle in transaction", "active", ... */
	const char *application;
	const char *user;
	const char *client_addr;    /* "10.0.0.7"; "" on a Unix socket and for server processes */
	const char *client_hostname;/* "" unless log_hostname is on */
	int client_port;            /* -1 on a Unix socket, 0 when there is no client */
	const char *backend_start;  /* ISO 8601, "" when unknown */
	const char *xact_start;     /* ISO 8601, "" when no transaction is open */
	double backend_seconds;     /* how long it has been connected */
	double xact_seconds;        /* age of its transaction, -1 when none */
	double state_seconds;       /* time in its current state */
	const char *query;          /* last statement it ran */
	const char *wait_event_type;/* "Lock" when it waits itself */
	int waiting;                /* it waits for a lock itself */
	int depth;                  /* 1: in the waiter's way; 2: in the way of a depth-1 blocker ... */
	int blocks;                 /* pid of the session of this chain it holds up */
	int head;                   /* head of the queue: it waits for nothing itself */
};

/* A session that waits for a lock, and who is in its way. */
struct dg_blocked {
	int pid;
	const char *application;
	const char *user;
	const char *query;
	double wait_seconds;
	const char *lock_mode;      /* mode it waits for, "" when not a relation lock */
	const char *relation;       /* as regclass prints it, "" when not a relation */
	struct dg_blocker *blockers;/* the whole chain: direct blockers first (depth 1) */
	size_t n_blockers;
	int *queued;                /* pids waiting behind it for the same relation */
	size_t n_queued;
};

/*
 * Every waiting session (only those whose application_name is `app` when
 * app is non-empty) with the chain of sessions in its way, from
 * pg_stat_activity, pg_locks and pg_blocking_pids() (9.6+) read in one
 * transaction.
 */
int dg_db_blockers(struct dg_arena *a, struct dg_db *db, const char *app,
		   struct dg_blocked **out, size_t *n_out);
/* The server's clock now, ISO 8601 (arena). */
const char *dg_db_now(struct dg_arena *a, struct dg_db *db);

/* ---- trace ---- */

/*
 * A tracing session: one connection runs the migration inside a
 * transaction that is rolled back at the end (never committed), a second
 * one reads pg_locks for the first one's backend after every statement.
 */
struct dg_trace;

struct dg_trace_opts {
	const char *dsn;            /* required: no PG* environment fallback */
	int lock_timeout_ms;        /* SET LOCAL lock_timeout in the traced transaction */
	int statement_timeout_ms;   /* SET LOCAL statement_timeout */
};

int dg_trace_open(struct dg_trace **out, const struct dg_trace_opts *o);
/* ROLLBACK, disconnect, free. Safe on NULL. */
void dg_trace_close(struct dg_trace *t);
struct dg_db *dg_trace_db(struct dg_trace *t);   /* the tracing connection */

/* A relation as the traced transaction itself sees it (uncommitted ones included). */
struct dg_trace_rel {
	const char *schema;
	const char *name;
	const char *display;        /* name when on the search path, else schema.name */
	char kind;                  /* pg_class.relkind: r p i I m S v f t c */
	int visible;                /* pg_table_is_visible() */
};

#define DG_LOCKBIT(m) (1u << (unsigned)(m))

/* The relation locks the traced backend holds after a statement. */
struct dg_trace_lock {
	struct dg_trace_rel rel;
	unsigned held_before;       /* DG_LOCKBIT of every mode held before the statement */
	unsigned taken;             /* ... of every mode the statement added */
	int created;                /* the relation did not exist before the statement */
	int dropped;                /* ... and no longer exists after it */
	int compared;               /* filled by dg_trace_compare: a relation the statement names */
};

enum dg_trace_status {
	DG_TRACE_TRACED = 0,
	DG_TRACE_REFUSED,           /* "cannot run inside a transaction block" (SQLSTATE 25001) */
	DG_TRACE_FAILED,            /* any other error: the trace stops here */
};

struct dg_trace_step {
	enum dg_trace_status status;
	const char *sqlstate;       /* REFUSED / FAILED */
	const char *error;          /* the server's message, one line */
	double ms;                  /* how long the statement ran */
	struct dg_trace_lock *locks;/* relations it locked, and those locked before it */
	size_t n_locks;
	struct dg_trace_rel *rewrites; /* relations whose storage it replaced with non-empty storage */
	size_t n_rewrites;
	struct dg_trace_rel *emptied;  /* ... with empty storage (TRUNCATE) */
	size_t n_emptied;
	struct dg_trace_rel *scans; /* tables that existed before it and are not empty that it
				       read in full (pg_stat_xact_user_tables.seq_scan) */
	size_t n_scans;
};

/*
 * Run one statement inside the traced transaction (under a savepoint, so
 * that a statement the server refuses leaves the transaction usable) and,
 * with measure, what it locked, rewrote and scanned. -1 (message set) when
 * the session itself broke; a statement's own error is a status.
 */
int dg_trace_run(struct dg_trace *t, struct dg_arena *a, const char *sql, int measure,
		 struct dg_trace_step *out);
/* SET LOCAL the trace's lock_timeout and statement_timeout again (after the migration's SETs). */
int dg_trace_restore_timeouts(struct dg_trace *t);

/* One place where the static model and the server disagree. */
enum dg_trace_diff_kind {
	DG_DIFF_LOCK,
	DG_DIFF_REWRITE,
	DG_DIFF_SCAN,               /* a note only: the planner chooses how DML reads */
};

struct dg_trace_diff {
	enum dg_trace_diff_kind kind;
	const char *relation;
	const char *claimed;        /* lock mode, "rewrite", "scan" or "none" */
	const char *measured;       /* the same for what the server did */
	const char *message;
	int note;                   /* not counted as a disagreement */
};

/*
 * Compare a statement's static claims with what the server did: locks and
 * rewrites on the relations the statement names (implicit locks on its
 * indexes, TOAST tables, sequences and the like are shown, not compared).
 * Marks step->locks[i].compared.
 */
void dg_trace_compare(struct dg_arena *a, const struct dg_stmt *st, struct dg_trace_step *step,
		      struct dg_trace_diff **out, size_t *n_out);
/* Does a relation as the SQL named it (unqualified: on the search path) mean r? */
int dg_trace_rel_names(const struct dg_rel *sql, const struct dg_trace_rel *r);
/*
 * The storage of the relation the SQL names that the statement replaced
 * (new empty storage counts, except for TRUNCATE), or NULL.
 */
const struct dg_trace_rel *dg_trace_rewritten(const struct dg_stmt *st,
					      const struct dg_trace_step *m,
					      const struct dg_rel *r);
/* The strongest mode of a DG_LOCKBIT set, DG_LOCK_NONE when empty. */
enum dg_lockmode dg_lockbits_max(unsigned bits);
/* pg_locks.mode -> mode; DG_LOCK_NONE when unknown. */
enum dg_lockmode dg_lockmode_from_name(const char *name);

/* ---- audit ---- */

/* An index of the live database with its usage statistics. */
struct dg_live_index {
	const char *schema;
	const char *table;
	const char *name;
	const char *definition;     /* pg_get_indexdef() */
	const char *method;
	int unique;
	int primary;
	int backs_constraint;       /* PRIMARY KEY, UNIQUE or EXCLUDE constraint */
	int valid;                  /* pg_index.indisvalid */
	int building;               /* a CREATE INDEX CONCURRENTLY is building it now */
	long long scans;            /* pg_stat_user_indexes.idx_scan; -1 without statistics */
	long long size_bytes;       /* pg_class.relpages * block_size: read without a lock */
	const char *size;           /* the same, pg_size_pretty() */
};

struct dg_live_db {
	const char *database;
	int server_version;
	const char *stats_reset;    /* pg_stat_database.stats_reset; NULL when never reset */
	const char *ddl;            /* the live schema as DDL: schemas, tables, constraints,
				       valid indexes, every name schema-qualified */
	size_t ddl_len;
	struct dg_live_index *indexes;
	size_t n_indexes;
};

/* Read the live schema and index statistics (read-only, lock-free catalog reads). */
int dg_db_read_live(struct dg_arena *a, struct dg_db *db, struct dg_live_db *out);

#endif
