/*
 * Discovery: which directories of a source are migration sets, from the
 * config or by looking (alembic.ini, Django `migrations` packages, SQL file
 * naming schemes), and loading every set's migrations through the source.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "discover/discover_int.h"
#include "rules/rule.h"

struct file {
	const char *path;
	const char *id;
	enum dg_entry_kind kind;
	const char *real;    /* reached through a symbolic link: the file it names */
	const char *problem; /* a link that cannot be followed: why */
};

struct tree {
	struct file *f; /* sorted by path */
	size_t n, cap;
	const char **dirs; /* every directory holding a file, sorted, unique ("" = root) */
	size_t n_dirs;
};

struct setv {
	struct dg_set **v;
	size_t n, cap;
};

/*
 * A finding of migration-unreadable about path: at warning level (by
 * hand: lint, check), or at the rule's guard level (error unless
 * configured) when a guard asked for it on this file; never above a
 * warning when cap_warning. Nothing when the rule is off.
 */
static void unreadable_v(struct dg_loader *ld, const char *path, const char *real, int line,
			 int col, int cap_warning, const char *help, const char *fmt, va_list ap)
{
	static const char id[] = "migration-unreadable";
	if (!ld->run)
		return;
	enum dg_severity sev = ld->cfg ? dg_config_level(ld->cfg, id, DG_WARNING) : DG_WARNING;
	const struct dg_discover_opts *o = ld->opts;
	if (o && o->fail_closed &&
	    (o->fail_closed(path, o->payload) || (real && o->fail_closed(real, o->payload))))
		sev = ld->cfg ? dg_config_level(ld->cfg, id, DG_ERROR) : DG_ERROR;
	if (sev == DG_OFF)
		return;
	if (cap_warning && sev > DG_WARNING)
		sev = DG_WARNING;
	struct dg_finding f;
	memset(&f, 0, sizeof(f));
	f.rule = id;
	f.severity = sev;
	f.path = path;
	f.line = line;
	f.column = line ? col : 0;
	f.end_line = f.line;
	f.end_column = f.column;
	f.message = dg_vsprintf(ld->a, fmt, ap);
	f.help = help;
	f.ref = ld->run->ref;
	dg_run_add(ld->run, &f);
}

void dg_mig_warn(struct dg_loader *ld, const char *path, int line, int col, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	unreadable_v(ld, path, NULL, line, col, 0,
		     "ddlgate reads migrations without running them: write the ids as string "
		     "literals (revision = \"c1\"), or, for a file known to be harmless, set "
		     "migration-unreadable's level under rules:",
		     fmt, ap);
	va_end(ap);
}

void dg_mig_warn_help(struct dg_loader *ld, const char *path, int line, int col, const char *help,
		      const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	unreadable_v(ld, path, NULL, line, col, 0, help, fmt, ap);
	va_end(ap);
}

static void mig_report(struct dg_loader *ld, const char *path, const char *real, int cap_warning,
		       const char *help, const char *fmt, ...) DG_PRINTF(6, 7);
static void mig_report(struct dg_loader *ld, const char *path, const char *real, int cap_warning,
		       const char *help, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	unreadable_v(ld, path, real, 0, 0, cap_warning, help, fmt, ap);
	va_end(ap);
}

/* ---- the tree of a source ---- */

static int collect_cb(const struct dg_entry *e, void *payload)
{
	struct tree *t = payload;
	struct file f = {dg_xstrdup(e->path), e->id ? dg_xstrdup(e->id) : NULL, e->kind,
			 e->real ? dg_xstrdup(e->real) : NULL,
			 e->problem ? dg_xstrdup(e->problem) : NULL};
	DG_PUSH(t->f, t->n, t->cap, f);
	return 0;
}

static int cmp_file(const void *a, const void *b)
{
	return strcmp(((const struct file *)a)->path, ((const struct file *)b)->path);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int tree_load(struct dg_arena *a, struct dg_source *src, struct tree *t)
{
	memset(t, 0, sizeof(*t));
	struct tree tmp = {0};
	int r = src->walk(src, "", collect_cb, &tmp);
	/* copy into the arena so the tree lives as long as the sets */
	t->f = tmp.n ? dg_alloc(a, tmp.n * sizeof(*t->f)) : NULL;
	for (size_t i = 0; i < tmp.n; i++) {
		t->f[i] = tmp.f[i];
		t->f[i].path = dg_strdup(a, tmp.f[i].path);
		t->f[i].id = dg_strdup(a, tmp.f[i].id);
		t->f[i].real = dg_strdup(a, tmp.f[i].real);
		t->f[i].problem = dg_strdup(a, tmp.f[i].problem);
		free((char *)tmp.f[i].path);
		free((char *)tmp.f[i].id);
		free((char *)tmp.f[i].real);
		free((char *)tmp.f[i].problem);
	}
	t->n = tmp.n;
	free(tmp.f);
	if (r < 0)
		return -1;
	/* sources mostly walk in path order already: sort only when not */
	size_t unsorted = 1;
	while (unsorted < t->n && cmp_file(&t->f[unsorted - 1], &t->f[unsorted]) <= 0)
		unsorted++;
	if (unsorted < t->n)
		qsort(t->f, t->n, sizeof(*t->f), cmp_file);
	const char **d = NULL;
	size_t nd = 0, cd = 0;
	DG_PUSH(d, nd, cd, "");
	/* the files under a directory are next to each other: list each directory once */
	const char *prev = "";
	for (size_t i = 0; i < t->n; i++) {
		const char *p = t->f[i].path;
		for (const char *s = strchr(p, '/'); s; s = strchr(s + 1, '/')) {
			size_t l = (size_t)(s - p);
			if (!strncmp(prev, p, l) && prev[l] == '/')
				continue;
			DG_PUSH(d, nd, cd, dg_strndup(a, p, l));
		}
		prev = p;
	}
	if (nd > 1)
		qsort(d, nd, sizeof(*d), cmp_str);
	size_t w = 0;
	for (size_t i = 0; i < nd; i++)
		if (!w || strcmp(d[w - 1], d[i]))
			d[w++] = d[i];
	t->dirs = dg_memdup(a, d, w, sizeof(*d));
	t->n_dirs = w;
	free(d);
	return 0;
}

/* Index of the first file whose path is >= key. */
static size_t lower_bound(const struct tree *t, const char *key)
{
	return dg_lower_bound_path(t->f, t->n, sizeof(*t->f), key);
}

/* Files under dir: [*begin, *end); their path relative to dir starts at *skip. */
static void dir_range(const struct tree *t, const char *dir, size_t *begin, size_t *end,
		      size_t *skip)
{
	if (!*dir) {
		*begin = 0;
		*end = t->n;
		*skip = 0;
		return;
	}
	size_t l = strlen(dir);
	char *key = dg_xmalloc(l + 2);
	memcpy(key, dir, l);
	key[l] = '/';
	key[l + 1] = '\0';
	size_t i = lower_bound(t, key), j = i;
	while (j < t->n && !strncmp(t->f[j].path, key, l + 1))
		j++;
	free(key);
	*begin = i;
	*end = j;
	*skip = l + 1;
}

/* The readable file at path (a regular file, or a link followed to one), or NULL. */
static const struct file *tree_find(const struct tree *t, const char *path)
{
	size_t i = lower_bound(t, path);
	return i < t->n && !strcmp(t->f[i].path, path) && t->f[i].kind == DG_ENTRY_FILE ? &t->f[i]
											 : NULL;
}

/*
 * Is f something a set's directory holds that cannot be read: a link
 * that cannot be followed (an error where a guard checks it) or a
 * submodule (a warning)? Reported once, and the caller skips it.
 */
static int unreadable_entry(struct dg_loader *ld, const struct dg_set *set, const struct file *f)
{
	if (f->kind == DG_ENTRY_BROKEN)
		mig_report(ld, f->path, NULL, 0,
			   "commit the migration as a regular file, or as a link to a file inside "
			   "the repository",
			   "symbolic link in the %s set %s that ddlgate does not follow: %s; what a "
			   "runner on a checkout reads through it is neither linted nor in the graph",
			   dg_set_format_name(set->cfg.format), *set->cfg.path ? set->cfg.path : ".",
			   f->problem ? f->problem : "unknown target");
	else if (f->kind == DG_ENTRY_SUBMODULE)
		mig_report(ld, f->path, f->real, 1,
			   "run ddlgate in the submodule's own repository, or move its migrations "
			   "into this one",
			   "git submodule inside the %s set %s: its files are another repository's "
			   "and are not read",
			   dg_set_format_name(set->cfg.format), *set->cfg.path ? set->cfg.path : ".");
	return f->kind != DG_ENTRY_FILE;
}

static int tree_has_dir(const struct tree *t, const char *dir)
{
	size_t lo = 0, hi = t->n_dirs;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(t->dirs[mid], dir);
		if (!c)
			return 1;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

static const char *join(struct dg_arena *a, const char *dir, const char *name)
{
	return *dir ? dg_sprintf(a, "%s/%s", dir, name) : dg_strdup(a, name);
}

static const char *dir_of(struct dg_arena *a, const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? dg_strndup(a, path, (size_t)(s - path)) : "";
}

static const char *base_of(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

/*
 * Normalise a relative path: drop "." parts and empty parts, resolve "..".
 * NULL when it leaves the root or is absolute.
 */
static const char *normalize(struct dg_arena *a, const char *base, const char *rel)
{
	if (rel[0] == '/')
		return NULL;
	struct dg_buf in = DG_BUF_INIT;
	if (*base)
		dg_buf_addf(&in, "%s/", base);
	dg_buf_adds(&in, rel);
	const char *parts[256];
	size_t n = 0, pl[256];
	const char *p = dg_buf_cstr(&in);
	while (*p) {
		const char *e = strchr(p, '/');
		size_t l = e ? (size_t)(e - p) : strlen(p);
		if (l == 0 || (l == 1 && p[0] == '.')) {
		} else if (l == 2 && p[0] == '.' && p[1] == '.') {
			if (!n) {
				dg_buf_release(&in);
				return NULL;
			}
			n--;
		} else if (n < DG_ARRAY_SIZE(parts)) {
			parts[n] = p;
			pl[n++] = l;
		}
		p += l;
		if (*p == '/')
			p++;
	}
	struct dg_buf out = DG_BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		if (i)
			dg_buf_addch(&out, '/');
		dg_buf_add(&out, parts[i], pl[i]);
	}
	const char *r = dg_strndup(a, out.ptr ? out.ptr : "", out.len);
	dg_buf_release(&out);
	dg_buf_release(&in);
	return r;
}

/*
 * Hidden directories, and installed third-party code in a work tree (a
 * virtualenv's site-packages holds Django's own migrations): never sets.
 */
static int hidden_path(const char *p)
{
	if (p[0] == '.')
		return 1;
	return strstr(p, "/.") != NULL || strstr(p, "node_modules/") != NULL ||
	       strstr(p, "__pycache__") != NULL || strstr(p, "site-packages/") != NULL ||
	       strstr(p, "dist-packages/") != NULL;
}

/* ---- alembic.ini ---- */

struct ini_kv {
	const char *key, *value;
	int line;
};

/* The [alembic] section of an ini file: keys lower-cased, continuation lines joined by '\n'. */
static size_t ini_alembic(struct dg_arena *a, const char *data, size_t len, struct ini_kv *out,
			  size_t max)
{
	size_t n = 0;
	int in_section = 0, line = 0;
	const char *p = data, *end = data + len;
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol)
			eol = end;
		line++;
		const char *e = eol;
		if (e > p && e[-1] == '\r')
			e--;
		const char *q = p;
		while (q < e && (*q == ' ' || *q == '\t'))
			q++;
		int indented = q > p;
		if (q == e || *q == '#' || *q == ';') {
		} else if (*q == '[') {
			const char *rb = memchr(q, ']', (size_t)(e - q));
			in_section = rb && rb - q - 1 == 7 && !strncmp(q + 1, "alembic", 7);
		} else if (in_section && indented && n) {
			struct ini_kv *kv = &out[n - 1];
			kv->value = dg_sprintf(a, "%s\n%.*s", kv->value, (int)(e - q), q);
		} else if (in_section && n < max) {
			const char *sep = q;
			while (sep < e && *sep != '=' && *sep != ':')
				sep++;
			if (sep < e) {
				const char *ke = sep;
				while (ke > q && (ke[-1] == ' ' || ke[-1] == '\t'))
					ke--;
				const char *v = sep + 1;
				while (v < e && (*v == ' ' || *v == '\t'))
					v++;
				const char *ve = e;
				while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t'))
					ve--;
				char *k = dg_strndup(a, q, (size_t)(ke - q));
				for (char *c = k; *c; c++)
					if (*c >= 'A' && *c <= 'Z')
						*c = (char)(*c + 32);
				out[n].key = k;
				out[n].value = dg_strndup(a, v, (size_t)(ve - v));
				out[n].line = line;
				n++;
			}
		}
		p = eol < end ? eol + 1 : end;
	}
	return n;
}

static const struct ini_kv *ini_get(const struct ini_kv *kv, size_t n, const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(kv[i].key, key))
			return &kv[i];
	return NULL;
}

/* configparser interpolation: %(here)s is the ini's directory, %% a percent. */
static const char *interpolate(struct dg_arena *a, const char *v, const char *here)
{
	struct dg_buf b = DG_BUF_INIT;
	for (const char *p = v; *p; p++) {
		if (!strncmp(p, "%(here)s", 8)) {
			/* paths are resolved against the ini's directory already */
			(void)here;
			dg_buf_adds(&b, ".");
			p += 7;
		} else if (p[0] == '%' && p[1] == '%') {
			dg_buf_addch(&b, '%');
			p++;
		} else {
			dg_buf_addch(&b, *p);
		}
	}
	const char *r = dg_strndup(a, b.ptr ? b.ptr : "", b.len);
	dg_buf_release(&b);
	return r;
}

/* ---- sets ---- */

static struct dg_set *new_set(struct dg_arena *a, enum dg_set_format fmt, const char *dir)
{
	struct dg_set *s = dg_alloc(a, sizeof(*s));
	s->cfg.format = fmt;
	s->cfg.path = (char *)dir;
	s->cfg.transaction = DG_TX_AUTO;
	s->cfg.naming = (char *)"auto";
	s->dirs = dg_alloc(a, sizeof(*s->dirs));
	s->dirs[0] = dir;
	s->n_dirs = 1;
	return s;
}

static int claimed(const struct setv *sets, const char *dir)
{
	for (size_t i = 0; i < sets->n; i++)
		for (size_t j = 0; j < sets->v[i]->n_dirs; j++) {
			const char *d = sets->v[i]->dirs[j];
			size_t l = strlen(d);
			if (!strcmp(d, dir))
				return 1;
			/* inside a set that reads subdirectories too */
			if (sets->v[i]->cfg.format == DG_FORMAT_SQL &&
			    dg_scheme_recursive(sets->v[i]->scheme) &&
			    (!l || (!strncmp(d, dir, l) && dir[l] == '/')))
				return 1;
		}
	return 0;
}

/* Names of the files directly in dir (and one level down for diesel), relative to dir. */
static const char **sql_names(struct dg_arena *a, const struct tree *t, const char *dir,
			      const struct dg_config *cfg, size_t *n, int recursive)
{
	size_t b, e, skip;
	dir_range(t, dir, &b, &e, &skip);
	const char **v = e > b ? dg_alloc(a, (e - b) * sizeof(*v)) : NULL;
	size_t k = 0;
	for (size_t i = b; i < e; i++) {
		const char *rel = t->f[i].path + skip;
		const char *slash = strchr(rel, '/');
		if (slash && !recursive && strchr(slash + 1, '/'))
			continue;
		if (t->f[i].kind != DG_ENTRY_FILE ||
		    (cfg && dg_config_is_excluded(cfg, t->f[i].path)))
			continue;
		v[k++] = rel;
	}
	*n = k;
	return v;
}

static int contains(const char *data, size_t len, const char *needle)
{
	size_t l = strlen(needle);
	for (size_t i = 0; i + l <= len; i++)
		if (!memcmp(data + i, needle, l))
			return 1;
	return 0;
}

static int read_file(struct dg_loader *ld, const char *path, char **data, size_t *len)
{
	if (ld->src->read(ld->src, path, data, len) < 0)
		return -1;
	return 0;
}

static void add_mig(struct dg_set *set, struct dg_migration **v, size_t *n, size_t *cap,
		    const struct dg_migration *m)
{
	(void)set;
	DG_PUSH(*v, *n, *cap, *m);
}

/* Keep the bytes in the arena: the lint and the target comparison read them later. */
static void keep_data(struct dg_loader *ld, struct dg_migration *m, char *data, size_t len)
{
	char *copy = dg_alloc(ld->a, len + 1);
	memcpy(copy, data, len);
	m->data = copy;
	m->len = len;
	free(data);
}

static int load_python(struct dg_loader *ld, struct dg_set *set, const struct file *f,
		       struct dg_migration *m, struct dg_py_module *mod, int *ok)
{
	char *data;
	size_t len;
	*ok = 0;
	memset(m, 0, sizeof(*m));
	m->path = f->path;
	m->blob_id = f->id;
	m->real_path = f->real;
	if (read_file(ld, f->path, &data, &len) < 0)
		return -1;
	int r = dg_py_read(ld->a, f->path, data, len, mod);
	keep_data(ld, m, data, len);
	if (r < 0) {
		/* the message already names path:line:col */
		const char *msg = dg_last_error();
		int line = 0, col = 0;
		const char *rest = msg;
		size_t pl = strlen(f->path);
		if (!strncmp(msg, f->path, pl) && msg[pl] == ':' &&
		    sscanf(msg + pl, ":%d:%d:", &line, &col) == 2) {
			rest = strchr(msg + pl + 1, ':');
			rest = rest ? strchr(rest + 1, ':') : NULL;
			rest = rest ? rest + 1 : msg;
			while (*rest == ' ')
				rest++;
		}
		dg_mig_warn(ld, f->path, line, col,
			    "cannot read this %s migration: %s; it is left out of the graph",
			    dg_set_format_name(set->cfg.format), rest);
		dg_error_clear();
		return 0;
	}
	*ok = 1;
	return 0;
}

static int load_alembic(struct dg_loader *ld, const struct tree *t, struct dg_set *set,
			int recursive)
{
	struct dg_migration *v = NULL;
	size_t n = 0, cap = 0;
	for (size_t d = 0; d < set->n_dirs; d++) {
		size_t b, e, skip;
		dir_range(t, set->dirs[d], &b, &e, &skip);
		for (size_t i = b; i < e; i++) {
			const char *rel = t->f[i].path + skip;
			if (!recursive && strchr(rel, '/'))
				continue;
			if (hidden_path(rel) || unreadable_entry(ld, set, &t->f[i]))
				continue;
			const char *base = base_of(rel);
			if (!dg_str_endswith(base, ".py") || !strncmp(base, ".#", 2) ||
			    !strncmp(base, "__init__", 8))
				continue;
			struct dg_migration m;
			struct dg_py_module mod;
			int ok;
			if (load_python(ld, set, &t->f[i], &m, &mod, &ok) < 0) {
				free(v);
				return -1;
			}
			if (!ok || dg_alembic_load(ld, &mod, &m) != 0)
				continue;
			add_mig(set, &v, &n, &cap, &m);
		}
	}
	set->migs = n ? dg_memdup(ld->a, v, n, sizeof(*v)) : NULL;
	set->n_migs = n;
	free(v);
	return 0;
}

static const char *django_app(struct dg_arena *a, const struct dg_set *set)
{
	if (set->cfg.app_label && *set->cfg.app_label)
		return set->cfg.app_label;
	const char *parent = dir_of(a, set->cfg.path);
	return *parent ? base_of(parent) : "app";
}

static int load_django(struct dg_loader *ld, const struct tree *t, struct dg_set *set)
{
	struct dg_migration *v = NULL;
	size_t n = 0, cap = 0;
	const char *app = django_app(ld->a, set);
	size_t b, e, skip;
	dir_range(t, set->cfg.path, &b, &e, &skip);
	for (size_t i = b; i < e; i++) {
		const char *rel = t->f[i].path + skip;
		if (strchr(rel, '/') || rel[0] == '.' || unreadable_entry(ld, set, &t->f[i]))
			continue;
		if (!dg_str_endswith(rel, ".py") || rel[0] == '_' || rel[0] == '~')
			continue;
		struct dg_migration m;
		struct dg_py_module mod;
		int ok;
		if (load_python(ld, set, &t->f[i], &m, &mod, &ok) < 0) {
			free(v);
			return -1;
		}
		if (!ok)
			continue;
		m.app = app;
		m.name = dg_strndup(ld->a, rel, strlen(rel) - 3);
		m.id = dg_sprintf(ld->a, "%s.%s", app, m.name);
		if (dg_django_load(ld, &mod, &m) != 0) {
			dg_mig_warn(ld, m.path, 1, 1,
				    "no `class Migration` in a module of the migrations package: "
				    "Django refuses to load it (BadMigrationError)");
			continue;
		}
		add_mig(set, &v, &n, &cap, &m);
	}
	set->migs = n ? dg_memdup(ld->a, v, n, sizeof(*v)) : NULL;
	set->n_migs = n;
	free(v);
	return 0;
}

static int load_sql(struct dg_loader *ld, const struct tree *t, struct dg_set *set)
{
	struct dg_migration *v = NULL;
	size_t n = 0, cap = 0;
	if (set->scheme == DG_SCHEME_SQITCH) {
		const char *plan = join(ld->a, set->cfg.path, "sqitch.plan");
		char *data;
		size_t len;
		if (!tree_find(t, plan))
			return 0;
		if (read_file(ld, plan, &data, &len) < 0)
			return -1;
		struct dg_migration *pm;
		size_t np;
		dg_sqitch_load(ld, set, plan, data, len, &pm, &np);
		free(data);
		for (size_t i = 0; i < np; i++) {
			const struct file *f = tree_find(t, pm[i].path);
			size_t at = lower_bound(t, pm[i].path);
			if (!f && at < t->n && !strcmp(t->f[at].path, pm[i].path))
				unreadable_entry(ld, set, &t->f[at]);
			if (f) {
				pm[i].real_path = f->real;
				pm[i].blob_id = f->id;
				if (!f->id && read_file(ld, f->path, &data, &len) < 0) {
					free(v);
					return -1;
				}
				if (!f->id)
					keep_data(ld, &pm[i], data, len);
			}
			add_mig(set, &v, &n, &cap, &pm[i]);
		}
		set->plan = plan;
	} else {
		size_t b, e, skip;
		dir_range(t, set->cfg.path, &b, &e, &skip);
		for (size_t i = b; i < e; i++) {
			const char *rel = t->f[i].path + skip;
			if (strchr(rel, '/') && !dg_scheme_recursive(set->scheme))
				continue;
			if (hidden_path(rel) || unreadable_entry(ld, set, &t->f[i]))
				continue;
			struct dg_migration m;
			memset(&m, 0, sizeof(m));
			if (!dg_sqlname_parse(ld->a, set->scheme, rel, &m))
				continue;
			m.path = t->f[i].path;
			m.blob_id = t->f[i].id;
			m.real_path = t->f[i].real;
			m.line = 1;
			m.is_sql = 1;
			char *data;
			size_t len;
			/* with a content id the bytes are read when needed (dg_migration_text) */
			if (!m.blob_id && read_file(ld, m.path, &data, &len) < 0) {
				free(v);
				return -1;
			}
			if (!m.blob_id)
				keep_data(ld, &m, data, len);
			add_mig(set, &v, &n, &cap, &m);
		}
	}
	set->migs = n ? dg_memdup(ld->a, v, n, sizeof(*v)) : NULL;
	set->n_migs = n;
	free(v);
	return 0;
}

/* Python files directly in dir that define a Migration class. */
static int django_dir(struct dg_loader *ld, const struct tree *t, const char *dir, int *count)
{
	size_t b, e, skip;
	*count = 0;
	dir_range(t, dir, &b, &e, &skip);
	for (size_t i = b; i < e; i++) {
		const char *rel = t->f[i].path + skip;
		if (strchr(rel, '/') || !dg_str_endswith(rel, ".py") || rel[0] == '_' ||
		    rel[0] == '~' || t->f[i].kind != DG_ENTRY_FILE)
			continue;
		char *data;
		size_t len;
		if (read_file(ld, t->f[i].path, &data, &len) < 0)
			return -1;
		if (contains(data, len, "class Migration"))
			(*count)++;
		free(data);
	}
	return 0;
}

static void split_locations(struct dg_arena *a, const char *v, const char *sep_name,
			    const char ***out, size_t *n)
{
	const char *seps;
	if (!sep_name)
		seps = ", \n"; /* the legacy style: spaces or commas */
	else if (!strcmp(sep_name, "space"))
		seps = " \n";
	else if (!strcmp(sep_name, "colon") || !strcmp(sep_name, "os"))
		seps = ":\n";
	else if (!strcmp(sep_name, "semicolon"))
		seps = ";\n";
	else if (!strcmp(sep_name, "newline"))
		seps = "\n";
	else
		seps = sep_name; /* a literal separator character */
	const char **r = NULL;
	size_t k = 0, cap = 0;
	const char *p = v;
	while (*p) {
		size_t l = strcspn(p, seps);
		const char *s = p, *e = p + l;
		while (s < e && (*s == ' ' || *s == '\t'))
			s++;
		while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
			e--;
		if (e > s)
			DG_PUSH(r, k, cap, dg_strndup(a, s, (size_t)(e - s)));
		p += l;
		if (*p)
			p++;
	}
	*out = k ? dg_memdup(a, r, k, sizeof(*r)) : NULL;
	*n = k;
	free(r);
}

/* "pkg.sub:dir" (a package resource) as a path. */
static const char *script_location_path(struct dg_arena *a, const char *v)
{
	const char *colon = strchr(v, ':');
	if (!colon || colon == v || (colon == v + 1)) /* C:\ style is not ours */
		return v;
	char *pkg = dg_strndup(a, v, (size_t)(colon - v));
	for (char *c = pkg; *c; c++)
		if (*c == '.')
			*c = '/';
	return dg_sprintf(a, "%s/%s", pkg, colon + 1);
}

static int detect_alembic(struct dg_loader *ld, const struct tree *t, struct setv *sets)
{
	for (size_t i = 0; i < t->n; i++) {
		const char *p = t->f[i].path;
		if (strcmp(base_of(p), "alembic.ini") || hidden_path(p) ||
		    t->f[i].kind != DG_ENTRY_FILE)
			continue;
		char *data;
		size_t len;
		if (read_file(ld, p, &data, &len) < 0)
			return -1;
		struct ini_kv kv[64];
		size_t n = ini_alembic(ld->a, data, len, kv, DG_ARRAY_SIZE(kv));
		free(data);
		const char *here = dir_of(ld->a, p);
		const struct ini_kv *sl = ini_get(kv, n, "script_location");
		const struct ini_kv *vl = ini_get(kv, n, "version_locations");
		const struct ini_kv *sep = ini_get(kv, n, "version_path_separator");
		const struct ini_kv *rec = ini_get(kv, n, "recursive_version_locations");
		if (!sl)
			continue;
		const char *loc = script_location_path(ld->a, interpolate(ld->a, sl->value, here));
		const char *script = normalize(ld->a, here, loc);
		if (!script)
			continue;
		const char **dirs = NULL;
		size_t nd = 0;
		if (vl) {
			const char **raw;
			size_t nr;
			split_locations(ld->a, interpolate(ld->a, vl->value, here),
					sep ? sep->value : NULL, &raw, &nr);
			dirs = nr ? dg_alloc(ld->a, nr * sizeof(*dirs)) : NULL;
			for (size_t k = 0; k < nr; k++) {
				const char *d =
				    normalize(ld->a, here, script_location_path(ld->a, raw[k]));
				if (d)
					dirs[nd++] = d;
			}
		}
		if (!nd) {
			dirs = dg_alloc(ld->a, sizeof(*dirs));
			dirs[0] = join(ld->a, script, "versions");
			nd = 1;
		}
		struct dg_set *s = new_set(ld->a, DG_FORMAT_ALEMBIC, dirs[0]);
		s->dirs = dirs;
		s->n_dirs = nd;
		s->alembic_ini = p;
		int recursive = rec && (!strcmp(rec->value, "true") ||
					!strcmp(rec->value, "True") || !strcmp(rec->value, "1"));
		s->cfg.naming = recursive ? (char *)"recursive" : (char *)"auto";
		s->why = dg_sprintf(
		    ld->a, "%s:%d: script_location = %s%s", p, sl->line, sl->value,
		    vl ? dg_sprintf(ld->a, "; version_locations (line %d)", vl->line) : "");
		DG_PUSH(sets->v, sets->n, sets->cap, s);
	}
	return 0;
}

static void detect_alembic_bare(struct dg_loader *ld, const struct tree *t, struct setv *sets)
{
	for (size_t i = 0; i < t->n_dirs; i++) {
		const char *d = t->dirs[i];
		if (strcmp(base_of(d), "versions") || hidden_path(d) || claimed(sets, d))
			continue;
		const char *parent = dir_of(ld->a, d);
		if (!tree_find(t, join(ld->a, parent, "env.py")) ||
		    !tree_find(t, join(ld->a, parent, "script.py.mako")))
			continue;
		struct dg_set *s = new_set(ld->a, DG_FORMAT_ALEMBIC, d);
		s->why = dg_sprintf(ld->a,
				    "alembic environment without alembic.ini: %s/env.py and "
				    "script.py.mako next to versions/",
				    *parent ? parent : ".");
		DG_PUSH(sets->v, sets->n, sets->cap, s);
	}
}

static int detect_django(struct dg_loader *ld, const struct tree *t, struct setv *sets)
{
	for (size_t i = 0; i < t->n_dirs; i++) {
		const char *d = t->dirs[i];
		if (strcmp(base_of(d), "migrations") || hidden_path(d) || claimed(sets, d))
			continue;
		int count;
		if (django_dir(ld, t, d, &count) < 0)
			return -1;
		if (!count)
			continue;
		struct dg_set *s = new_set(ld->a, DG_FORMAT_DJANGO, d);
		s->why = dg_sprintf(ld->a,
				    "directory named migrations with %d Django module%s (a "
				    "Migration class); app '%s'",
				    count, count == 1 ? "" : "s", django_app(ld->a, s));
		DG_PUSH(sets->v, sets->n, sets->cap, s);
	}
	return 0;
}

static void detect_sql(struct dg_loader *ld, const struct tree *t, struct setv *sets)
{
	for (size_t i = 0; i < t->n_dirs; i++) {
		const char *d = t->dirs[i];
		if (hidden_path(d) || claimed(sets, d))
			continue;
		if (tree_find(t, join(ld->a, d, "sqitch.plan"))) {
			struct dg_set *s = new_set(ld->a, DG_FORMAT_SQL, d);
			s->scheme = DG_SCHEME_SQITCH;
			s->cfg.naming = (char *)"sqitch-like";
			s->why = dg_sprintf(ld->a, "%s holds a sqitch.plan", *d ? d : ".");
			DG_PUSH(sets->v, sets->n, sets->cap, s);
			continue;
		}
		size_t n;
		const char **names = sql_names(ld->a, t, d, ld->cfg, &n, 0);
		int matches;
		enum dg_scheme sc = dg_sqlname_detect(names, n, &matches);
		if (sc == DG_SCHEME_NONE)
			continue;
		struct dg_set *s = new_set(ld->a, DG_FORMAT_SQL, d);
		s->scheme = sc;
		s->cfg.naming = (char *)dg_scheme_name(sc);
		s->why =
		    dg_sprintf(ld->a, "%d file%s named like %s (%s)", matches,
			       matches == 1 ? "" : "s", dg_scheme_name(sc), dg_scheme_pattern(sc));
		DG_PUSH(sets->v, sets->n, sets->cap, s);
	}
}

static const char *strip_slashes(struct dg_arena *a, const char *p)
{
	while (p[0] == '.' && p[1] == '/')
		p += 2;
	if (!strcmp(p, "."))
		return "";
	size_t l = strlen(p);
	while (l && p[l - 1] == '/')
		l--;
	return dg_strndup(a, p, l);
}

static void configured(struct dg_loader *ld, const struct tree *t, struct setv *sets)
{
	const struct dg_config *cfg = ld->cfg;
	for (size_t k = 0; k < cfg->n_sets; k++) {
		const struct dg_set_config *sc = &cfg->sets[k];
		const char *pat = strip_slashes(ld->a, sc->path ? sc->path : "");
		for (size_t i = 0; i < t->n_dirs; i++) {
			const char *d = t->dirs[i];
			if (!dg_glob_match(pat, d))
				continue;
			const char *dir = d;
			if (sc->format == DG_FORMAT_ALEMBIC) {
				/* the script location or its versions directory: both work */
				const char *vers = join(ld->a, d, "versions");
				if (tree_has_dir(t, vers) && tree_find(t, join(ld->a, d, "env.py")))
					dir = vers;
			}
			int dup = 0;
			for (size_t j = 0; j < sets->n; j++)
				if (!strcmp(sets->v[j]->cfg.path, dir))
					dup = 1;
			if (dup)
				continue;
			struct dg_set *s = new_set(ld->a, sc->format, dir);
			s->cfg.transaction = sc->transaction;
			s->cfg.app_label = sc->app_label;
			s->cfg.line = sc->line;
			const char *cfgfile = cfg->file ? cfg->file : DG_CONFIG_FILE;
			if (sc->format == DG_FORMAT_SQL) {
				int sch = dg_scheme_parse(sc->naming);
				if (sch < 0)
					sch = DG_SCHEME_NONE;
				if (sch == DG_SCHEME_NONE) {
					if (tree_find(t, join(ld->a, dir, "sqitch.plan"))) {
						sch = DG_SCHEME_SQITCH;
					} else {
						size_t n;
						const char **names =
						    sql_names(ld->a, t, dir, NULL, &n, 0);
						sch = dg_sqlname_detect(names, n, NULL);
					}
				}
				s->scheme = (enum dg_scheme)sch;
				s->cfg.naming =
				    (char *)(sch == DG_SCHEME_NONE ? "none"
								   : dg_scheme_name(s->scheme));
				s->why = dg_sprintf(
				    ld->a, "%s:%d: path %s, format sql, naming %s%s", cfgfile,
				    sc->line, sc->path, sc->naming ? sc->naming : "auto",
				    sch == DG_SCHEME_NONE ? " (no naming scheme recognised: every "
							    ".sql file is linted, no version rules)"
				    : (!sc->naming || !strcmp(sc->naming, "auto"))
					? dg_sprintf(ld->a, " (detected: %s)",
						     dg_scheme_name(s->scheme))
					: "");
			} else {
				s->why =
				    dg_sprintf(ld->a, "%s:%d: path %s, format %s", cfgfile,
					       sc->line, sc->path, dg_set_format_name(sc->format));
			}
			DG_PUSH(sets->v, sets->n, sets->cap, s);
		}
	}
}

int dg_sets_discover(struct dg_arena *a, struct dg_run *run, struct dg_source *src,
		     const struct dg_config *cfg, struct dg_set ***out, size_t *n_out)
{
	return dg_sets_discover_opts(a, run, src, cfg, NULL, out, n_out);
}

int dg_sets_discover_opts(struct dg_arena *a, struct dg_run *run, struct dg_source *src,
			  const struct dg_config *cfg, const struct dg_discover_opts *o,
			  struct dg_set ***out, size_t *n_out)
{
	struct dg_loader ld = {a, run, cfg, src, o};
	struct tree t;
	struct setv sets = {0};
	*out = NULL;
	*n_out = 0;
	if (tree_load(a, src, &t) < 0)
		return -1;
	if (cfg && cfg->n_sets) {
		configured(&ld, &t, &sets);
	} else {
		if (detect_alembic(&ld, &t, &sets) < 0)
			goto fail;
		detect_alembic_bare(&ld, &t, &sets);
		if (detect_django(&ld, &t, &sets) < 0)
			goto fail;
		detect_sql(&ld, &t, &sets);
	}
	for (size_t i = 0; i < sets.n; i++) {
		struct dg_set *s = sets.v[i];
		int r = 0;
		if (s->cfg.format == DG_FORMAT_ALEMBIC)
			r = load_alembic(&ld, &t, s,
					 s->cfg.naming && !strcmp(s->cfg.naming, "recursive"));
		else if (s->cfg.format == DG_FORMAT_DJANGO)
			r = load_django(&ld, &t, s);
		else
			r = load_sql(&ld, &t, s);
		if (r < 0)
			goto fail;
	}
	*out = sets.n ? dg_memdup(a, sets.v, sets.n, sizeof(*sets.v)) : NULL;
	*n_out = sets.n;
	free(sets.v);
	return 0;
fail:
	free(sets.v);
	return -1;
}

int dg_migration_text(struct dg_arena *a, struct dg_source *src, const struct dg_migration *m,
		      const char **data, size_t *len)
{
	*data = m->data;
	*len = m->len;
	if (*data || !src || !m->blob_id)
		return 0;
	char *owned;
	if (src->read(src, m->path, &owned, len) < 0)
		return -1;
	*data = dg_strndup(a, owned, *len);
	free(owned);
	return 0;
}

const struct dg_set *dg_sets_match(struct dg_set *const *sets, size_t n, const char *path)
{
	const struct dg_set *best = NULL;
	size_t best_len = 0;
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < sets[i]->n_dirs; j++) {
			const char *d = sets[i]->dirs[j];
			size_t l = strlen(d);
			if (l && (strncmp(path, d, l) || path[l] != '/'))
				continue;
			if (!best || l + 1 > best_len) {
				best = sets[i];
				best_len = l + 1;
			}
		}
	return best;
}

const struct dg_set *dg_sets_find(struct dg_set *const *sets, size_t n, const struct dg_set *like)
{
	for (size_t i = 0; i < n; i++)
		if (sets[i]->cfg.format == like->cfg.format &&
		    !strcmp(sets[i]->cfg.path, like->cfg.path))
			return sets[i];
	return NULL;
}
