/*
 * pg_observe: watch one statement run on a real PostgreSQL and print, as
 * one JSON object, the relation locks its backend holds (read from a
 * second connection's view of pg_locks) and the relations whose storage
 * it replaced (relfilenode before/after, new storage not empty).
 *
 *   pg_observe CONNINFO SETUP.sql STMT.sql
 *       run SETUP, then BEGIN; STMT; observe; ROLLBACK.
 *   pg_observe CONNINFO SETUP.sql STMT.sql BLOCKREL BLOCKMODE
 *       for statements that refuse a transaction block: a second session
 *       holds LOCK TABLE BLOCKREL IN BLOCKMODE MODE; STMT is sent alone
 *       and its locks are read once it waits (for that lock, or for the
 *       other session to finish); then the blocker rolls back and STMT
 *       completes (and is kept: the next case starts from a fresh setup).
 *
 * Used by lock_oracle.sh; the comparison with ddlgate is in lock_oracle.py.
 */
#include "core/core.h"
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct rel {
	char oid[16];
	char schema[64];
	char name[64];
	char kind[4];
	char filenode[16];
};

struct rels {
	struct rel *v;
	int n;
};

static void die(const char *what, PGconn *c)
{
	fprintf(stderr, "pg_observe: %s: %s", what, c ? PQerrorMessage(c) : "\n");
	exit(2);
}

/* The whole file, NUL-terminated; exit 2 when it cannot be read. */
static char *slurp(const char *path)
{
	char *s;
	size_t n;
	if (dg_read_file(path, &s, &n) < 0) {
		fprintf(stderr, "%s\n", dg_last_error());
		exit(2);
	}
	return s;
}

static void json_str(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			printf("\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			printf("\\u%04x", *s);
		else
			putchar(*s);
	}
	putchar('"');
}

/* Run sql; on failure return the message (static copy), else NULL. */
static const char *try_exec(PGconn *c, const char *sql)
{
	static char msg[1024];
	PGresult *r = PQexec(c, sql);
	ExecStatusType s = PQresultStatus(r);
	const char *err = NULL;
	if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK && s != PGRES_EMPTY_QUERY) {
		snprintf(msg, sizeof(msg), "%s", PQresultErrorMessage(r));
		msg[strcspn(msg, "\n")] = '\0';
		err = msg;
	}
	PQclear(r);
	return err;
}

static void must_exec(PGconn *c, const char *sql)
{
	const char *e = try_exec(c, sql);
	if (e) {
		fprintf(stderr, "pg_observe: %s\n  in: %s\n", e, sql);
		exit(2);
	}
}

/* Every user relation with its storage, as connection c sees it now. */
static struct rels snapshot(PGconn *c)
{
	struct rels out = { NULL, 0 };
	PGresult *r = PQexec(c,
		"SELECT c.oid, n.nspname, c.relname, c.relkind, c.relfilenode,"
		"       pg_relation_size(c.oid) > 0"
		"  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
		" WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')"
		"   AND n.nspname NOT LIKE 'pg_toast_temp%'");
	if (PQresultStatus(r) != PGRES_TUPLES_OK)
		die("snapshot", c);
	out.n = PQntuples(r);
	out.v = calloc((size_t)out.n + 1, sizeof(*out.v));
	for (int i = 0; i < out.n; i++) {
		struct rel *x = &out.v[i];
		snprintf(x->oid, sizeof(x->oid), "%s", PQgetvalue(r, i, 0));
		snprintf(x->schema, sizeof(x->schema), "%s", PQgetvalue(r, i, 1));
		snprintf(x->name, sizeof(x->name), "%s", PQgetvalue(r, i, 2));
		snprintf(x->kind, sizeof(x->kind), "%s", PQgetvalue(r, i, 3));
		/* empty new storage (TRUNCATE) is not a rewrite: mark it with '-' */
		snprintf(x->filenode, sizeof(x->filenode), "%s%s", PQgetvalue(r, i, 4),
			 strcmp(PQgetvalue(r, i, 5), "t") ? "-" : "");
	}
	PQclear(r);
	return out;
}

static const struct rel *find(const struct rels *s, const char *oid)
{
	for (int i = 0; i < s->n; i++)
		if (!strcmp(s->v[i].oid, oid))
			return &s->v[i];
	return NULL;
}

/* The relation locks of backend pid, as connection c reads pg_locks. */
static PGresult *locks_of(PGconn *c, const char *pid)
{
	const char *params[1] = { pid };
	PGresult *r = PQexecParams(c,
		"SELECT relation::oid::text, mode, granted, locktype FROM pg_locks"
		" WHERE pid = $1::int ORDER BY locktype, relation, mode",
		1, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_TUPLES_OK)
		die("pg_locks", c);
	return r;
}

static void print_locks(PGresult *lk, const struct rels *before, const struct rels *now)
{
	int first = 1;
	printf("\"locks\": [");
	for (int i = 0; i < PQntuples(lk); i++) {
		if (strcmp(PQgetvalue(lk, i, 3), "relation"))
			continue;
		const char *oid = PQgetvalue(lk, i, 0);
		/* name it as the SQL did: by its name before the statement ran */
		const struct rel *x = find(before, oid);
		if (!x)
			x = find(now, oid);
		if (!x)
			continue; /* a catalog relation */
		printf("%s{\"schema\": ", first ? "" : ", ");
		json_str(x->schema);
		printf(", \"relation\": ");
		json_str(x->name);
		printf(", \"kind\": ");
		json_str(x->kind);
		printf(", \"mode\": ");
		json_str(PQgetvalue(lk, i, 1));
		printf(", \"granted\": %s}", strcmp(PQgetvalue(lk, i, 2), "t") ? "false" : "true");
		first = 0;
	}
	printf("]");
}

static void print_rewrites(const struct rels *before, const struct rels *after)
{
	int first = 1;
	printf(", \"rewrites\": [");
	for (int i = 0; i < before->n; i++) {
		const struct rel *b = &before->v[i];
		const struct rel *a = find(after, b->oid);
		if (!a || !strcmp(a->filenode, b->filenode) || strchr(a->filenode, '-'))
			continue;
		printf("%s{\"schema\": ", first ? "" : ", ");
		json_str(b->schema);
		printf(", \"relation\": ");
		json_str(b->name);
		printf(", \"kind\": ");
		json_str(b->kind);
		printf("}");
		first = 0;
	}
	printf("]");
}

/*
 * Sequential-scan counters of every user table as this backend sees them:
 * its own not yet flushed statistics included, which count every full read
 * of a table, the ones ALTER TABLE, CREATE INDEX and constraint validation
 * run internally included. The difference around the statement is what it
 * scanned.
 */
static PGresult *scan_counts(PGconn *c)
{
	PGresult *r = PQexec(c,
		"SELECT relid::text, seq_scan, pg_relation_size(relid) > 0 FROM pg_stat_xact_user_tables"
		" ORDER BY 1");
	if (PQresultStatus(r) != PGRES_TUPLES_OK)
		die("scans", c);
	return r;
}

/* Scanned: the counter grew, the table existed before and is not empty now. */
static void print_scans(PGresult *before, PGresult *after, const struct rels *rels)
{
	int first = 1;
	printf(", \"scans\": [");
	for (int i = 0; i < PQntuples(after); i++) {
		const char *oid = PQgetvalue(after, i, 0);
		const struct rel *x = find(rels, oid);
		long was = 0, now = atol(PQgetvalue(after, i, 1));
		for (int k = 0; k < PQntuples(before); k++)
			if (!strcmp(PQgetvalue(before, k, 0), oid))
				was = atol(PQgetvalue(before, k, 1));
		if (now <= was || !x || strcmp(PQgetvalue(after, i, 2), "t"))
			continue;
		printf("%s{\"schema\": ", first ? "" : ", ");
		json_str(x->schema);
		printf(", \"relation\": ");
		json_str(x->name);
		printf("}");
		first = 0;
	}
	printf("]");
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

int main(int argc, char **argv)
{
	if (argc != 4 && argc != 6) {
		fprintf(stderr, "usage: pg_observe CONNINFO SETUP STMT [BLOCKREL BLOCKMODE]\n");
		return 2;
	}
	char *setup = slurp(argv[2]);
	char *stmt = slurp(argv[3]);
	PGconn *a = PQconnectdb(argv[1]);
	PGconn *b = PQconnectdb(argv[1]);
	if (PQstatus(a) != CONNECTION_OK)
		die("connect", a);
	if (PQstatus(b) != CONNECTION_OK)
		die("connect", b);
	must_exec(a, setup);

	char pid[16];
	PGresult *r = PQexec(a, "SELECT pg_backend_pid()");
	snprintf(pid, sizeof(pid), "%s", PQgetvalue(r, 0, 0));
	PQclear(r);
	struct rels before = snapshot(a);

	if (argc == 4) {
		must_exec(a, "BEGIN");
		PGresult *sc0 = scan_counts(a);
		const char *err = try_exec(a, stmt);
		if (err) {
			printf("{\"error\": ");
			json_str(err);
			printf("}\n");
			return 0;
		}
		PGresult *lk = locks_of(b, pid);
		PGresult *sc1 = scan_counts(a);
		struct rels after = snapshot(a);
		printf("{");
		print_locks(lk, &before, &after);
		print_rewrites(&before, &after);
		print_scans(sc0, sc1, &before);
		PQclear(sc0);
		PQclear(sc1);
		printf("}\n");
		PQclear(lk);
		must_exec(a, "ROLLBACK");
	} else {
		char lock[512];
		snprintf(lock, sizeof(lock), "LOCK TABLE %s IN %s MODE", argv[4], argv[5]);
		must_exec(b, "BEGIN");
		must_exec(b, lock);
		if (!PQsendQuery(a, stmt))
			die("send", a);
		PGresult *lk = NULL;
		int waited = 0;
		for (int tries = 0; tries < 500; tries++) {
			sleep_ms(tries < 20 ? 5 : 20);
			if (!PQconsumeInput(a))
				die("consume", a);
			if (!PQisBusy(a))
				break; /* finished without waiting */
			if (lk)
				PQclear(lk);
			lk = locks_of(b, pid);
			for (int i = 0; i < PQntuples(lk); i++)
				waited |= strcmp(PQgetvalue(lk, i, 2), "t") != 0;
			if (waited)
				break;
		}
		struct rels now = snapshot(b);
		must_exec(b, "ROLLBACK");
		const char *err = NULL;
		while ((r = PQgetResult(a))) {
			ExecStatusType s = PQresultStatus(r);
			if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK && !err) {
				static char msg[1024];
				snprintf(msg, sizeof(msg), "%s", PQresultErrorMessage(r));
				msg[strcspn(msg, "\n")] = '\0';
				err = msg;
			}
			PQclear(r);
		}
		if (err || !waited) {
			printf("{\"error\": ");
			json_str(err ? err : "the statement never waited: nothing observed");
			printf("}\n");
			return 0;
		}
		struct rels after = snapshot(a);
		printf("{");
		print_locks(lk, &before, &now);
		print_rewrites(&before, &after);
		printf("}\n");
		PQclear(lk);
	}
	PQfinish(a);
	PQfinish(b);
	return 0;
}
