/*
 * Fuzz target: the Python-subset reader and the Alembic / Django loaders
 * over arbitrary bytes. Any input must end in a module or a one-line error,
 * never a crash, a hang or a leak.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "python/pyread.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Every decoded byte of a string maps inside the file, pieces in order. */
static void check_pieces(const struct dg_py_value *v, size_t size)
{
	if (!v || (v->kind != DG_PY_STR && v->kind != DG_PY_BYTES))
		return;
	size_t at = 0;
	for (size_t i = 0; i < v->n_pieces; i++) {
		const struct dg_py_piece *p = &v->pieces[i];
		if (p->at < at || p->at + p->len > v->len || p->src >= size ||
		    (p->exact && p->src + p->len > size))
			abort();
		at = p->at + p->len;
	}
}

static void walk_stmts(const struct dg_py_stmt *s, size_t n, size_t size, int depth)
{
	if (depth > 200)
		abort(); /* nesting is bounded by the reader */
	for (size_t i = 0; i < n; i++) {
		if (s[i].value && s[i].value->kind == DG_PY_CALL)
			for (size_t k = 0; k < s[i].value->n_items; k++)
				check_pieces(s[i].value->items[k], size);
		walk_stmts(s[i].body, s[i].n_body, size, depth + 1);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dg_arena a;
	struct dg_py_module m;
	dg_arena_init(&a);
	if (dg_py_read(&a, "fuzz.py", (const char *)data, size, &m) == 0) {
		/* walk what was read, as the loaders do */
		for (size_t i = 0; i < m.n_assigns; i++)
			if (m.assigns[i].value) {
				(void)dg_py_describe(&a, m.assigns[i].value);
				check_pieces(m.assigns[i].value, size);
			}
		for (size_t i = 0; i < m.n_funcs; i++)
			walk_stmts(m.funcs[i].body, m.funcs[i].n_body, size, 0);
		for (size_t i = 0; i < m.n_comments; i++)
			if (m.comments[i].offset >= size || m.comments[i].line < 1)
				abort();
		for (size_t c = 0; c < m.n_classes; c++)
			(void)dg_py_class_get(&m.classes[c], "dependencies");
		(void)dg_py_module_get(&m, "revision");
		(void)dg_py_is_imported(&m, "x.y");
	} else {
		const char *e = dg_last_error();
		if (!e || strncmp(e, "fuzz.py", 7))
			abort(); /* every error names the file */
		dg_error_clear();
	}
	dg_arena_release(&a);
	return 0;
}
