/*
 * From one raw parse tree (PostgreSQL's own nodes, read through the node
 * headers libpg_query ships) to ddlgate's statement facts (stmt.h). Every
 * string is copied into the arena: the tree is freed right after.
 */
#include "sql/pgtree.h"

#include <stdlib.h>
#include <string.h>

/* Where the parsed text sits in the file, and where facts go. */
struct pctx {
	struct dg_arena *a;
	int base;                  /* file offset of the parsed text */
};

/* ---- small readers of parser nodes ---- */

static const char *node_str(const Node *n)
{
	return n && IsA(n, String) ? strVal(n) : NULL;
}

/* The last String of a dotted name list (schema.table, pg_catalog.int4), or NULL. */
static const char *last_str(const List *l)
{
	return l ? node_str(llast(l)) : NULL;
}

static const char *opt_str(struct pctx *c, const char *s)
{
	return s && *s ? dg_strdup(c->a, s) : NULL;
}

/* A string the facts always carry ("" when the parser left it out). */
static const char *req_str(struct pctx *c, const char *s)
{
	return dg_strdup(c->a, s ? s : "");
}

static int file_loc(const struct pctx *c, int location)
{
	return location < 0 ? -1 : c->base + location;
}

static struct dg_rel rel_of(struct pctx *c, const RangeVar *rv)
{
	struct dg_rel r = { NULL, NULL };
	if (!rv)
		return r;
	r.schema = opt_str(c, rv->schemaname);
	r.name = dg_strdup(c->a, rv->relname ? rv->relname : "");
	return r;
}

/* A dotted name list (DROP INDEX a.b, RENAME objects) as a relation; the first n items. */
static struct dg_rel rel_of_names(struct pctx *c, const List *names, int n)
{
	struct dg_rel r = { NULL, NULL };
	if (n <= 0)
		return r;
	r.name = dg_strdup(c->a, node_str(list_nth(names, n - 1)));
	if (n >= 2)
		r.schema = dg_strdup(c->a, node_str(list_nth(names, n - 2)));
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

static void push_range_vars(struct pctx *c, struct dg_stmt *st, const List *l)
{
	ListCell *lc;
	foreach(lc, l)
		if (IsA(lfirst(lc), RangeVar))
			push_rel(c, st, rel_of(c, lfirst_node(RangeVar, lc)));
}

/* Column names of a key list (String or IndexElem items), in the arena. */
static const char **name_list(struct pctx *c, const List *l, size_t *n)
{
	*n = (size_t)list_length(l);
	if (!*n)
		return NULL;
	const char **out = dg_alloc(c->a, *n * sizeof(*out));
	size_t i = 0;
	ListCell *lc;
	foreach(lc, l) {
		const Node *item = lfirst(lc);
		const char *s = node_str(item);
		if (!s && IsA(item, IndexElem))
			s = ((const IndexElem *)item)->name;
		out[i++] = dg_strdup(c->a, s ? s : "?");
	}
	return out;
}

/* ---- types ---- */

/*
 * Common type names and how a user writes them: every column names a type,
 * so these are shared strings instead of a copy per column.
 */
static const struct {
	const char *name, *display;
} known_types[] = {
	{ "int2", "smallint" }, { "int4", "integer" }, { "int8", "bigint" },
	{ "float4", "real" }, { "float8", "double precision" },
	{ "bool", "boolean" }, { "bpchar", "char" },
	{ "timestamptz", "timestamptz" }, { "varchar", "varchar" },
	{ "text", "text" }, { "numeric", "numeric" }, { "timestamp", "timestamp" },
	{ "date", "date" }, { "time", "time" }, { "timetz", "timetz" }, { "interval", "interval" },
	{ "uuid", "uuid" }, { "json", "json" }, { "jsonb", "jsonb" }, { "bytea", "bytea" },
	{ "inet", "inet" }, { "cidr", "cidr" }, { "serial", "serial" }, { "bigserial", "bigserial" },
	{ "smallserial", "smallserial" }, { "citext", "citext" }, { "bit", "bit" },
	{ "varbit", "varbit" }, { "money", "money" }, { "tsvector", "tsvector" },
};

static int known_type(const char *name)
{
	for (size_t i = 0; i < DG_ARRAY_SIZE(known_types); i++)
		if (name[0] == known_types[i].name[0] && !strcmp(name, known_types[i].name))
			return (int)i;
	return -1;
}

int dg_sql_type_is_builtin(const char *name)
{
	/* beyond the common ones: what a migration often names and can never be a domain */
	static const char *const more[] = {
		"int", "int2", "int4", "int8", "float", "char", "name", "oid", "xml", "point", "line",
		"lseg", "box", "path", "polygon", "circle", "macaddr", "macaddr8", "regclass",
		"tsquery", "int4range", "int8range", "numrange", "tsrange", "tstzrange", "daterange",
		"serial2", "serial4", "serial8", "pg_lsn", "txid_snapshot",
	};
	if (!name || known_type(name) >= 0)
		return 1;
	for (size_t i = 0; i < DG_ARRAY_SIZE(more); i++)
		if (!strcmp(name, more[i]))
			return 1;
	return 0;
}

static const char *type_display(struct dg_arena *a, const struct dg_type *t)
{
	int k = known_type(t->name);
	const char *base = k >= 0 ? known_types[k].display : t->name;
	if (t->n_mods == 0 && !t->array)
		return k >= 0 ? base : t->name;
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

static void type_of(struct pctx *c, const TypeName *tn, struct dg_type *t)
{
	memset(t, 0, sizeof(*t));
	t->mods[0] = t->mods[1] = -1;
	if (!tn || !tn->names) {
		t->name = t->display = "unknown";
		return;
	}
	const char *last = last_str(tn->names);
	int k = last ? known_type(last) : -1;
	t->name = k >= 0 ? known_types[k].name : dg_strdup(c->a, last ? last : "unknown");
	ListCell *lc;
	foreach(lc, tn->typmods) {
		const Node *m = lfirst(lc);
		if (t->n_mods >= 2)
			break;
		if (IsA(m, A_Const) && !((const A_Const *)m)->isnull &&
		    IsA(&((const A_Const *)m)->val, Integer))
			t->mods[t->n_mods++] = intVal(&((const A_Const *)m)->val);
	}
	t->array = tn->arrayBounds != NIL;
	t->display = type_display(c->a, t);
}

/* ---- expressions ---- */

struct vol_scan {
	enum dg_volatility vol;
	const char *func;
	struct dg_arena *a;
};

static enum dg_pg_walk_next vol_visit(Node *n, int depth, void *payload)
{
	struct vol_scan *v = payload;
	enum dg_volatility f = DG_VOL_NONE;
	const char *name = NULL;
	(void)depth;

	switch (nodeTag(n)) {
	case T_FuncCall: {
		const FuncCall *fc = (const FuncCall *)n;
		if (!fc->funcname)
			return DG_PG_DESCEND;
		name = last_str(fc->funcname);
		const char *schema = list_length(fc->funcname) > 1 ? node_str(linitial(fc->funcname)) : NULL;
		if (schema && strcmp(schema, "pg_catalog"))
			f = DG_VOL_UNKNOWN; /* a user schema: cannot know */
		else
			f = name ? dg_sql_function_volatility(name) : DG_VOL_UNKNOWN;
		break;
	}
	case T_SQLValueFunction:
		/* CURRENT_TIMESTAMP, CURRENT_USER ...: stable within a statement */
		f = DG_VOL_STABLE;
		name = "current_timestamp";
		break;
	case T_A_Const:
	case T_TypeCast:
		f = DG_VOL_IMMUTABLE;
		break;
	case T_SubLink:
		f = DG_VOL_VOLATILE;
		name = "(subquery)";
		break;
	default:
		return DG_PG_DESCEND;
	}
	/* UNKNOWN is treated as volatile but reported as such: it ranks highest */
	if (v->vol == DG_VOL_NONE || f > v->vol) {
		if (f >= DG_VOL_VOLATILE || !v->func)
			v->func = name ? dg_strdup(v->a, name) : NULL;
		v->vol = f;
	}
	return DG_PG_DESCEND;
}

static enum dg_volatility expr_volatility(struct pctx *c, Node *expr, const char **func)
{
	struct vol_scan v = { DG_VOL_NONE, NULL, c->a };
	if (!expr)
		return DG_VOL_NONE;
	if (dg_pg_walk(expr, vol_visit, &v) < 0) {
		/* a node the walker does not know: nothing can be promised */
		v.vol = DG_VOL_UNKNOWN;
		if (!v.func)
			v.func = "(expression)";
	}
	if (v.vol == DG_VOL_NONE)
		v.vol = DG_VOL_IMMUTABLE; /* operators on constants */
	if (func)
		*func = v.vol >= DG_VOL_VOLATILE ? v.func : NULL;
	return v.vol;
}

/* CHECK (col IS NOT NULL): the column it proves NOT NULL, else NULL. */
static const char *check_not_null_column(struct pctx *c, const Node *expr)
{
	if (!expr || !IsA(expr, NullTest))
		return NULL;
	const NullTest *nt = (const NullTest *)expr;
	if (nt->nulltesttype != IS_NOT_NULL || !nt->arg || !IsA(nt->arg, ColumnRef))
		return NULL;
	const ColumnRef *cr = (const ColumnRef *)nt->arg;
	if (list_length(cr->fields) != 1)
		return NULL;
	return dg_strdup(c->a, node_str(linitial(cr->fields)));
}

/* ---- constraints and columns ---- */

static enum dg_con_kind con_kind(ConstrType t)
{
	switch (t) {
	case CONSTR_NULL:
		return DG_CON_NULL;
	case CONSTR_NOTNULL:
		return DG_CON_NOT_NULL;
	case CONSTR_DEFAULT:
		return DG_CON_DEFAULT;
	case CONSTR_IDENTITY:
		return DG_CON_IDENTITY;
	case CONSTR_GENERATED:
		return DG_CON_GENERATED;
	case CONSTR_CHECK:
		return DG_CON_CHECK;
	case CONSTR_PRIMARY:
		return DG_CON_PRIMARY;
	case CONSTR_UNIQUE:
		return DG_CON_UNIQUE;
	case CONSTR_EXCLUSION:
		return DG_CON_EXCLUSION;
	case CONSTR_FOREIGN:
		return DG_CON_FOREIGN;
	default:
		return DG_CON_NONE;
	}
}

static void constraint_of(struct pctx *c, const Constraint *k, struct dg_constraint *o)
{
	memset(o, 0, sizeof(*o));
	o->kind = con_kind(k->contype);
	o->name = opt_str(c, k->conname);
	o->location = file_loc(c, k->location);
	o->not_valid = k->skip_validation;
	o->using_index = opt_str(c, k->indexname);
	switch (o->kind) {
	case DG_CON_FOREIGN:
		o->columns = name_list(c, k->fk_attrs, &o->n_columns);
		o->ref_table = rel_of(c, k->pktable);
		o->ref_columns = name_list(c, k->pk_attrs, &o->n_ref_columns);
		break;
	case DG_CON_PRIMARY:
	case DG_CON_UNIQUE:
		o->columns = name_list(c, k->keys, &o->n_columns);
		break;
	case DG_CON_CHECK:
		o->expr = dg_pg_deparse_expr(c->a, k->raw_expr);
		o->not_null_column = check_not_null_column(c, k->raw_expr);
		break;
	case DG_CON_DEFAULT:
	case DG_CON_GENERATED:
		o->expr = dg_pg_deparse_expr(c->a, k->raw_expr);
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

/* What an inline constraint says about its column. */
static void column_constraint(struct pctx *c, struct dg_column *col, const Constraint *kc)
{
	struct dg_constraint k;
	constraint_of(c, kc, &k);
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
	case DG_CON_DEFAULT:
		if (k.kind == DG_CON_GENERATED)
			col->generated_stored = 1;
		else
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

/* 'seq', 'app.seq', '"Seq"': a regclass literal as PostgreSQL reads the name in it. */
static struct dg_rel regclass_name(struct pctx *c, const char *lit)
{
	struct dg_rel r = { NULL, NULL };
	const char *parts[2] = { NULL, NULL };
	int n = 0;
	const char *p = lit;
	while (*p && n < 3) {
		struct dg_buf b = DG_BUF_INIT;
		if (*p == '"') {
			for (p++; *p && !(*p == '"' && p[1] != '"'); p++) {
				if (*p == '"')
					p++;
				dg_buf_addch(&b, *p);
			}
			if (*p == '"')
				p++;
		} else {
			for (; *p && *p != '.'; p++)
				dg_buf_addch(&b, (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p));
		}
		if (n < 2)
			parts[n] = dg_strndup(c->a, b.ptr ? b.ptr : "", b.len);
		n++;
		dg_buf_release(&b);
		if (*p != '.')
			break;
		p++;
	}
	if (n == 1)
		r.name = parts[0];
	else if (n == 2) {
		r.schema = parts[0];
		r.name = parts[1];
	}
	return r;
}

/* DEFAULT nextval('seq') (or 'seq'::regclass): the sequence it draws from. */
static struct dg_rel default_sequence(struct pctx *c, const Node *e)
{
	struct dg_rel none = { NULL, NULL };
	if (!e || !IsA(e, FuncCall))
		return none;
	const FuncCall *fc = (const FuncCall *)e;
	const char *fn = last_str(fc->funcname);
	if (!fn || strcmp(fn, "nextval") || list_length(fc->args) != 1)
		return none;
	const Node *a = linitial(fc->args);
	if (IsA(a, TypeCast))
		a = ((const TypeCast *)a)->arg;
	if (!a || !IsA(a, A_Const) || ((const A_Const *)a)->isnull ||
	    !IsA(&((const A_Const *)a)->val, String))
		return none;
	return regclass_name(c, strVal(&((const A_Const *)a)->val));
}

static void column_of(struct pctx *c, const ColumnDef *cd, struct dg_column *col)
{
	memset(col, 0, sizeof(*col));
	col->name = dg_strdup(c->a, cd->colname ? cd->colname : "");
	type_of(c, cd->typeName, &col->type);
	col->location = file_loc(c, cd->location);
	col->not_null = cd->is_not_null;
	if (cd->collClause && cd->collClause->collname)
		col->collation = dg_strdup(c->a, last_str(cd->collClause->collname));
	if (cd->raw_default) {
		col->has_default = 1;
		col->default_expr = dg_pg_deparse_expr(c->a, cd->raw_default);
		col->default_volatility = expr_volatility(c, cd->raw_default, &col->volatile_func);
		col->default_seq = default_sequence(c, cd->raw_default);
	}
	ListCell *lc;
	foreach(lc, cd->constraints) {
		if (!IsA(lfirst(lc), Constraint))
			continue;
		const Constraint *k = lfirst_node(Constraint, lc);
		column_constraint(c, col, k);
		if (k->contype == CONSTR_DEFAULT)
			col->default_seq = default_sequence(c, k->raw_expr);
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

static void facts_create_table(struct pctx *c, const CreateStmt *cs, struct dg_stmt *st)
{
	st->kind = DG_STMT_CREATE_TABLE;
	push_rel(c, st, rel_of(c, cs->relation));
	st->if_not_exists = cs->if_not_exists;
	if (cs->relation) {
		st->is_temp = cs->relation->relpersistence == 't'; /* RELPERSISTENCE_TEMP */
		st->is_unlogged = cs->relation->relpersistence == 'u'; /* ..._UNLOGGED */
	}
	st->is_partitioned = cs->partspec != NULL;
	if (cs->partbound && list_length(cs->inhRelations) == 1 &&
	    IsA(linitial(cs->inhRelations), RangeVar))
		dg_stmt_rare_mut(c->a, st)->partition_of = rel_of(c, linitial_node(RangeVar, cs->inhRelations));

	size_t ncols = 0, ncons = 0, nlikes = 0;
	ListCell *lc;
	foreach(lc, cs->tableElts) {
		ncols += IsA(lfirst(lc), ColumnDef);
		ncons += IsA(lfirst(lc), Constraint);
		nlikes += IsA(lfirst(lc), TableLikeClause);
	}
	ncons += (size_t)list_length(cs->constraints);
	st->columns = ncols ? dg_alloc(c->a, ncols * sizeof(*st->columns)) : NULL;
	st->constraints = ncons ? dg_alloc(c->a, ncons * sizeof(*st->constraints)) : NULL;
	struct dg_stmt_rare *rare = nlikes ? dg_stmt_rare_mut(c->a, st) : NULL; /* only with LIKE */
	if (rare) {
		rare->likes = dg_alloc(c->a, nlikes * sizeof(*rare->likes));
		rare->like_options = dg_alloc(c->a, nlikes * sizeof(*rare->like_options));
	}
	foreach(lc, cs->tableElts) {
		Node *e = lfirst(lc);
		if (IsA(e, ColumnDef)) {
			column_of(c, (ColumnDef *)e, &st->columns[st->n_columns++]);
		} else if (IsA(e, Constraint)) {
			constraint_of(c, (Constraint *)e, &st->constraints[st->n_constraints++]);
		} else if (IsA(e, TableLikeClause)) {
			const TableLikeClause *like = (const TableLikeClause *)e;
			rare->like_options[rare->n_likes] =
				((like->options & CREATE_TABLE_LIKE_INDEXES) ? DG_LIKE_INDEXES : 0) |
				((like->options & CREATE_TABLE_LIKE_CONSTRAINTS) ? DG_LIKE_CONSTRAINTS : 0);
			rare->likes[rare->n_likes++] = rel_of(c, like->relation);
		}
	}
	foreach(lc, cs->constraints)
		if (IsA(lfirst(lc), Constraint))
			constraint_of(c, lfirst_node(Constraint, lc), &st->constraints[st->n_constraints++]);
	if (rare && rare->n_likes)
		rare->like_table = dg_rel_display(c->a, &rare->likes[0]);
}

static enum dg_cmd_kind cmd_kind(AlterTableType t)
{
	switch (t) {
	case AT_AddColumn:
		return DG_CMD_ADD_COLUMN;
	case AT_DropColumn:
		return DG_CMD_DROP_COLUMN;
	case AT_AlterColumnType:
		return DG_CMD_ALTER_TYPE;
	case AT_SetNotNull:
		return DG_CMD_SET_NOT_NULL;
	case AT_DropNotNull:
		return DG_CMD_DROP_NOT_NULL;
	case AT_ColumnDefault:
		return DG_CMD_SET_DEFAULT; /* def == NULL: DROP DEFAULT, fixed by the caller */
	case AT_AddConstraint:
	case AT_AddIndexConstraint:
		return DG_CMD_ADD_CONSTRAINT;
	case AT_ValidateConstraint:
		return DG_CMD_VALIDATE_CONSTRAINT;
	case AT_DropConstraint:
		return DG_CMD_DROP_CONSTRAINT;
	case AT_SetLogged:
		return DG_CMD_SET_LOGGED;
	case AT_SetUnLogged:
		return DG_CMD_SET_UNLOGGED;
	case AT_SetTableSpace:
		return DG_CMD_SET_TABLESPACE;
	case AT_SetRelOptions:
	case AT_ReplaceRelOptions:
	case AT_SetOptions:
		return DG_CMD_SET_OPTIONS;
	case AT_ResetRelOptions:
	case AT_ResetOptions:
		return DG_CMD_RESET_OPTIONS;
	case AT_SetStatistics:
		return DG_CMD_SET_STATISTICS;
	case AT_SetStorage:
	case AT_SetCompression:
		return DG_CMD_SET_STORAGE;
	case AT_EnableTrig:
	case AT_EnableAlwaysTrig:
	case AT_EnableReplicaTrig:
	case AT_EnableTrigAll:
	case AT_EnableTrigUser:
		return DG_CMD_ENABLE_TRIGGER;
	case AT_DisableTrig:
	case AT_DisableTrigAll:
	case AT_DisableTrigUser:
		return DG_CMD_DISABLE_TRIGGER;
	case AT_AttachPartition:
		return DG_CMD_ATTACH_PARTITION;
	case AT_DetachPartition:
	case AT_DetachPartitionFinalize:
		return DG_CMD_DETACH_PARTITION;
	case AT_AddIdentity:
		return DG_CMD_ADD_IDENTITY;
	case AT_DropIdentity:
		return DG_CMD_DROP_IDENTITY;
	case AT_ChangeOwner:
		return DG_CMD_OWNER;
	case AT_ClusterOn:
		return DG_CMD_CLUSTER_ON;
	case AT_DropCluster:
		return DG_CMD_SET_WITHOUT_CLUSTER;
	case AT_EnableRowSecurity:
	case AT_ForceRowSecurity:
		return DG_CMD_ENABLE_RLS;
	case AT_DisableRowSecurity:
	case AT_NoForceRowSecurity:
		return DG_CMD_DISABLE_RLS;
	case AT_AddInherit:
	case AT_DropInherit:
		return DG_CMD_INHERIT;
	case AT_ReplicaIdentity:
		return DG_CMD_REPLICA_IDENTITY;
	default:
		return DG_CMD_OTHER;
	}
}

/* ALTER TABLE ... ADD COLUMN / ALTER COLUMN TYPE: the column definition. */
static struct dg_column *cmd_coldef(struct pctx *c, struct dg_cmd *cmd, const Node *def)
{
	if (!def || !IsA(def, ColumnDef))
		return NULL;
	cmd->coldef = dg_alloc(c->a, sizeof(*cmd->coldef));
	column_of(c, (const ColumnDef *)def, cmd->coldef);
	cmd->location = cmd->coldef->location;
	return cmd->coldef;
}

static void cmd_of(struct pctx *c, const AlterTableCmd *ac, struct dg_cmd *cmd)
{
	memset(cmd, 0, sizeof(*cmd));
	cmd->kind = cmd_kind(ac->subtype);
	cmd->if_exists = ac->missing_ok;
	cmd->cascade = ac->behavior == DROP_CASCADE;
	cmd->location = -1;
	cmd->column = opt_str(c, ac->name);
	cmd->name = cmd->column;
	Node *def = ac->def;
	switch (cmd->kind) {
	case DG_CMD_ADD_COLUMN:
		if (cmd_coldef(c, cmd, def))
			cmd->column = cmd->coldef->name;
		break;
	case DG_CMD_ALTER_TYPE:
		if (cmd_coldef(c, cmd, def)) {
			cmd->coldef->name = cmd->column;
			cmd->has_using = ((const ColumnDef *)def)->raw_default != NULL;
			cmd->coldef->has_default = 0; /* raw_default holds USING */
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
		cmd->coldef->default_expr = dg_pg_deparse_expr(c->a, def);
		cmd->coldef->default_volatility =
			expr_volatility(c, def, &cmd->coldef->volatile_func);
		cmd->coldef->location = -1;
		break;
	case DG_CMD_ADD_CONSTRAINT:
		if (def && IsA(def, Constraint)) {
			cmd->con = dg_alloc(c->a, sizeof(*cmd->con));
			constraint_of(c, (const Constraint *)def, cmd->con);
			cmd->name = cmd->con->name;
			cmd->location = cmd->con->location;
		}
		break;
	case DG_CMD_ATTACH_PARTITION:
	case DG_CMD_DETACH_PARTITION:
		if (def && IsA(def, PartitionCmd)) {
			cmd->part = rel_of(c, ((const PartitionCmd *)def)->name);
			cmd->concurrently = ((const PartitionCmd *)def)->concurrent;
		}
		break;
	case DG_CMD_INHERIT:
		if (def && IsA(def, RangeVar))
			cmd->part = rel_of(c, (const RangeVar *)def);
		break;
	default:
		break;
	}
}

static void facts_alter_table(struct pctx *c, const AlterTableStmt *as, struct dg_stmt *st)
{
	st->kind = DG_STMT_ALTER_TABLE;
	st->object = as->objtype == OBJECT_INDEX ? DG_OBJ_INDEX :
		     as->objtype == OBJECT_MATVIEW ? DG_OBJ_MATVIEW :
		     as->objtype == OBJECT_VIEW ? DG_OBJ_VIEW :
		     as->objtype == OBJECT_SEQUENCE ? DG_OBJ_SEQUENCE : DG_OBJ_TABLE;
	st->if_exists = as->missing_ok;
	push_rel(c, st, rel_of(c, as->relation));
	if (!as->cmds)
		return;
	st->cmds = dg_alloc(c->a, (size_t)list_length(as->cmds) * sizeof(*st->cmds));
	ListCell *lc;
	foreach(lc, as->cmds)
		if (IsA(lfirst(lc), AlterTableCmd))
			cmd_of(c, lfirst_node(AlterTableCmd, lc), &st->cmds[st->n_cmds++]);
}

static void facts_create_index(struct pctx *c, const IndexStmt *is, struct dg_stmt *st)
{
	struct dg_index *ix = dg_alloc(c->a, sizeof(*ix));
	st->kind = DG_STMT_CREATE_INDEX;
	st->index = ix;
	push_rel(c, st, rel_of(c, is->relation));
	ix->table = *st->rel;
	ix->name = opt_str(c, is->idxname);
	ix->unique = is->unique || is->primary;
	ix->concurrently = is->concurrent;
	ix->if_not_exists = is->if_not_exists;
	st->concurrently = is->concurrent;
	st->if_not_exists = is->if_not_exists;
	st->name = ix->name;
	ix->method = dg_strdup(c->a, is->accessMethod && *is->accessMethod ? is->accessMethod : "btree");
	if (is->indexParams) {
		ix->elems = dg_alloc(c->a, (size_t)list_length(is->indexParams) * sizeof(*ix->elems));
		ListCell *lc;
		foreach(lc, is->indexParams) {
			if (!IsA(lfirst(lc), IndexElem))
				continue;
			const IndexElem *ie = lfirst_node(IndexElem, lc);
			struct dg_index_elem *e = &ix->elems[ix->n_elems++];
			if (ie->name && *ie->name)
				e->column = dg_strdup(c->a, ie->name);
			else
				e->expr = dg_pg_deparse_expr(c->a, ie->expr);
		}
	}
	if (is->whereClause)
		ix->where = dg_pg_deparse_expr(c->a, is->whereClause);
}

static enum dg_object_kind object_kind(ObjectType t)
{
	switch (t) {
	case OBJECT_TABLE:
	case OBJECT_FOREIGN_TABLE:
		return DG_OBJ_TABLE;
	case OBJECT_INDEX:
		return DG_OBJ_INDEX;
	case OBJECT_VIEW:
		return DG_OBJ_VIEW;
	case OBJECT_MATVIEW:
		return DG_OBJ_MATVIEW;
	case OBJECT_SEQUENCE:
		return DG_OBJ_SEQUENCE;
	case OBJECT_COLUMN:
		return DG_OBJ_COLUMN;
	case OBJECT_TABCONSTRAINT:
		return DG_OBJ_CONSTRAINT;
	case OBJECT_SCHEMA:
		return DG_OBJ_SCHEMA;
	case OBJECT_TYPE:
	case OBJECT_DOMAIN:
		return DG_OBJ_TYPE;
	case OBJECT_FUNCTION:
	case OBJECT_PROCEDURE:
	case OBJECT_ROUTINE:
		return DG_OBJ_FUNCTION;
	case OBJECT_TRIGGER:
		return DG_OBJ_TRIGGER;
	case OBJECT_EXTENSION:
		return DG_OBJ_EXTENSION;
	default:
		return DG_OBJ_OTHER;
	}
}

static void facts_drop(struct pctx *c, const DropStmt *ds, struct dg_stmt *st)
{
	st->kind = DG_STMT_DROP;
	st->object = object_kind(ds->removeType);
	st->if_exists = ds->missing_ok;
	st->cascade = ds->behavior == DROP_CASCADE;
	st->concurrently = ds->concurrent;
	ListCell *lc;
	foreach(lc, ds->objects) {
		const Node *o = lfirst(lc);
		if (IsA(o, List))
			push_rel(c, st, rel_of_names(c, (const List *)o, list_length((const List *)o)));
		else if (IsA(o, String))
			push_rel(c, st, (struct dg_rel){ NULL, dg_strdup(c->a, strVal(o)) });
		else if (IsA(o, TypeName) && ((const TypeName *)o)->names)
			push_rel(c, st, rel_of_names(c, ((const TypeName *)o)->names,
						     list_length(((const TypeName *)o)->names)));
	}
	if (st->rel)
		st->name = st->rel->name;
	/* DROP TRIGGER t ON tbl: objects = [tbl..., t]; keep the table as rel */
	if (st->object == DG_OBJ_TRIGGER && list_length(ds->objects) == 1 &&
	    IsA(linitial(ds->objects), List)) {
		const List *l = linitial(ds->objects);
		if (list_length(l) >= 2) {
			st->name = dg_strdup(c->a, last_str(l));
			*st->rel = rel_of_names(c, l, list_length(l) - 1);
			st->rels[0] = *st->rel;
		}
	}
}

static void facts_rename(struct pctx *c, const RenameStmt *rs, struct dg_stmt *st)
{
	st->kind = DG_STMT_RENAME;
	st->object = object_kind(rs->renameType);
	st->if_exists = rs->missing_ok;
	st->new_name = req_str(c, rs->newname);
	if (rs->relation)
		push_rel(c, st, rel_of(c, rs->relation));
	switch (st->object) {
	case DG_OBJ_COLUMN:
	case DG_OBJ_CONSTRAINT:
	case DG_OBJ_TRIGGER:
		st->name = req_str(c, rs->subname);
		break;
	case DG_OBJ_TABLE:
	case DG_OBJ_INDEX:
	case DG_OBJ_VIEW:
	case DG_OBJ_MATVIEW:
	case DG_OBJ_SEQUENCE:
		st->name = st->rel ? st->rel->name : NULL;
		break;
	default:
		if (rs->object && IsA(rs->object, List)) {
			const List *l = (const List *)rs->object;
			st->name = rel_of_names(c, l, list_length(l)).name;
		} else if (node_str(rs->object)) {
			st->name = dg_strdup(c->a, node_str(rs->object));
		} else if (rs->subname && *rs->subname) {
			st->name = dg_strdup(c->a, rs->subname);
		}
		break;
	}
}

static const DefElem *defelem_find(const List *opts, const char *name)
{
	ListCell *lc;
	foreach(lc, opts) {
		const Node *o = lfirst(lc);
		if (IsA(o, DefElem) && ((const DefElem *)o)->defname &&
		    !strcmp(((const DefElem *)o)->defname, name))
			return (const DefElem *)o;
	}
	return NULL;
}

static int defelem_flag(const List *opts, const char *name)
{
	const DefElem *d = defelem_find(opts, name);
	if (!d)
		return 0;
	if (!d->arg)
		return 1;
	if (IsA(d->arg, Boolean))
		return boolVal(d->arg);
	if (IsA(d->arg, Integer))
		return intVal(d->arg) != 0;
	const char *s = node_str(d->arg);
	return !s || (strcmp(s, "false") && strcmp(s, "off") && strcmp(s, "0"));
}

/* A string option (AS 'body', LANGUAGE x), in the arena, or NULL. */
static const char *defelem_str(struct pctx *c, const List *opts, const char *name)
{
	ListCell *lc;
	foreach(lc, opts) {
		const Node *o = lfirst(lc);
		if (!IsA(o, DefElem))
			continue;
		const DefElem *d = (const DefElem *)o;
		if (!d->defname || strcmp(d->defname, name) || !d->arg)
			continue;
		if (node_str(d->arg))
			return dg_strdup(c->a, node_str(d->arg));
		if (IsA(d->arg, List) && ((const List *)d->arg)->length)
			return dg_strdup(c->a, node_str(linitial((const List *)d->arg)));
	}
	return NULL;
}

static const char *set_value_text(struct pctx *c, const VariableSetStmt *vs)
{
	struct dg_buf b = DG_BUF_INIT;
	int first = 1;
	ListCell *lc;
	foreach(lc, vs->args) {
		const Node *a = lfirst(lc);
		if (!first)
			dg_buf_adds(&b, ", ");
		first = 0;
		int cast = IsA(a, TypeCast); /* SET x = interval '1s' */
		if (cast)
			a = ((const TypeCast *)a)->arg;
		if (!a || !IsA(a, A_Const) || ((const A_Const *)a)->isnull)
			continue;
		const Node *v = (const Node *)&((const A_Const *)a)->val;
		if (cast && !IsA(v, String))
			continue;
		if (IsA(v, Integer))
			dg_buf_addf(&b, "%d", intVal(v));
		else if (IsA(v, String))
			dg_buf_adds(&b, strVal(v));
		else if (IsA(v, Float))
			dg_buf_adds(&b, castNode(Float, (Node *)v)->fval);
	}
	const char *s = b.len ? dg_strdup(c->a, b.ptr) : NULL;
	dg_buf_release(&b);
	return s;
}

/* ---- relations read by query parts ---- */

struct reads_scan {
	struct pctx *c;
	struct dg_stmt *st;
	const Node *top;           /* the query itself */
	const char **ctes;         /* WITH names: not relations */
	size_t n_ctes, cap_ctes;
};

static int is_cte(const struct reads_scan *r, const RangeVar *rv)
{
	for (size_t i = 0; !(rv->schemaname && *rv->schemaname) && i < r->n_ctes; i++)
		if (rv->relname && !strcmp(r->ctes[i], rv->relname))
			return 1;
	return 0;
}

static void add_rel_to(struct reads_scan *r, struct dg_rel **v, unsigned *n, const RangeVar *rv)
{
	if (!rv || is_cte(r, rv))
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

static enum dg_pg_walk_next reads_rangevar(Node *n, int depth, void *payload)
{
	struct reads_scan *r = payload;
	(void)depth;
	if (IsA(n, RangeVar))
		add_rel_to(r, &r->st->reads, &r->st->n_reads, (const RangeVar *)n);
	return DG_PG_DESCEND;
}

/* WITH names, and the targets of INSERT / UPDATE / DELETE nested in the query. */
static enum dg_pg_walk_next reads_ctes(Node *n, int depth, void *payload)
{
	struct reads_scan *r = payload;
	(void)depth;
	if (IsA(n, CommonTableExpr) && ((const CommonTableExpr *)n)->ctename)
		DG_PUSH(r->ctes, r->n_ctes, r->cap_ctes, ((const CommonTableExpr *)n)->ctename);
	if (n == r->top)
		return DG_PG_DESCEND;
	const RangeVar *target = NULL;
	if (IsA(n, InsertStmt))
		target = ((const InsertStmt *)n)->relation;
	else if (IsA(n, UpdateStmt))
		target = ((const UpdateStmt *)n)->relation;
	else if (IsA(n, DeleteStmt))
		target = ((const DeleteStmt *)n)->relation;
	if (target) {
		struct dg_stmt_rare *rare = dg_stmt_rare_mut(r->c->a, r->st);
		add_rel_to(r, &rare->writes, &rare->n_writes, target);
	}
	return DG_PG_DESCEND;
}

static void reads_of_list(struct reads_scan *r, List *l)
{
	ListCell *lc;
	foreach(lc, l)
		dg_pg_walk(lfirst(lc), reads_rangevar, r);
}

/* Every SELECT below the query reads the relations of its FROM (and subqueries). */
static enum dg_pg_walk_next reads_select(Node *n, int depth, void *payload)
{
	struct reads_scan *r = payload;
	(void)depth;
	if (!IsA(n, SelectStmt))
		return DG_PG_DESCEND;
	const SelectStmt *s = (const SelectStmt *)n;
	if (s->lockingClause)
		r->st->row_locking = 1;
	reads_of_list(r, s->fromClause);
	return DG_PG_DESCEND;
}

static void collect_reads(struct pctx *c, Node *query, struct dg_stmt *st)
{
	struct reads_scan r = { c, st, query, NULL, 0, 0 };
	if (!query)
		return;
	dg_pg_walk(query, reads_ctes, &r);
	dg_pg_walk(query, reads_select, &r);
	if (IsA(query, UpdateStmt))
		reads_of_list(&r, ((UpdateStmt *)query)->fromClause);
	if (IsA(query, DeleteStmt))
		reads_of_list(&r, ((DeleteStmt *)query)->usingClause);
	free(r.ctes);
}

/* ---- one statement ---- */

static void facts_transaction(const TransactionStmt *ts, struct dg_stmt *st)
{
	switch (ts->kind) {
	case TRANS_STMT_BEGIN:
	case TRANS_STMT_START:
		st->kind = DG_STMT_BEGIN;
		break;
	case TRANS_STMT_COMMIT:
	case TRANS_STMT_PREPARE:
		st->kind = DG_STMT_COMMIT;
		break;
	case TRANS_STMT_ROLLBACK:
		st->kind = DG_STMT_ROLLBACK;
		break;
	default:
		st->kind = DG_STMT_SAVEPOINT;
		break;
	}
}

static void facts_reindex(struct pctx *c, const ReindexStmt *rs, struct dg_stmt *st)
{
	st->kind = DG_STMT_REINDEX;
	st->object = rs->kind == REINDEX_OBJECT_INDEX ? DG_OBJ_INDEX :
		     rs->kind == REINDEX_OBJECT_TABLE ? DG_OBJ_TABLE :
		     rs->kind == REINDEX_OBJECT_DATABASE ? DG_OBJ_DATABASE :
		     rs->kind == REINDEX_OBJECT_SYSTEM ? DG_OBJ_SYSTEM : DG_OBJ_SCHEMA;
	if (rs->relation)
		push_rel(c, st, rel_of(c, rs->relation));
	else
		st->name = req_str(c, rs->name);
	st->concurrently = defelem_flag(rs->params, "concurrently");
}

static void facts_vacuum(struct pctx *c, const VacuumStmt *vs, struct dg_stmt *st)
{
	st->kind = vs->is_vacuumcmd ? DG_STMT_VACUUM : DG_STMT_ANALYZE;
	st->full = defelem_flag(vs->options, "full");
	ListCell *lc;
	foreach(lc, vs->rels)
		if (IsA(lfirst(lc), VacuumRelation) && lfirst_node(VacuumRelation, lc)->relation)
			push_rel(c, st, rel_of(c, lfirst_node(VacuumRelation, lc)->relation));
}

static void facts_comment(struct pctx *c, const CommentStmt *cs, struct dg_stmt *st)
{
	st->kind = DG_STMT_COMMENT;
	st->object = object_kind(cs->objtype);
	if (!cs->object || !IsA(cs->object, List))
		return;
	const List *l = (const List *)cs->object;
	if (st->object == DG_OBJ_COLUMN && list_length(l) >= 2) {
		st->name = dg_strdup(c->a, last_str(l));
		push_rel(c, st, rel_of_names(c, l, list_length(l) - 1));
	} else {
		push_rel(c, st, rel_of_names(c, l, list_length(l)));
	}
}

static void facts_routine(struct pctx *c, const CreateFunctionStmt *fs, struct dg_stmt *st)
{
	st->kind = DG_STMT_CREATE_FUNCTION;
	if (fs->funcname)
		st->name = dg_strdup(c->a, last_str(fs->funcname));
	st->body = defelem_str(c, fs->options, "as");
	st->language = defelem_str(c, fs->options, "language");
}

static void facts_create_domain(struct pctx *c, const CreateDomainStmt *ds, struct dg_stmt *st)
{
	st->kind = DG_STMT_CREATE_DOMAIN;
	struct dg_stmt_rare *rare = dg_stmt_rare_mut(c->a, st);
	rare->domain = rel_of_names(c, ds->domainname, list_length(ds->domainname));
	st->name = rare->domain.name;
	ListCell *lc;
	foreach(lc, ds->constraints) {
		const Node *k = lfirst(lc);
		if (IsA(k, Constraint) && (((const Constraint *)k)->contype == CONSTR_CHECK ||
					   ((const Constraint *)k)->contype == CONSTR_NOTNULL))
			rare->domain_constrained = 1;
	}
}

static void facts_alter_domain(struct pctx *c, const AlterDomainStmt *ds, struct dg_stmt *st)
{
	st->kind = DG_STMT_ALTER_DOMAIN;
	struct dg_stmt_rare *rare = dg_stmt_rare_mut(c->a, st);
	rare->domain = rel_of_names(c, ds->typeName, list_length(ds->typeName));
	st->name = opt_str(c, ds->name);
	switch (ds->subtype) {
	case 'C':
		rare->domain_cmd = DG_DOM_ADD_CONSTRAINT;
		if (ds->def && IsA(ds->def, Constraint)) {
			rare->con = dg_alloc(c->a, sizeof(*rare->con));
			constraint_of(c, (const Constraint *)ds->def, rare->con);
			st->name = rare->con->name;
		}
		break;
	case 'V':
		rare->domain_cmd = DG_DOM_VALIDATE;
		break;
	case 'O':
		rare->domain_cmd = DG_DOM_SET_NOT_NULL;
		break;
	case 'N':
		rare->domain_cmd = DG_DOM_DROP_NOT_NULL;
		break;
	case 'X':
		rare->domain_cmd = DG_DOM_DROP_CONSTRAINT;
		break;
	default:
		rare->domain_cmd = DG_DOM_OTHER;
		break;
	}
}

/* The kind of statement and its own facts. */
static void stmt_facts_kind(struct pctx *c, Node *n, struct dg_stmt *st)
{
	switch (nodeTag(n)) {
	case T_TransactionStmt:
		facts_transaction((const TransactionStmt *)n, st);
		break;
	case T_VariableSetStmt: {
		const VariableSetStmt *vs = (const VariableSetStmt *)n;
		st->kind = DG_STMT_SET;
		st->name = opt_str(c, vs->name);
		st->is_local = vs->is_local;
		if (vs->kind == VAR_SET_VALUE)
			st->value = set_value_text(c, vs);
		break;
	}
	case T_CreateStmt:
		facts_create_table(c, (const CreateStmt *)n, st);
		break;
	case T_CreateTableAsStmt: {
		const CreateTableAsStmt *ct = (const CreateTableAsStmt *)n;
		st->kind = ct->objtype == OBJECT_MATVIEW ? DG_STMT_CREATE_MATVIEW : DG_STMT_CREATE_TABLE_AS;
		if (ct->into) {
			push_rel(c, st, rel_of(c, ct->into->rel));
			st->with_no_data = ct->into->skipData;
		}
		st->if_not_exists = ct->if_not_exists;
		break;
	}
	case T_AlterTableStmt:
		facts_alter_table(c, (const AlterTableStmt *)n, st);
		break;
	case T_IndexStmt:
		facts_create_index(c, (const IndexStmt *)n, st);
		break;
	case T_DropStmt:
		facts_drop(c, (const DropStmt *)n, st);
		break;
	case T_RenameStmt:
		facts_rename(c, (const RenameStmt *)n, st);
		break;
	case T_ReindexStmt:
		facts_reindex(c, (const ReindexStmt *)n, st);
		break;
	case T_VacuumStmt:
		facts_vacuum(c, (const VacuumStmt *)n, st);
		break;
	case T_ClusterStmt: {
		const ClusterStmt *cl = (const ClusterStmt *)n;
		st->kind = DG_STMT_CLUSTER;
		if (cl->relation)
			push_rel(c, st, rel_of(c, cl->relation));
		st->name = opt_str(c, cl->indexname);
		break;
	}
	case T_LockStmt: {
		const LockStmt *ls = (const LockStmt *)n;
		st->kind = DG_STMT_LOCK;
		/* PostgreSQL's lock modes 1..8 are ddlgate's, in the same order */
		struct dg_stmt_rare *rare = dg_stmt_rare_mut(c->a, st);
		rare->lock_mode = (enum dg_lockmode)ls->mode;
		if (rare->lock_mode < DG_LOCK_ACCESS_SHARE || rare->lock_mode > DG_LOCK_ACCESS_EXCLUSIVE)
			rare->lock_mode = DG_LOCK_ACCESS_EXCLUSIVE;
		push_range_vars(c, st, ls->relations);
		break;
	}
	case T_TruncateStmt:
		st->kind = DG_STMT_TRUNCATE;
		st->cascade = ((const TruncateStmt *)n)->behavior == DROP_CASCADE;
		push_range_vars(c, st, ((const TruncateStmt *)n)->relations);
		break;
	case T_InsertStmt:
		st->kind = DG_STMT_INSERT;
		push_rel(c, st, rel_of(c, ((const InsertStmt *)n)->relation));
		break;
	case T_UpdateStmt:
		st->kind = DG_STMT_UPDATE;
		push_rel(c, st, rel_of(c, ((const UpdateStmt *)n)->relation));
		st->has_where = ((const UpdateStmt *)n)->whereClause != NULL;
		break;
	case T_DeleteStmt:
		st->kind = DG_STMT_DELETE;
		push_rel(c, st, rel_of(c, ((const DeleteStmt *)n)->relation));
		st->has_where = ((const DeleteStmt *)n)->whereClause != NULL;
		break;
	case T_SelectStmt:
		st->kind = DG_STMT_SELECT;
		break;
	case T_ViewStmt:
		st->kind = DG_STMT_CREATE_VIEW;
		push_rel(c, st, rel_of(c, ((const ViewStmt *)n)->view));
		break;
	case T_RefreshMatViewStmt: {
		const RefreshMatViewStmt *rm = (const RefreshMatViewStmt *)n;
		st->kind = DG_STMT_REFRESH_MATVIEW;
		st->concurrently = rm->concurrent;
		st->with_no_data = rm->skipData;
		push_rel(c, st, rel_of(c, rm->relation));
		break;
	}
	case T_CreateTrigStmt:
		st->kind = DG_STMT_CREATE_TRIGGER;
		push_rel(c, st, rel_of(c, ((const CreateTrigStmt *)n)->relation));
		st->name = req_str(c, ((const CreateTrigStmt *)n)->trigname);
		break;
	case T_CreateFunctionStmt:
		facts_routine(c, (const CreateFunctionStmt *)n, st);
		break;
	case T_DoStmt: {
		const DefElem *as = defelem_find(((const DoStmt *)n)->args, "as");
		st->kind = DG_STMT_DO;
		st->body = defelem_str(c, ((const DoStmt *)n)->args, "as");
		st->language = defelem_str(c, ((const DoStmt *)n)->args, "language");
		/* the body's literal: where the statements of the body are in the file */
		if (as && as->location >= 0)
			dg_stmt_rare_mut(c->a, st)->body_offset = (size_t)file_loc(c, as->location);
		break;
	}
	case T_DropdbStmt:
		st->kind = DG_STMT_DROP_DATABASE;
		st->name = req_str(c, ((const DropdbStmt *)n)->dbname);
		st->if_exists = ((const DropdbStmt *)n)->missing_ok;
		break;
	case T_CreateDomainStmt:
		facts_create_domain(c, (const CreateDomainStmt *)n, st);
		break;
	case T_AlterDomainStmt:
		facts_alter_domain(c, (const AlterDomainStmt *)n, st);
		break;
	case T_AlterEnumStmt: {
		const AlterEnumStmt *ae = (const AlterEnumStmt *)n;
		st->kind = DG_STMT_ALTER_TYPE;
		st->object = DG_OBJ_TYPE;
		st->name = rel_of_names(c, ae->typeName, list_length(ae->typeName)).name;
		st->value = req_str(c, ae->newVal);
		break;
	}
	case T_CreateEnumStmt:
	case T_CompositeTypeStmt:
	case T_CreateRangeStmt:
		st->kind = DG_STMT_CREATE_TYPE;
		break;
	case T_CreateSchemaStmt:
		st->kind = DG_STMT_CREATE_SCHEMA;
		st->name = req_str(c, ((const CreateSchemaStmt *)n)->schemaname);
		st->if_not_exists = ((const CreateSchemaStmt *)n)->if_not_exists;
		break;
	case T_CreateSeqStmt:
		st->kind = DG_STMT_CREATE_SEQUENCE;
		push_rel(c, st, rel_of(c, ((const CreateSeqStmt *)n)->sequence));
		break;
	case T_AlterSeqStmt:
		st->kind = DG_STMT_ALTER_SEQUENCE;
		push_rel(c, st, rel_of(c, ((const AlterSeqStmt *)n)->sequence));
		break;
	case T_CreateExtensionStmt:
		st->kind = DG_STMT_CREATE_EXTENSION;
		st->name = req_str(c, ((const CreateExtensionStmt *)n)->extname);
		break;
	case T_CommentStmt:
		facts_comment(c, (const CommentStmt *)n, st);
		break;
	case T_GrantStmt:
		st->kind = DG_STMT_GRANT;
		st->object = object_kind(((const GrantStmt *)n)->objtype);
		push_range_vars(c, st, ((const GrantStmt *)n)->objects);
		break;
	case T_CopyStmt:
		st->kind = DG_STMT_COPY;
		if (((const CopyStmt *)n)->is_from)
			dg_stmt_rare_mut(c->a, st)->copy_from = 1;
		if (((const CopyStmt *)n)->relation)
			push_rel(c, st, rel_of(c, ((const CopyStmt *)n)->relation));
		break;
	default:
		st->kind = DG_STMT_OTHER;
		break;
	}
}

void dg_pg_stmt_facts(struct dg_arena *a, Node *stmt, int base, struct dg_stmt *st)
{
	struct pctx c = { a, base };
	if (!stmt)
		return;
	stmt_facts_kind(&c, stmt, st);
	switch (st->kind) {
	case DG_STMT_SELECT:
	case DG_STMT_INSERT:
	case DG_STMT_UPDATE:
	case DG_STMT_DELETE:
		collect_reads(&c, stmt, st);
		break;
	case DG_STMT_CREATE_VIEW:
		collect_reads(&c, ((ViewStmt *)stmt)->query, st);
		break;
	case DG_STMT_CREATE_TABLE_AS:
	case DG_STMT_CREATE_MATVIEW:
		collect_reads(&c, ((CreateTableAsStmt *)stmt)->query, st);
		break;
	case DG_STMT_COPY:
		collect_reads(&c, ((CopyStmt *)stmt)->query, st); /* COPY (query) TO */
		break;
	default:
		break;
	}
}
