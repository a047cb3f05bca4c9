/*
 * The rule registry: every rule, once, in the order `ddlgate rules` lists
 * them. A rule is one file under src/rules/ defining dg_rule_<name>.
 */
#include <string.h>

#include "rules/rule.h"

extern const struct dg_rule dg_rule_protected_branch_push;
extern const struct dg_rule dg_rule_protected_branch_delete;
extern const struct dg_rule dg_rule_protected_branch_force_push;
extern const struct dg_rule dg_rule_protected_branch_commit;
extern const struct dg_rule dg_rule_migration_multiple_heads;
extern const struct dg_rule dg_rule_migration_duplicate_version;
extern const struct dg_rule dg_rule_migration_missing_parent;
extern const struct dg_rule dg_rule_migration_out_of_order;
extern const struct dg_rule dg_rule_migration_modified;
extern const struct dg_rule dg_rule_migration_merge_conflict;
extern const struct dg_rule dg_rule_migration_merge_preview;
extern const struct dg_rule dg_rule_migration_unreadable;
extern const struct dg_rule dg_rule_migration_excluded;
extern const struct dg_rule dg_rule_sql_syntax_error;
extern const struct dg_rule dg_rule_require_concurrent_index;
extern const struct dg_rule dg_rule_require_concurrent_index_drop;
extern const struct dg_rule dg_rule_concurrent_in_transaction;
extern const struct dg_rule dg_rule_add_foreign_key_not_valid;
extern const struct dg_rule dg_rule_add_check_not_valid;
extern const struct dg_rule dg_rule_add_unique_constraint;
extern const struct dg_rule dg_rule_add_column_rewrite;
extern const struct dg_rule dg_rule_add_column_required;
extern const struct dg_rule dg_rule_set_not_null;
extern const struct dg_rule dg_rule_change_column_type;
extern const struct dg_rule dg_rule_prefer_bigint;
extern const struct dg_rule dg_rule_table_rewrite_maintenance;
extern const struct dg_rule dg_rule_lock_table;
extern const struct dg_rule dg_rule_require_lock_timeout;
extern const struct dg_rule dg_rule_statements_after_access_exclusive;
extern const struct dg_rule dg_rule_unbatched_data_change;
extern const struct dg_rule dg_rule_ban_drop_column;
extern const struct dg_rule dg_rule_ban_drop_table;
extern const struct dg_rule dg_rule_ban_rename_column;
extern const struct dg_rule dg_rule_ban_rename_table;
extern const struct dg_rule dg_rule_missing_fk_index;
extern const struct dg_rule dg_rule_invalid_suppression;
extern const struct dg_rule dg_rule_suppression_added;
extern const struct dg_rule dg_rule_unused_index;
extern const struct dg_rule dg_rule_invalid_index;
extern const struct dg_rule dg_rule_schema_drift;
extern const struct dg_rule dg_rule_opaque_sql;

static const struct dg_rule *const all_rules[] = {
	&dg_rule_protected_branch_push,
	&dg_rule_protected_branch_delete,
	&dg_rule_protected_branch_force_push,
	&dg_rule_protected_branch_commit,
	&dg_rule_migration_multiple_heads,
	&dg_rule_migration_duplicate_version,
	&dg_rule_migration_missing_parent,
	&dg_rule_migration_out_of_order,
	&dg_rule_migration_modified,
	&dg_rule_migration_merge_conflict,
	&dg_rule_migration_merge_preview,
	&dg_rule_migration_unreadable,
	&dg_rule_migration_excluded,
	&dg_rule_sql_syntax_error,
	&dg_rule_require_concurrent_index,
	&dg_rule_require_concurrent_index_drop,
	&dg_rule_concurrent_in_transaction,
	&dg_rule_add_foreign_key_not_valid,
	&dg_rule_add_check_not_valid,
	&dg_rule_add_unique_constraint,
	&dg_rule_add_column_rewrite,
	&dg_rule_add_column_required,
	&dg_rule_set_not_null,
	&dg_rule_change_column_type,
	&dg_rule_prefer_bigint,
	&dg_rule_table_rewrite_maintenance,
	&dg_rule_lock_table,
	&dg_rule_require_lock_timeout,
	&dg_rule_statements_after_access_exclusive,
	&dg_rule_unbatched_data_change,
	&dg_rule_ban_drop_column,
	&dg_rule_ban_drop_table,
	&dg_rule_ban_rename_column,
	&dg_rule_ban_rename_table,
	&dg_rule_missing_fk_index,
	&dg_rule_invalid_suppression,
	&dg_rule_suppression_added,
	&dg_rule_unused_index,
	&dg_rule_invalid_index,
	&dg_rule_schema_drift,
	&dg_rule_opaque_sql,
};

#define N_ALL (sizeof(all_rules) / sizeof(all_rules[0]))

const struct dg_rule *const *dg_rules_list(size_t *n)
{
	*n = N_ALL;
	return all_rules;
}

const struct dg_rule *dg_rule_find(const char *id)
{
	size_t n;
	const struct dg_rule *const *r = dg_rules_list(&n);
	for (size_t i = 0; i < n; i++)
		if (!strcmp(r[i]->id, id))
			return r[i];
	return NULL;
}

int dg_rule_known(const char *id)
{
	return dg_rule_find(id) != NULL;
}

enum dg_severity dg_rule_level(const struct dg_rule *r, const struct dg_config *cfg)
{
	return dg_config_level(cfg, r->id, r->severity);
}
