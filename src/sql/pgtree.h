/*
 * Private to src/sql/: PostgreSQL's own raw parse tree, as libpg_query's
 * pg_query_raw_parse() returns it, and the few things ddlgate does with
 * it (walk it without recursion, deparse a shallow expression, turn a
 * statement into facts). Only the files that include this header see the
 * parser's node headers; they are compiled with libpg_query's include
 * directories as system directories (CMakeLists.txt).
 */
#ifndef DG_SQL_PGTREE_H
#define DG_SQL_PGTREE_H

#include <pg_query.h>

#include "pg_query_internal.h"
#include "nodes/parsenodes.h"
#include "nodes/pg_list.h"

#include "sql/sql.h"

/*
 * Expressions nested deeper than this are not deparsed (PostgreSQL's
 * deparser recurses once per level); facts that want their text get NULL.
 * Walks have no limit: they keep their own stack.
 */
#define DG_SQL_DEPARSE_DEPTH 500

/* What a visitor tells the walk to do next. */
enum dg_pg_walk_next {
	DG_PG_DESCEND = 0,         /* visit the node's children */
	DG_PG_SKIP,                /* not below this node */
	DG_PG_STOP,                /* end the walk */
};

/*
 * Visit n and every node below it in pre-order (children in PostgreSQL's
 * field order), with each node's depth (n itself is 0). Iterative: the
 * tree's depth costs heap, not C stack. The node kinds below n must be
 * ones raw_expression_tree_walker knows (queries and expressions); 0 when
 * the walk went through, -1 when it met a node kind it does not know or
 * the visitor stopped it.
 */
int dg_pg_walk(Node *n, enum dg_pg_walk_next (*visit)(Node *n, int depth, void *payload),
	       void *payload);

/* The depth of the tree below n (a leaf is 0), counting at most to limit + 1. */
int dg_pg_depth(Node *n, int limit);

/*
 * An expression as SQL text, as PostgreSQL's deparser writes it, in the
 * arena; NULL when it is nested deeper than DG_SQL_DEPARSE_DEPTH or the
 * deparser cannot write it.
 */
const char *dg_pg_deparse_expr(struct dg_arena *a, Node *expr);

/*
 * Fill st (kind, relations, columns, commands ...) from one raw statement
 * node. Node locations are offsets into the parsed text, which starts at
 * byte `base` of the file.
 */
void dg_pg_stmt_facts(struct dg_arena *a, Node *stmt, int base, struct dg_stmt *st);

#endif
