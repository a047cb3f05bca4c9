/*
 * Report: findings out as text (compiler style), JSON, SARIF 2.1.0 or
 * GitHub Actions workflow commands.
 */
#ifndef DG_REPORT_H
#define DG_REPORT_H

#include <stdio.h>

#include "core/finding.h"

enum dg_out_format {
	DG_OUT_TEXT,
	DG_OUT_JSON,
	DG_OUT_SARIF,
	DG_OUT_GITHUB,
};

/* "text" ... -> format; -1 when unknown. */
int dg_out_format_parse(const char *s);

struct dg_report_opts {
	int color;                 /* ANSI colour (text only) */
	const char *footer;        /* text only: a last line (e.g. the --no-verify hint) */
	int width;                 /* text only: wrap help lines at this many columns (0 = never) */
};

/* Should text output to this stream be coloured? (TTY and no NO_COLOR) */
int dg_report_want_color(FILE *f);
/*
 * The width to wrap text output at: the terminal's columns when f is a TTY
 * (COLUMNS when set, else the window size, else 80); 0 for a pipe or a file,
 * which get every line whole.
 */
int dg_report_tty_width(FILE *f);

/*
 * What the run checked, for the summary line: " in 1 pushed ref, 2 files,
 * 5 statements"; only the counts that apply (nothing when no file and no
 * ref was read), so a push blocked by a branch rule alone does not claim
 * "0 files, 0 statements".
 */
void dg_report_checked(char *out, size_t size, const struct dg_run *run);

void dg_report_text(FILE *out, const struct dg_run *run, const struct dg_report_opts *o);
void dg_report_json(FILE *out, const struct dg_run *run);
void dg_report_sarif(FILE *out, const struct dg_run *run);
void dg_report_github(FILE *out, const struct dg_run *run);
void dg_report_write(FILE *out, const struct dg_run *run, enum dg_out_format fmt,
		     const struct dg_report_opts *o);

#endif
