/*
 * Compiler-style text: location, severity[rule], message, the source line
 * with a caret under the column, and the help line. Colour on a TTY only.
 */
#include <string.h>

#include "report/report.h"

#define C_RESET "\033[0m"
#define C_BOLD "\033[1m"
#define C_RED "\033[1;31m"
#define C_YELLOW "\033[1;33m"
#define C_BLUE "\033[1;34m"
#define C_GREEN "\033[1;32m"

static const char *col(const struct dg_report_opts *o, const char *c)
{
	return o && o->color ? c : "";
}

/* Print the source line with control characters made visible-safe. */
static void print_source(FILE *out, const char *s)
{
	for (; *s; s++)
		fputc(*s == '\t' ? ' ' : ((unsigned char)*s < 0x20 ? '?' : *s), out);
}

static void print_caret(FILE *out, int width, const char *src, int column)
{
	fprintf(out, "  %*s | ", width, "");
	/* column counts code points; pad with one space per code point */
	int cp = 1;
	for (const char *p = src; *p && cp < column; p++) {
		if (((unsigned char)*p & 0xc0) == 0x80)
			continue;
		fputc(' ', out);
		cp++;
	}
	fputc('^', out);
	fputc('\n', out);
}

/* Code points in s[0..n): the columns a line of UTF-8 takes. */
static int columns(const char *s, size_t n)
{
	int c = 0;
	for (size_t i = 0; i < n; i++)
		c += ((unsigned char)s[i] & 0xc0) != 0x80;
	return c;
}

/*
 * The help text after "  help: ", wrapped at width (0 = not at all) at
 * spaces, continuation lines indented under the text. A word longer than
 * the line (a long identifier) stays whole; the text's own newlines stay.
 */
static void print_help(FILE *out, const char *help, int width)
{
	const int indent = 8; /* strlen("  help: ") */
	int col = indent;
	for (const char *p = help; *p;) {
		if (*p == '\n') {
			fprintf(out, "\n%*s", indent, "");
			col = indent;
			p++;
			continue;
		}
		size_t ns = strspn(p, " "); /* the spaces before the next word */
		const char *word = p + ns;
		size_t wl = strcspn(word, " \n");
		int w = columns(word, wl);
		if (width > 0 && wl && col > indent && col + (int)ns + w > width) {
			fprintf(out, "\n%*s", indent, "");
			col = indent;
		} else {
			fwrite(p, 1, ns, out);
			col += (int)ns;
		}
		fwrite(word, 1, wl, out);
		col += w;
		p = word + wl;
	}
}

void dg_report_text(FILE *out, const struct dg_run *run, const struct dg_report_opts *o)
{
	size_t errors = 0, warnings = 0;
	for (size_t i = 0; i < run->n_findings; i++) {
		const struct dg_finding *f = &run->findings[i];
		const char *sev_col = f->severity == DG_ERROR ? C_RED : C_YELLOW;
		errors += f->severity == DG_ERROR;
		warnings += f->severity == DG_WARNING;
		fputs(col(o, C_BOLD), out);
		if (f->path && f->line)
			fprintf(out, "%s:%d:%d: ", f->path, f->line, f->column);
		else if (f->path)
			fprintf(out, "%s: ", f->path);
		fprintf(out, "%s%s[%s]%s%s: %s%s", col(o, sev_col), dg_severity_name(f->severity),
			f->rule, col(o, C_RESET), col(o, C_BOLD), f->message, col(o, C_RESET));
		if (f->ref)
			fprintf(out, " (%s)", f->ref);
		fputc('\n', out);
		if (f->source_line && f->line) {
			char num[16];
			int w = snprintf(num, sizeof(num), "%d", f->line);
			fprintf(out, "%s  %s |%s ", col(o, C_BLUE), num, col(o, C_RESET));
			print_source(out, f->source_line);
			fputc('\n', out);
			fputs(col(o, C_BLUE), out);
			print_caret(out, w, f->source_line,
				    f->source_column ? f->source_column : f->column);
			fputs(col(o, C_RESET), out);
		}
		if (f->help) {
			fprintf(out, "  %shelp:%s ", col(o, C_GREEN), col(o, C_RESET));
			print_help(out, f->help, o ? o->width : 0);
			fputc('\n', out);
		}
	}
	if (errors || warnings) {
		char checked[128];
		dg_report_checked(checked, sizeof(checked), run);
		fprintf(out, "%s%zu error%s, %zu warning%s%s%s\n", col(o, C_BOLD), errors,
			errors == 1 ? "" : "s", warnings, warnings == 1 ? "" : "s", col(o, C_RESET),
			checked);
	}
	if (errors && o && o->footer)
		fprintf(out, "%s\n", o->footer);
}
