/*
 * dg_trace_compare: the model's claims for a statement against measured
 * locks and storage changes. tests/pg/trace.sh runs the whole trace on a
 * real server; this covers each rule of the comparison on its own (a mode
 * held before the statement, implicit locks, names on the search path,
 * TRUNCATE's empty storage, scans as notes).
 */
#include <string.h>

#include "db/db.h"
#include "sql/sql.h"
#include "tap.h"

static struct dg_arena arena;

static const struct dg_stmt *stmt(const char *sql)
{
	struct dg_sql_file *f = dg_alloc(&arena, sizeof(*f));
	struct dg_sql_opts o = { 15, DG_TXD_AUTO, NULL };
	dg_sql_parse(&arena, f, "t.sql", sql, strlen(sql));
	dg_sql_analyze(&arena, f, &o);
	return &f->stmts[f->n_stmts - 1];
}

static struct dg_trace_rel rel(const char *schema, const char *name, char kind, int visible)
{
	struct dg_trace_rel r = { schema, name, name, kind, visible };
	if (!visible)
		r.display = dg_sprintf(&arena, "%s.%s", schema, name);
	return r;
}

static struct dg_trace_lock lock(struct dg_trace_rel r, unsigned held, unsigned taken)
{
	struct dg_trace_lock l;
	memset(&l, 0, sizeof(l));
	l.rel = r;
	l.held_before = held;
	l.taken = taken;
	return l;
}

/* Run the comparison; the messages of the disagreements (notes apart), joined. */
static const char *compare(const struct dg_stmt *st, struct dg_trace_step *m, size_t *notes)
{
	struct dg_trace_diff *d;
	size_t n;
	struct dg_buf b = DG_BUF_INIT;
	dg_trace_compare(&arena, st, m, &d, &n);
	*notes = 0;
	for (size_t i = 0; i < n; i++) {
		if (d[i].note) {
			(*notes)++;
			continue;
		}
		dg_buf_addf(&b, "%s%s", b.len ? " | " : "", d[i].message);
	}
	const char *s = dg_strdup(&arena, b.len ? b.ptr : "");
	dg_buf_release(&b);
	return s;
}

#define AE DG_LOCKBIT(DG_LOCK_ACCESS_EXCLUSIVE)
#define SH DG_LOCKBIT(DG_LOCK_SHARE)
#define AS DG_LOCKBIT(DG_LOCK_ACCESS_SHARE)

int main(void)
{
	size_t notes;
	dg_arena_init(&arena);
	is_int(dg_lockmode_from_name("ShareRowExclusiveLock"), DG_LOCK_SHARE_ROW_EXCLUSIVE, "mode by name");
	is_int(dg_lockmode_from_name("SIReadLock"), DG_LOCK_NONE, "a predicate lock is no table lock");
	is_int(dg_lockbits_max(AS | SH), DG_LOCK_SHARE, "strongest of a set");
	is_int(dg_lockbits_max(0), DG_LOCK_NONE, "strongest of nothing");

	const struct dg_stmt *alter = stmt("ALTER TABLE t ADD COLUMN c int;");
	struct dg_trace_lock locks[3];
	struct dg_trace_step m;

	/* the same lock on both sides: agreement */
	memset(&m, 0, sizeof(m));
	locks[0] = lock(rel("public", "t", 'r', 1), 0, AE);
	m.locks = locks;
	m.n_locks = 1;
	is_str(compare(alter, &m, &notes), "", "same lock: no disagreement");
	ok(m.locks[0].compared, "a relation the statement names is compared");

	/* held since an earlier statement: no new pg_locks row, still agreement */
	locks[0] = lock(rel("public", "t", 'r', 1), AE | AS, SH);
	is_str(compare(alter, &m, &notes), "", "claimed mode held before: agreement");

	/* weaker than claimed, not held: disagreement */
	locks[0] = lock(rel("public", "t", 'r', 1), 0, SH);
	is_str(compare(alter, &m, &notes),
	       "PostgreSQL took ShareLock on \"t\"; ddlgate claims AccessExclusiveLock",
	       "weaker lock than claimed");

	/* no lock at all on the claimed relation */
	m.n_locks = 0;
	is_str(compare(alter, &m, &notes),
	       "ddlgate claims AccessExclusiveLock on \"t\"; PostgreSQL took no lock on it",
	       "claimed, nothing taken");

	/* an unqualified name means the relation on the search path, not another schema's */
	locks[0] = lock(rel("other", "t", 'r', 0), 0, AE);
	m.n_locks = 1;
	is_str(compare(alter, &m, &notes),
	       "ddlgate claims AccessExclusiveLock on \"t\"; PostgreSQL took no lock on it",
	       "a same-named table off the search path is not t");
	ok(!m.locks[0].compared, "... and is not compared");

	/* implicit locks (the table's index) are shown, not judged */
	locks[0] = lock(rel("public", "t", 'r', 1), 0, AE);
	locks[1] = lock(rel("public", "t_pkey", 'i', 1), 0, AE);
	m.n_locks = 2;
	is_str(compare(alter, &m, &notes), "", "implicit index lock: no disagreement");
	ok(!m.locks[1].compared, "the index the statement does not name is not compared");

	/* a lock on a named relation the model does not claim */
	const struct dg_stmt *fk = stmt("ALTER TABLE t ADD CONSTRAINT t_p_fkey FOREIGN KEY (p) REFERENCES parent (id);");
	locks[0] = lock(rel("public", "t", 'r', 1), 0, DG_LOCKBIT(DG_LOCK_SHARE_ROW_EXCLUSIVE));
	locks[1] = lock(rel("public", "parent", 'r', 1), 0, DG_LOCKBIT(DG_LOCK_SHARE_ROW_EXCLUSIVE));
	locks[2] = lock(rel("public", "elsewhere", 'r', 1), 0, AE);
	m.n_locks = 3;
	is_str(compare(fk, &m, &notes), "", "FK: both tables as claimed, an unnamed one ignored");
	const struct dg_stmt *sel = stmt("SELECT * FROM t JOIN u USING (id);");
	locks[0] = lock(rel("public", "t", 'r', 1), 0, AS);
	locks[1] = lock(rel("public", "u", 'r', 1), 0, AE);
	m.n_locks = 2;
	is_str(compare(sel, &m, &notes),
	       "PostgreSQL took AccessExclusiveLock on \"u\"; ddlgate claims AccessShareLock",
	       "a stronger lock than claimed on a named table");

	/* rewrites: measured against claimed, both ways */
	const struct dg_stmt *rw = stmt("ALTER TABLE t ADD COLUMN r float8 DEFAULT random();");
	struct dg_trace_rel t_rel = rel("public", "t", 'r', 1);
	locks[0] = lock(t_rel, 0, AE);
	m.n_locks = 1;
	m.rewrites = &t_rel;
	m.n_rewrites = 1;
	is_str(compare(rw, &m, &notes), "", "rewrite claimed and measured");
	m.n_rewrites = 0;
	is_str(compare(rw, &m, &notes),
	       "ddlgate says \"t\" is rewritten; PostgreSQL kept its storage (same relfilenode)",
	       "rewrite claimed, storage kept");
	/* an empty table rewritten gets empty storage: still a rewrite */
	m.emptied = &t_rel;
	m.n_emptied = 1;
	is_str(compare(rw, &m, &notes), "", "empty new storage counts as a rewrite");
	m.emptied = NULL;
	m.n_emptied = 0;
	m.rewrites = &t_rel;
	m.n_rewrites = 1;
	is_str(compare(alter, &m, &notes),
	       "PostgreSQL rewrote \"t\" (new relfilenode); ddlgate does not say so",
	       "a rewrite the model does not claim");
	/* TRUNCATE's empty storage is the point, not a rewrite */
	const struct dg_stmt *trunc = stmt("TRUNCATE t;");
	m.rewrites = NULL;
	m.n_rewrites = 0;
	m.emptied = &t_rel;
	m.n_emptied = 1;
	is_str(compare(trunc, &m, &notes), "", "TRUNCATE: new empty storage is no rewrite");
	ok(dg_trace_rewritten(trunc, &m, &trunc->locks[0].rel) == NULL, "TRUNCATE: not rewritten");
	ok(dg_trace_rewritten(alter, &m, &alter->locks[0].rel) != NULL, "ALTER: emptied is rewritten");

	/* scans differ: a note, never a disagreement */
	const struct dg_stmt *upd = stmt("UPDATE t SET c = 1 WHERE id = 2;");
	locks[0] = lock(t_rel, 0, DG_LOCKBIT(DG_LOCK_ROW_EXCLUSIVE));
	m.n_emptied = 0;
	m.scans = &t_rel;
	m.n_scans = 1;
	is_str(compare(upd, &m, &notes), "", "a planner's sequential scan is no disagreement");
	is_int(notes, 1, "... but a note");

	dg_arena_release(&arena);
	return done();
}
