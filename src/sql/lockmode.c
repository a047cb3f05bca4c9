/* Lock mode names and PostgreSQL's conflict table; relation names. */
#include <string.h>

#include "sql/stmt.h"

static const char *const mode_names[] = {
	"", "AccessShareLock", "RowShareLock", "RowExclusiveLock",
	"ShareUpdateExclusiveLock", "ShareLock", "ShareRowExclusiveLock",
	"ExclusiveLock", "AccessExclusiveLock",
};

static const char *const mode_sql[] = {
	"", "ACCESS SHARE", "ROW SHARE", "ROW EXCLUSIVE", "SHARE UPDATE EXCLUSIVE",
	"SHARE", "SHARE ROW EXCLUSIVE", "EXCLUSIVE", "ACCESS EXCLUSIVE",
};

/* Bit k set in conflicts[m]: mode m conflicts with mode k (PostgreSQL's table). */
#define B(m) (1u << (m))
static const unsigned conflicts[] = {
	[DG_LOCK_NONE] = 0,
	[DG_LOCK_ACCESS_SHARE] = B(DG_LOCK_ACCESS_EXCLUSIVE),
	[DG_LOCK_ROW_SHARE] = B(DG_LOCK_EXCLUSIVE) | B(DG_LOCK_ACCESS_EXCLUSIVE),
	[DG_LOCK_ROW_EXCLUSIVE] = B(DG_LOCK_SHARE) | B(DG_LOCK_SHARE_ROW_EXCLUSIVE) |
				  B(DG_LOCK_EXCLUSIVE) | B(DG_LOCK_ACCESS_EXCLUSIVE),
	[DG_LOCK_SHARE_UPDATE_EXCLUSIVE] = B(DG_LOCK_SHARE_UPDATE_EXCLUSIVE) | B(DG_LOCK_SHARE) |
					   B(DG_LOCK_SHARE_ROW_EXCLUSIVE) | B(DG_LOCK_EXCLUSIVE) |
					   B(DG_LOCK_ACCESS_EXCLUSIVE),
	[DG_LOCK_SHARE] = B(DG_LOCK_ROW_EXCLUSIVE) | B(DG_LOCK_SHARE_UPDATE_EXCLUSIVE) |
			  B(DG_LOCK_SHARE_ROW_EXCLUSIVE) | B(DG_LOCK_EXCLUSIVE) |
			  B(DG_LOCK_ACCESS_EXCLUSIVE),
	[DG_LOCK_SHARE_ROW_EXCLUSIVE] = B(DG_LOCK_ROW_EXCLUSIVE) | B(DG_LOCK_SHARE_UPDATE_EXCLUSIVE) |
					B(DG_LOCK_SHARE) | B(DG_LOCK_SHARE_ROW_EXCLUSIVE) |
					B(DG_LOCK_EXCLUSIVE) | B(DG_LOCK_ACCESS_EXCLUSIVE),
	[DG_LOCK_EXCLUSIVE] = B(DG_LOCK_ROW_SHARE) | B(DG_LOCK_ROW_EXCLUSIVE) |
			      B(DG_LOCK_SHARE_UPDATE_EXCLUSIVE) | B(DG_LOCK_SHARE) |
			      B(DG_LOCK_SHARE_ROW_EXCLUSIVE) | B(DG_LOCK_EXCLUSIVE) |
			      B(DG_LOCK_ACCESS_EXCLUSIVE),
	[DG_LOCK_ACCESS_EXCLUSIVE] = 0x1feu,
};

const char *dg_lockmode_name(enum dg_lockmode m)
{
	return (unsigned)m < DG_ARRAY_SIZE(mode_names) ? mode_names[m] : "";
}

const char *dg_lockmode_sql(enum dg_lockmode m)
{
	return (unsigned)m < DG_ARRAY_SIZE(mode_sql) ? mode_sql[m] : "";
}

int dg_lockmode_conflicts(enum dg_lockmode a, enum dg_lockmode b)
{
	if ((unsigned)a >= DG_ARRAY_SIZE(conflicts) || (unsigned)b >= DG_ARRAY_SIZE(conflicts))
		return 0;
	return (conflicts[a] & B(b)) != 0;
}

int dg_lockmode_blocks_reads(enum dg_lockmode m)
{
	return dg_lockmode_conflicts(m, DG_LOCK_ACCESS_SHARE);
}

int dg_lockmode_blocks_writes(enum dg_lockmode m)
{
	return dg_lockmode_conflicts(m, DG_LOCK_ROW_EXCLUSIVE);
}

const char *dg_rel_display(struct dg_arena *a, const struct dg_rel *r)
{
	if (!r || !r->name)
		return "?";
	if (r->schema)
		return dg_sprintf(a, "%s.%s", r->schema, r->name);
	return r->name;
}

int dg_rel_equal(const struct dg_rel *a, const struct dg_rel *b)
{
	if (!a->name || !b->name || strcmp(a->name, b->name))
		return 0;
	/* unqualified matches the same name in any schema: the search path decides */
	if (!a->schema || !b->schema)
		return 1;
	return !strcmp(a->schema, b->schema);
}

const struct dg_stmt_rare dg_stmt_no_rare;

struct dg_stmt_rare *dg_stmt_rare_mut(struct dg_arena *a, struct dg_stmt *st)
{
	if (!st->rare)
		st->rare = dg_alloc(a, sizeof(*st->rare));
	return st->rare;
}

const char *dg_stmt_text(struct dg_arena *a, const struct dg_stmt *st)
{
	return st->text ? dg_strndup(a, st->text, st->len) : "";
}
