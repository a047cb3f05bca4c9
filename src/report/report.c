/* Output format selection and the colour decision. */
#include "report/report.h"

#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

int dg_out_format_parse(const char *s)
{
	if (!strcmp(s, "text"))
		return DG_OUT_TEXT;
	if (!strcmp(s, "json"))
		return DG_OUT_JSON;
	if (!strcmp(s, "sarif"))
		return DG_OUT_SARIF;
	if (!strcmp(s, "github"))
		return DG_OUT_GITHUB;
	return -1;
}

int dg_report_want_color(FILE *f)
{
	const char *nc = getenv("NO_COLOR");
	if (nc && *nc)
		return 0;
	const char *term = getenv("TERM");
	if (term && !strcmp(term, "dumb"))
		return 0;
	return isatty(fileno(f));
}

int dg_report_tty_width(FILE *f)
{
	if (!isatty(fileno(f)))
		return 0;
	const char *c = getenv("COLUMNS");
	if (c && *c) {
		char *end;
		long n = strtol(c, &end, 10);
		if (!*end && n > 0 && n < 10000)
			return (int)n;
	}
	struct winsize ws;
	if (ioctl(fileno(f), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	return 80;
}

static const char *plural(unsigned n)
{
	return n == 1 ? "" : "s";
}

void dg_report_checked(char *out, size_t size, const struct dg_run *run)
{
	int n = 0;
	*out = '\0';
	if (run->refs)
		n = snprintf(out, size, " in %u pushed ref%s", run->refs, plural(run->refs));
	if (run->files && n >= 0 && (size_t)n < size)
		snprintf(out + n, size - (size_t)n, "%s%u file%s, %u statement%s",
			 n ? ", " : " in ", run->files, plural(run->files), run->statements,
			 plural(run->statements));
}

void dg_report_write(FILE *out, const struct dg_run *run, enum dg_out_format fmt,
		     const struct dg_report_opts *o)
{
	switch (fmt) {
	case DG_OUT_JSON:
		dg_report_json(out, run);
		break;
	case DG_OUT_SARIF:
		dg_report_sarif(out, run);
		break;
	case DG_OUT_GITHUB:
		dg_report_github(out, run);
		break;
	default:
		dg_report_text(out, run, o);
		break;
	}
}
