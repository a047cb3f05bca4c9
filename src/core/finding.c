/* Findings collected by a run, and severity names. */
#include "core/finding.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

const char *dg_severity_name(enum dg_severity s)
{
	switch (s) {
	case DG_ERROR:
		return "error";
	case DG_WARNING:
		return "warning";
	default:
		return "off";
	}
}

int dg_severity_parse(const char *s)
{
	if (!strcmp(s, "error"))
		return DG_ERROR;
	if (!strcmp(s, "warning"))
		return DG_WARNING;
	if (!strcmp(s, "off"))
		return DG_OFF;
	return -1;
}

void dg_run_init(struct dg_run *run)
{
	memset(run, 0, sizeof(*run));
	dg_arena_init(&run->arena);
}

void dg_run_release(struct dg_run *run)
{
	free(run->findings);
	free(run->notes);
	dg_arena_release(&run->arena);
	memset(run, 0, sizeof(*run));
}

/* s in the run's arena: the copy `prev` (the finding before's) when it is the same text. */
static const char *keep(struct dg_arena *a, const char *s, const char *prev)
{
	if (!s)
		return NULL;
	if (prev && (s == prev || !strcmp(s, prev)))
		return prev;
	return dg_strdup(a, s);
}

/*
 * The finding with rule, path, help and ref in the run's arena: shared
 * with the finding before when they are the same (a file's findings name
 * one path, and come rule by rule).
 */
static struct dg_finding *add_sharing(struct dg_run *run, const struct dg_finding *f,
				      const char *message, const char *source_line)
{
	struct dg_finding c = *f;
	struct dg_arena *a = &run->arena;
	const struct dg_finding *p = run->n_findings ? &run->findings[run->n_findings - 1] : NULL;
	c.rule = keep(a, f->rule, p ? p->rule : NULL);
	c.path = keep(a, f->path, p ? p->path : NULL);
	c.help = keep(a, f->help, p ? p->help : NULL);
	c.ref = keep(a, f->ref ? f->ref : run->ref, p ? p->ref : NULL);
	c.message = message;
	c.source_line = source_line;
	DG_PUSH(run->findings, run->n_findings, run->cap_findings, c);
	return &run->findings[run->n_findings - 1];
}

struct dg_finding *dg_run_add(struct dg_run *run, const struct dg_finding *f)
{
	struct dg_arena *a = &run->arena;
	return add_sharing(run, f, dg_strdup(a, f->message), dg_strdup(a, f->source_line));
}

struct dg_finding *dg_run_add_formatted(struct dg_run *run, const struct dg_finding *f)
{
	return add_sharing(run, f, f->message, f->source_line);
}

void dg_run_note(struct dg_run *run, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	const char *n = dg_vsprintf(&run->arena, fmt, ap);
	va_end(ap);
	for (size_t i = 0; i < run->n_notes; i++)
		if (!strcmp(run->notes[i], n))
			return;
	DG_PUSH(run->notes, run->n_notes, run->cap_notes, n);
}

size_t dg_run_count(const struct dg_run *run, enum dg_severity sev)
{
	size_t n = 0;
	for (size_t i = 0; i < run->n_findings; i++)
		n += run->findings[i].severity == sev;
	return n;
}

static int strcmp_null(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "");
}

static int finding_cmp(const void *pa, const void *pb)
{
	const struct dg_finding *a = pa, *b = pb;
	int c = strcmp_null(a->ref, b->ref);
	if (c)
		return c;
	if ((c = strcmp_null(a->path, b->path)))
		return c;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if (a->column != b->column)
		return a->column < b->column ? -1 : 1;
	if ((c = strcmp_null(a->rule, b->rule)))
		return c;
	/* keep insertion order otherwise: compare addresses */
	return a < b ? -1 : a > b;
}

void dg_run_sort(struct dg_run *run)
{
	if (run->n_findings > 1)
		qsort(run->findings, run->n_findings, sizeof(*run->findings),
		      finding_cmp);
}
