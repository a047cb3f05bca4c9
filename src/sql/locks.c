/*
 * The lock model: for every statement, which locks it takes on which
 * relations, which relations it rewrites and which it scans while holding
 * its lock, for the target PostgreSQL version; plus the transaction state
 * through the file and which tables are new (created earlier in the file).
 */
#include <stdlib.h>
#include <string.h>

#include "sql/sql.h"

struct model {
	struct dg_arena *a;
	const struct dg_sql_opts *o;
	struct dg_rel *new_tables;
	size_t n_new, cap_new;
};

static void add_lock(struct model *m, struct dg_stmt *st, const struct dg_rel *r, enum dg_lockmode mode)
{
	if (!r || !r->name || mode == DG_LOCK_NONE)
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

static int is_new(const struct model *m, const struct dg_rel *r)
{
	for (size_t i = 0; r && i < m->n_new; i++)
		if (dg_rel_equal(&m->new_tables[i], r))
			return 1;
	return 0;
}

static void mark_new(struct model *m, const struct dg_rel *r)
{
	if (!r || !r->name || is_new(m, r))
		return;
	DG_GROW(m->new_tables, m->n_new, m->cap_new, m->n_new + 1);
	m->new_tables[m->n_new++] = *r;
}

static void forget_new(struct model *m, const struct dg_rel *r)
{
	for (size_t i = 0; r && i < m->n_new; i++) {
		if (dg_rel_equal(&m->new_tables[i], r)) {
			m->new_tables[i] = m->new_tables[--m->n_new];
			return;
		}
	}
}

/*
 * Does changing a column to type t keep the stored bytes (binary-coercible,
 * no rewrite)? Without the old type we only know the always-safe targets.
 */
static int type_change_keeps_storage(const struct dg_type *t)
{
	/* text and unbounded varchar accept any varchar/text without a rewrite */
	if (!strcmp(t->name, "text") && !t->array)
		return 1;
	if (!strcmp(t->name, "varchar") && t->n_mods == 0 && !t->array)
		return 1;
	return 0;
}

/* Does ADD COLUMN with this definition rewrite the table? */
static int add_column_rewrites(const struct model *m, const struct dg_column *c)
{
	if (c->generated_stored || c->identity)
		return 1;
	if (!c->has_default)
		return 0;
	if (m->o->pg_version < 11)
		return !c->default_expr || strcmp(c->default_expr, "NULL");
	return c->default_volatility >= DG_VOL_VOLATILE;
}

static void model_alter_cmd(struct model *m, struct dg_stmt *st, struct dg_cmd *c)
{
	const struct dg_rel *t = st->rel;
	int pg = m->o->pg_version;

	switch (c->kind) {
	case DG_CMD_ADD_COLUMN:
		add_lock(m, st, t, DG_LOCK_ACCESS_EXCLUSIVE);
		if (c->coldef && add_column_rewrites(m, c->coldef))
			rewrite(m, st, t);
		if (c->coldef && c->coldef->fk) {
			add_lock(m, st, &c->coldef->fk->ref_table, DG_LOCK_SHARE_ROW_EXCLUSIVE);
			if (!c->coldef->fk->not_valid && c->coldef->has_default)
				scan(m, st, t);
		}
		if (c->coldef && (c->coldef->primary_key || c->coldef->unique))
			scan(m, st, t); /* builds an index over the existing rows */
		break;
	case DG_CMD_ALTER_TYPE:
		add_lock(m, st, t, DG_LOCK_ACCESS_EXCLUSIVE);
		if (!c->coldef || c->has_using || !type_change_keeps_storage(&c->coldef->type))
			rewrite(m, st, t);
		break;
	case DG_CMD_SET_NOT_NULL:
		add_lock(m, st, t, DG_LOCK_ACCESS_EXCLUSIVE);
		scan(m, st, t); /* the caller may know a CHECK that proves it (PG 12+) */
		break;
	case DG_CMD_ADD_CONSTRAINT:
		if (!c->con) {
			add_lock(m, st, t, DG_LOCK_ACCESS_EXCLUSIVE);
			break;
		}
		switch (c->con->kind) {
		case DG_CON_FOREIGN:
			add_lock(m, st, t, DG_LOCK_SHARE_ROW_EXCLUSIVE);
			add_lock(m, st, &c->con->ref_table, DG_LOCK_SHARE_ROW_EXCLUSIVE);
			if (!c->con->not_valid)
				scan(m, st, t);
			break;
		case DG_CON_CHECK:
			add_lock(m, st, t, DG_LOCK_ACCESS_EXCLUSIVE);
			if (!c->con->not_valid)
				scan(m, st, t);
			break;
		case DG_CON_PRIMARY:
		case DG_CON_UNIQUE:
		case DG_CON_EXCLUSION:
			add_lock(m, st, t, DG_LOCK_ACCESS_EXCLUSIVE);
			if (!c->con->using_index)
				scan(m, st, t);
			break;
		default:
			add_lock(m, st, t, DG_LOCK_ACCESS_EXCLUSIVE);
			break;
		}
		break;
	case DG_CMD_VALIDATE_CONSTRAINT:
		add_lock(m, st, t, DG_LOCK_SHARE_UPDATE_EXCLUSIVE);
		scan(m, st, t);
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
	case DG_CMD_CLUSTER_ON:
		add_lock(m, st, t, DG_LOCK_SHARE_UPDATE_EXCLUSIVE);
		break;
	case DG_CMD_ENABLE_TRIGGER:
	case DG_CMD_DISABLE_TRIGGER:
		add_lock(m, st, t, DG_LOCK_SHARE_ROW_EXCLUSIVE);
		break;
	case DG_CMD_ATTACH_PARTITION:
		add_lock(m, st, t, pg >= 12 ? DG_LOCK_SHARE_UPDATE_EXCLUSIVE : DG_LOCK_ACCESS_EXCLUSIVE);
		add_lock(m, st, &c->part, DG_LOCK_ACCESS_EXCLUSIVE);
		scan(m, st, &c->part);
		break;
	case DG_CMD_DETACH_PARTITION:
		if (c->concurrently && pg >= 14) {
			add_lock(m, st, t, DG_LOCK_SHARE_UPDATE_EXCLUSIVE);
			add_lock(m, st, &c->part, DG_LOCK_SHARE_UPDATE_EXCLUSIVE);
		} else {
			add_lock(m, st, t, DG_LOCK_ACCESS_EXCLUSIVE);
			add_lock(m, st, &c->part, DG_LOCK_ACCESS_EXCLUSIVE);
		}
		break;
	default:
		add_lock(m, st, t, DG_LOCK_ACCESS_EXCLUSIVE);
		break;
	}
}

static void model_create_table(struct model *m, struct dg_stmt *st)
{
	for (size_t i = 0; i < st->n_columns; i++)
		if (st->columns[i].fk)
			add_lock(m, st, &st->columns[i].fk->ref_table, DG_LOCK_SHARE_ROW_EXCLUSIVE);
	for (size_t i = 0; i < st->n_constraints; i++)
		if (st->constraints[i].kind == DG_CON_FOREIGN)
			add_lock(m, st, &st->constraints[i].ref_table, DG_LOCK_SHARE_ROW_EXCLUSIVE);
	for (size_t i = 0; i < st->n_likes; i++)
		add_lock(m, st, &st->likes[i], DG_LOCK_ACCESS_SHARE);
	if (st->partition_of.name)
		add_lock(m, st, &st->partition_of, DG_LOCK_ACCESS_EXCLUSIVE);
	if (st->rel)
		add_lock(m, st, st->rel, DG_LOCK_ACCESS_EXCLUSIVE);
}

static void model_stmt(struct model *m, struct dg_stmt *st)
{
	const struct dg_rel *t = st->rel;
	switch (st->kind) {
	case DG_STMT_CREATE_TABLE:
	case DG_STMT_CREATE_TABLE_AS:
	case DG_STMT_CREATE_MATVIEW:
		model_create_table(m, st);
		break;
	case DG_STMT_ALTER_TABLE:
		for (size_t i = 0; i < st->n_cmds; i++) {
			/* measure each sub-command alone, then merge into the statement */
			struct dg_stmt one = *st;
			one.locks = NULL;
			one.n_locks = one.n_rewrites = one.n_scans = 0;
			one.rewrites = one.scans = NULL;
			model_alter_cmd(m, &one, &st->cmds[i]);
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
		break;
	case DG_STMT_CREATE_INDEX:
		add_lock(m, st, t, st->concurrently ? DG_LOCK_SHARE_UPDATE_EXCLUSIVE : DG_LOCK_SHARE);
		scan(m, st, t);
		break;
	case DG_STMT_DROP:
		for (size_t i = 0; i < st->n_rels; i++) {
			if (st->object == DG_OBJ_INDEX && st->concurrently)
				add_lock(m, st, &st->rels[i], DG_LOCK_SHARE_UPDATE_EXCLUSIVE);
			else if (st->object == DG_OBJ_TABLE || st->object == DG_OBJ_INDEX ||
				 st->object == DG_OBJ_VIEW || st->object == DG_OBJ_MATVIEW ||
				 st->object == DG_OBJ_SEQUENCE)
				add_lock(m, st, &st->rels[i], DG_LOCK_ACCESS_EXCLUSIVE);
			else if (st->object == DG_OBJ_TRIGGER)
				add_lock(m, st, &st->rels[i], DG_LOCK_SHARE_ROW_EXCLUSIVE);
		}
		break;
	case DG_STMT_RENAME:
		if (t)
			add_lock(m, st, t, st->object == DG_OBJ_INDEX && m->o->pg_version >= 12 ?
						   DG_LOCK_SHARE_UPDATE_EXCLUSIVE :
						   DG_LOCK_ACCESS_EXCLUSIVE);
		break;
	case DG_STMT_REINDEX:
		if (t)
			add_lock(m, st, t, st->concurrently ? DG_LOCK_SHARE_UPDATE_EXCLUSIVE :
				 st->object == DG_OBJ_INDEX ? DG_LOCK_ACCESS_EXCLUSIVE : DG_LOCK_SHARE);
		break;
	case DG_STMT_VACUUM:
		for (size_t i = 0; i < st->n_rels; i++) {
			add_lock(m, st, &st->rels[i], st->full ? DG_LOCK_ACCESS_EXCLUSIVE :
							    DG_LOCK_SHARE_UPDATE_EXCLUSIVE);
			if (st->full)
				rewrite(m, st, &st->rels[i]);
			else
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
			rewrite(m, st, t);
		}
		break;
	case DG_STMT_LOCK:
		for (size_t i = 0; i < st->n_rels; i++)
			add_lock(m, st, &st->rels[i], st->lock_mode);
		break;
	case DG_STMT_TRUNCATE:
		for (size_t i = 0; i < st->n_rels; i++)
			add_lock(m, st, &st->rels[i], DG_LOCK_ACCESS_EXCLUSIVE);
		break;
	case DG_STMT_INSERT:
		add_lock(m, st, t, DG_LOCK_ROW_EXCLUSIVE);
		break;
	case DG_STMT_UPDATE:
	case DG_STMT_DELETE:
		add_lock(m, st, t, DG_LOCK_ROW_EXCLUSIVE);
		scan(m, st, t);
		break;
	case DG_STMT_REFRESH_MATVIEW:
		add_lock(m, st, t, st->concurrently ? DG_LOCK_EXCLUSIVE : DG_LOCK_ACCESS_EXCLUSIVE);
		break;
	case DG_STMT_CREATE_TRIGGER:
		add_lock(m, st, t, DG_LOCK_SHARE_ROW_EXCLUSIVE);
		break;
	case DG_STMT_COMMENT:
		if (t && st->object != DG_OBJ_OTHER)
			add_lock(m, st, t, DG_LOCK_SHARE_UPDATE_EXCLUSIVE);
		break;
	default:
		break;
	}
}

/* Track which tables exist only since this file started. */
static void track_new_tables(struct model *m, struct dg_stmt *st)
{
	switch (st->kind) {
	case DG_STMT_CREATE_TABLE:
	case DG_STMT_CREATE_TABLE_AS:
	case DG_STMT_CREATE_MATVIEW:
		mark_new(m, st->rel);
		break;
	case DG_STMT_DROP:
		if (st->object == DG_OBJ_TABLE)
			for (size_t i = 0; i < st->n_rels; i++)
				forget_new(m, &st->rels[i]);
		break;
	case DG_STMT_RENAME:
		if (st->object == DG_OBJ_TABLE && st->rel && is_new(m, st->rel) && st->new_name) {
			struct dg_rel r = { st->rel->schema, st->new_name };
			mark_new(m, &r);
		}
		break;
	default:
		break;
	}
}

void dg_sql_analyze(struct dg_arena *a, struct dg_sql_file *f, const struct dg_sql_opts *o)
{
	struct model m = { a, o, NULL, 0, 0 };
	int explicit_block = 0;
	for (size_t i = 0; i < f->n_stmts; i++) {
		struct dg_stmt *st = &f->stmts[i];
		if (st->kind == DG_STMT_BEGIN)
			explicit_block = 1;
		st->in_transaction = explicit_block || o->tx == DG_TXD_YES;
		st->implicit_transaction = !explicit_block && o->tx == DG_TXD_YES;
		if (st->kind == DG_STMT_COMMIT || st->kind == DG_STMT_ROLLBACK)
			explicit_block = 0;
		st->table_is_new = is_new(&m, st->rel);
		model_stmt(&m, st);
		track_new_tables(&m, st);
	}
	free(m.new_tables);
}
