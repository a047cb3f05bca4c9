/*
 * Shared by add-foreign-key-not-valid and add-check-not-valid: the
 * VALIDATE CONSTRAINT that runs in the same transaction as the ADD ...
 * NOT VALID it was meant to follow.
 */
#ifndef DG_RULES_NOT_VALID_H
#define DG_RULES_NOT_VALID_H

#include "rules/rule.h"

/*
 * Is c a VALIDATE CONSTRAINT of a constraint of `kind` that runs while its
 * transaction holds a lock on the table that blocks writes (taken by an
 * earlier statement)? Then the finding is reported and 1 returned.
 */
int dg_not_valid_validate_held(struct dg_rule_ctx *ctx, const struct dg_stmt *st,
			       const struct dg_cmd *c, enum dg_con_kind kind);

#endif
