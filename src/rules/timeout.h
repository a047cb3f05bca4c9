/*
 * A session setting that a statement runs under (lock_timeout,
 * statement_timeout), followed through a file: SET and SET LOCAL, COMMIT
 * and ROLLBACK. Shared by require-lock-timeout and require-statement-timeout.
 */
#ifndef DG_RULES_TIMEOUT_H
#define DG_RULES_TIMEOUT_H

#include "sql/stmt.h"

struct dg_timeout {
	const char *setting;       /* "lock_timeout" */
	int session, local;        /* set (to more than 0) for the session / this transaction */
	int reported;              /* a finding since the last change: one per stretch */
};

/*
 * Follow st: 1 when st sets the setting or ends a transaction (nothing
 * more to check on it), else 0.
 */
int dg_timeout_step(struct dg_timeout *t, const struct dg_stmt *st);
/* Is the setting in force (or the stretch reported already)? */
int dg_timeout_covered(const struct dg_timeout *t);

#endif
