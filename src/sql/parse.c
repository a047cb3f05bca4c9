/*
 * From SQL text to statement facts. The whole file is parsed in one call
 * when it is valid; otherwise it is split with the scanner and each
 * statement parsed alone, so one bad statement does not hide the others.
 * This file and its siblings are the only users of libpg_query's tree.
 */
#include <pg_query.h>
#include <stdlib.h>
#include <pg_query/pg_query.pb-c.h>
#include <string.h>

#include "sql/sql.h"
#include "sql/pos.h"
#include "sql/walk.h"

/* Statement being built, and where its parsed text sits in the file. */
struct pctx {
	struct dg_arena *a;
	const char *data;          /* the whole file */
	size_t len;
	int base;                  /* file offset of the parsed text */
};

/* ---- small readers of parser nodes ---- */

static const char *node_str(const PgQuery__Node *n)
{
	if (n && n->node_case == PG_QUERY__NODE__NODE_STRING)
		return n->string->sval;
	return NULL;
}

static int file_loc(const struct pctx *c, int32_t location)
{
	return location < 0 ? -1 : c->base + location;
}

static struct dg_rel rel_of(struct pctx *c, const PgQuery__RangeVar *rv)
{
	struct dg_rel r = { NULL, NULL };
	if (!rv)
		return r;
	if (rv->schemaname && *rv->schemaname)
		r.schema = dg_strdup(c->a, rv->schemaname);
	r.name = dg_strdup(c->a, rv->relname ? rv->relname : "");
	return r;
}

/* A dotted name list (DROP INDEX a.b, RENAME objects) as a relation. */
static struct dg_rel rel_of_names(struct pctx *c, PgQuery__Node **names, size_t n)
{
	struct dg_rel r = { NULL, NULL };
	if (n == 0)
		return r;
	r.name = dg_strdup(c->a, node_str(names[n - 1]));
	if (n >= 2)
		r.schema = dg_strdup(c->a, node_str(names[n - 2]));
	return r;
}

static void push_rel(struct pctx *c, struct dg_stmt *st, struct dg_rel r)
{
	struct dg_rel *nr = dg_alloc(c->a, (st->n_rels + 1) * sizeof(*nr));
	if (st->n_rels)
		memcpy(nr, st->rels, st->n_rels * sizeof(*nr));
	nr[st->n_rels++] = r;
	st->rels = nr;
	if (!st->rel) {
		st->rel = dg_alloc(c->a, sizeof(*st->rel));
		*st->rel = r;
	}
}

static const char **name_list(struct pctx *c, PgQuery__Node **nodes, size_t n)
{
	if (!n)
		return NULL;
	const char **out = dg_alloc(c->a, n * sizeof(*out));
	for (size_t i = 0; i < n; i++) {
		const char *s = node_str(nodes[i]);
		if (!s && nodes[i]->node_case == PG_QUERY__NODE__NODE_INDEX_ELEM)
			s = nodes[i]->index_elem->name;
		out[i] = dg_strdup(c->a, s ? s : "?");
	}
	return out;
}

/* ---- types ---- */

static const char *type_display(struct dg_arena *a, const struct dg_type *t)
{
	static const struct {
		const char *name, *display;
	} names[] = {
		{ "int2", "smallint" }, { "int4", "integer" }, { "int8", "bigint" },
		{ "float4", "real" }, { "float8", "double precision" },
		{ "bool", "boolean" }, { "bpchar", "char" },
		{ "timestamptz", "timestamptz" }, { "varchar", "varchar" },
	};
	const char *base = t->name;
	for (size_t i = 0; i < DG_ARRAY_SIZE(names); i++)
		if (!strcmp(base, names[i].name))
			base = names[i].display;
	struct dg_buf b = DG_BUF_INIT;
	dg_buf_adds(&b, base);
	if (t->n_mods == 1)
		dg_buf_addf(&b, "(%d)", t->mods[0]);
	else if (t->n_mods == 2)
		dg_buf_addf(&b, "(%d,%d)", t->mods[0], t->mods[1]);
	if (t->array)
		dg_buf_adds(&b, "[]");
	char *s = dg_strdup(a, b.ptr);
	dg_buf_release(&b);
	return s;
}

static void type_of(struct pctx *c, const PgQuery__TypeName *tn, struct dg_type *t)
{
	memset(t, 0, sizeof(*t));
	t->mods[0] = t->mods[1] = -1;
	if (!tn || !tn->n_names) {
		t->name = t->display = "unknown";
		return;
	}
	const char *last = node_str(tn->names[tn->n_names - 1]);
	t->name = dg_strdup(c->a, last ? last : "unknown");
	for (size_t i = 0; i < tn->n_typmods && i < 2; i++) {
		const PgQuery__Node *m = tn->typmods[i];
		if (m->node_case == PG_QUERY__NODE__NODE_A_CONST &&
		    m->a_const->val_case == PG_QUERY__A__CONST__VAL_IVAL) {
			t->mods[t->n_mods++] = m->a_const->ival->ival;
		}
	}
	t->array = tn->n_array_bounds > 0;
	t->display = type_display(c->a, t);
}

/* ---- expressions ---- */

/* Expression text, as PostgreSQL's deparser writes it. */
static const char *expr_text(struct pctx *c, PgQuery__Node *expr)
{
	if (!expr)
		return NULL;
	char *s = dg_sql_deparse_expr(expr);
	if (!s)
		return NULL;
	const char *r = dg_strdup(c->a, s);
	free(s);
	return r;
}

struct vol_scan {
	enum dg_volatility vol;
	const char *func;
	struct dg_arena *a;
};

static int worse(enum dg_volatility a, enum dg_volatility b)
{
	/* UNKNOWN is treated as volatile but reported as such: rank it highest */
	return a > b;
}

static void vol_visit(const PgQuery__Node *n, void *payload)
{
	struct vol_scan *v = payload;
	enum dg_volatility f = DG_VOL_NONE;
	const char *name = NULL;

	switch (n->node_case) {
	case PG_QUERY__NODE__NODE_FUNC_CALL: {
		const PgQuery__FuncCall *fc = n->func_call;
		if (!fc->n_funcname)
			return;
		name = node_str(fc->funcname[fc->n_funcname - 1]);
		const char *schema = fc->n_funcname > 1 ? node_str(fc->funcname[0]) : NULL;
		if (schema && strcmp(schema, "pg_catalog"))
			f = DG_VOL_UNKNOWN; /* a user schema: cannot know */
		else
			f = name ? dg_sql_function_volatility(name) : DG_VOL_UNKNOWN;
		break;
	}
	case PG_QUERY__NODE__NODE_SQLVALUE_FUNCTION:
		/* CURRENT_TIMESTAMP, CURRENT_USER ...: stable within a statement */
		f = DG_VOL_STABLE;
		name = "current_timestamp";
		break;
	case PG_QUERY__NODE__NODE_A_CONST:
	case PG_QUERY__NODE__NODE_TYPE_CAST:
		f = DG_VOL_IMMUTABLE;
		break;
	case PG_QUERY__NODE__NODE_SUB_LINK:
		f = DG_VOL_VOLATILE;
		name = "(subquery)";
		break;
	default:
		return;
	}
	if (v->vol == DG_VOL_NONE || worse(f, v->vol)) {
		if (f >= DG_VOL_VOLATILE || !v->func)
			v->func = name ? dg_strdup(v->a, name) : NULL;
		v->vol = f;
	}
}

static enum dg_volatility expr_volatility(struct pctx *c, PgQuery__Node *expr, const char **func)
{
	struct vol_scan v = { DG_VOL_NONE, NULL, c->a };
	if (!expr)
		return DG_VOL_NONE;
	dg_sql_walk(expr, vol_visit, &v);
	if (v.vol == DG_VOL_NONE)
		v.vol = DG_VOL_IMMUTABLE; /* operators on constants */
	if (func)
		*func = v.vol >= DG_VOL_VOLATILE ? v.func : NULL;
	return v.vol;
}

/* CHECK (col IS NOT NULL): the column it proves NOT NULL, else NULL. */
static const char *check_not_null_column(struct pctx *c, const PgQuery__Node *expr)
{
	if (!expr || expr->node_case != PG_QUERY__NODE__NODE_NULL_TEST)
		return NULL;
	const PgQuery__NullTest *nt = expr->null_test;
	if (nt->nulltesttype != PG_QUERY__NULL_TEST_TYPE__IS_NOT_NULL || !nt->arg ||
	    nt->arg->node_case != PG_QUERY__NODE__NODE_COLUMN_REF)
		return NULL;
	const PgQuery__ColumnRef *cr = nt->arg->column_ref;
	if (cr->n_fields != 1)
		return NULL;
	return dg_strdup(c->a, node_str(cr->fields[0]));
}

/* ---- constraints and columns ---- */

static enum dg_con_kind con_kind(PgQuery__ConstrType t)
{
	switch (t) {
	case PG_QUERY__CONSTR_TYPE__CONSTR_NULL:
		return DG_CON_NULL;
	case PG_QUERY__CONSTR_TYPE__CONSTR_NOTNULL:
		return DG_CON_NOT_NULL;
	case PG_QUERY__CONSTR_TYPE__CONSTR_DEFAULT:
		return DG_CON_DEFAULT;
	case PG_QUERY__CONSTR_TYPE__CONSTR_IDENTITY:
		return DG_CON_IDENTITY;
	case PG_QUERY__CONSTR_TYPE__CONSTR_GENERATED:
		return DG_CON_GENERATED;
	case PG_QUERY__CONSTR_TYPE__CONSTR_CHECK:
		return DG_CON_CHECK;
	case PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY:
		return DG_CON_PRIMARY;
	case PG_QUERY__CONSTR_TYPE__CONSTR_UNIQUE:
		return DG_CON_UNIQUE;
	case PG_QUERY__CONSTR_TYPE__CONSTR_EXCLUSION:
		return DG_CON_EXCLUSION;
	case PG_QUERY__CONSTR_TYPE__CONSTR_FOREIGN:
		return DG_CON_FOREIGN;
	default:
		return DG_CON_NONE;
	}
}

static void constraint_of(struct pctx *c, const PgQuery__Constraint *k, struct dg_constraint *o)
{
	memset(o, 0, sizeof(*o));
	o->kind = con_kind(k->contype);
	o->name = k->conname && *k->conname ? dg_strdup(c->a, k->conname) : NULL;
	o->location = file_loc(c, k->location);
	o->not_valid = k->skip_validation;
	if (k->indexname && *k->indexname)
		o->using_index = dg_strdup(c->a, k->indexname);
	switch (o->kind) {
	case DG_CON_FOREIGN:
		o->columns = name_list(c, k->fk_attrs, k->n_fk_attrs);
		o->n_columns = k->n_fk_attrs;
		o->ref_table = rel_of(c, k->pktable);
		o->ref_columns = name_list(c, k->pk_attrs, k->n_pk_attrs);
		o->n_ref_columns = k->n_pk_attrs;
		break;
	case DG_CON_PRIMARY:
	case DG_CON_UNIQUE:
		o->columns = name_list(c, k->keys, k->n_keys);
		o->n_columns = k->n_keys;
		break;
	case DG_CON_CHECK:
		o->expr = expr_text(c, k->raw_expr);
		o->not_null_column = check_not_null_column(c, k->raw_expr);
		break;
	case DG_CON_DEFAULT:
	case DG_CON_GENERATED:
		o->expr = expr_text(c, k->raw_expr);
		o->volatility = expr_volatility(c, k->raw_expr, &o->volatile_func);
		o->generated_stored = o->kind == DG_CON_GENERATED;
		break;
	default:
		break;
	}
}

static int is_serial(const char *t)
{
	return !strcmp(t, "serial") || !strcmp(t, "serial4") || !strcmp(t, "bigserial") ||
	       !strcmp(t, "serial8") || !strcmp(t, "smallserial") || !strcmp(t, "serial2");
}

static void column_of(struct pctx *c, const PgQuery__ColumnDef *cd, struct dg_column *col)
{
	memset(col, 0, sizeof(*col));
	col->name = dg_strdup(c->a, cd->colname ? cd->colname : "");
	type_of(c, cd->type_name, &col->type);
	col->location = file_loc(c, cd->location);
	col->not_null = cd->is_not_null;
	if (cd->coll_clause && cd->coll_clause->n_collname)
		col->collation = dg_strdup(c->a, node_str(cd->coll_clause->collname[cd->coll_clause->n_collname - 1]));
	if (cd->raw_default) {
		col->has_default = 1;
		col->default_expr = expr_text(c, cd->raw_default);
		col->default_volatility = expr_volatility(c, cd->raw_default, &col->volatile_func);
	}
	for (size_t i = 0; i < cd->n_constraints; i++) {
		if (cd->constraints[i]->node_case != PG_QUERY__NODE__NODE_CONSTRAINT)
			continue;
		struct dg_constraint k;
		constraint_of(c, cd->constraints[i]->constraint, &k);
		switch (k.kind) {
		case DG_CON_NOT_NULL:
			col->not_null = 1;
			break;
		case DG_CON_PRIMARY:
			col->primary_key = 1;
			col->not_null = 1;
			break;
		case DG_CON_UNIQUE:
			col->unique = 1;
			break;
		case DG_CON_IDENTITY:
			col->identity = 1;
			col->not_null = 1;
			break;
		case DG_CON_GENERATED:
			col->generated_stored = 1;
			col->default_expr = k.expr;
			col->default_volatility = k.volatility;
			col->volatile_func = k.volatile_func;
			break;
		case DG_CON_DEFAULT:
			col->has_default = 1;
			col->default_expr = k.expr;
			col->default_volatility = k.volatility;
			col->volatile_func = k.volatile_func;
			break;
		case DG_CON_CHECK:
			col->has_check = 1;
			break;
		case DG_CON_FOREIGN:
			col->fk = dg_alloc(c->a, sizeof(*col->fk));
			*col->fk = k;
			col->fk->columns = dg_alloc(c->a, sizeof(char *));
			col->fk->columns[0] = col->name;
			col->fk->n_columns = 1;
			break;
		default:
			break;
		}
	}
	if (is_serial(col->type.name)) {
		/* a serial column is an integer with DEFAULT nextval(): volatile */
		col->has_default = 1;
		col->not_null = 1;
		col->default_volatility = DG_VOL_VOLATILE;
		col->volatile_func = "nextval";
		col->default_expr = "nextval(...)";
	}
}

/* ---- statements ---- */

static void facts_create_table(struct pctx *c, const PgQuery__CreateStmt *cs, struct dg_stmt *st)
{
	st->kind = DG_STMT_CREATE_TABLE;
	push_rel(c, st, rel_of(c, cs->relation));
	st->if_not_exists = cs->if_not_exists;
	if (cs->relation && cs->relation->relpersistence) {
		st->is_temp = cs->relation->relpersistence[0] == 't';
		st->is_unlogged = cs->relation->relpersistence[0] == 'u';
	}
	st->is_partitioned = cs->partspec != NULL;
	if (cs->partbound && cs->n_inh_relations == 1 &&
	    cs->inh_relations[0]->node_case == PG_QUERY__NODE__NODE_RANGE_VAR)
		st->partition_of = rel_of(c, cs->inh_relations[0]->range_var);

	size_t ncols = 0, ncons = 0, nlikes = 0;
	for (size_t i = 0; i < cs->n_table_elts; i++) {
		PgQuery__Node *e = cs->table_elts[i];
		ncols += e->node_case == PG_QUERY__NODE__NODE_COLUMN_DEF;
		ncons += e->node_case == PG_QUERY__NODE__NODE_CONSTRAINT;
		nlikes += e->node_case == PG_QUERY__NODE__NODE_TABLE_LIKE_CLAUSE;
	}
	ncons += cs->n_constraints;
	st->columns = ncols ? dg_alloc(c->a, ncols * sizeof(*st->columns)) : NULL;
	st->constraints = ncons ? dg_alloc(c->a, ncons * sizeof(*st->constraints)) : NULL;
	st->likes = nlikes ? dg_alloc(c->a, nlikes * sizeof(*st->likes)) : NULL;
	st->like_options = nlikes ? dg_alloc(c->a, nlikes * sizeof(*st->like_options)) : NULL;
	for (size_t i = 0; i < cs->n_table_elts; i++) {
		PgQuery__Node *e = cs->table_elts[i];
		if (e->node_case == PG_QUERY__NODE__NODE_COLUMN_DEF)
			column_of(c, e->column_def, &st->columns[st->n_columns++]);
		else if (e->node_case == PG_QUERY__NODE__NODE_CONSTRAINT)
			constraint_of(c, e->constraint, &st->constraints[st->n_constraints++]);
		else if (e->node_case == PG_QUERY__NODE__NODE_TABLE_LIKE_CLAUSE) {
			/* PostgreSQL's TableLikeOption bits: CONSTRAINTS 1<<2, INDEXES 1<<6 */
			uint32_t lo = e->table_like_clause->options;
			st->like_options[st->n_likes] = ((lo & (1u << 6)) ? DG_LIKE_INDEXES : 0) |
							((lo & (1u << 2)) ? DG_LIKE_CONSTRAINTS : 0);
			st->likes[st->n_likes++] = rel_of(c, e->table_like_clause->relation);
		}
	}
	for (size_t i = 0; i < cs->n_constraints; i++)
		if (cs->constraints[i]->node_case == PG_QUERY__NODE__NODE_CONSTRAINT)
			constraint_of(c, cs->constraints[i]->constraint,
				      &st->constraints[st->n_constraints++]);
	if (st->n_likes)
		st->like_table = dg_rel_display(c->a, &st->likes[0]);
}

static enum dg_cmd_kind cmd_kind(PgQuery__AlterTableType t)
{
	switch (t) {
	case PG_QUERY__ALTER_TABLE_TYPE__AT_AddColumn:
		return DG_CMD_ADD_COLUMN;
	case PG_QUERY__ALTER_TABLE_TYPE__AT_DropColumn:
		return DG_CMD_DROP_COLUMN;
	case PG_QUERY__ALTER_TABLE_TYPE__AT_AlterColumnType:
		return DG_CMD_ALTER_TYPE;
	case PG_QUERY__ALTER_TABLE_TYPE__AT_SetNotNull:
		return DG_CMD_SET_NOT_NULL;
	case PG_QUERY__ALTER_TABLE_TYPE__AT_DropNotNull:
		return DG_CMD_DROP_NOT_NULL;
	case PG_QUERY__ALTER_TABLE_TYPE__AT_ColumnDefault:
		return DG_CMD_SET_DEFAULT; /* def == NULL: DROP DEFAULT, fixed below */
	case PG_QUERY__ALTER_TABLE_TYPE__AT_AddConstraint:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_AddIndexConstraint:
		return DG_CMD_ADD_CONSTRAINT;
	case PG_QUERY__ALTER_TABLE_TYPE__AT_ValidateConstraint:
		return DG_CMD_VALIDATE_CONSTRAINT;
	case PG_QUERY__ALTER_TABLE_TYPE__AT_DropConstraint:
		return DG_CMD_DROP_CONSTRAINT;
	case PG_QUERY__ALTER_TABLE_TYPE__AT_SetLogged:
		return DG_CMD_SET_LOGGED;
	case PG_QUERY__ALTER_TABLE_TYPE__AT_SetUnLogged:
		return DG_CMD_SET_UNLOGGED;
	case PG_QUERY__ALTER_TABLE_TYPE__AT_SetTableSpace:
		return DG_CMD_SET_TABLESPACE;
	case PG_QUERY__ALTER_TABLE_TYPE__AT_SetRelOptions:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_ReplaceRelOptions:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_SetOptions:
		return DG_CMD_SET_OPTIONS;
	case PG_QUERY__ALTER_TABLE_TYPE__AT_ResetRelOptions:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_ResetOptions:
		return DG_CMD_RESET_OPTIONS;
	case PG_QUERY__ALTER_TABLE_TYPE__AT_SetStatistics:
		return DG_CMD_SET_STATISTICS;
	case PG_QUERY__ALTER_TABLE_TYPE__AT_SetStorage:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_SetCompression:
		return DG_CMD_SET_STORAGE;
	case PG_QUERY__ALTER_TABLE_TYPE__AT_EnableTrig:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_EnableAlwaysTrig:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_EnableReplicaTrig:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_EnableTrigAll:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_EnableTrigUser:
		return DG_CMD_ENABLE_TRIGGER;
	case PG_QUERY__ALTER_TABLE_TYPE__AT_DisableTrig:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_DisableTrigAll:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_DisableTrigUser:
		return DG_CMD_DISABLE_TRIGGER;
	case PG_QUERY__ALTER_TABLE_TYPE__AT_AttachPartition:
		return DG_CMD_ATTACH_PARTITION;
	case PG_QUERY__ALTER_TABLE_TYPE__AT_DetachPartition:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_DetachPartitionFinalize:
		return DG_CMD_DETACH_PARTITION;
	case PG_QUERY__ALTER_TABLE_TYPE__AT_AddIdentity:
		return DG_CMD_ADD_IDENTITY;
	case PG_QUERY__ALTER_TABLE_TYPE__AT_DropIdentity:
		return DG_CMD_DROP_IDENTITY;
	case PG_QUERY__ALTER_TABLE_TYPE__AT_ChangeOwner:
		return DG_CMD_OWNER;
	case PG_QUERY__ALTER_TABLE_TYPE__AT_ClusterOn:
		return DG_CMD_CLUSTER_ON;
	case PG_QUERY__ALTER_TABLE_TYPE__AT_EnableRowSecurity:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_ForceRowSecurity:
		return DG_CMD_ENABLE_RLS;
	case PG_QUERY__ALTER_TABLE_TYPE__AT_DisableRowSecurity:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_NoForceRowSecurity:
		return DG_CMD_DISABLE_RLS;
	case PG_QUERY__ALTER_TABLE_TYPE__AT_AddInherit:
	case PG_QUERY__ALTER_TABLE_TYPE__AT_DropInherit:
		return DG_CMD_INHERIT;
	case PG_QUERY__ALTER_TABLE_TYPE__AT_ReplicaIdentity:
		return DG_CMD_REPLICA_IDENTITY;
	default:
		return DG_CMD_OTHER;
	}
}

static void cmd_of(struct pctx *c, const PgQuery__AlterTableCmd *ac, struct dg_cmd *cmd)
{
	memset(cmd, 0, sizeof(*cmd));
	cmd->kind = cmd_kind(ac->subtype);
	cmd->subtype = ac->subtype;
	cmd->if_exists = ac->missing_ok;
	cmd->cascade = ac->behavior == PG_QUERY__DROP_BEHAVIOR__DROP_CASCADE;
	cmd->location = -1;
	if (ac->name && *ac->name) {
		cmd->column = dg_strdup(c->a, ac->name);
		cmd->name = cmd->column;
	}
	PgQuery__Node *def = ac->def;
	switch (cmd->kind) {
	case DG_CMD_ADD_COLUMN:
		if (def && def->node_case == PG_QUERY__NODE__NODE_COLUMN_DEF) {
			cmd->coldef = dg_alloc(c->a, sizeof(*cmd->coldef));
			column_of(c, def->column_def, cmd->coldef);
			cmd->column = cmd->coldef->name;
			cmd->location = cmd->coldef->location;
		}
		break;
	case DG_CMD_ALTER_TYPE:
		if (def && def->node_case == PG_QUERY__NODE__NODE_COLUMN_DEF) {
			cmd->coldef = dg_alloc(c->a, sizeof(*cmd->coldef));
			column_of(c, def->column_def, cmd->coldef);
			cmd->coldef->name = cmd->column;
			cmd->has_using = def->column_def->raw_default != NULL;
			cmd->coldef->has_default = 0; /* raw_default holds USING */
			cmd->location = cmd->coldef->location;
		}
		break;
	case DG_CMD_SET_DEFAULT:
		if (!def) {
			cmd->kind = DG_CMD_DROP_DEFAULT;
			break;
		}
		cmd->coldef = dg_alloc(c->a, sizeof(*cmd->coldef));
		cmd->coldef->name = cmd->column;
		cmd->coldef->has_default = 1;
		cmd->coldef->default_expr = expr_text(c, def);
		cmd->coldef->default_volatility =
			expr_volatility(c, def, &cmd->coldef->volatile_func);
		cmd->coldef->location = -1;
		break;
	case DG_CMD_ADD_CONSTRAINT:
		if (def && def->node_case == PG_QUERY__NODE__NODE_CONSTRAINT) {
			cmd->con = dg_alloc(c->a, sizeof(*cmd->con));
			constraint_of(c, def->constraint, cmd->con);
			cmd->name = cmd->con->name;
			cmd->location = cmd->con->location;
		}
		break;
	case DG_CMD_ATTACH_PARTITION:
	case DG_CMD_DETACH_PARTITION:
		if (def && def->node_case == PG_QUERY__NODE__NODE_PARTITION_CMD) {
			cmd->part = rel_of(c, def->partition_cmd->name);
			cmd->concurrently = def->partition_cmd->concurrent;
		}
		break;
	case DG_CMD_INHERIT:
		if (def && def->node_case == PG_QUERY__NODE__NODE_RANGE_VAR)
			cmd->part = rel_of(c, def->range_var);
		break;
	default:
		break;
	}
}

static void facts_alter_table(struct pctx *c, const PgQuery__AlterTableStmt *as, struct dg_stmt *st)
{
	st->kind = DG_STMT_ALTER_TABLE;
	st->object = as->objtype == PG_QUERY__OBJECT_TYPE__OBJECT_INDEX ? DG_OBJ_INDEX :
		     as->objtype == PG_QUERY__OBJECT_TYPE__OBJECT_MATVIEW ? DG_OBJ_MATVIEW :
		     as->objtype == PG_QUERY__OBJECT_TYPE__OBJECT_VIEW ? DG_OBJ_VIEW :
		     as->objtype == PG_QUERY__OBJECT_TYPE__OBJECT_SEQUENCE ? DG_OBJ_SEQUENCE :
									      DG_OBJ_TABLE;
	st->if_exists = as->missing_ok;
	push_rel(c, st, rel_of(c, as->relation));
	if (!as->n_cmds)
		return;
	st->cmds = dg_alloc(c->a, as->n_cmds * sizeof(*st->cmds));
	for (size_t i = 0; i < as->n_cmds; i++) {
		if (as->cmds[i]->node_case != PG_QUERY__NODE__NODE_ALTER_TABLE_CMD)
			continue;
		cmd_of(c, as->cmds[i]->alter_table_cmd, &st->cmds[st->n_cmds++]);
	}
}

static void facts_create_index(struct pctx *c, const PgQuery__IndexStmt *is, struct dg_stmt *st)
{
	struct dg_index *ix = dg_alloc(c->a, sizeof(*ix));
	st->kind = DG_STMT_CREATE_INDEX;
	st->index = ix;
	push_rel(c, st, rel_of(c, is->relation));
	ix->table = *st->rel;
	ix->name = is->idxname && *is->idxname ? dg_strdup(c->a, is->idxname) : NULL;
	ix->unique = is->unique || is->primary;
	ix->concurrently = is->concurrent;
	ix->if_not_exists = is->if_not_exists;
	st->concurrently = is->concurrent;
	st->if_not_exists = is->if_not_exists;
	st->name = ix->name;
	ix->method = dg_strdup(c->a, is->access_method && *is->access_method ? is->access_method : "btree");
	if (is->n_index_params) {
		ix->elems = dg_alloc(c->a, is->n_index_params * sizeof(*ix->elems));
		for (size_t i = 0; i < is->n_index_params; i++) {
			const PgQuery__Node *p = is->index_params[i];
			if (p->node_case != PG_QUERY__NODE__NODE_INDEX_ELEM)
				continue;
			struct dg_index_elem *e = &ix->elems[ix->n_elems++];
			if (p->index_elem->name && *p->index_elem->name)
				e->column = dg_strdup(c->a, p->index_elem->name);
			else
				e->expr = expr_text(c, p->index_elem->expr);
		}
	}
	if (is->where_clause)
		ix->where = expr_text(c, is->where_clause);
}

static enum dg_object_kind object_kind(PgQuery__ObjectType t)
{
	switch (t) {
	case PG_QUERY__OBJECT_TYPE__OBJECT_TABLE:
	case PG_QUERY__OBJECT_TYPE__OBJECT_FOREIGN_TABLE:
		return DG_OBJ_TABLE;
	case PG_QUERY__OBJECT_TYPE__OBJECT_INDEX:
		return DG_OBJ_INDEX;
	case PG_QUERY__OBJECT_TYPE__OBJECT_VIEW:
		return DG_OBJ_VIEW;
	case PG_QUERY__OBJECT_TYPE__OBJECT_MATVIEW:
		return DG_OBJ_MATVIEW;
	case PG_QUERY__OBJECT_TYPE__OBJECT_SEQUENCE:
		return DG_OBJ_SEQUENCE;
	case PG_QUERY__OBJECT_TYPE__OBJECT_COLUMN:
		return DG_OBJ_COLUMN;
	case PG_QUERY__OBJECT_TYPE__OBJECT_TABCONSTRAINT:
		return DG_OBJ_CONSTRAINT;
	case PG_QUERY__OBJECT_TYPE__OBJECT_SCHEMA:
		return DG_OBJ_SCHEMA;
	case PG_QUERY__OBJECT_TYPE__OBJECT_TYPE:
	case PG_QUERY__OBJECT_TYPE__OBJECT_DOMAIN:
		return DG_OBJ_TYPE;
	case PG_QUERY__OBJECT_TYPE__OBJECT_FUNCTION:
	case PG_QUERY__OBJECT_TYPE__OBJECT_PROCEDURE:
	case PG_QUERY__OBJECT_TYPE__OBJECT_ROUTINE:
		return DG_OBJ_FUNCTION;
	case PG_QUERY__OBJECT_TYPE__OBJECT_TRIGGER:
		return DG_OBJ_TRIGGER;
	case PG_QUERY__OBJECT_TYPE__OBJECT_EXTENSION:
		return DG_OBJ_EXTENSION;
	default:
		return DG_OBJ_OTHER;
	}
}

static void facts_drop(struct pctx *c, const PgQuery__DropStmt *ds, struct dg_stmt *st)
{
	st->kind = DG_STMT_DROP;
	st->object = object_kind(ds->remove_type);
	st->if_exists = ds->missing_ok;
	st->cascade = ds->behavior == PG_QUERY__DROP_BEHAVIOR__DROP_CASCADE;
	st->concurrently = ds->concurrent;
	for (size_t i = 0; i < ds->n_objects; i++) {
		const PgQuery__Node *o = ds->objects[i];
		if (o->node_case == PG_QUERY__NODE__NODE_LIST)
			push_rel(c, st, rel_of_names(c, o->list->items, o->list->n_items));
		else if (o->node_case == PG_QUERY__NODE__NODE_STRING)
			push_rel(c, st, (struct dg_rel){ NULL, dg_strdup(c->a, o->string->sval) });
		else if (o->node_case == PG_QUERY__NODE__NODE_TYPE_NAME && o->type_name->n_names)
			push_rel(c, st, rel_of_names(c, o->type_name->names, o->type_name->n_names));
	}
	if (st->rel)
		st->name = st->rel->name;
	/* DROP TRIGGER t ON tbl: objects = [tbl..., t]; keep the table as rel */
	if (st->object == DG_OBJ_TRIGGER && ds->n_objects == 1 &&
	    ds->objects[0]->node_case == PG_QUERY__NODE__NODE_LIST) {
		PgQuery__List *l = ds->objects[0]->list;
		if (l->n_items >= 2) {
			st->name = dg_strdup(c->a, node_str(l->items[l->n_items - 1]));
			*st->rel = rel_of_names(c, l->items, l->n_items - 1);
			st->rels[0] = *st->rel;
		}
	}
}

static void facts_rename(struct pctx *c, const PgQuery__RenameStmt *rs, struct dg_stmt *st)
{
	st->kind = DG_STMT_RENAME;
	st->object = object_kind(rs->rename_type);
	st->if_exists = rs->missing_ok;
	st->new_name = dg_strdup(c->a, rs->newname);
	if (rs->relation)
		push_rel(c, st, rel_of(c, rs->relation));
	switch (st->object) {
	case DG_OBJ_COLUMN:
	case DG_OBJ_CONSTRAINT:
	case DG_OBJ_TRIGGER:
		st->name = dg_strdup(c->a, rs->subname);
		break;
	case DG_OBJ_TABLE:
	case DG_OBJ_INDEX:
	case DG_OBJ_VIEW:
	case DG_OBJ_MATVIEW:
	case DG_OBJ_SEQUENCE:
		st->name = st->rel ? st->rel->name : NULL;
		break;
	default:
		if (rs->object && rs->object->node_case == PG_QUERY__NODE__NODE_LIST) {
			struct dg_rel r = rel_of_names(c, rs->object->list->items,
						       rs->object->list->n_items);
			st->name = r.name;
		} else if (rs->object && node_str(rs->object)) {
			st->name = dg_strdup(c->a, node_str(rs->object));
		} else if (rs->subname && *rs->subname) {
			st->name = dg_strdup(c->a, rs->subname);
		}
		break;
	}
}

static int defelem_flag(PgQuery__Node **opts, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++) {
		if (opts[i]->node_case != PG_QUERY__NODE__NODE_DEF_ELEM)
			continue;
		const PgQuery__DefElem *d = opts[i]->def_elem;
		if (strcmp(d->defname, name))
			continue;
		if (!d->arg)
			return 1;
		if (d->arg->node_case == PG_QUERY__NODE__NODE_BOOLEAN)
			return d->arg->boolean->boolval;
		if (d->arg->node_case == PG_QUERY__NODE__NODE_INTEGER)
			return d->arg->integer->ival != 0;
		const char *s = node_str(d->arg);
		return !s || (strcmp(s, "false") && strcmp(s, "off") && strcmp(s, "0"));
	}
	return 0;
}

static const char *defelem_str(PgQuery__Node **opts, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++) {
		if (opts[i]->node_case != PG_QUERY__NODE__NODE_DEF_ELEM)
			continue;
		const PgQuery__DefElem *d = opts[i]->def_elem;
		if (strcmp(d->defname, name) || !d->arg)
			continue;
		if (node_str(d->arg))
			return node_str(d->arg);
		if (d->arg->node_case == PG_QUERY__NODE__NODE_LIST && d->arg->list->n_items)
			return node_str(d->arg->list->items[0]);
	}
	return NULL;
}

static void push_range_vars(struct pctx *c, struct dg_stmt *st, PgQuery__Node **n, size_t count)
{
	for (size_t i = 0; i < count; i++)
		if (n[i]->node_case == PG_QUERY__NODE__NODE_RANGE_VAR)
			push_rel(c, st, rel_of(c, n[i]->range_var));
}

static const char *set_value_text(struct pctx *c, const PgQuery__VariableSetStmt *vs)
{
	struct dg_buf b = DG_BUF_INIT;
	for (size_t i = 0; i < vs->n_args; i++) {
		const PgQuery__Node *a = vs->args[i];
		if (i)
			dg_buf_adds(&b, ", ");
		if (a->node_case == PG_QUERY__NODE__NODE_A_CONST) {
			const PgQuery__AConst *k = a->a_const;
			if (k->val_case == PG_QUERY__A__CONST__VAL_IVAL)
				dg_buf_addf(&b, "%d", k->ival->ival);
			else if (k->val_case == PG_QUERY__A__CONST__VAL_SVAL)
				dg_buf_adds(&b, k->sval->sval);
			else if (k->val_case == PG_QUERY__A__CONST__VAL_FVAL)
				dg_buf_adds(&b, k->fval->fval);
		} else if (a->node_case == PG_QUERY__NODE__NODE_TYPE_CAST) {
			/* SET x = interval '1s' */
			const PgQuery__Node *arg = a->type_cast->arg;
			if (arg && arg->node_case == PG_QUERY__NODE__NODE_A_CONST &&
			    arg->a_const->val_case == PG_QUERY__A__CONST__VAL_SVAL)
				dg_buf_adds(&b, arg->a_const->sval->sval);
		}
	}
	const char *s = b.len ? dg_strdup(c->a, b.ptr) : NULL;
	dg_buf_release(&b);
	return s;
}

static void stmt_facts_kind(struct pctx *c, PgQuery__Node *n, struct dg_stmt *st);

/* ---- relations read by query parts ---- */

struct reads_scan {
	struct pctx *c;
	struct dg_stmt *st;
	const PgQuery__Node *top;  /* the statement itself */
	const char **ctes;         /* WITH names: not relations */
	size_t n_ctes, cap_ctes;
};

static int is_cte(const struct reads_scan *r, const PgQuery__RangeVar *rv)
{
	for (size_t i = 0; !(rv->schemaname && *rv->schemaname) && i < r->n_ctes; i++)
		if (rv->relname && !strcmp(r->ctes[i], rv->relname))
			return 1;
	return 0;
}

static void add_rel_to(struct reads_scan *r, struct dg_rel **v, size_t *n, const PgQuery__RangeVar *rv)
{
	if (is_cte(r, rv))
		return;
	struct dg_rel rel = rel_of(r->c, rv);
	for (size_t i = 0; i < *n; i++)
		if (dg_rel_equal(&(*v)[i], &rel))
			return;
	struct dg_rel *nr = dg_alloc(r->c->a, (*n + 1) * sizeof(*nr));
	if (*n)
		memcpy(nr, *v, *n * sizeof(*nr));
	nr[(*n)++] = rel;
	*v = nr;
}

static void add_read(struct reads_scan *r, const PgQuery__RangeVar *rv)
{
	add_rel_to(r, &r->st->reads, &r->st->n_reads, rv);
}

static void reads_rangevar(const PgQuery__Node *n, void *payload)
{
	if (n->node_case == PG_QUERY__NODE__NODE_RANGE_VAR)
		add_read(payload, n->range_var);
}

/* WITH names, and the targets of INSERT / UPDATE / DELETE nested in WITH. */
static void reads_ctes(const PgQuery__Node *n, void *payload)
{
	struct reads_scan *r = payload;
	if (n->node_case == PG_QUERY__NODE__NODE_COMMON_TABLE_EXPR && n->common_table_expr->ctename)
		DG_PUSH(r->ctes, r->n_ctes, r->cap_ctes, n->common_table_expr->ctename);
	if (n == r->top)
		return;
	const PgQuery__RangeVar *target = NULL;
	if (n->node_case == PG_QUERY__NODE__NODE_INSERT_STMT)
		target = n->insert_stmt->relation;
	else if (n->node_case == PG_QUERY__NODE__NODE_UPDATE_STMT)
		target = n->update_stmt->relation;
	else if (n->node_case == PG_QUERY__NODE__NODE_DELETE_STMT)
		target = n->delete_stmt->relation;
	if (target)
		add_rel_to(r, &r->st->writes, &r->st->n_writes, target);
}

/* Every SELECT below n reads the relations of its FROM (and subqueries). */
static void reads_select(const PgQuery__Node *n, void *payload)
{
	struct reads_scan *r = payload;
	if (n->node_case != PG_QUERY__NODE__NODE_SELECT_STMT)
		return;
	if (n->select_stmt->n_locking_clause)
		r->st->row_locking = 1;
	for (size_t i = 0; i < n->select_stmt->n_from_clause; i++)
		dg_sql_walk(n->select_stmt->from_clause[i], reads_rangevar, r);
}

static void collect_reads(struct pctx *c, const PgQuery__Node *n, struct dg_stmt *st)
{
	struct reads_scan r = { c, st, n, NULL, 0, 0 };
	dg_sql_walk(n, reads_ctes, &r);
	dg_sql_walk(n, reads_select, &r);
	if (n->node_case == PG_QUERY__NODE__NODE_UPDATE_STMT)
		for (size_t i = 0; i < n->update_stmt->n_from_clause; i++)
			dg_sql_walk(n->update_stmt->from_clause[i], reads_rangevar, &r);
	if (n->node_case == PG_QUERY__NODE__NODE_DELETE_STMT)
		for (size_t i = 0; i < n->delete_stmt->n_using_clause; i++)
			dg_sql_walk(n->delete_stmt->using_clause[i], reads_rangevar, &r);
	free(r.ctes);
}

/* Fill st from one parsed statement node. */
static void stmt_facts(struct pctx *c, PgQuery__Node *n, struct dg_stmt *st)
{
	stmt_facts_kind(c, n, st);
	switch (st->kind) {
	case DG_STMT_SELECT:
	case DG_STMT_INSERT:
	case DG_STMT_UPDATE:
	case DG_STMT_DELETE:
	case DG_STMT_CREATE_VIEW:
	case DG_STMT_CREATE_TABLE_AS:
	case DG_STMT_CREATE_MATVIEW:
		collect_reads(c, n, st);
		break;
	default:
		break;
	}
}

/* The kind of statement and its own facts. */
static void stmt_facts_kind(struct pctx *c, PgQuery__Node *n, struct dg_stmt *st)
{
	switch (n->node_case) {
	case PG_QUERY__NODE__NODE_TRANSACTION_STMT:
		switch (n->transaction_stmt->kind) {
		case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_BEGIN:
		case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_START:
			st->kind = DG_STMT_BEGIN;
			break;
		case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_COMMIT:
		case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_PREPARE:
			st->kind = DG_STMT_COMMIT;
			break;
		case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_ROLLBACK:
			st->kind = DG_STMT_ROLLBACK;
			break;
		default:
			st->kind = DG_STMT_SAVEPOINT;
			break;
		}
		break;
	case PG_QUERY__NODE__NODE_VARIABLE_SET_STMT: {
		const PgQuery__VariableSetStmt *vs = n->variable_set_stmt;
		st->kind = DG_STMT_SET;
		st->name = vs->name && *vs->name ? dg_strdup(c->a, vs->name) : NULL;
		st->is_local = vs->is_local;
		if (vs->kind == PG_QUERY__VARIABLE_SET_KIND__VAR_SET_VALUE)
			st->value = set_value_text(c, vs);
		break;
	}
	case PG_QUERY__NODE__NODE_CREATE_STMT:
		facts_create_table(c, n->create_stmt, st);
		break;
	case PG_QUERY__NODE__NODE_CREATE_TABLE_AS_STMT: {
		const PgQuery__CreateTableAsStmt *ct = n->create_table_as_stmt;
		st->kind = ct->objtype == PG_QUERY__OBJECT_TYPE__OBJECT_MATVIEW ?
				   DG_STMT_CREATE_MATVIEW : DG_STMT_CREATE_TABLE_AS;
		if (ct->into) {
			push_rel(c, st, rel_of(c, ct->into->rel));
			st->with_no_data = ct->into->skip_data;
		}
		st->if_not_exists = ct->if_not_exists;
		break;
	}
	case PG_QUERY__NODE__NODE_ALTER_TABLE_STMT:
		facts_alter_table(c, n->alter_table_stmt, st);
		break;
	case PG_QUERY__NODE__NODE_INDEX_STMT:
		facts_create_index(c, n->index_stmt, st);
		break;
	case PG_QUERY__NODE__NODE_DROP_STMT:
		facts_drop(c, n->drop_stmt, st);
		break;
	case PG_QUERY__NODE__NODE_RENAME_STMT:
		facts_rename(c, n->rename_stmt, st);
		break;
	case PG_QUERY__NODE__NODE_REINDEX_STMT: {
		const PgQuery__ReindexStmt *rs = n->reindex_stmt;
		st->kind = DG_STMT_REINDEX;
		st->object = rs->kind == PG_QUERY__REINDEX_OBJECT_TYPE__REINDEX_OBJECT_INDEX ?
				     DG_OBJ_INDEX :
			     rs->kind == PG_QUERY__REINDEX_OBJECT_TYPE__REINDEX_OBJECT_TABLE ?
				     DG_OBJ_TABLE : DG_OBJ_SCHEMA;
		if (rs->relation)
			push_rel(c, st, rel_of(c, rs->relation));
		else if (rs->name)
			st->name = dg_strdup(c->a, rs->name);
		st->concurrently = defelem_flag(rs->params, rs->n_params, "concurrently");
		break;
	}
	case PG_QUERY__NODE__NODE_VACUUM_STMT: {
		const PgQuery__VacuumStmt *vs = n->vacuum_stmt;
		st->kind = vs->is_vacuumcmd ? DG_STMT_VACUUM : DG_STMT_ANALYZE;
		st->full = defelem_flag(vs->options, vs->n_options, "full");
		for (size_t i = 0; i < vs->n_rels; i++)
			if (vs->rels[i]->node_case == PG_QUERY__NODE__NODE_VACUUM_RELATION &&
			    vs->rels[i]->vacuum_relation->relation)
				push_rel(c, st, rel_of(c, vs->rels[i]->vacuum_relation->relation));
		break;
	}
	case PG_QUERY__NODE__NODE_CLUSTER_STMT:
		st->kind = DG_STMT_CLUSTER;
		if (n->cluster_stmt->relation)
			push_rel(c, st, rel_of(c, n->cluster_stmt->relation));
		if (n->cluster_stmt->indexname && *n->cluster_stmt->indexname)
			st->name = dg_strdup(c->a, n->cluster_stmt->indexname);
		break;
	case PG_QUERY__NODE__NODE_LOCK_STMT:
		st->kind = DG_STMT_LOCK;
		st->lock_mode = (enum dg_lockmode)n->lock_stmt->mode;
		if (st->lock_mode < DG_LOCK_ACCESS_SHARE || st->lock_mode > DG_LOCK_ACCESS_EXCLUSIVE)
			st->lock_mode = DG_LOCK_ACCESS_EXCLUSIVE;
		push_range_vars(c, st, n->lock_stmt->relations, n->lock_stmt->n_relations);
		break;
	case PG_QUERY__NODE__NODE_TRUNCATE_STMT:
		st->kind = DG_STMT_TRUNCATE;
		st->cascade = n->truncate_stmt->behavior == PG_QUERY__DROP_BEHAVIOR__DROP_CASCADE;
		push_range_vars(c, st, n->truncate_stmt->relations, n->truncate_stmt->n_relations);
		break;
	case PG_QUERY__NODE__NODE_INSERT_STMT:
		st->kind = DG_STMT_INSERT;
		push_rel(c, st, rel_of(c, n->insert_stmt->relation));
		break;
	case PG_QUERY__NODE__NODE_UPDATE_STMT:
		st->kind = DG_STMT_UPDATE;
		push_rel(c, st, rel_of(c, n->update_stmt->relation));
		st->has_where = n->update_stmt->where_clause != NULL;
		break;
	case PG_QUERY__NODE__NODE_DELETE_STMT:
		st->kind = DG_STMT_DELETE;
		push_rel(c, st, rel_of(c, n->delete_stmt->relation));
		st->has_where = n->delete_stmt->where_clause != NULL;
		break;
	case PG_QUERY__NODE__NODE_SELECT_STMT:
		st->kind = DG_STMT_SELECT;
		break;
	case PG_QUERY__NODE__NODE_VIEW_STMT:
		st->kind = DG_STMT_CREATE_VIEW;
		push_rel(c, st, rel_of(c, n->view_stmt->view));
		break;
	case PG_QUERY__NODE__NODE_REFRESH_MAT_VIEW_STMT:
		st->kind = DG_STMT_REFRESH_MATVIEW;
		st->concurrently = n->refresh_mat_view_stmt->concurrent;
		st->with_no_data = n->refresh_mat_view_stmt->skip_data;
		push_rel(c, st, rel_of(c, n->refresh_mat_view_stmt->relation));
		break;
	case PG_QUERY__NODE__NODE_CREATE_TRIG_STMT:
		st->kind = DG_STMT_CREATE_TRIGGER;
		push_rel(c, st, rel_of(c, n->create_trig_stmt->relation));
		st->name = dg_strdup(c->a, n->create_trig_stmt->trigname);
		break;
	case PG_QUERY__NODE__NODE_CREATE_FUNCTION_STMT: {
		const PgQuery__CreateFunctionStmt *fs = n->create_function_stmt;
		st->kind = DG_STMT_CREATE_FUNCTION;
		if (fs->n_funcname)
			st->name = dg_strdup(c->a, node_str(fs->funcname[fs->n_funcname - 1]));
		const char *body = defelem_str(fs->options, fs->n_options, "as");
		st->body = dg_strdup(c->a, body);
		st->language = dg_strdup(c->a, defelem_str(fs->options, fs->n_options, "language"));
		break;
	}
	case PG_QUERY__NODE__NODE_DO_STMT:
		st->kind = DG_STMT_DO;
		st->body = dg_strdup(c->a, defelem_str(n->do_stmt->args, n->do_stmt->n_args, "as"));
		st->language = dg_strdup(c->a, defelem_str(n->do_stmt->args, n->do_stmt->n_args, "language"));
		break;
	case PG_QUERY__NODE__NODE_ALTER_ENUM_STMT: {
		const PgQuery__AlterEnumStmt *ae = n->alter_enum_stmt;
		st->kind = DG_STMT_ALTER_TYPE;
		st->object = DG_OBJ_TYPE;
		struct dg_rel r = rel_of_names(c, ae->type_name, ae->n_type_name);
		st->name = r.name;
		st->value = dg_strdup(c->a, ae->new_val);
		break;
	}
	case PG_QUERY__NODE__NODE_CREATE_ENUM_STMT:
	case PG_QUERY__NODE__NODE_COMPOSITE_TYPE_STMT:
	case PG_QUERY__NODE__NODE_CREATE_DOMAIN_STMT:
	case PG_QUERY__NODE__NODE_CREATE_RANGE_STMT:
		st->kind = DG_STMT_CREATE_TYPE;
		break;
	case PG_QUERY__NODE__NODE_CREATE_SCHEMA_STMT:
		st->kind = DG_STMT_CREATE_SCHEMA;
		st->name = dg_strdup(c->a, n->create_schema_stmt->schemaname);
		st->if_not_exists = n->create_schema_stmt->if_not_exists;
		break;
	case PG_QUERY__NODE__NODE_CREATE_SEQ_STMT:
		st->kind = DG_STMT_CREATE_SEQUENCE;
		push_rel(c, st, rel_of(c, n->create_seq_stmt->sequence));
		break;
	case PG_QUERY__NODE__NODE_ALTER_SEQ_STMT:
		st->kind = DG_STMT_ALTER_SEQUENCE;
		push_rel(c, st, rel_of(c, n->alter_seq_stmt->sequence));
		break;
	case PG_QUERY__NODE__NODE_CREATE_EXTENSION_STMT:
		st->kind = DG_STMT_CREATE_EXTENSION;
		st->name = dg_strdup(c->a, n->create_extension_stmt->extname);
		break;
	case PG_QUERY__NODE__NODE_COMMENT_STMT: {
		const PgQuery__CommentStmt *cs = n->comment_stmt;
		st->kind = DG_STMT_COMMENT;
		st->object = object_kind(cs->objtype);
		if (cs->object && cs->object->node_case == PG_QUERY__NODE__NODE_LIST) {
			PgQuery__List *l = cs->object->list;
			if (st->object == DG_OBJ_COLUMN && l->n_items >= 2) {
				st->name = dg_strdup(c->a, node_str(l->items[l->n_items - 1]));
				push_rel(c, st, rel_of_names(c, l->items, l->n_items - 1));
			} else {
				push_rel(c, st, rel_of_names(c, l->items, l->n_items));
			}
		}
		break;
	}
	case PG_QUERY__NODE__NODE_GRANT_STMT: {
		const PgQuery__GrantStmt *gs = n->grant_stmt;
		st->kind = DG_STMT_GRANT;
		st->object = object_kind(gs->objtype);
		push_range_vars(c, st, gs->objects, gs->n_objects);
		break;
	}
	case PG_QUERY__NODE__NODE_COPY_STMT:
		st->kind = DG_STMT_COPY;
		if (n->copy_stmt->relation)
			push_rel(c, st, rel_of(c, n->copy_stmt->relation));
		break;
	default:
		st->kind = DG_STMT_OTHER;
		break;
	}
}

/* ---- positions, comments, suppressions ---- */

/* Skip whitespace and comments from p; returns the first token's offset. */
static size_t skip_space_comments(const char *d, size_t p, size_t end)
{
	while (p < end) {
		unsigned char ch = (unsigned char)d[p];
		if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f' || ch == '\v') {
			p++;
		} else if (ch == '-' && p + 1 < end && d[p + 1] == '-') {
			while (p < end && d[p] != '\n')
				p++;
		} else if (ch == '/' && p + 1 < end && d[p + 1] == '*') {
			int depth = 1; /* PostgreSQL block comments nest */
			p += 2;
			while (p < end && depth) {
				if (d[p] == '/' && p + 1 < end && d[p + 1] == '*') {
					depth++;
					p += 2;
				} else if (d[p] == '*' && p + 1 < end && d[p + 1] == '/') {
					depth--;
					p += 2;
				} else {
					p++;
				}
			}
		} else {
			break;
		}
	}
	return p;
}

static int is_rule_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	       (ch >= '0' && ch <= '9') || ch == '-' || ch == '_';
}

/*
 * Find `ddlgate:ignore[-file] RULE[,RULE]` markers in [from, to) and record
 * them; returns how many were added (they are the last ones in f->ignores).
 */
static size_t scan_ignores(struct dg_arena *a, struct dg_sql_file *f, size_t from, size_t to,
			   size_t *cap)
{
	static const char marker[] = "ddlgate:ignore";
	const size_t ml = sizeof(marker) - 1;
	size_t added = 0;
	for (size_t p = from; p + ml <= to; p++) {
		if (f->data[p] != 'd' || memcmp(f->data + p, marker, ml))
			continue;
		size_t q = p + ml;
		int file_wide = 0;
		if (q + 5 <= to && !memcmp(f->data + q, "-file", 5)) {
			file_wide = 1;
			q += 5;
		}
		if (q < to && is_rule_char(f->data[q]))
			continue; /* some other word */
		for (;;) {
			while (q < to && (f->data[q] == ' ' || f->data[q] == '\t'))
				q++;
			size_t s = q;
			while (q < to && is_rule_char(f->data[q]))
				q++;
			if (q == s)
				break;
			if (f->n_ignores + 1 > *cap) {
				size_t nc = *cap ? *cap * 2 : 8;
				struct dg_ignore *ni = dg_alloc(a, nc * sizeof(*ni));
				if (f->n_ignores)
					memcpy(ni, f->ignores, f->n_ignores * sizeof(*ni));
				f->ignores = ni;
				*cap = nc;
			}
			struct dg_ignore *ig = &f->ignores[f->n_ignores++];
			ig->rule = dg_strndup(a, f->data + s, q - s);
			ig->file_wide = file_wide;
			dg_sql_pos(f, s, &ig->line, &ig->column);
			added++;
			while (q < to && (f->data[q] == ' ' || f->data[q] == '\t'))
				q++;
			if (q < to && f->data[q] == ',') {
				q++;
				continue;
			}
			break;
		}
		p = q > p ? q - 1 : p;
	}
	return added;
}

/* ---- the statement list ---- */

struct stmt_list {
	struct dg_stmt *v;
	size_t n, cap;
	size_t ignore_cap;
};

/*
 * End of the last token of [start, end) that is not a comment, so that a
 * statement's extent stops before the comments after it (the last statement
 * of a file without ';' otherwise runs to the end of the file, and an
 * ignore-file comment there would be missed). Unchanged when there is no
 * comment or the text does not scan.
 */
static size_t code_end(const struct dg_sql_file *f, size_t start, size_t end)
{
	const char *d = f->data;
	int has_comment = 0;
	for (size_t i = start; i + 1 < end && !has_comment; i++)
		has_comment = (d[i] == '-' && d[i + 1] == '-') || (d[i] == '/' && d[i + 1] == '*');
	if (!has_comment || memchr(d + start, '\0', end - start))
		return end;
	char *text = dg_xstrndup(d + start, end - start);
	PgQueryScanResult r = pg_query_scan(text);
	size_t last = 0;
	if (!r.error) {
		PgQuery__ScanResult *sr = pg_query__scan_result__unpack(
			NULL, r.pbuf.len, (const uint8_t *)r.pbuf.data);
		for (size_t i = 0; sr && i < sr->n_tokens; i++) {
			const PgQuery__ScanToken *t = sr->tokens[i];
			if (t->token != PG_QUERY__TOKEN__SQL_COMMENT &&
			    t->token != PG_QUERY__TOKEN__C_COMMENT && t->end > 0 && (size_t)t->end > last)
				last = (size_t)t->end;
		}
		if (sr)
			pg_query__scan_result__free_unpacked(sr, NULL);
	}
	pg_query_free_scan_result(r);
	free(text);
	return last && last <= end - start ? start + last : end;
}

static struct dg_stmt *add_stmt(struct dg_arena *a, struct dg_sql_file *f, struct stmt_list *l,
				size_t region_start, size_t start, size_t end)
{
	if (l->n + 1 > l->cap) {
		size_t nc = l->cap ? l->cap * 2 : 16;
		struct dg_stmt *nv = dg_alloc(a, nc * sizeof(*nv));
		if (l->n)
			memcpy(nv, l->v, l->n * sizeof(*nv));
		l->v = nv;
		l->cap = nc;
	}
	struct dg_stmt *st = &l->v[l->n++];
	memset(st, 0, sizeof(*st));
	end = code_end(f, start, end);
	/* include a directly following ';' in the statement's extent */
	size_t e = end;
	while (e < f->len && (f->data[e] == ' ' || f->data[e] == '\t'))
		e++;
	if (e < f->len && f->data[e] == ';')
		end = e + 1;
	while (end > start && (f->data[end - 1] == ' ' || f->data[end - 1] == '\t' ||
			       f->data[end - 1] == '\n' || f->data[end - 1] == '\r'))
		end--;
	st->offset = start;
	st->len = end > start ? end - start : 0;
	st->text = dg_strndup(a, f->data + start, st->len);
	st->error_offset = -1;
	dg_sql_pos(f, start, &st->line, &st->column);
	dg_sql_pos(f, end > start ? end - 1 : start, &st->end_line, &st->end_column);

	/* suppressions in the comments before the statement */
	size_t before = f->n_ignores;
	size_t added = scan_ignores(a, f, region_start, start, &l->ignore_cap);
	size_t own = 0;
	for (size_t i = before; i < before + added; i++)
		own += !f->ignores[i].file_wide;
	if (own) {
		st->ignored = dg_alloc(a, own * sizeof(*st->ignored));
		for (size_t i = before; i < before + added; i++) {
			if (f->ignores[i].file_wide)
				continue;
			st->ignored[st->n_ignored++] = f->ignores[i].rule;
			st->ignore_line = f->ignores[i].line;
		}
	}
	return st;
}

/* Byte offset of the 1-based character position `chars` in s. */
static size_t char_to_byte(const char *s, size_t len, int chars)
{
	size_t i = 0;
	int seen = 0;
	while (i < len && seen < chars - 1) {
		i++;
		while (i < len && ((unsigned char)s[i] & 0xc0) == 0x80)
			i++;
		seen++;
	}
	return i;
}

static void set_error(struct dg_arena *a, struct dg_stmt *st, const PgQueryError *err,
		      const char *text, size_t text_len, size_t text_base)
{
	st->kind = DG_STMT_ERROR;
	const char *msg = err->message ? err->message : "syntax error";
	const char *nl = strpbrk(msg, "\r\n");
	/* "at or near" may quote a token spanning lines: keep one line */
	st->error = nl ? dg_sprintf(a, "%.*s...\"", (int)(nl - msg), msg) : dg_strdup(a, msg);
	if (err->cursorpos > 0)
		st->error_offset = (int)(text_base + char_to_byte(text, text_len, err->cursorpos));
	else
		st->error_offset = (int)st->offset;
}

static void parse_one(struct dg_arena *a, struct dg_sql_file *f, struct stmt_list *l,
		      size_t region_start, size_t loc, size_t len)
{
	size_t start = skip_space_comments(f->data, loc, loc + len);
	if (start >= loc + len)
		return; /* only comments */
	char *text = dg_xstrndup(f->data + loc, len);
	PgQueryProtobufParseResult r = pg_query_parse_protobuf(text);
	if (r.error) {
		struct dg_stmt *st = add_stmt(a, f, l, region_start, start, loc + len);
		set_error(a, st, r.error, text, len, loc);
	} else {
		PgQuery__ParseResult *pr = pg_query__parse_result__unpack(
			NULL, r.parse_tree.len, (const uint8_t *)r.parse_tree.data);
		struct pctx c = { a, f->data, f->len, (int)loc };
		for (size_t i = 0; pr && i < pr->n_stmts; i++) {
			PgQuery__RawStmt *rs = pr->stmts[i];
			size_t sloc = loc + (size_t)rs->stmt_location;
			size_t slen = rs->stmt_len ? (size_t)rs->stmt_len : len - (size_t)rs->stmt_location;
			size_t s = skip_space_comments(f->data, sloc, sloc + slen);
			struct dg_stmt *st = add_stmt(a, f, l, i ? sloc : region_start, s, sloc + slen);
			if (rs->stmt)
				stmt_facts(&c, rs->stmt, st);
		}
		if (pr)
			pg_query__parse_result__free_unpacked(pr, NULL);
	}
	pg_query_free_protobuf_parse_result(r);
	free(text);
}

/*
 * The scanner split keeps only pieces with a keyword before their ';', so
 * "SELEC 2;" or "foo bar;" would vanish. Parse any text left between two
 * pieces, so that it is reported as the syntax error it is.
 */
static void parse_gap(struct dg_arena *a, struct dg_sql_file *f, struct stmt_list *l,
		      size_t *prev_end, size_t from, size_t to)
{
	size_t p = from;
	for (;;) {
		p = skip_space_comments(f->data, p, to);
		if (p < to && f->data[p] == ';') {
			p++;
			continue;
		}
		break;
	}
	if (p >= to)
		return;
	size_t before = l->n;
	parse_one(a, f, l, *prev_end, p, to - p);
	if (l->n > before)
		*prev_end = l->v[l->n - 1].offset + l->v[l->n - 1].len;
}

/*
 * The scanner gave up (an unterminated quote or comment): everything after
 * the fault is one broken statement, but the statements before it still
 * have clear boundaries, so they are parsed as usual.
 */
static void split_after_scan_error(struct dg_arena *a, struct dg_sql_file *f,
				   struct stmt_list *l, const PgQuerySplitResult *sr)
{
	const char *data = f->data;
	size_t len = f->len;
	size_t fault = sr->error->cursorpos > 0 ?
		char_to_byte(data, len, sr->error->cursorpos) : 0;
	size_t broken_from = 0, prev_end = 0;
	if (fault > 0) {
		char *prefix = dg_xstrndup(data, fault);
		PgQuerySplitResult pr = pg_query_split_with_scanner(prefix);
		if (!pr.error) {
			/* pieces ended by ';' are whole; the broken statement starts after them */
			for (int i = 0; i < pr.n_stmts; i++) {
				size_t sloc = (size_t)pr.stmts[i]->stmt_location;
				size_t slen = (size_t)pr.stmts[i]->stmt_len;
				if (sloc + slen >= fault || prefix[sloc + slen] != ';')
					break;
				parse_gap(a, f, l, &prev_end, broken_from, sloc);
				size_t before = l->n;
				parse_one(a, f, l, prev_end, sloc, slen);
				if (l->n > before)
					prev_end = l->v[l->n - 1].offset + l->v[l->n - 1].len;
				broken_from = sloc + slen + 1;
			}
		}
		pg_query_free_split_result(pr);
		free(prefix);
	}
	size_t s = skip_space_comments(data, broken_from, len);
	struct dg_stmt *st = add_stmt(a, f, l, prev_end, s < len ? s : broken_from, len);
	set_error(a, st, sr->error, data, len, 0);
}

void dg_sql_parse(struct dg_arena *a, struct dg_sql_file *out, const char *path,
		  const char *data, size_t len)
{
	struct stmt_list l = { 0 };
	memset(out, 0, sizeof(*out));
	out->path = dg_strdup(a, path);
	out->data = data;
	out->len = len;
	dg_sql_index_lines(a, out);

	const char *nul = memchr(data, '\0', len);
	if (nul) {
		/* the parser reads C strings: a NUL would silently end the file */
		struct dg_stmt *st = add_stmt(a, out, &l, 0, 0, len);
		st->kind = DG_STMT_ERROR;
		st->error = "NUL byte in SQL text";
		st->error_offset = (int)(nul - data);
		out->stmts = l.v;
		out->n_stmts = l.n;
		return;
	}

	/* the parser reads C strings; data need not be NUL-terminated (blobs, fuzzers) */
	char *z = dg_xstrndup(data, len);

	/* fast path: the whole file parses */
	PgQueryProtobufParseResult r = pg_query_parse_protobuf(z);
	if (!r.error) {
		PgQuery__ParseResult *pr = pg_query__parse_result__unpack(
			NULL, r.parse_tree.len, (const uint8_t *)r.parse_tree.data);
		struct pctx c = { a, data, len, 0 };
		size_t prev_end = 0;
		for (size_t i = 0; pr && i < pr->n_stmts; i++) {
			PgQuery__RawStmt *rs = pr->stmts[i];
			size_t sloc = (size_t)rs->stmt_location;
			size_t slen = rs->stmt_len ? (size_t)rs->stmt_len : len - sloc;
			size_t s = skip_space_comments(data, sloc, sloc + slen);
			struct dg_stmt *st = add_stmt(a, out, &l, prev_end, s, sloc + slen);
			prev_end = st->offset + st->len;
			if (rs->stmt)
				stmt_facts(&c, rs->stmt, st);
		}
		scan_ignores(a, out, prev_end, len, &l.ignore_cap);
		if (pr)
			pg_query__parse_result__free_unpacked(pr, NULL);
		pg_query_free_protobuf_parse_result(r);
		free(z);
		out->stmts = l.v;
		out->n_stmts = l.n;
		return;
	}
	pg_query_free_protobuf_parse_result(r);

	/* slow path: split with the scanner, parse each statement alone */
	PgQuerySplitResult sr = pg_query_split_with_scanner(z);
	if (sr.error) {
		split_after_scan_error(a, out, &l, &sr);
	} else {
		size_t prev_end = 0, cut = 0;
		for (int i = 0; i < sr.n_stmts; i++) {
			size_t sloc = (size_t)sr.stmts[i]->stmt_location;
			size_t slen = (size_t)sr.stmts[i]->stmt_len;
			if (sloc > len)
				break;
			if (!slen || sloc + slen > len)
				slen = len - sloc;
			parse_gap(a, out, &l, &prev_end, cut, sloc);
			size_t before = l.n;
			parse_one(a, out, &l, prev_end, sloc, slen);
			if (l.n > before)
				prev_end = l.v[l.n - 1].offset + l.v[l.n - 1].len;
			cut = sloc + slen;
		}
		parse_gap(a, out, &l, &prev_end, cut, len);
		scan_ignores(a, out, prev_end, len, &l.ignore_cap);
	}
	pg_query_free_split_result(sr);
	free(z);
	out->stmts = l.v;
	out->n_stmts = l.n;
}
