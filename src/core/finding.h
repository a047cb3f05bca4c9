/*
 * Findings: what rules report. A finding is not an error; checks append
 * findings to the run and return nothing. The report stage prints them.
 */
#ifndef DG_FINDING_H
#define DG_FINDING_H

#include <stddef.h>

#include "core/core.h"

enum dg_severity {
	DG_OFF = 0,
	DG_WARNING = 1,
	DG_ERROR = 2,
};

const char *dg_severity_name(enum dg_severity s);
/* "error" / "warning" / "off" -> severity; -1 when unknown. */
int dg_severity_parse(const char *s);

struct dg_finding {
	const char *rule;           /* rule id */
	enum dg_severity severity;
	const char *path;           /* relative to the repository root */
	int line, column;           /* 1-based; 0 when the finding has no place */
	int end_line, end_column;
	const char *message;
	const char *help;           /* safe alternative; may be NULL */
	const char *ref;            /* pushed ref, when the finding belongs to one */
	const char *source_line;    /* text of `line`, for the caret display */
	int source_column;          /* the caret's column in source_line when that is an
				       excerpt of a long line; 0: column */
};

/*
 * One run: the arena everything lives in and the findings collected so
 * far, plus the counters of the summary.
 */
struct dg_run {
	struct dg_arena arena;
	struct dg_finding *findings;
	size_t n_findings, cap_findings;
	unsigned files, statements;
	unsigned refs;              /* pushed refs checked (pre-push) */
	const char *ref;            /* stamped on findings while set */
	const char **notes;         /* remarks that are not findings ("path:line: X not modelled") */
	size_t n_notes, cap_notes;
};

void dg_run_init(struct dg_run *run);
void dg_run_release(struct dg_run *run);
/* Append a finding; strings are copied into the run's arena. */
struct dg_finding *dg_run_add(struct dg_run *run, const struct dg_finding *f);
/*
 * The same for a finding whose message and source_line were made in the
 * run's arena already: those are kept as they are, not copied again.
 */
struct dg_finding *dg_run_add_formatted(struct dg_run *run, const struct dg_finding *f);
size_t dg_run_count(const struct dg_run *run, enum dg_severity sev);
/* Record a note (copied; an identical one is kept once). */
void dg_run_note(struct dg_run *run, const char *fmt, ...) DG_PRINTF(2, 3);
/* Stable sort by path, line, column, rule. */
void dg_run_sort(struct dg_run *run);

#endif
