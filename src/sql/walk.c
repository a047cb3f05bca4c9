/*
 * The one walker over PostgreSQL's raw parse tree, and expression
 * deparsing. PostgreSQL's raw_expression_tree_walker knows every node
 * kind of queries and expressions; here it only lists a node's children,
 * and the walk keeps its own stack on the heap, so that `SELECT 1+1+...`
 * with a million terms costs memory, never the C stack.
 */
#include "sql/pgtree.h"

#include <stdlib.h>
#include <string.h>

#include "lib/stringinfo.h"
#include "nodes/nodeFuncs.h"
#include "utils/elog.h"

/* libpg_query's deparser (postgres_deparse.h is not installed). */
extern void deparseRawStmt(StringInfo str, RawStmt *raw_stmt);

struct frame {
	Node *n;
	int depth;
};

struct walk {
	struct frame *stack;
	size_t n, cap;
	Node **kids;               /* the children of the node being expanded */
	size_t n_kids, cap_kids;
	enum dg_pg_walk_next (*visit)(Node *, int, void *);
	void *payload;
};

static bool collect_child(Node *child, void *context)
{
	struct walk *w = context;
	if (child)
		DG_PUSH(w->kids, w->n_kids, w->cap_kids, child);
	return false; /* never descend here: the walk does that */
}

/* The walk itself; PostgreSQL's walker raises an error on a node kind it does not know. */
static int walk_loop(struct walk *w)
{
	while (w->n) {
		struct frame f = w->stack[--w->n];
		enum dg_pg_walk_next next = w->visit(f.n, f.depth, w->payload);
		if (next == DG_PG_STOP)
			return -1;
		if (next == DG_PG_SKIP)
			continue;
		w->n_kids = 0;
		raw_expression_tree_walker(f.n, collect_child, w);
		/* reversed onto the stack, so that they come off in field order */
		DG_GROW(w->stack, w->n, w->cap, w->n + w->n_kids);
		for (size_t k = w->n_kids; k-- > 0;) {
			struct frame c = { w->kids[k], f.depth + 1 };
			w->stack[w->n++] = c;
		}
	}
	return 0;
}

int dg_pg_walk(Node *n, enum dg_pg_walk_next (*visit)(Node *n, int depth, void *payload),
	       void *payload)
{
	if (!n)
		return 0;
	/* on the heap: it must survive PostgreSQL's longjmp out of the walker */
	struct walk *w = dg_xcalloc(1, sizeof(*w));
	MemoryContext mcx = CurrentMemoryContext;
	volatile int rc = 0;
	struct frame top = { n, 0 };
	w->visit = visit;
	w->payload = payload;
	DG_PUSH(w->stack, w->n, w->cap, top);
	PG_TRY();
	{
		rc = walk_loop(w);
	}
	PG_CATCH();
	{
		MemoryContextSwitchTo(mcx);
		FlushErrorState();
		rc = -1;
	}
	PG_END_TRY();
	free(w->stack);
	free(w->kids);
	free(w);
	return rc;
}

struct depth_scan {
	int limit, max;
};

static enum dg_pg_walk_next depth_visit(Node *n, int depth, void *payload)
{
	struct depth_scan *d = payload;
	(void)n;
	if (depth > d->max)
		d->max = depth;
	return depth > d->limit ? DG_PG_STOP : DG_PG_DESCEND;
}

int dg_pg_depth(Node *n, int limit)
{
	struct depth_scan d = { limit, 0 };
	if (dg_pg_walk(n, depth_visit, &d) < 0)
		return limit + 1; /* too deep, or a node kind the walker does not know */
	return d.max;
}

/* Deparse `SELECT <expr>`: the deparser only takes whole statements. */
static const char *deparse_select_of(struct dg_arena *a, Node *expr)
{
	ResTarget rt;
	SelectStmt sel;
	RawStmt raw;
	StringInfoData str;

	memset(&rt, 0, sizeof(rt));
	memset(&sel, 0, sizeof(sel));
	memset(&raw, 0, sizeof(raw));
	rt.type = T_ResTarget;
	rt.val = expr;
	rt.location = -1;
	sel.type = T_SelectStmt;
	sel.targetList = list_make1(&rt);
	sel.op = SETOP_NONE;
	sel.limitOption = LIMIT_OPTION_DEFAULT;
	raw.type = T_RawStmt;
	raw.stmt = (Node *)&sel;
	raw.stmt_location = -1;
	initStringInfo(&str);
	deparseRawStmt(&str, &raw);
	if (strncmp(str.data, "SELECT ", 7))
		return NULL;
	return dg_strdup(a, str.data + 7);
}

const char *dg_pg_deparse_expr(struct dg_arena *a, Node *expr)
{
	if (!expr || dg_pg_depth(expr, DG_SQL_DEPARSE_DEPTH) > DG_SQL_DEPARSE_DEPTH)
		return NULL;
	MemoryContext mcx = CurrentMemoryContext;
	const char *volatile out = NULL;
	PG_TRY();
	{
		out = deparse_select_of(a, expr);
	}
	PG_CATCH();
	{
		MemoryContextSwitchTo(mcx);
		FlushErrorState();
		out = NULL;
	}
	PG_END_TRY();
	return out;
}
