/*
 * SQL migration naming schemes: which file names are migrations, and what
 * version each carries. Versions compare numerically by parts, so "1.10"
 * sorts after "1.9" and "001" equals "1".
 */
#include <stdlib.h>
#include <string.h>

#include "discover/discover_int.h"

static const struct {
	enum dg_scheme s;
	const char *name;
	const char *pattern;
} schemes[] = {
    {DG_SCHEME_FLYWAY, "flyway", "V<version>__<description>.sql"},
    {DG_SCHEME_GOLANG_MIGRATE, "golang-migrate", "<version>_<name>.up.sql / .down.sql"},
    {DG_SCHEME_DBMATE, "dbmate", "<timestamp>_<name>.sql"},
    {DG_SCHEME_DIESEL, "diesel", "<timestamp>_<name>/up.sql"},
    {DG_SCHEME_SEQUENTIAL, "sequential", "<number>_<name>.sql"},
    {DG_SCHEME_SQITCH, "sqitch-like", "sqitch.plan + deploy/<change>.sql"},
};

const char *dg_scheme_name(enum dg_scheme s)
{
	for (size_t i = 0; i < DG_ARRAY_SIZE(schemes); i++)
		if (schemes[i].s == s)
			return schemes[i].name;
	return "none";
}

const char *dg_scheme_pattern(enum dg_scheme s)
{
	for (size_t i = 0; i < DG_ARRAY_SIZE(schemes); i++)
		if (schemes[i].s == s)
			return schemes[i].pattern;
	return "*.sql";
}

int dg_scheme_parse(const char *name)
{
	if (!name || !*name || !strcmp(name, "auto"))
		return DG_SCHEME_NONE;
	if (!strcmp(name, "sqitch"))
		return DG_SCHEME_SQITCH;
	for (size_t i = 0; i < DG_ARRAY_SIZE(schemes); i++)
		if (!strcmp(schemes[i].name, name))
			return schemes[i].s;
	return -1;
}

int dg_scheme_recursive(enum dg_scheme s)
{
	return s == DG_SCHEME_FLYWAY || s == DG_SCHEME_DIESEL || s == DG_SCHEME_SQITCH ||
	       s == DG_SCHEME_NONE;
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Skip leading zeros of a digit run, keeping one. */
static const char *strip_zeros(const char *p, size_t *n)
{
	while (*n > 1 && *p == '0') {
		p++;
		(*n)--;
	}
	return p;
}

int dg_version_cmp(const char *a, const char *b)
{
	/* part by part; a missing part counts as zero (Flyway: 1 == 1.0) */
	for (;;) {
		while (*a && !is_digit(*a))
			a++;
		while (*b && !is_digit(*b))
			b++;
		if (!*a && !*b)
			return 0;
		size_t na = 0, nb = 0;
		while (is_digit(a[na]))
			na++;
		while (is_digit(b[nb]))
			nb++;
		const char *pa = na ? strip_zeros(a, &na) : "0";
		const char *pb = nb ? strip_zeros(b, &nb) : "0";
		size_t la = na ? na : 1, lb = nb ? nb : 1;
		if (la != lb)
			return la < lb ? -1 : 1;
		int c = memcmp(pa, pb, la);
		if (c)
			return c < 0 ? -1 : 1;
		a += na ? (size_t)(pa - a) + na : 0;
		b += nb ? (size_t)(pb - b) + nb : 0;
	}
}

char *dg_version_key(struct dg_arena *a, const char *v, size_t *len)
{
	/* each digit group without its leading zeros, after its length (4 bytes,
	 * big-endian: a longer number is a bigger one); trailing zero groups
	 * dropped, as a missing group counts as zero */
	size_t cap = 4 * (strlen(v) + 1) + strlen(v), n = 0, keep = 0;
	char *k = dg_alloc(a, cap + 1);
	for (;;) {
		while (*v && !is_digit(*v))
			v++;
		if (!*v)
			break;
		size_t nd = 0;
		while (is_digit(v[nd]))
			nd++;
		const char *p = strip_zeros(v, &nd);
		v = p + nd;
		for (int s = 3; s >= 0; s--)
			k[n++] = (char)(nd >> (8 * s) & 0xff);
		memcpy(k + n, p, nd);
		n += nd;
		if (nd != 1 || *p != '0')
			keep = n;
	}
	*len = keep;
	return k;
}

static const char *base_name(const char *rel)
{
	const char *s = strrchr(rel, '/');
	return s ? s + 1 : rel;
}

static size_t digits(const char *s)
{
	size_t n = 0;
	while (is_digit(s[n]))
		n++;
	return n;
}

static int parse_flyway(struct dg_arena *a, const char *rel, struct dg_migration *m)
{
	const char *b = base_name(rel);
	size_t l = strlen(b);
	if (l < 8 || strcmp(b + l - 4, ".sql"))
		return 0;
	char kind = b[0];
	if (kind != 'V' && kind != 'U' && kind != 'R' && kind != 'B')
		return 0;
	const char *sep = strstr(b + 1, "__");
	if (!sep || sep + 2 > b + l - 4)
		return 0;
	if (kind == 'R') {
		if (sep != b + 1)
			return 0;
		m->repeatable = 1;
		m->version = "";
	} else {
		/* digits separated by '.' or '_' (a single '_' stands for '.') */
		const char *p = b + 1;
		if (p == sep || !is_digit(*p))
			return 0;
		for (; p < sep; p++)
			if (!is_digit(*p) && *p != '.' && *p != '_')
				return 0;
		char *v = dg_strndup(a, b + 1, (size_t)(sep - b - 1));
		for (char *q = v; *q; q++)
			if (*q == '_')
				*q = '.';
		m->version = v;
		m->undo = kind == 'U';
		m->baseline = kind == 'B';
	}
	m->description = dg_strndup(a, sep + 2, (size_t)(b + l - 4 - sep - 2));
	return 1;
}

static int parse_golang(struct dg_arena *a, const char *rel, struct dg_migration *m)
{
	if (strchr(rel, '/'))
		return 0;
	size_t n = digits(rel);
	if (!n || rel[n] != '_')
		return 0;
	int up = dg_str_endswith(rel, ".up.sql"), down = dg_str_endswith(rel, ".down.sql");
	if (!up && !down)
		return 0;
	size_t l = strlen(rel) - (up ? 7 : 9);
	if (l <= n)
		return 0;
	m->version = dg_strndup(a, rel, n);
	m->description = dg_strndup(a, rel + n + 1, l - n - 1);
	m->undo = down;
	return 1;
}

static int parse_numbered(struct dg_arena *a, const char *rel, struct dg_migration *m, int need_sep)
{
	if (strchr(rel, '/') || !dg_str_endswith(rel, ".sql"))
		return 0;
	size_t n = digits(rel);
	if (!n)
		return 0;
	char sep = rel[n];
	if (need_sep && sep != '_')
		return 0;
	if (sep != '_' && sep != '-' && sep != '.')
		return 0;
	m->version = dg_strndup(a, rel, n);
	size_t l = strlen(rel);
	const char *desc = rel + n + 1;
	size_t dl = l - 4 > n + 1 ? l - 4 - n - 1 : 0;
	m->description = dg_strndup(a, desc, dl);
	m->undo = dg_str_endswith(rel, ".down.sql") || dg_str_endswith(rel, ".undo.sql");
	return 1;
}

static int parse_diesel(struct dg_arena *a, const char *rel, struct dg_migration *m)
{
	const char *slash = strchr(rel, '/');
	if (!slash || strchr(slash + 1, '/'))
		return 0;
	int up = !strcmp(slash + 1, "up.sql"), down = !strcmp(slash + 1, "down.sql");
	if (!up && !down)
		return 0;
	/* 2017-12-29-194623_name or 20171229194623_name */
	const char *us = memchr(rel, '_', (size_t)(slash - rel));
	if (!us || us == rel)
		return 0;
	struct dg_buf v = DG_BUF_INIT;
	for (const char *p = rel; p < us; p++) {
		if (is_digit(*p))
			dg_buf_addch(&v, *p);
		else if (*p != '-') {
			dg_buf_release(&v);
			return 0;
		}
	}
	if (!v.len) {
		dg_buf_release(&v);
		return 0;
	}
	m->version = dg_strndup(a, v.ptr, v.len);
	dg_buf_release(&v);
	m->description = dg_strndup(a, us + 1, (size_t)(slash - us - 1));
	m->undo = down;
	return 1;
}

int dg_sqlname_parse(struct dg_arena *a, enum dg_scheme s, const char *rel, struct dg_migration *m)
{
	int ok = 0;
	switch (s) {
	case DG_SCHEME_FLYWAY:
		ok = parse_flyway(a, rel, m);
		break;
	case DG_SCHEME_GOLANG_MIGRATE:
		ok = parse_golang(a, rel, m);
		break;
	case DG_SCHEME_DBMATE:
		ok = parse_numbered(a, rel, m, 1);
		break;
	case DG_SCHEME_SEQUENTIAL:
		ok = parse_numbered(a, rel, m, 0);
		break;
	case DG_SCHEME_DIESEL:
		ok = parse_diesel(a, rel, m);
		break;
	case DG_SCHEME_SQITCH:
	case DG_SCHEME_NONE:
		ok = dg_str_endswith(rel, ".sql");
		if (ok)
			m->version = "";
		break;
	}
	if (ok)
		m->id = m->version;
	return ok;
}

enum dg_scheme dg_sqlname_detect(const char *const *rel, size_t n, int *matches)
{
	int fly = 0, go = 0, diesel = 0, num = 0, stamp = 0, sql = 0;
	struct dg_arena a;
	dg_arena_init(&a);
	for (size_t i = 0; i < n; i++) {
		struct dg_migration m;
		memset(&m, 0, sizeof(m));
		int direct = !strchr(rel[i], '/');
		if (direct && dg_str_endswith(rel[i], ".sql"))
			sql++;
		if (parse_diesel(&a, rel[i], &m)) {
			diesel++;
			continue;
		}
		if (!direct)
			continue;
		if (parse_flyway(&a, rel[i], &m)) {
			fly++;
			continue;
		}
		if (parse_golang(&a, rel[i], &m)) {
			go++;
			continue;
		}
		if (parse_numbered(&a, rel[i], &m, 0)) {
			num++;
			if (strlen(m.version) >= 12)
				stamp++;
		}
	}
	dg_arena_release(&a);
	enum dg_scheme s = DG_SCHEME_NONE;
	int count = 0;
	if (diesel) {
		s = DG_SCHEME_DIESEL;
		count = diesel;
	} else if (fly && fly * 2 >= sql) {
		s = DG_SCHEME_FLYWAY;
		count = fly;
	} else if (go && go * 2 >= sql) {
		s = DG_SCHEME_GOLANG_MIGRATE;
		count = go;
	} else if (num >= 2 && num * 2 >= sql) {
		/* timestamps say dbmate; small numbers say a sequential scheme */
		s = stamp * 2 >= num ? DG_SCHEME_DBMATE : DG_SCHEME_SEQUENTIAL;
		count = num;
	}
	if (matches)
		*matches = count;
	return s;
}


/*
 * sqitch.plan: "%pragma" lines, "@tag" lines, and change lines
 * "name [dep1 dep2 !conflict] timestamp planner <email> # note". A change
 * deploys from deploy/<name>.sql (a reworked change adds "@tag" suffixes).
 */
static const char plan_help[] =
    "a sqitch.plan is text: one change per line, \"name [deps] timestamp planner <email> # note\"";

int dg_sqitch_load(struct dg_loader *ld, struct dg_set *set, const char *plan_path,
		   const char *data, size_t len, struct dg_migration **out, size_t *n)
{
	struct dg_migration *v = NULL;
	size_t nv = 0, cap = 0;
	const char *p = data, *end = data + len;
	int line = 0;
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol)
			eol = end;
		line++;
		/* a NUL byte: the plan is binary, or cut; what follows is not read */
		const char *nul = memchr(p, '\0', (size_t)(eol - p));
		if (nul) {
			dg_mig_warn_help(ld, plan_path, line, (int)(nul - p) + 1, plan_help,
					 "NUL byte in the plan: the changes from here on are not read");
			break;
		}
		const char *q = p;
		while (q < eol && (*q == ' ' || *q == '\t'))
			q++;
		if (q < eol && *q == '[') {
			/* dependencies but no change name: sqitch refuses the plan */
			dg_mig_warn_help(ld, plan_path, line, (int)(q - p) + 1, plan_help,
					 "change line without a name: the line is not read");
		} else if (q < eol && *q != '%' && *q != '@' && *q != '#' && *q != '\r') {
			const char *ne = q;
			while (ne < eol && *ne != ' ' && *ne != '\t' && *ne != '[')
				ne++;
			struct dg_migration m;
			memset(&m, 0, sizeof(m));
			m.id = dg_strndup(ld->a, q, (size_t)(ne - q));
			m.version = "";
			m.line = line;
			m.parents_line = line;
			m.path = dg_sprintf(ld->a, "%s/deploy/%s.sql", set->cfg.path, m.id);
			m.is_sql = 1;
			const char *lb = memchr(ne, '[', (size_t)(eol - ne));
			const char *rb = lb ? memchr(lb, ']', (size_t)(eol - lb)) : NULL;
			if (lb && rb) {
				const char **deps = NULL;
				size_t nd = 0, cd = 0;
				const char *d = lb + 1;
				while (d < rb) {
					while (d < rb && (*d == ' ' || *d == '\t'))
						d++;
					const char *de = d;
					while (de < rb && *de != ' ' && *de != '\t')
						de++;
					if (de > d && *d != '!') {
						const char *name =
						    dg_strndup(ld->a, d, (size_t)(de - d));
						/* "project:change" names another project: outside
						 * this set */
						if (!strchr(name, ':'))
							DG_PUSH(deps, nd, cd, name);
					}
					d = de;
				}
				m.parents = nd ? dg_memdup(ld->a, deps, nd, sizeof(*deps)) : NULL;
				m.n_parents = nd;
				free(deps);
			}
			DG_PUSH(v, nv, cap, m);
		}
		p = eol < end ? eol + 1 : end;
	}
	*out = nv ? dg_memdup(ld->a, v, nv, sizeof(*v)) : NULL;
	*n = nv;
	free(v);
	return 0;
}

int dg_migration_is_rollback_path(const char *path)
{
	const char *base = path ? strrchr(path, '/') : NULL;
	base = base ? base + 1 : path;
	if (!base)
		return 0;
	return dg_str_endswith(base, ".down.sql") || !strcmp(base, "down.sql") ||
	       (base[0] == 'U' && base[1] >= '0' && base[1] <= '9' && strstr(base, "__"));
}
