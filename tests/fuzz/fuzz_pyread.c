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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dg_arena a;
	struct dg_py_module m;
	dg_arena_init(&a);
	if (dg_py_read(&a, "fuzz.py", (const char *)data, size, &m) == 0) {
		/* walk what was read, as the loaders do */
		for (size_t i = 0; i < m.n_assigns; i++)
			if (m.assigns[i].value)
				(void)dg_py_describe(&a, m.assigns[i].value);
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
