/*
 * GitHub Actions workflow commands: ::error file=...,line=...::message.
 * Property values escape %, CR, LF, ':' and ','; messages escape %, CR, LF.
 */
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

void dg_report_github(FILE *out, const struct dg_run *run)
{
	for (size_t i = 0; i < run->n_findings; i++) {
		const struct dg_finding *f = &run->findings[i];
		fprintf(out, "::%s ", f->severity == DG_ERROR ? "error" : "warning");
		if (f->path) {
			fputs("file=", out);
			escape(out, f->path, 1);
			fputc(',', out);
		}
		if (f->line)
			fprintf(out, "line=%d,col=%d,endLine=%d,endColumn=%d,", f->line, f->column,
				f->end_line, f->end_column);
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
	fprintf(out, "ddlgate: %zu error(s), %zu warning(s) in %u file(s), %u statement(s)\n",
		dg_run_count(run, DG_ERROR), dg_run_count(run, DG_WARNING), run->files,
		run->statements);
}
