/*
 * GitHub Actions workflow commands, one line per finding:
 *   ::error file=P,line=L,col=C,endLine=EL,endColumn=EC,title=RULE::MESSAGE
 * (::warning for warnings), then one plain summary line. Values escape the
 * way the runner unescapes them: '%', CR and LF everywhere, ':' and ','
 * also in properties.
 */
#include <string.h>

#include "report/report.h"

static void escape(FILE *out, const char *s, int property)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '%':
			fputs("%25", out);
			break;
		case '\r':
			fputs("%0D", out);
			break;
		case '\n':
			fputs("%0A", out);
			break;
		case ':':
			fputs(property ? "%3A" : ":", out);
			break;
		case ',':
			fputs(property ? "%2C" : ",", out);
			break;
		default:
			fputc(*s, out);
		}
	}
}

static void place(FILE *out, const struct dg_finding *f)
{
	size_t l = f->path ? strlen(f->path) : 0;
	/* no file=, no line: "<stdin>" names no file of the repository */
	if (!l || (l > 2 && f->path[0] == '<' && f->path[l - 1] == '>'))
		return;
	fputs("file=", out);
	escape(out, f->path, 1);
	fputc(',', out);
	if (f->line <= 0)
		return;
	fprintf(out, "line=%d,", f->line);
	int end_line = f->end_line >= f->line ? f->end_line : 0;
	/*
	 * GitHub takes columns only for an annotation within one line; on a
	 * range of lines it would drop the annotation's columns or misplace them.
	 */
	int one_line = !end_line || end_line == f->line;
	if (one_line && f->column > 0)
		fprintf(out, "col=%d,", f->column);
	if (end_line)
		fprintf(out, "endLine=%d,", end_line);
	/* GitHub's endColumn is the last column of the annotation, like ours */
	if (end_line == f->line && f->column > 0 && f->end_column >= f->column)
		fprintf(out, "endColumn=%d,", f->end_column);
}

static const char *plural(size_t n)
{
	return n == 1 ? "" : "s";
}

void dg_report_github(FILE *out, const struct dg_run *run)
{
	size_t errors = dg_run_count(run, DG_ERROR), warnings = dg_run_count(run, DG_WARNING);
	for (size_t i = 0; i < run->n_findings; i++) {
		const struct dg_finding *f = &run->findings[i];
		if (f->severity == DG_OFF)
			continue;
		fprintf(out, "::%s ", f->severity == DG_ERROR ? "error" : "warning");
		place(out, f);
		fputs("title=", out);
		escape(out, f->rule, 1);
		fputs("::", out);
		escape(out, f->message, 0);
		if (f->ref) {
			fputs(" (", out);
			escape(out, f->ref, 0);
			fputc(')', out);
		}
		if (f->help) {
			fputs("%0Ahelp: ", out);
			escape(out, f->help, 0);
		}
		fputc('\n', out);
	}
	char checked[128];
	dg_report_checked(checked, sizeof(checked), run);
	fprintf(out, "ddlgate: %zu error%s, %zu warning%s%s\n", errors, plural(errors), warnings,
		plural(warnings), checked);
}
