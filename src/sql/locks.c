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

/* A domain the file creates or alters, and the tables whose columns use it. */
struct domain {
	struct dg_rel name;
	int constrained;           /* CHECK or NOT NULL: every new column of it is checked */
	int created;               /* created in this file: nothing used it before */
};

/* A column of the file whose type is a domain (or may be one: any type not built in). */
struct typed_col {
	const char *type;
	struct dg_rel table;
};

struct model {
	struct dg_arena *a;
	const struct dg_sql_opts *o;
	struct dg_sql_index *ix;   /* the file's history, as far as the model got */
	size_t at;                 /* the statement being modelled */
	struct nn_check *checks;
	size_t n_checks, cap_checks;
	struct name_index by_column, by_name; /* checks by (table, column) and (table, name) */
	struct domain *domains;
	size_t n_domains, cap_domains;
	struct typed_col *typed;   /* columns of types ddlgate does not know (domains) */
	size_t n_typed, cap_typed;
	/* the transaction running: its id, and every lock it holds so far */
	unsigned tx, next_tx;
	struct dg_lock *held;
	size_t n_held, cap_held;
	int tz_session, tz_local;  /* TimeZone: 1 UTC, -1 another, 0 unknown; local: SET LOCAL (0 none) */
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

static void add_rel(struct model *m, struct dg_rel **arr, unsigned *n, const struct dg_rel *r)
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

static void learn_typed(struct model *m, const struct dg_rel *t, const struct dg_type *ty);

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
	/* everything else rewrites (timestamp <-> timestamptz: see is_tz_change) */
	return 0;
}

/* timestamp <-> timestamptz: PostgreSQL 12+ keeps the storage when the session TimeZone is UTC. */
static int is_tz_change(const struct dg_type *from, const struct dg_type *to)
{
	if (from->array != to->array)
		return 0;
	return (!strcmp(from->name, "timestamp") && !strcmp(to->name, "timestamptz")) ||
	       (!strcmp(from->name, "timestamptz") && !strcmp(to->name, "timestamp"));
}

/* The session's TimeZone as this statement sees it: 1 UTC, -1 another zone, 0 unknown. */
static int tz_now(const struct model *m)
{
	return m->tz_local ? m->tz_local : m->tz_session;
}

/* Is the column a key column of an index, by the file or the history before it? */
static int column_indexed(struct model *m, const struct dg_rel *t, const char *col)
{
	if (dg_sql_index_marked(m->ix, DG_MARK_COLUMN_INDEXED, t, col, SIZE_MAX))
		return 1;
	const struct dg_sql_schema_hooks *h = m->o->schema;
	if (dg_sql_index_is_new(m->ix, t, SIZE_MAX))
		return 0; /* the file made the table: its own indexes are all there is */
	return h && h->column_indexed && h->column_indexed(h->cookie, t, col);
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
	int keeps, tz = 0;
	if (c->has_using)
		keeps = 0; /* an explicit conversion is run for every row */
	else if (from && is_tz_change(from, to) && m->o->pg_version >= 12) {
		/* kept when the session's TimeZone is UTC; the indexes change opclass anyway */
		tz = tz_now(m);
		keeps = tz > 0;
		if (keeps && column_indexed(m, t, c->column))
			c->rebuilds_index = 1;
		c->tz_rewrite = tz == 0;
	} else if (from) {
		keeps = retype_keeps_storage(from, to);
		/* a new collation reorders the column's indexes: rebuilt, the table is kept */
		if (keeps && c->coldef->collation && column_indexed(m, t, c->column))
			c->rebuilds_index = 1;
	} else {
		keeps = retype_keeps_storage_unknown(to);
		if (keeps)
			note(m, st, "the old type of \"%s\" is unknown: assumed %s, which keeps storage (from char(n) or another type it rewrites)",
			     c->column, !strcmp(to->name, "numeric") ? "numeric" : "varchar or text");
	}
	if (!keeps)
		rewrite(m, st, t);
	if (c->tz_rewrite)
		add_rel(m, &st->tz_rewrites, &st->n_tz_rewrites, t);
	if (c->rebuilds_index)
		add_rel(m, &st->index_rebuilds, &st->n_index_rebuilds, t);
	learn_col(m, t, c->column, to);
}

/* ---- ADD COLUMN ---- */

/* Is type name a domain with constraints (from the file, else the history)? */
static int domain_constrained(struct model *m, const struct dg_type *ty)
{
	for (size_t i = m->n_domains; i-- > 0;)
		if (!strcmp(m->domains[i].name.name, ty->name))
			return m->domains[i].constrained;
	const struct dg_sql_schema_hooks *h = m->o->schema;
	return h && h->domain_constrained && h->domain_constrained(h->cookie, NULL, ty->name);
}

/* Does ADD COLUMN with this definition rewrite the table? */
static int add_column_rewrites(struct model *m, struct dg_stmt *st, const struct dg_column *c)
{
	if (c->generated_stored || c->identity)
		return 1;
	/* every row's value (NULL too) is checked against the domain's constraints (PG 10..18) */
	if (!c->type.array && domain_constrained(m, &c->type))
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
	c->domain_rewrite = rewrites && !col->generated_stored && !col->identity && !col->type.array &&
			    domain_constrained(m, &col->type);
	/* the rewrite draws a value for every existing row: a new table has none */
	if (col->default_seq.name && rewrites && !is_new(m, t))
		add_lock(m, st, &col->default_seq, DG_LOCK_ROW_EXCLUSIVE);
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
	learn_typed(m, t, &col->type);
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
		one.n_locks = one.n_rewrites = one.n_scans = one.n_tz_rewrites = one.n_index_rebuilds = 0;
		one.rewrites = one.scans = one.tz_rewrites = one.index_rebuilds = NULL;
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
		for (size_t k = 0; k < one.n_index_rebuilds; k++)
			add_rel(m, &st->index_rebuilds, &st->n_index_rebuilds, &one.index_rebuilds[k]);
		for (size_t k = 0; k < one.n_tz_rewrites; k++)
			add_rel(m, &st->tz_rewrites, &st->n_tz_rewrites, &one.tz_rewrites[k]);
	}
	/* a rewrite for another reason is not conditional; a rewrite rebuilds every index anyway */
	for (size_t i = 0; i < st->n_cmds && st->n_tz_rewrites; i++)
		if (st->cmds[i].rewrites && !st->cmds[i].tz_rewrite)
			st->n_tz_rewrites = 0;
	if (st->n_rewrites && !st->n_tz_rewrites)
		st->n_index_rebuilds = 0;
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

/* ---- domains ---- */

static struct domain *find_domain(struct model *m, const char *name)
{
	for (size_t i = m->n_domains; i-- > 0;)
		if (!strcmp(m->domains[i].name.name, name))
			return &m->domains[i];
	return NULL;
}

static void learn_domain(struct model *m, const struct dg_rel *d, int constrained, int created)
{
	if (!d->name)
		return;
	struct domain *x = find_domain(m, d->name);
	if (!x) {
		DG_GROW(m->domains, m->n_domains, m->cap_domains, m->n_domains + 1);
		x = &m->domains[m->n_domains++];
		x->name = *d;
		x->created = created;
	}
	x->constrained = constrained || (x->constrained && !created);
}

/* A column whose type is no built-in: it may be a domain, whose ALTER DOMAIN checks it. */
static void learn_typed(struct model *m, const struct dg_rel *t, const struct dg_type *ty)
{
	if (!t || !t->name || ty->array || dg_sql_type_is_builtin(ty->name))
		return;
	struct typed_col c = { ty->name, *t };
	DG_PUSH(m->typed, m->n_typed, m->cap_typed, c);
}

struct user_lock {
	struct model *m;
	struct dg_stmt *st;
	int scan;
};

static void lock_user(void *arg, const struct dg_rel *table)
{
	struct user_lock *u = arg;
	if (is_new(u->m, table))
		return; /* its rows are counted in the file's own columns below */
	add_lock(u->m, u->st, table, DG_LOCK_SHARE);
	if (u->scan)
		scan(u->m, u->st, table);
}

/*
 * ALTER DOMAIN: a new constraint (unless NOT VALID), SET NOT NULL and
 * VALIDATE check every column of the domain's type, holding SHARE on
 * each table that has one (measured on PostgreSQL 15).
 */
static void model_alter_domain(struct model *m, struct dg_stmt *st)
{
	const struct dg_stmt_rare *rare = dg_stmt_rare(st);
	const struct dg_rel *d = &rare->domain;
	int checks = rare->domain_cmd == DG_DOM_VALIDATE || rare->domain_cmd == DG_DOM_SET_NOT_NULL ||
		     (rare->domain_cmd == DG_DOM_ADD_CONSTRAINT && !(rare->con && rare->con->not_valid));
	if (rare->domain_cmd == DG_DOM_ADD_CONSTRAINT || rare->domain_cmd == DG_DOM_SET_NOT_NULL)
		learn_domain(m, d, 1, 0);
	if (!checks || !d->name)
		return;
	struct user_lock u = { m, st, 1 };
	for (size_t i = 0; i < m->n_typed; i++)
		if (!strcmp(m->typed[i].type, d->name)) {
			add_lock(m, st, &m->typed[i].table, DG_LOCK_SHARE);
			if (!is_new(m, &m->typed[i].table))
				scan(m, st, &m->typed[i].table);
		}
	struct domain *x = find_domain(m, d->name);
	const struct dg_sql_schema_hooks *h = m->o->schema;
	if ((!x || !x->created) && h && h->domain_users)
		h->domain_users(h->cookie, d->schema, d->name, lock_user, &u);
}

static void model_create_table(struct model *m, struct dg_stmt *st)
{
	const struct dg_stmt_rare *rare = dg_stmt_rare(st);
	for (size_t i = 0; i < st->n_columns; i++) {
		if (st->columns[i].fk)
			add_lock(m, st, &st->columns[i].fk->ref_table, DG_LOCK_SHARE_ROW_EXCLUSIVE);
		learn_col(m, st->rel, st->columns[i].name, &st->columns[i].type);
		learn_typed(m, st->rel, &st->columns[i].type);
	}
	for (size_t i = 0; i < st->n_constraints; i++)
		if (st->constraints[i].kind == DG_CON_FOREIGN)
			add_lock(m, st, &st->constraints[i].ref_table, DG_LOCK_SHARE_ROW_EXCLUSIVE);
	for (size_t i = 0; i < rare->n_likes; i++)
		add_lock(m, st, &rare->likes[i], DG_LOCK_ACCESS_SHARE);
	if (rare->partition_of.name)
		add_lock(m, st, &rare->partition_of, DG_LOCK_ACCESS_EXCLUSIVE);
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
	for (size_t i = 0; i < dg_stmt_rare(st)->n_writes; i++)
		add_lock(m, st, &dg_stmt_rare(st)->writes[i], DG_LOCK_ROW_EXCLUSIVE);
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
	const struct dg_stmt_rare *rare = dg_stmt_rare(st);
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
		if (t && st->object == DG_OBJ_TABLE) {
			scan(m, st, t);
			if (!st->concurrently || pg < 12) /* CONCURRENTLY builds new ones and swaps */
				add_rel(m, &st->index_rebuilds, &st->n_index_rebuilds, t);
		}
		break;
	case DG_STMT_ALTER_DOMAIN:
		model_alter_domain(m, st);
		break;
	case DG_STMT_COPY:
		/* FROM adds rows; TO reads the table (or its query) in full */
		model_reads(m, st, 1);
		if (t) {
			add_lock(m, st, t, rare->copy_from ? DG_LOCK_ROW_EXCLUSIVE : DG_LOCK_ACCESS_SHARE);
			if (!rare->copy_from)
				scan(m, st, t);
		}
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
			add_lock(m, st, &st->rels[i], rare->lock_mode);
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

/* A constraint's kind and, for keys, the columns it indexes. */
static void mark_constraint(struct model *m, const struct dg_rel *t, const struct dg_constraint *k,
			    const char *column)
{
	if (k->name && (k->kind == DG_CON_FOREIGN || k->kind == DG_CON_CHECK))
		dg_sql_index_mark(m->ix, k->kind == DG_CON_FOREIGN ? DG_MARK_CONSTRAINT_FK :
				  DG_MARK_CONSTRAINT_CHECK, t, k->name, m->at);
	if (k->kind != DG_CON_PRIMARY && k->kind != DG_CON_UNIQUE && k->kind != DG_CON_EXCLUSION)
		return;
	if (column)
		dg_sql_index_mark(m->ix, DG_MARK_COLUMN_INDEXED, t, column, m->at);
	for (size_t i = 0; i < k->n_columns; i++)
		dg_sql_index_mark(m->ix, DG_MARK_COLUMN_INDEXED, t, k->columns[i], m->at);
}

static void mark_column(struct model *m, const struct dg_rel *t, const struct dg_column *c)
{
	if (c->primary_key || c->unique)
		dg_sql_index_mark(m->ix, DG_MARK_COLUMN_INDEXED, t, c->name, m->at);
}

/* What rules ask of earlier statements (dg_sql_marked_before). */
static void leave_marks(struct model *m, const struct dg_stmt *st)
{
	if (st->kind == DG_STMT_CREATE_INDEX && st->index && st->rel)
		for (size_t k = 0; k < st->index->n_elems; k++)
			if (st->index->elems[k].column)
				dg_sql_index_mark(m->ix, DG_MARK_COLUMN_INDEXED, st->rel,
						  st->index->elems[k].column, m->at);
	if (st->kind == DG_STMT_CREATE_TABLE && st->rel) {
		for (size_t k = 0; k < st->n_columns; k++)
			mark_column(m, st->rel, &st->columns[k]);
		for (size_t k = 0; k < st->n_constraints; k++)
			mark_constraint(m, st->rel, &st->constraints[k], NULL);
	}
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
		if (c->kind == DG_CMD_ADD_COLUMN && c->coldef)
			mark_column(m, st->rel, c->coldef);
		if (c->kind == DG_CMD_ADD_CONSTRAINT && c->con)
			mark_constraint(m, st->rel, c->con, NULL);
	}
}

/*
 * A table counts as new only if the history shows it did not exist before
 * this migration. CREATE TABLE IF NOT EXISTS of a table the history has
 * does nothing; a plain CREATE TABLE of it fails at deploy. Either way the
 * table is not new (nor empty), whatever the statement says — unless this
 * file dropped or created it first.
 */
static int creates(struct model *m, const struct dg_stmt *st)
{
	const struct dg_sql_schema_hooks *h = m->o->schema;
	if (!st->rel || st->is_temp || dg_sql_index_seen(m->ix, st->rel, SIZE_MAX))
		return 1;
	return !(h && h->table_exists && h->table_exists(h->cookie, st->rel));
}

/* Track which tables exist only since this file started, and where columns go. */
static void track_new_tables(struct model *m, struct dg_stmt *st)
{
	leave_marks(m, st);
	switch (st->kind) {
	case DG_STMT_CREATE_TABLE:
	case DG_STMT_CREATE_TABLE_AS:
	case DG_STMT_CREATE_MATVIEW:
		if (creates(m, st))
			dg_sql_index_created(m->ix, st->rel, m->at, st->kind == DG_STMT_CREATE_TABLE);
		break;
	case DG_STMT_CREATE_DOMAIN:
		learn_domain(m, &dg_stmt_rare(st)->domain, dg_stmt_rare(st)->domain_constrained, 1);
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

/* ---- the session: TimeZone ---- */

static int ieq(const char *a, const char *b)
{
	for (; *a && *b; a++, b++)
		if ((*a | 0x20) != (*b | 0x20))
			return 0;
	return !*a && !*b;
}

int dg_sql_timezone_is_utc(const char *v)
{
	/* names of zones with a fixed offset of zero (tzdata's links to UTC), as measured */
	static const char *const utc[] = {
		"utc", "etc/utc", "uct", "etc/uct", "gmt", "etc/gmt", "gmt0", "etc/gmt0", "gmt+0",
		"gmt-0", "etc/gmt+0", "etc/gmt-0", "universal", "etc/universal", "zulu", "etc/zulu",
		"greenwich", "etc/greenwich", "utc0", "z",
	};
	if (!v || !*v || ieq(v, "default") || ieq(v, "local"))
		return -1;
	for (size_t i = 0; i < DG_ARRAY_SIZE(utc); i++)
		if (ieq(v, utc[i]))
			return 1;
	/* a numeric offset: 0, +00:00, -0, 0.0 (SET TIME ZONE 0, INTERVAL '+00:00') */
	int digits = 0;
	for (const char *p = v; *p; p++) {
		if (*p >= '1' && *p <= '9')
			return 0;
		if (*p == '0')
			digits++;
		else if (*p != '+' && *p != '-' && *p != ':' && *p != '.' && *p != ' ')
			return 0;
	}
	return digits ? 1 : 0;
}

/* SET / RESET TimeZone (SET TIME ZONE is the same variable). */
static void track_session(struct model *m, const struct dg_stmt *st)
{
	if (st->kind != DG_STMT_SET || !st->name || !ieq(st->name, "timezone"))
		return;
	int z = dg_sql_timezone_is_utc(st->value);
	int v = z > 0 ? 1 : z == 0 ? -1 : 0;
	if (st->is_local) {
		if (st->in_transaction)
			m->tz_local = v ? v : -1; /* LOCAL DEFAULT: the server's, unknown */
	} else {
		m->tz_session = v;
		m->tz_local = 0;
	}
}

/* ---- transactions ---- */

/* Add st's locks to what its transaction holds, and say so when that is more. */
static void hold(struct model *m, struct dg_stmt *st)
{
	size_t before = m->n_held;
	for (size_t i = 0; i < st->n_locks; i++) {
		size_t k = 0;
		while (k < m->n_held && !dg_rel_equal(&m->held[k].rel, &st->locks[i].rel))
			k++;
		if (k < m->n_held) {
			if (st->locks[i].mode > m->held[k].mode)
				m->held[k].mode = st->locks[i].mode;
			continue;
		}
		DG_PUSH(m->held, m->n_held, m->cap_held, st->locks[i]);
	}
	int more = m->n_held > st->n_locks;
	for (size_t k = 0; before && !more && k < m->n_held; k++) {
		enum dg_lockmode own = DG_LOCK_NONE;
		for (size_t i = 0; i < st->n_locks; i++)
			if (dg_rel_equal(&st->locks[i].rel, &m->held[k].rel))
				own = st->locks[i].mode;
		more = own != m->held[k].mode; /* an earlier statement took a stronger one */
	}
	if (more) {
		st->held = dg_memdup(m->a, m->held, m->n_held, sizeof(*m->held));
		st->n_held = m->n_held;
	}
}

/*
 * Where each statement runs. The runner's transaction (tx: yes) is open
 * from the start of the file until a COMMIT or ROLLBACK of the file ends
 * it; BEGIN opens a block until COMMIT / ROLLBACK; a DO block and the
 * statements of its body run in one transaction of their own when no
 * block is open; any other statement outside a block is one of its own.
 */
struct txstate {
	int runner;                /* the runner's transaction is still open */
	int block;                 /* an explicit BEGIN is open */
	size_t do_at;              /* 1 + index of the DO block whose own transaction is open */
	size_t open_begin;         /* 1 + index of the BEGIN of the open block */
};

static void place(struct model *m, struct txstate *t, const struct dg_sql_file *f, size_t i)
{
	struct dg_stmt *st = &f->stmts[i];
	int open = t->block || t->runner;
	if (st->body_of) {
		/* the DO block's transaction, or the one around it */
		st->in_transaction = 1;
		st->implicit_transaction = f->stmts[st->body_of - 1].implicit_transaction;
		st->tx = m->tx;
		return;
	}
	if (t->do_at && !open) {
		m->n_held = 0; /* the DO block's own transaction ended with it */
		m->tz_local = 0;
		t->do_at = 0;
	}
	if (st->kind == DG_STMT_BEGIN && !open) {
		m->tx = ++m->next_tx;
		m->n_held = 0;
	} else if (!open) {
		m->tx = st->kind == DG_STMT_DO ? ++m->next_tx : 0;
		m->n_held = 0;
		if (st->kind == DG_STMT_DO)
			t->do_at = i + 1;
	}
	st->in_transaction = open || st->kind == DG_STMT_BEGIN;
	st->implicit_transaction = t->runner && !t->block;
	st->tx = m->tx;
	if (st->kind == DG_STMT_BEGIN) {
		st->begin_nested = t->block ? 1 : t->runner ? 2 : 0;
		if (!t->block)
			t->open_begin = i + 1;
		t->block = 1;
	}
}

/* After st ran: COMMIT and ROLLBACK end the block and the runner's transaction alike. */
static void leave(struct model *m, struct txstate *t, const struct dg_stmt *st)
{
	if (st->body_of || (st->kind != DG_STMT_COMMIT && st->kind != DG_STMT_ROLLBACK))
		return;
	if (t->block || t->runner) {
		m->tz_local = 0;
		m->n_held = 0;
	}
	t->block = t->runner = 0;
	t->open_begin = 0;
}

void dg_sql_analyze(struct dg_arena *a, struct dg_sql_file *f, const struct dg_sql_opts *o)
{
	struct model m;
	struct txstate t = { 0, 0, 0, 0 };
	memset(&m, 0, sizeof(m));
	m.a = a;
	m.o = o;
	m.ix = f->index = dg_sql_index_new(a);
	/* `transaction: yes`: the runner's BEGIN before the first statement */
	t.runner = o->tx == DG_TXD_YES;
	if (t.runner)
		m.tx = ++m.next_tx;
	for (size_t i = 0; i < f->n_stmts; i++) {
		m.at = i;
		struct dg_stmt *st = &f->stmts[i];
		place(&m, &t, f, i);
		st->tz_utc = tz_now(&m);
		st->table_is_new = is_new(&m, st->rel);
		model_stmt(&m, st);
		if (st->in_transaction)
			hold(&m, st);
		track_new_tables(&m, st);
		track_session(&m, st);
		leave(&m, &t, st);
	}
	/* a block the file leaves open: the runner's COMMIT closes it, else nothing does */
	f->open_begin = t.block && !(o->tx == DG_TXD_YES) ? t.open_begin : 0;
	free(m.checks);
	free(m.by_column.slots);
	free(m.by_name.slots);
	free(m.domains);
	free(m.typed);
	free(m.held);
}
