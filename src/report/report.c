/* Output format selection and the colour decision. */
#include "report/report.h"

#include <stdlib.h>
#include <string.h>
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
