/*
 * The sqitch.plan reader and the SQL naming schemes on the inputs the fuzz
 * campaigns found (tests/fuzz/fuzz_sqlnames): each case is a plan or a
 * name that once broke an invariant, now read with a finding at its place.
 */
#include <stdio.h>
#include <string.h>

#include "discover/discover_int.h"
#include "tap.h"

struct plan {
	struct dg_arena a;
	struct dg_run run;
	struct dg_migration *migs;
	size_t n;
};

static int load_plan(struct plan *p, const char *data, size_t len)
{
	struct dg_set set;
	memset(&set, 0, sizeof(set));
	set.cfg.path = (char *)"db";
	set.cfg.format = DG_FORMAT_SQL;
	dg_arena_init(&p->a);
	dg_run_init(&p->run);
	struct dg_loader ld = {&p->a, &p->run, NULL, NULL, NULL};
	return dg_sqitch_load(&ld, &set, "db/sqitch.plan", data, len, &p->migs, &p->n);
}

static void plan_release(struct plan *p)
{
	dg_run_release(&p->run);
	dg_arena_release(&p->a);
}

/* the finding of the first case, or NULL */
static const struct dg_finding *first(const struct plan *p)
{
	return p->run.n_findings ? &p->run.findings[0] : NULL;
}

/* fuzz_sqlnames: a NUL byte inside a dependency list gave a change an empty parent */
static void test_plan_nul_byte(void)
{
	static const char data[] = "%project=shop\n\n"
				   "users 2024-01-01T00:00:00Z Dev <dev@example.com>\n"
				   "orders [users @v1 !legacy ot\0\0\xff\xff] 2024-01-02T00:00:00Z Dev\n"
				   "later [orders] 2024-01-03T00:00:00Z Dev\n";
	struct plan p;
	is_int(load_plan(&p, data, sizeof(data) - 1), 0, "plan with a NUL byte: read, not refused");
	is_int(p.n, 1, "plan with a NUL byte: the changes before the NUL line only");
	is_str(p.n ? p.migs[0].id : NULL, "users", "plan with a NUL byte: the first change");
	const struct dg_finding *f = first(&p);
	ok(f && !strcmp(f->rule, "migration-unreadable"), "plan with a NUL byte: migration-unreadable");
	is_str(f ? f->path : NULL, "db/sqitch.plan", "plan with a NUL byte: names the plan");
	is_int(f ? f->line : 0, 4, "plan with a NUL byte: its line");
	is_int(f ? f->column : 0, 29, "plan with a NUL byte: its column");
	ok(f && strstr(f->message, "NUL byte"), "plan with a NUL byte: says what is wrong");
	plan_release(&p);
}

/* seen in the code of the same crash: "[deps]" with no name before it made a change named "" */
static void test_plan_change_without_name(void)
{
	static const char data[] = "users 2024-01-01T00:00:00Z Dev\n"
				   "  [users] 2024-01-02T00:00:00Z Dev\n"
				   "orders [users] 2024-01-03T00:00:00Z Dev\n";
	struct plan p;
	is_int(load_plan(&p, data, sizeof(data) - 1), 0, "nameless change: read");
	is_int(p.n, 2, "nameless change: the other two changes are read");
	for (size_t i = 0; i < p.n; i++)
		ok(p.migs[i].id && *p.migs[i].id, "nameless change: change %zu has a name", i);
	const struct dg_finding *f = first(&p);
	ok(f && !strcmp(f->rule, "migration-unreadable"), "nameless change: migration-unreadable");
	is_int(f ? f->line : 0, 2, "nameless change: its line");
	is_int(f ? f->column : 0, 3, "nameless change: its column");
	plan_release(&p);
}

int main(void)
{
	test_plan_nul_byte();
	test_plan_change_without_name();
	return done();
}
