/* The setting a statement runs under, followed through a file (timeout.h). */
#include <stdlib.h>
#include <strings.h>

#include "rules/timeout.h"

/* SET x = 0 (or DEFAULT, RESET) switches it off. */
static int timeout_on(const struct dg_stmt *st)
{
	if (!st->value)
		return 0;
	char *end;
	double v = strtod(st->value, &end);
	return end != st->value && v > 0;
}

int dg_timeout_step(struct dg_timeout *t, const struct dg_stmt *st)
{
	if (st->kind == DG_STMT_SET && st->name && !strcasecmp(st->name, t->setting)) {
		/* SET LOCAL outside a transaction block does nothing */
		if (st->is_local) {
			if (st->in_transaction)
				t->local = timeout_on(st);
		} else {
			t->session = timeout_on(st);
			t->local = 0;
		}
		t->reported = 0;
		return 1;
	}
	if (st->kind == DG_STMT_COMMIT || st->kind == DG_STMT_ROLLBACK) {
		t->local = 0;
		t->reported = 0;
		return 1;
	}
	return 0;
}

int dg_timeout_covered(const struct dg_timeout *t)
{
	return t->session || t->local || t->reported;
}
