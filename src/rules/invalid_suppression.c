/*
 * invalid-suppression: a ddlgate:ignore comment naming no known rule. The
 * engine reports it (it sees the comments); this entry gives it an id.
 */
#include "rules/rule.h"

const struct dg_rule dg_rule_invalid_suppression = {
	.id = "invalid-suppression",
	.severity = DG_WARNING,
	.summary = "a ddlgate:ignore comment that names an unknown rule",
	.description = "A suppression comment whose rule id does not exist silences nothing, usually because of a typo; the finding it was meant to silence may still fire, or a later rename went unnoticed.",
};
