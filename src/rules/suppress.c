/*
 * Suppression comments under the config's policy. A ddlgate:ignore is
 * written by the same hand as the migration it silences, so what it may
 * do is the config's call (ci --config-from base: the base branch's):
 * `allow` any, `require-reason` only one with a reason after the ids,
 * `deny` none. No comment ever silences a migration-* rule (they judge
 * the set, not a statement), and in ci a comment the change adds to a
 * migration the base branch already has silences nothing.
 */
#include "rules/suppress.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sql/sql.h"

struct dg_suppress_slot {
	const char *key; /* the ignore's rule string: statements point at the same one */
	size_t idx;
};

static const char marker[] = "ddlgate:ignore";

/* The migration-* rules belong to the set: a comment never silences them. */
static int set_rule(const char *id)
{
	return !strncmp(id, "migration-", 10);
}

static int is_rule_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
	       ch == '-' || ch == '_';
}

static int is_alnum(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
	       (unsigned char)ch >= 0x80;
}

/*
 * The reason written after the rule ids of the marker on `text` that
 * names `rule` (the ids are read as the SQL stage reads them), or NULL
 * when there is none: only blanks, punctuation or a comment's end.
 */
static const char *reason_of(struct dg_arena *a, const char *text, const char *rule)
{
	size_t rl = strlen(rule);
	for (const char *p = strstr(text, marker); p; p = strstr(p + 1, marker)) {
		const char *q = p + sizeof(marker) - 1;
		if (!strncmp(q, "-file", 5))
			q += 5;
		if (is_rule_char(*q))
			continue;
		int names = 0;
		for (;;) {
			while (*q == ' ' || *q == '\t')
				q++;
			const char *s = q;
			while (is_rule_char(*q))
				q++;
			if (q == s)
				break;
			names |= (size_t)(q - s) == rl && !strncmp(s, rule, rl);
			while (*q == ' ' || *q == '\t')
				q++;
			if (*q != ',')
				break;
			q++;
		}
		if (!names)
			continue;
		const char *e = q + strlen(q);
		while (e > q && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
			e--;
		if (e - q >= 2 && e[-1] == '/' && e[-2] == '*')
			e -= 2; /* the end of a block comment */
		while (e > q && (e[-1] == ' ' || e[-1] == '\t'))
			e--;
		for (const char *c = q; c < e; c++)
			if (is_alnum(*c))
				return dg_strndup(a, q, (size_t)(e - q));
		return NULL;
	}
	return NULL;
}

/* ---- the rule string -> ignore index map ---- */

static size_t slot_of(const struct dg_suppress *s, const char *key)
{
	size_t h = (size_t)(uintptr_t)key;
	h ^= h >> 17;
	h *= 0x9e3779b97f4a7c15ull;
	size_t i = (h >> 7) & (s->n_slots - 1);
	while (s->slots[i].key && s->slots[i].key != key)
		i = (i + 1) & (s->n_slots - 1);
	return i;
}

static long index_of(const struct dg_suppress *s, const char *key)
{
	if (!s || !s->n_slots)
		return -1;
	size_t i = slot_of(s, key);
	return s->slots[i].key ? (long)s->slots[i].idx : -1;
}

/* ---- which comments the change adds ---- */

struct text {
	const char *p;
	size_t n;
	int used;
};

static int cmp_text(const void *a, const void *b)
{
	const struct text *x = a, *y = b;
	size_t n = x->n < y->n ? x->n : y->n;
	int c = memcmp(x->p, y->p, n);
	return c ? c : (x->n > y->n) - (x->n < y->n);
}

static struct text trimmed(const char *p, size_t n)
{
	while (n && (*p == ' ' || *p == '\t')) {
		p++;
		n--;
	}
	while (n && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\r'))
		n--;
	struct text t = {p, n, 0};
	return t;
}

static int holds_marker(const struct text *t)
{
	const size_t ml = sizeof(marker) - 1;
	for (size_t i = 0; i + ml <= t->n; i++)
		if (t->p[i] == 'd' && !memcmp(t->p + i, marker, ml))
			return 1;
	return 0;
}

/* The base's lines that hold a marker, trimmed and sorted (malloc'd). */
static struct text *base_lines(const char *data, size_t len, size_t *n)
{
	struct text *v = NULL;
	size_t k = 0, cap = 0;
	const char *p = data, *end = data + len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl ? nl : end;
		struct text t = trimmed(p, (size_t)(e - p));
		if (holds_marker(&t))
			DG_PUSH(v, k, cap, t);
		p = nl ? nl + 1 : end;
	}
	if (k > 1)
		qsort(v, k, sizeof(*v), cmp_text);
	*n = k;
	return v;
}

static int cmp_line(const void *a, const void *b)
{
	const struct dg_ignore *const *x = a, *const *y = b;
	if ((*x)->line != (*y)->line)
		return (*x)->line < (*y)->line ? -1 : 1;
	return *x < *y ? -1 : *x > *y;
}

/* added[i]: the comment line of ignore i is not on the base's version of the file. */
static void mark_added(struct dg_suppress *s, struct dg_arena *a, const struct dg_lint_opts *o)
{
	const struct dg_sql_file *f = s->f;
	size_t n = f->n_ignores, nb = 0;
	if (!o->base_data) {
		memset(s->added, 1, n);
		return;
	}
	struct text *base = base_lines(o->base_data, o->base_len, &nb);
	const struct dg_ignore **by = dg_xmalloc(n * sizeof(*by));
	for (size_t i = 0; i < n; i++)
		by[i] = &f->ignores[i];
	qsort(by, n, sizeof(*by), cmp_line);
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j < n && by[j]->line == by[i]->line)
			j++;
		const char *line = dg_sql_line(a, f, by[i]->line);
		struct text key = trimmed(line, strlen(line));
		int added = 1;
		struct text *hit = nb ? bsearch(&key, base, nb, sizeof(*base), cmp_text) : NULL;
		if (hit) {
			/* equal lines are neighbours: take one not matched yet */
			while (hit > base && !cmp_text(hit - 1, &key))
				hit--;
			for (; hit < base + nb && !cmp_text(hit, &key) && added; hit++)
				if (!hit->used) {
					hit->used = 1;
					added = 0;
				}
		}
		for (size_t k = i; k < j; k++)
			s->added[by[k] - f->ignores] = (unsigned char)added;
		i = j;
	}
	free(by);
	free(base);
}

void dg_suppress_init(struct dg_suppress *s, struct dg_arena *a, const struct dg_sql_file *f,
		      const struct dg_lint_opts *o)
{
	memset(s, 0, sizeof(*s));
	s->f = f;
	s->policy = o->cfg->suppressions;
	s->review = o->review;
	s->on_base = o->review && o->base_data;
	size_t n = f->n_ignores;
	if (!n)
		return;
	s->ok = dg_alloc(a, n);
	s->added = dg_alloc(a, n);
	s->reason = dg_alloc(a, n);
	if (s->review)
		mark_added(s, a, o);
	for (size_t i = 0; i < n; i++) {
		const struct dg_ignore *ig = &f->ignores[i];
		s->reason[i] = reason_of(a, dg_sql_line(a, f, ig->line), ig->rule) != NULL;
		s->ok[i] = !set_rule(ig->rule) && s->policy != DG_SUPPRESS_DENY &&
			   (s->policy != DG_SUPPRESS_REQUIRE_REASON || s->reason[i]) &&
			   !(s->on_base && s->added[i]);
	}
	s->n_slots = 16;
	while (s->n_slots < 2 * n)
		s->n_slots *= 2;
	s->slots = dg_alloc(a, s->n_slots * sizeof(*s->slots));
	for (size_t i = 0; i < n; i++) {
		size_t k = slot_of(s, f->ignores[i].rule);
		s->slots[k].key = f->ignores[i].rule;
		s->slots[k].idx = i;
	}
}

/* May ignore ig (index idx in its file, -1 unknown) silence, judged by s or by ctx's policy? */
static int counts(const struct dg_suppress *s, const struct dg_rule_ctx *ctx,
		  const struct dg_ignore *ig, long idx)
{
	if (s && idx >= 0)
		return s->ok[idx];
	enum dg_suppressions policy = ctx->cfg->suppressions;
	if (policy == DG_SUPPRESS_DENY)
		return 0;
	if (policy == DG_SUPPRESS_ALLOW || !ig || !ctx->file)
		return policy == DG_SUPPRESS_ALLOW;
	struct dg_arena *a = ctx->file_arena ? ctx->file_arena : ctx->arena;
	return reason_of(a, dg_sql_line(a, ctx->file, ig->line), ig->rule) != NULL;
}

static int names(const char *id, const char *rule)
{
	return !strcmp(id, rule) || !strcmp(id, "all");
}

int dg_suppress_silences(const struct dg_suppress *s, const struct dg_rule_ctx *ctx,
			 const struct dg_stmt *st, const char *rule)
{
	const struct dg_sql_file *f = ctx->file;
	enum dg_suppressions policy = s ? s->policy : ctx->cfg->suppressions;
	if (set_rule(rule) || policy == DG_SUPPRESS_DENY)
		return 0;
	for (size_t j = 0; st && j < st->n_ignored; j++) {
		if (!names(st->ignored[j], rule))
			continue;
		long idx = index_of(s, st->ignored[j]);
		const struct dg_ignore *ig = NULL;
		for (size_t i = 0; idx < 0 && f && i < f->n_ignores && !ig; i++)
			if (f->ignores[i].rule == st->ignored[j])
				ig = &f->ignores[i];
		if (idx >= 0)
			ig = &f->ignores[idx];
		if (counts(s, ctx, ig, idx))
			return 1;
	}
	for (size_t i = 0; f && i < f->n_ignores; i++) {
		const struct dg_ignore *ig = &f->ignores[i];
		if (ig->file_wide && names(ig->rule, rule) && counts(s, ctx, ig, s ? (long)i : -1))
			return 1;
	}
	return 0;
}

/* ---- findings about the comments ---- */

static void add_finding(struct dg_rule_ctx *ctx, const struct dg_rule *r, enum dg_severity sev,
			const struct dg_ignore *ig, int width, const char *help, const char *msg)
{
	struct dg_finding fd;
	memset(&fd, 0, sizeof(fd));
	fd.rule = r->id;
	fd.severity = sev;
	fd.path = ctx->display_path;
	fd.line = fd.end_line = ig->line;
	fd.column = ig->column;
	fd.end_column = ig->column + (width > 0 ? width - 1 : 0);
	fd.message = msg;
	fd.help = help;
	struct dg_arena *tmp = ctx->file_arena ? ctx->file_arena : ctx->arena;
	fd.source_line = ctx->file->origin ? dg_sql_line(tmp, ctx->file, ig->line)
					   : dg_engine_source_line(tmp, ctx->file, ig->line, ig->offset,
								   &fd.source_column);
	dg_run_add(ctx->run, &fd);
}

/* The ids of one comment [i, j) joined ("lock-table, prefer-bigint"). */
static const char *ids_of(struct dg_arena *a, const struct dg_sql_file *f, size_t i, size_t j)
{
	const char **v = dg_alloc(a, (j - i) * sizeof(*v));
	for (size_t k = i; k < j; k++)
		v[k - i] = f->ignores[k].rule;
	return dg_join(a, v, j - i, ", ");
}

static void report_comment(struct dg_rule_ctx *ctx, const struct dg_suppress *s, size_t i,
			   size_t j)
{
	const struct dg_sql_file *f = s->f;
	const struct dg_ignore *ig = &f->ignores[i];
	struct dg_arena *a = ctx->file_arena ? ctx->file_arena : ctx->arena; /* dg_run_add copies */
	const struct dg_rule *inv = dg_rule_find("invalid-suppression");
	const struct dg_rule *add = dg_rule_find("suppression-added");
	enum dg_severity inv_sev = inv ? dg_rule_level(inv, ctx->cfg) : DG_OFF;
	enum dg_severity add_sev = add ? dg_rule_level(add, ctx->cfg) : DG_OFF;
	const char *kind = ig->file_wide ? "ddlgate:ignore-file" : "ddlgate:ignore";
	int reason = 0;
	for (size_t k = i; k < j; k++) {
		const struct dg_ignore *x = &f->ignores[k];
		reason |= s->reason && s->reason[k];
		if (inv_sev == DG_OFF)
			continue;
		if (set_rule(x->rule) && dg_rule_known(x->rule))
			add_finding(ctx, inv, inv_sev, x, (int)strlen(x->rule),
				    "set the rule's level under `rules:` in .ddlgate.yml instead",
				    dg_sprintf(a, "a comment cannot silence %s: the migration-* rules "
						  "judge the whole migration set, not a statement",
					       x->rule));
		else if (strcmp(x->rule, "all") && !dg_rule_known(x->rule))
			add_finding(ctx, inv, inv_sev, x, (int)strlen(x->rule),
				    "see `ddlgate rules` for the rule ids",
				    dg_sprintf(a, "ddlgate:ignore names unknown rule \"%s\"", x->rule));
	}
	int added = s->review && s->added && s->added[i];
	/* in ci an added comment is suppression-added, which says the same */
	if (inv_sev != DG_OFF && s->policy == DG_SUPPRESS_REQUIRE_REASON && !reason &&
	    !(added && add_sev != DG_OFF))
		add_finding(ctx, inv, inv_sev, ig, 0,
			    dg_sprintf(a, "say why after the rule ids: -- %s %s <why it is safe>",
				       kind, ids_of(a, f, i, j)),
			    dg_sprintf(a, "%s %s gives no reason: under `suppressions: require-reason` "
					  "it silences nothing",
				       kind, ids_of(a, f, i, j)));
	if (!added || add_sev == DG_OFF)
		return;
	const char *why = NULL;
	for (size_t k = i; k < j && !why; k++)
		why = reason_of(a, dg_sql_line(a, f, f->ignores[k].line), f->ignores[k].rule);
	const char *effect = "";
	if (s->on_base)
		effect = "; it silences nothing: this migration is on the base branch already and "
			 "may have run";
	else if (s->policy == DG_SUPPRESS_DENY)
		effect = "; it silences nothing (suppressions: deny)";
	else if (s->policy == DG_SUPPRESS_REQUIRE_REASON && !why)
		effect = "; it silences nothing (suppressions: require-reason)";
	add_finding(ctx, add, add_sev, ig, 0,
		    ig->file_wide ? "a reviewer should check the reason: it silences these rules "
				    "for the whole file"
				  : "a reviewer should check the reason: it silences these rules for "
				    "the statement below it",
		    dg_sprintf(a, "this change adds %s %s %s%s", kind, ids_of(a, f, i, j),
			       why ? dg_sprintf(a, "with the reason \"%s\"", why)
				   : "without a reason",
			       effect));
}

void dg_suppress_report(struct dg_rule_ctx *ctx, const struct dg_suppress *s)
{
	const struct dg_sql_file *f = s->f;
	/* the ids of one comment are next to each other, on one line */
	for (size_t i = 0; i < f->n_ignores;) {
		size_t j = i + 1;
		while (j < f->n_ignores && f->ignores[j].line == f->ignores[i].line &&
		       f->ignores[j].file_wide == f->ignores[i].file_wide)
			j++;
		report_comment(ctx, s, i, j);
		i = j;
	}
}
