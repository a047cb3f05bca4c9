/*
 * Fuzz target: the SQL migration naming schemes and the sqitch.plan reader
 * (src/discover/sqlnames.c). Each input line is a file name relative to a
 * set's directory, read by every scheme; the lines together are a
 * directory for scheme detection; the whole input is a sqitch.plan.
 * Invariants: a match has a version (digits where the scheme says so) equal
 * to its id, detection counts no more than it saw, the version order is a
 * total preorder (reflexive, antisymmetric, transitive on the inputs), and
 * every change of a plan has a name, a path in the set and a line.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "discover/discover_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_NAMES 256

static int sign(int c)
{
	return (c > 0) - (c < 0);
}

static int all_digits(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

static void check_name(struct dg_arena *a, const char *rel)
{
	static const enum dg_scheme schemes[] = {
	    DG_SCHEME_NONE,	 DG_SCHEME_FLYWAY, DG_SCHEME_GOLANG_MIGRATE, DG_SCHEME_DBMATE,
	    DG_SCHEME_DIESEL, DG_SCHEME_SEQUENTIAL, DG_SCHEME_SQITCH};
	for (size_t i = 0; i < DG_ARRAY_SIZE(schemes); i++) {
		struct dg_migration m;
		memset(&m, 0, sizeof(m));
		int ok = dg_sqlname_parse(a, schemes[i], rel, &m);
		if (ok != 0 && ok != 1)
			abort();
		if (!ok)
			continue;
		if (!m.version || m.id != m.version)
			abort(); /* every match has a version, and it is its id */
		if (dg_version_cmp(m.version, m.version) != 0)
			abort();
		switch (schemes[i]) {
		case DG_SCHEME_FLYWAY:
			if (!m.repeatable && !(m.version[0] >= '0' && m.version[0] <= '9'))
				abort();
			if (!m.description)
				abort();
			break;
		case DG_SCHEME_GOLANG_MIGRATE:
		case DG_SCHEME_DBMATE:
		case DG_SCHEME_SEQUENTIAL:
		case DG_SCHEME_DIESEL:
			if (!all_digits(m.version) || !m.description)
				abort();
			break;
		default:
			break;
		}
	}
	int s = dg_scheme_parse(rel);
	if (s < -1 || s > DG_SCHEME_SQITCH)
		abort();
	(void)dg_migration_is_rollback_path(rel);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dg_arena a;
	dg_arena_init(&a);
	char *text = dg_strndup(&a, (const char *)data, size);
	const char *names[MAX_NAMES];
	size_t n = 0;
	/* the lines are file names (a NUL byte ends the text, as in a C string) */
	for (char *p = text; *p && n < MAX_NAMES;) {
		char *nl = strchr(p, '\n');
		if (nl)
			*nl = '\0';
		names[n++] = p;
		if (!nl)
			break;
		p = nl + 1;
	}
	for (size_t i = 0; i < n; i++)
		check_name(&a, names[i]);

	int matches = -1;
	enum dg_scheme s = dg_sqlname_detect(names, n, &matches);
	if (matches < 0 || (size_t)matches > n || (s != DG_SCHEME_NONE && matches < 1))
		abort();

	/* the version order: antisymmetric and transitive on every triple of neighbours */
	for (size_t i = 0; i + 1 < n; i++) {
		int ab = sign(dg_version_cmp(names[i], names[i + 1]));
		if (ab != -sign(dg_version_cmp(names[i + 1], names[i])))
			abort();
		if (i + 2 < n) {
			int bc = sign(dg_version_cmp(names[i + 1], names[i + 2]));
			int ac = sign(dg_version_cmp(names[i], names[i + 2]));
			if (ab <= 0 && bc <= 0 && ac > 0)
				abort();
			if (ab >= 0 && bc >= 0 && ac < 0)
				abort();
		}
	}

	/* the whole input as a sqitch.plan */
	struct dg_set set;
	memset(&set, 0, sizeof(set));
	set.cfg.path = (char *)"db";
	set.cfg.format = DG_FORMAT_SQL;
	struct dg_run run;
	dg_run_init(&run);
	struct dg_loader ld = {&a, &run, NULL, NULL, NULL};
	struct dg_migration *migs = NULL;
	size_t nm = 0;
	if (dg_sqitch_load(&ld, &set, "db/sqitch.plan", (const char *)data, size, &migs, &nm) < 0)
		abort();
	size_t lines = 1;
	for (size_t i = 0; i < size; i++)
		lines += data[i] == '\n';
	if (nm > lines)
		abort();
	for (size_t i = 0; i < nm; i++) {
		if (!migs[i].id || !migs[i].path || strncmp(migs[i].path, "db/deploy/", 10) ||
		    migs[i].line < 1 || (size_t)migs[i].line > lines)
			abort();
		for (size_t k = 0; k < migs[i].n_parents; k++)
			if (!migs[i].parents[k] || !*migs[i].parents[k] || strchr(migs[i].parents[k], ':'))
				abort();
	}
	dg_run_release(&run);
	dg_arena_release(&a);
	return 0;
}
