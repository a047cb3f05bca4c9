/*
 * One generic walker for libpg_query's protobuf tree: it follows message
 * fields through protobuf-c's descriptors, so a callback sees every node
 * without a switch over hundreds of node types.
 */
#include "sql/walk.h"

#include <pg_query.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 2000

static void walk_msg(const ProtobufCMessage *m, void (*visit)(const PgQuery__Node *, void *),
		     void *payload, int depth)
{
	const ProtobufCMessageDescriptor *d = m->descriptor;
	if (depth > MAX_DEPTH)
		return;
	if (d == &pg_query__node__descriptor)
		visit((const PgQuery__Node *)m, payload);
	for (unsigned i = 0; i < d->n_fields; i++) {
		const ProtobufCFieldDescriptor *f = &d->fields[i];
		const char *base = (const char *)m;
		if (f->type != PROTOBUF_C_TYPE_MESSAGE)
			continue;
		if (f->label == PROTOBUF_C_LABEL_REPEATED) {
			size_t n = *(const size_t *)(base + f->quantifier_offset);
			ProtobufCMessage *const *arr = *(ProtobufCMessage *const *const *)(base + f->offset);
			for (size_t k = 0; k < n; k++)
				if (arr[k])
					walk_msg(arr[k], visit, payload, depth + 1);
			continue;
		}
		if (f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) {
			uint32_t which = *(const uint32_t *)(base + f->quantifier_offset);
			if (which != f->id)
				continue;
		}
		const ProtobufCMessage *sub = *(const ProtobufCMessage *const *)(base + f->offset);
		if (sub)
			walk_msg(sub, visit, payload, depth + 1);
	}
}

void dg_sql_walk(const PgQuery__Node *n, void (*visit)(const PgQuery__Node *, void *),
		 void *payload)
{
	if (n)
		walk_msg(&n->base, visit, payload, 0);
}

/*
 * Deparse `SELECT <expr>` built around the node and strip the SELECT:
 * the deparser only takes whole statements.
 */
char *dg_sql_deparse_expr(PgQuery__Node *expr)
{
	PgQuery__ResTarget rt = PG_QUERY__RES_TARGET__INIT;
	PgQuery__Node rt_node = PG_QUERY__NODE__INIT;
	PgQuery__SelectStmt sel = PG_QUERY__SELECT_STMT__INIT;
	PgQuery__Node sel_node = PG_QUERY__NODE__INIT;
	PgQuery__RawStmt raw = PG_QUERY__RAW_STMT__INIT;
	PgQuery__ParseResult pr = PG_QUERY__PARSE_RESULT__INIT;
	PgQuery__Node *targets[1];
	PgQuery__RawStmt *stmts[1];

	rt.val = expr;
	rt_node.node_case = PG_QUERY__NODE__NODE_RES_TARGET;
	rt_node.res_target = &rt;
	targets[0] = &rt_node;
	sel.n_target_list = 1;
	sel.target_list = targets;
	sel.op = PG_QUERY__SET_OPERATION__SETOP_NONE;
	sel.limit_option = PG_QUERY__LIMIT_OPTION__LIMIT_OPTION_DEFAULT;
	sel_node.node_case = PG_QUERY__NODE__NODE_SELECT_STMT;
	sel_node.select_stmt = &sel;
	raw.stmt = &sel_node;
	stmts[0] = &raw;
	pr.version = PG_VERSION_NUM;
	pr.n_stmts = 1;
	pr.stmts = stmts;

	size_t len = pg_query__parse_result__get_packed_size(&pr);
	uint8_t *buf = malloc(len ? len : 1);
	if (!buf)
		return NULL;
	pg_query__parse_result__pack(&pr, buf);
	PgQueryProtobuf pb = { len, (char *)buf };
	PgQueryDeparseResult r = pg_query_deparse_protobuf(pb);
	free(buf);
	char *out = NULL;
	if (!r.error && r.query && !strncmp(r.query, "SELECT ", 7)) {
		out = strdup(r.query + 7);
	}
	pg_query_free_deparse_result(r);
	return out;
}
