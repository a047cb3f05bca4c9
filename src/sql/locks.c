/*
 * The lock model: for every statement, which locks it takes on which
 * relations, which relations it rewrites and which it scans while holding
 * its lock, for the target PostgreSQL version (10..18); plus the
 * transaction state through the file and which tables are new. Every
 * claim here is checked against a real server by tests/pg/lock_oracle.sh.
 *
 * Relations are reported as the SQL names them: a table's indexes and
 * TOAST table, or the table behind DROP INDEX, are locked too but not
 * named, so not listed.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sql/index.h"
#include "sql/sql.h"

/* A CHECK (column IS NOT NULL) seen in the file; valid once validated. */
struct nn_check {
	struct dg_rel table;
	const char *column;
	const char *name;
	int validated;
};

/*
 * An open-addressing index from a name (plus a second one) to the
 * position of a check in the model's array, so that a migration of a
 * million statements stays linear. Keys ignore the schema: entries with
 * the same name are told apart by dg_rel_equal.
 */
struct name_index {
	size_t *slots;             /* entry position + 1; 0 = empty */
	size_t cap;                /* a power of two */
	size_t used;
};

struct model {
	struct dg_arena *a;
	const struct dg_sql_opts *o;
	struct dg_sql_index *ix;   /* the file's history, as far as the model got */
	size_t at;                 /* the statement being modelled */
	struct nn_check *checks;
	size_t n_checks, cap_checks;
	struct name_index by_column, by_name; /* checks by (table, column) and (table, name) */
};

/* Insert entry `pos` under hash; the caller checks for duplicates first. */
static void index_add(struct name_index *ix, size_t hash, size_t pos)
{
	size_t mask = ix->cap - 1;
	size_t i = hash & mask;
	while (ix->slots[i])
		i = (i + 1) & mask;
	ix->slots[i] = pos + 1;
	ix->used++;
}

static void index_grow(struct name_index *ix, size_t (*rehash)(const struct model *, size_t),
		       const struct model *owner)
{
	size_t old_cap = ix->cap;
	size_t *old = ix->slots;
	ix->cap = old_cap ? old_cap * 2 : 64;
	ix->slots = dg_xcalloc(ix->cap, sizeof(*ix->slots));
	ix->used = 0;
	for (size_t i = 0; i < old_cap; i++)
		if (old[i])
			index_add(ix, rehash(owner, old[i] - 1), old[i] - 1);
	free(old);
}

static void add_lock(struct model *m, struct dg_stmt *st, const struct dg_rel *r, enum dg_lockmode mode)
{
	if (!r || !r->name || !*r->name || mode == DG_LOCK_NONE)
		return;
	for (size_t i = 0; i < st->n_locks; i++) {
		if (dg_rel_equal(&st->locks[i].rel, r)) {
			if (mode > st->locks[i].mode)
				st->locks[i].mode = mode; /* the strongest one is held */
			return;
		}
	}
	struct dg_lock *nl = dg_alloc(m->a, (st->n_locks + 1) * sizeof(*nl));
	if (st->n_locks)
		memcpy(nl, st->locks, st->n_locks * sizeof(*nl));
	nl[st->n_locks].rel = *r;
	nl[st->n_locks].mode = mode;
	st->locks = nl;
	st->n_locks++;
}

static void add_rel(struct model *m, struct dg_rel **arr, size_t *n, const struct dg_rel *r)
{
	if (!r || !r->name)
		return;
	for (size_t i = 0; i < *n; i++)
		if (dg_rel_equal(&(*arr)[i], r))
			return;
	struct dg_rel *na = dg_alloc(m->a, (*n + 1) * sizeof(*na));
	if (*n)
		memcpy(na, *arr, *n * sizeof(*na));
	na[*n] = *r;
	*arr = na;
	(*n)++;
}

static void rewrite(struct model *m, struct dg_stmt *st, const struct dg_rel *r)
{
	add_rel(m, &st->rewrites, &st->n_rewrites, r);
}

static void scan(struct model *m, struct dg_stmt *st, const struct dg_rel *r)
{
	add_rel(m, &st->scans, &st->n_scans, r);
}

/* Append a remark to the statement's note ("a; b"). */
static void note(struct model *m, struct dg_stmt *st, const char *fmt, ...) DG_PRINTF(3, 4);
static void note(struct model *m, struct dg_stmt *st, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	const char *s = dg_vsprintf(m->a, fmt, ap);
	va_end(ap);
	if (st->note && strstr(st->note, s))
		return;
	st->note = st->note ? dg_sprintf(m->a, "%s; %s", st->note, s) : s;
}

/*
 * An index the SQL names without a schema: it lives beside its table, but
 * is reported as written (unqualified), like every other relation.
 */
static struct dg_rel sibling(const struct dg_rel *like, const char *name)
{
	struct dg_rel r = { NULL, name };
	(void)like;
	return r;
}

/* ---- what the file has shown so far (sql/index.h) ---- */

static int is_new(const struct model *m, const struct dg_rel *r)
{
	return dg_sql_index_is_new(m->ix, r, SIZE_MAX);
}

static void learn_col(struct model *m, const struct dg_rel *t, const char *col, const struct dg_type *ty)
{
	dg_sql_index_column(m->ix, t, col, ty, m->at);
}

/* The column's type before this statement: from the file, else the schema hook. */
static const struct dg_type *old_type(struct model *m, const struct dg_rel *t, const char *col)
{
	const struct dg_type *ty = dg_sql_index_column_type(m->ix, t, col, SIZE_MAX, NULL);
	if (ty)
		return ty;
	const struct dg_sql_schema_hooks *h = m->o->schema;
	if (h && h->column_type)
		return h->column_type(h->cookie, t, col);
	return NULL;
}

static size_t by_column_hash(const struct model *m, size_t pos)
{
	return dg_sql_name_hash(m->checks[pos].table.name, m->checks[pos].column);
}

static size_t by_name_hash(const struct model *m, size_t pos)
{
	return dg_sql_name_hash(m->checks[pos].table.name, m->checks[pos].name);
}

static int not_null_proven(struct model *m, const struct dg_rel *t, const char *col)
{
	const struct name_index *ix = &m->by_column;
	for (size_t mask = ix->cap - 1, i = ix->cap ? dg_sql_name_hash(t->name, col) & mask : 0;
	     ix->cap && ix->slots[i]; i = (i + 1) & mask) {
		const struct nn_check *c = &m->checks[ix->slots[i] - 1];
		if (c->validated && !strcmp(c->column, col) && dg_rel_equal(&c->table, t))
			return 1;
	}
	const struct dg_sql_schema_hooks *h = m->o->schema;
	return h && h->not_null_proven && h->not_null_proven(h->cookie, t, col);
}

static void learn_check(struct model *m, const struct dg_rel *t, const struct dg_constraint *k)
{
	if (!t || !t->name || !k->not_null_column)
		return;
	if ((m->n_checks + 1) * 2 > m->by_column.cap) {
		index_grow(&m->by_column, by_column_hash, m);
		index_grow(&m->by_name, by_name_hash, m);
	}
	DG_GROW(m->checks, m->n_checks, m->cap_checks, m->n_checks + 1);
	struct nn_check *c = &m->checks[m->n_checks];
	c->table = *t;
	c->column = k->not_null_column;
	c->name = k->name;
	c->validated = !k->not_valid;
	index_add(&m->by_column, by_column_hash(m, m->n_checks), m->n_checks);
	index_add(&m->by_name, by_name_hash(m, m->n_checks), m->n_checks);
	m->n_checks++;
}

/* Mark every check of that name on t validated (VALIDATE) or not (DROP: it proves nothing now). */
static void set_check_valid(struct model *m, const struct dg_rel *t, const char *name, int valid)
{
	const struct name_index *ix = &m->by_name;
	if (!name || !t || !t->name)
		return;
	for (size_t mask = ix->cap - 1, i = ix->cap ? dg_sql_name_hash(t->name, name) & mask : 0;
	     ix->cap && ix->slots[i]; i = (i + 1) & mask) {
		struct nn_check *c = &m->checks[ix->slots[i] - 1];
		if (c->name && !strcmp(c->name, name) && dg_rel_equal(&c->table, t))
			c->validated = valid;
	}
}

/* ---- ALTER COLUMN ... TYPE ---- */

static int is_string_family(const char *n)
{
	return !strcmp(n, "text") || !strcmp(n, "varchar");
}

/*
 * Does changing a column from `from` to `to` keep the stored bytes (the
 * cast is binary-coercible and no value can change), so PostgreSQL skips
 * the rewrite? Measured on a real server; see tests/pg/lock_cases.sql.
 */
static int retype_keeps_storage(const struct dg_type *from, const struct dg_type *to)
{
	if (from->array != to->array)
		return 0;
	/* text / varchar(n) to text, unbounded varchar or a longer varchar */
	if (is_string_family(from->name) && is_string_family(to->name)) {
		if (!strcmp(to->name, "text") || to->n_mods == 0)
			return 1;
		if (!strcmp(from->name, "varchar") && from->n_mods == 1)
			return to->mods[0] >= from->mods[0];
		return 0; /* text or varchar to varchar(n): every value is checked, rewritten */
	}
	/* numeric(p,s) to numeric(p2 >= p, s) or unconstrained numeric */
	if (!strcmp(from->name, "numeric") && !strcmp(to->name, "numeric")) {
		if (to->n_mods == 0)
			return 1;
		if (from->n_mods == 0)
			return 0;
		int fs = from->n_mods > 1 ? from->mods[1] : 0, ts = to->n_mods > 1 ? to->mods[1] : 0;
		return fs == ts && to->mods[0] >= from->mods[0];
	}
	/* varbit(n) to a longer varbit, cidr to inet */
	if (!strcmp(from->name, "varbit") && !strcmp(to->name, "varbit"))
		return to->n_mods == 0 || (from->n_mods && to->mods[0] >= from->mods[0]);
	if (!strcmp(from->name, "cidr") && !strcmp(to->name, "inet"))
		return 1;
	/* the very same type and modifiers (a collation change, say) */
	if (!strcmp(from->name, to->name) && from->n_mods == to->n_mods &&
	    (from->n_mods < 1 || from->mods[0] == to->mods[0]) &&
	    (from->n_mods < 2 || from->mods[1] == to->mods[1]))
		return 1;
	/*
	 * Everything else rewrites, timestamp -> timestamptz included: from
	 * PostgreSQL 12 it is kept only when the session TimeZone is UTC,
	 * which a migration cannot count on.
	 */
	return 0;
}

/*
 * Without the old type (a column from an earlier migration the schema
 * stage did not tell us about) only targets that keep storage from every
 * source of their own family are trusted: text, unbounded varchar and
 * unconstrained numeric. Everything else is assumed to rewrite.
 */
static int retype_keeps_storage_unknown(const struct dg_type *to)
{
	if (to->array)
		return 0;
	return (is_string_family(to->name) && (!strcmp(to->name, "text") || to->n_mods == 0)) ||
	       (!strcmp(to->name, "numeric") && to->n_mods == 0);
}

static void model_retype(struct model *m, struct dg_stmt *st, struct dg_cmd *c)
{
	const struct dg_rel *t = st->rel;
	add_lock(m, st, t, DG_LOCK_ACCESS_EXCLUSIVE);
	if (!c->coldef) {
		rewrite(m, st, t);
		return;
	}
	const struct dg_type *from = old_type(m, t, c->column);
	const struct dg_type *to = &c->coldef->type;
	int keeps;
	if (c->has_using)
		keeps = 0; /* an explicit conversion is run for every row */
	else if (from)
		keeps = retype_keeps_storage(from, to);
	else {
		keeps = retype_keeps_storage_unknown(to);
		if (keeps)
			note(m, st, "the old type of \"%s\" is unknown: assumed %s, which keeps storage (from char(n) or another type it rewrites)",
			     c->column, !strcmp(to->name, "numeric") ? "numeric" : "varchar or text");
	}
	if (!keeps)
		rewrite(m, st, t);
	learn_col(m, t, c->column, to);
}

/* ---- ADD COLUMN ---- */

/* Does ADD COLUMN with this definition rewrite the table? */
static int add_column_rewrites(struct model *m, struct dg_stmt *st, const struct dg_column *c)
{
	if (c->generated_stored || c->identity)
		return 1;
	if (!c->has_default)
		return 0;
	if (m->o->pg_version < 11)
		return !c->default_expr || strcmp(c->default_expr, "NULL");
	if (c->default_volatility == DG_VOL_UNKNOWN)
		note(m, st, "%s() is not a built-in function ddlgate knows: treated as volatile",
		     c->volatile_func ? c->volatile_func : "a function");
	return c->default_volatility >= DG_VOL_VOLATILE;
}

static void model_add_column(struct model *m, struct dg_stmt *st, struct dg_cmd *c)
{
	const struct dg_rel *t = st->rel;
	const struct dg_column *col = c->coldef;
	add_lock(m, st, t, DG_LOCK_ACCESS_EXCLUSIVE);
	if (!col)
		return;
	int rewrites = add_column_rewrites(m, st, col);
	if (rewrites)
		rewrite(m, st, t);
	if (col->fk) {
		add_lock(m, st, &col->fk->ref_table, DG_LOCK_SHARE_ROW_EXCLUSIVE);
		if (!col->fk->not_valid && col->has_default)
			scan(m, st, t);
	}
	if (col->primary_key || col->unique)
		scan(m, st, t); /* builds an index over the existing rows */
	if (col->has_check)
		scan(m, st, t); /* checks the existing rows' new value */
	if (!rewrites && col->not_null && !col->has_default)
		scan(m, st, t); /* checks that no existing row exists without a value */
	learn_col(m, t, col->name, &col->type);
}

/* ---- ADD CONSTRAINT ---- */

static void model_add_constraint(struct model *m, struct dg_stmt *st, struct dg_cmd *c)
{
	const struct dg_rel *t = st->rel;
	const struct dg_constraint *k = c->con;
	if (!k) {
		add_lock(m, st, t, DG_LOCK_ACCESS_EXCLUSIVE);
		return;
	}
	switch (k->kind) {
	case DG_CON_FOREIGN:
		/* both ends: the new triggers go on the referencing and the referenced table */
		add_lock(m, st, t, DG_LOCK_SHARE_ROW_EXCLUSIVE);
		add_lock(m, st, &k->ref_table, DG_LOCK_SHARE_ROW_EXCLUSIVE);
		if (!k->not_valid)
			scan(m, st, t);
		break;
	case DG_CON_CHECK:
		add_lock(m, st, t, DG_LOCK_ACCESS_EXCLUSIVE);
		if (!k->not_valid)
			scan(m, st, t);
		learn_check(m, t, k);
		break;
	case DG_CON_PRIMARY:
	case DG_CON_UNIQUE:
	case DG_CON_EXCLUSION:
		add_lock(m, st, t, DG_LOCK_ACCESS_EXCLUSIVE);
		if (k->using_index) {
			/* the existing index is taken over (and renamed to the constraint) */
			struct dg_rel ix = sibling(t, k->using_index);
			add_lock(m, st, &ix, DG_LOCK_SHARE_UPDATE_EXCLUSIVE);
		} else {
			scan(m, st, t);
			if (k->name) {
				struct dg_rel ix = sibling(t, k->name); /* the new index */
				add_lock(m, st, &ix, DG_LOCK_ACCESS_EXCLUSIVE);
			}
		}
		break;
	default:
		add_lock(m, st, t, DG_LOCK_ACCESS_EXCLUSIVE);
		break;
	}
}

static void model_alter_cmd(struct model *m, struct dg_stmt *st, struct dg_cmd *c)
{
	const struct dg_rel *t = st->rel;
	int pg = m->o->pg_version;

	switch (c->kind) {
	case DG_CMD_ADD_COLUMN:
		model_add_column(m, st, c);
		break;
	case DG_CMD_ALTER_TYPE:
		model_retype(m, st, c);
		break;
	case DG_CMD_SET_NOT_NULL:
		add_lock(m, st, t, DG_LOCK_ACCESS_EXCLUSIVE);
		/* from 12 a validated CHECK (col IS NOT NULL) stands in for the scan */
		if (pg >= 12 && c->column && not_null_proven(m, t, c->column))
			break;
		scan(m, st, t);
		break;
	case DG_CMD_ADD_CONSTRAINT:
		model_add_constraint(m, st, c);
		break;
	case DG_CMD_VALIDATE_CONSTRAINT:
		add_lock(m, st, t, DG_LOCK_SHARE_UPDATE_EXCLUSIVE);
		scan(m, st, t);
		set_check_valid(m, t, c->name, 1);
		break;
	case DG_CMD_SET_LOGGED:
	case DG_CMD_SET_UNLOGGED:
	case DG_CMD_SET_TABLESPACE:
		add_lock(m, st, t, DG_LOCK_ACCESS_EXCLUSIVE);
		rewrite(m, st, t);
		break;
	case DG_CMD_SET_OPTIONS:
	case DG_CMD_RESET_OPTIONS:
	case DG_CMD_SET_STATISTICS:
		add_lock(m, st, t, DG_LOCK_SHARE_UPDATE_EXCLUSIVE);
		break;
	case DG_CMD_SET_WITHOUT_CLUSTER:
		/* only edits pg_index flags */
		add_lock(m, st, t, DG_LOCK_SHARE_UPDATE_EXCLUSIVE);
		break;
	case DG_CMD_CLUSTER_ON:
		add_lock(m, st, t, DG_LOCK_SHARE_UPDATE_EXCLUSIVE);
		if (c->name) {
			struct dg_rel ix = sibling(t, c->name);
			add_lock(m, st, &ix, DG_LOCK_SHARE_UPDATE_EXCLUSIVE);
		}
		break;
	case DG_CMD_ENABLE_TRIGGER:
	case DG_CMD_DISABLE_TRIGGER:
		add_lock(m, st, t, DG_LOCK_SHARE_ROW_EXCLUSIVE);
		break;
	case DG_CMD_INHERIT:
		add_lock(m, st, t, DG_LOCK_ACCESS_EXCLUSIVE);
		add_lock(m, st, &c->part, DG_LOCK_SHARE_UPDATE_EXCLUSIVE);
		break;
	case DG_CMD_ATTACH_PARTITION:
		/* 12 lets queries on the parent run while a partition is attached */
		add_lock(m, st, t, pg >= 12 ? DG_LOCK_SHARE_UPDATE_EXCLUSIVE : DG_LOCK_ACCESS_EXCLUSIVE);
		add_lock(m, st, &c->part, DG_LOCK_ACCESS_EXCLUSIVE);
		scan(m, st, &c->part);
		break;
	case DG_CMD_DETACH_PARTITION:
		if (c->concurrently && pg >= 14) {
			/*
			 * Two transactions: SHARE UPDATE EXCLUSIVE on both, commit,
			 * wait for every query using the parent, then ACCESS
			 * EXCLUSIVE on the partition alone to finish.
			 */
			add_lock(m, st, t, DG_LOCK_SHARE_UPDATE_EXCLUSIVE);
			add_lock(m, st, &c->part, DG_LOCK_ACCESS_EXCLUSIVE);
		} else {
			if (c->concurrently)
				note(m, st, "DETACH PARTITION CONCURRENTLY needs PostgreSQL 14 (target: %d)", pg);
			add_lock(m, st, t, DG_LOCK_ACCESS_EXCLUSIVE);
			add_lock(m, st, &c->part, DG_LOCK_ACCESS_EXCLUSIVE);
		}
		break;
	case DG_CMD_DROP_CONSTRAINT:
		add_lock(m, st, t, DG_LOCK_ACCESS_EXCLUSIVE);
		set_check_valid(m, t, c->name, 0);
		break;
	case DG_CMD_DROP_COLUMN:
	case DG_CMD_DROP_NOT_NULL:
	case DG_CMD_SET_DEFAULT:
	case DG_CMD_DROP_DEFAULT:
	case DG_CMD_SET_STORAGE:
	case DG_CMD_ADD_IDENTITY:
	case DG_CMD_DROP_IDENTITY:
	case DG_CMD_OWNER:
	case DG_CMD_ENABLE_RLS:
	case DG_CMD_DISABLE_RLS:
	case DG_CMD_REPLICA_IDENTITY:
	default:
		/* catalog-only changes, but under the strongest lock */
		add_lock(m, st, t, DG_LOCK_ACCESS_EXCLUSIVE);
		break;
	}
}

static void model_alter_table(struct model *m, struct dg_stmt *st)
{
	for (size_t i = 0; i < st->n_cmds; i++) {
		/* model each sub-command alone, then merge into the statement */
		struct dg_stmt one = *st;
		one.locks = NULL;
		one.n_locks = one.n_rewrites = one.n_scans = 0;
		one.rewrites = one.scans = NULL;
		model_alter_cmd(m, &one, &st->cmds[i]);
		st->note = one.note;
		st->cmds[i].rewrites = one.n_rewrites > 0;
		st->cmds[i].scans = one.n_scans > 0;
		for (size_t k = 0; k < one.n_locks; k++) {
			if (st->rel && dg_rel_equal(&one.locks[k].rel, st->rel))
				st->cmds[i].lock = one.locks[k].mode;
			add_lock(m, st, &one.locks[k].rel, one.locks[k].mode);
		}
		for (size_t k = 0; k < one.n_rewrites; k++)
			rewrite(m, st, &one.rewrites[k]);
		for (size_t k = 0; k < one.n_scans; k++)
			scan(m, st, &one.scans[k]);
	}
	/*
	 * A rewrite reads every row to write it again: it is a scan too,
	 * except SET TABLESPACE, which copies the files block by block.
	 */
	for (size_t i = 0; i < st->n_cmds; i++) {
		if (!st->cmds[i].rewrites || st->cmds[i].kind == DG_CMD_SET_TABLESPACE)
			continue;
		st->cmds[i].scans = 1;
		scan(m, st, st->rel);
	}
}

static void model_create_table(struct model *m, struct dg_stmt *st)
{
	for (size_t i = 0; i < st->n_columns; i++) {
		if (st->columns[i].fk)
			add_lock(m, st, &st->columns[i].fk->ref_table, DG_LOCK_SHARE_ROW_EXCLUSIVE);
		learn_col(m, st->rel, st->columns[i].name, &st->columns[i].type);
	}
	for (size_t i = 0; i < st->n_constraints; i++)
		if (st->constraints[i].kind == DG_CON_FOREIGN)
			add_lock(m, st, &st->constraints[i].ref_table, DG_LOCK_SHARE_ROW_EXCLUSIVE);
	for (size_t i = 0; i < st->n_likes; i++)
		add_lock(m, st, &st->likes[i], DG_LOCK_ACCESS_SHARE);
	if (st->partition_of.name)
		add_lock(m, st, &st->partition_of, DG_LOCK_ACCESS_EXCLUSIVE);
}

/*
 * What a query part reads. Statements that copy a query's whole result
 * (CREATE TABLE AS, materialized views, INSERT ... SELECT) are taken to
 * read their tables in full; a plain SELECT or a WHERE is the planner's
 * business and not claimed.
 */
static void model_reads(struct model *m, struct dg_stmt *st, int copies)
{
	enum dg_lockmode mode = st->row_locking ? DG_LOCK_ROW_SHARE : DG_LOCK_ACCESS_SHARE;
	for (size_t i = 0; i < st->n_reads; i++) {
		add_lock(m, st, &st->reads[i], mode);
		if (copies)
			scan(m, st, &st->reads[i]);
	}
	for (size_t i = 0; i < st->n_writes; i++)
		add_lock(m, st, &st->writes[i], DG_LOCK_ROW_EXCLUSIVE);
}

static void model_drop(struct model *m, struct dg_stmt *st)
{
	if (st->object == DG_OBJ_TRIGGER) {
		/* dropping a trigger takes the table's strongest lock (unlike creating one) */
		add_lock(m, st, st->rel, DG_LOCK_ACCESS_EXCLUSIVE);
		return;
	}
	for (size_t i = 0; i < st->n_rels; i++) {
		if (st->object == DG_OBJ_INDEX && st->concurrently)
			add_lock(m, st, &st->rels[i], DG_LOCK_SHARE_UPDATE_EXCLUSIVE);
		else if (st->object == DG_OBJ_TABLE || st->object == DG_OBJ_INDEX ||
			 st->object == DG_OBJ_VIEW || st->object == DG_OBJ_MATVIEW ||
			 st->object == DG_OBJ_SEQUENCE)
			add_lock(m, st, &st->rels[i], DG_LOCK_ACCESS_EXCLUSIVE);
	}
}

static void model_stmt(struct model *m, struct dg_stmt *st)
{
	const struct dg_rel *t = st->rel;
	int pg = m->o->pg_version;
	switch (st->kind) {
	case DG_STMT_CREATE_TABLE:
		model_create_table(m, st);
		add_lock(m, st, t, DG_LOCK_ACCESS_EXCLUSIVE);
		break;
	case DG_STMT_CREATE_TABLE_AS:
	case DG_STMT_CREATE_MATVIEW:
	case DG_STMT_CREATE_VIEW:
	case DG_STMT_CREATE_SEQUENCE:
		/* the new relation itself, and what its query reads */
		model_reads(m, st, st->kind != DG_STMT_CREATE_VIEW);
		add_lock(m, st, t, DG_LOCK_ACCESS_EXCLUSIVE);
		break;
	case DG_STMT_ALTER_TABLE:
		model_alter_table(m, st);
		break;
	case DG_STMT_ALTER_SEQUENCE:
		add_lock(m, st, t, DG_LOCK_SHARE_ROW_EXCLUSIVE);
		break;
	case DG_STMT_CREATE_INDEX:
		add_lock(m, st, t, st->concurrently ? DG_LOCK_SHARE_UPDATE_EXCLUSIVE : DG_LOCK_SHARE);
		if (!st->concurrently && st->index && st->index->name) {
			struct dg_rel ix = sibling(t, st->index->name);
			add_lock(m, st, &ix, DG_LOCK_ACCESS_EXCLUSIVE); /* the new index */
		}
		scan(m, st, t);
		break;
	case DG_STMT_DROP:
		model_drop(m, st);
		break;
	case DG_STMT_RENAME:
		/* 12 renames an index under SHARE UPDATE EXCLUSIVE */
		if (t)
			add_lock(m, st, t, st->object == DG_OBJ_INDEX && pg >= 12 ?
						   DG_LOCK_SHARE_UPDATE_EXCLUSIVE :
						   DG_LOCK_ACCESS_EXCLUSIVE);
		break;
	case DG_STMT_REINDEX:
		if (st->concurrently && pg < 12)
			note(m, st, "REINDEX CONCURRENTLY needs PostgreSQL 12 (target: %d)", pg);
		if (t)
			add_lock(m, st, t, st->concurrently && pg >= 12 ? DG_LOCK_SHARE_UPDATE_EXCLUSIVE :
				 st->object == DG_OBJ_INDEX ? DG_LOCK_ACCESS_EXCLUSIVE : DG_LOCK_SHARE);
		/* REINDEX INDEX reads its table too, but the SQL does not name that one */
		if (t && st->object == DG_OBJ_TABLE)
			scan(m, st, t);
		break;
	case DG_STMT_VACUUM:
		for (size_t i = 0; i < st->n_rels; i++) {
			add_lock(m, st, &st->rels[i], st->full ? DG_LOCK_ACCESS_EXCLUSIVE :
							    DG_LOCK_SHARE_UPDATE_EXCLUSIVE);
			if (st->full)
				rewrite(m, st, &st->rels[i]);
			scan(m, st, &st->rels[i]);
		}
		break;
	case DG_STMT_ANALYZE:
		for (size_t i = 0; i < st->n_rels; i++)
			add_lock(m, st, &st->rels[i], DG_LOCK_SHARE_UPDATE_EXCLUSIVE);
		break;
	case DG_STMT_CLUSTER:
		if (t) {
			add_lock(m, st, t, DG_LOCK_ACCESS_EXCLUSIVE);
			if (st->name) {
				struct dg_rel ix = sibling(t, st->name);
				add_lock(m, st, &ix, DG_LOCK_ACCESS_EXCLUSIVE);
			}
			rewrite(m, st, t);
			scan(m, st, t);
		}
		break;
	case DG_STMT_LOCK:
		for (size_t i = 0; i < st->n_rels; i++)
			add_lock(m, st, &st->rels[i], st->lock_mode);
		break;
	case DG_STMT_TRUNCATE:
		/* new, empty storage: instant, not a rewrite */
		for (size_t i = 0; i < st->n_rels; i++)
			add_lock(m, st, &st->rels[i], DG_LOCK_ACCESS_EXCLUSIVE);
		break;
	case DG_STMT_INSERT:
		model_reads(m, st, 1);
		add_lock(m, st, t, DG_LOCK_ROW_EXCLUSIVE);
		break;
	case DG_STMT_UPDATE:
	case DG_STMT_DELETE:
		model_reads(m, st, 0);
		add_lock(m, st, t, DG_LOCK_ROW_EXCLUSIVE);
		if (!st->has_where)
			scan(m, st, t); /* every row; with a WHERE the planner decides */
		break;
	case DG_STMT_SELECT:
		model_reads(m, st, 0);
		break;
	case DG_STMT_REFRESH_MATVIEW:
		/* a plain refresh fills new storage; CONCURRENTLY applies a diff in place */
		add_lock(m, st, t, st->concurrently ? DG_LOCK_EXCLUSIVE : DG_LOCK_ACCESS_EXCLUSIVE);
		if (!st->concurrently)
			rewrite(m, st, t);
		scan(m, st, t); /* the new contents are indexed, or diffed against the old */
		break;
	case DG_STMT_CREATE_TRIGGER:
		add_lock(m, st, t, DG_LOCK_SHARE_ROW_EXCLUSIVE);
		break;
	case DG_STMT_COMMENT:
		if (t && st->object != DG_OBJ_OTHER)
			add_lock(m, st, t, DG_LOCK_SHARE_UPDATE_EXCLUSIVE);
		break;
	case DG_STMT_ALTER_TYPE:
		if (pg < 12 && st->in_transaction && st->value)
			note(m, st, "ALTER TYPE ... ADD VALUE cannot run inside a transaction block before PostgreSQL 12 (target: %d)",
			     pg);
		break;
	default:
		break;
	}
}

/* What rules ask of earlier statements (dg_sql_marked_before). */
static void leave_marks(struct model *m, const struct dg_stmt *st)
{
	if (st->kind == DG_STMT_CREATE_INDEX && st->index && st->index->name) {
		struct dg_rel ix = { NULL, st->index->name };
		dg_sql_index_mark(m->ix, DG_MARK_INDEX_CREATED, &ix, NULL, m->at);
	}
	if ((st->kind == DG_STMT_DROP || st->kind == DG_STMT_RENAME) && st->rel)
		dg_sql_index_mark(m->ix, DG_MARK_DROP_OR_RENAME, st->rel, NULL, m->at);
	for (size_t k = 0; st->kind == DG_STMT_ALTER_TABLE && k < st->n_cmds; k++) {
		const struct dg_cmd *c = &st->cmds[k];
		if ((c->kind == DG_CMD_DROP_NOT_NULL || c->kind == DG_CMD_DROP_COLUMN ||
		     c->kind == DG_CMD_ADD_COLUMN) && c->column)
			dg_sql_index_mark(m->ix, DG_MARK_NULLABILITY, st->rel, c->column, m->at);
	}
}

/* Track which tables exist only since this file started, and where columns go. */
static void track_new_tables(struct model *m, struct dg_stmt *st)
{
	leave_marks(m, st);
	switch (st->kind) {
	case DG_STMT_CREATE_TABLE:
	case DG_STMT_CREATE_TABLE_AS:
	case DG_STMT_CREATE_MATVIEW:
		dg_sql_index_created(m->ix, st->rel, m->at, st->kind == DG_STMT_CREATE_TABLE);
		break;
	case DG_STMT_DROP:
		if (st->object == DG_OBJ_TABLE)
			for (size_t i = 0; i < st->n_rels; i++)
				dg_sql_index_dropped(m->ix, &st->rels[i], m->at);
		break;
	case DG_STMT_RENAME:
		if (st->object == DG_OBJ_TABLE && st->rel && is_new(m, st->rel) && st->new_name) {
			struct dg_rel r = { st->rel->schema, st->new_name };
			dg_sql_index_created(m->ix, &r, m->at, 0);
		}
		if (st->object == DG_OBJ_COLUMN && st->rel && st->name && st->new_name) {
			/* the type goes with the column to its new name */
			const struct dg_type *ty =
				dg_sql_index_column_type(m->ix, st->rel, st->name, SIZE_MAX, NULL);
			if (ty)
				learn_col(m, st->rel, st->new_name, ty);
		}
		break;
	default:
		break;
	}
}

void dg_sql_analyze(struct dg_arena *a, struct dg_sql_file *f, const struct dg_sql_opts *o)
{
	struct model m = { 0 };
	int explicit_block = 0;
	m.a = a;
	m.o = o;
	m.ix = f->index = dg_sql_index_new(a);
	for (size_t i = 0; i < f->n_stmts; i++) {
		m.at = i;
		struct dg_stmt *st = &f->stmts[i];
		if (st->kind == DG_STMT_BEGIN)
			explicit_block = 1;
		/* `transaction: no` wins over nothing: only explicit blocks count then */
		st->in_transaction = explicit_block || o->tx == DG_TXD_YES;
		st->implicit_transaction = !explicit_block && o->tx == DG_TXD_YES;
		if (st->kind == DG_STMT_COMMIT || st->kind == DG_STMT_ROLLBACK)
			explicit_block = 0;
		st->table_is_new = is_new(&m, st->rel);
		model_stmt(&m, st);
		track_new_tables(&m, st);
	}
	free(m.checks);
	free(m.by_column.slots);
	free(m.by_name.slots);
}
