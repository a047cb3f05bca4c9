/*
 * The SARIF and GitHub writers on hand-made findings: exact escaping of
 * '%', CR, LF, ':' and ',' in workflow commands, and the uri / region /
 * level mapping of SARIF results.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/finding.h"
#include "report/report.h"
#include "rules/rule.h"
#include "tap.h"

typedef void (*writer_fn)(FILE *out, const struct dg_run *run);

static char *render(writer_fn w, const struct dg_run *run)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		abort();
	w(f, run);
	fclose(f);
	return buf;
}

static char *render_text_opts(const struct dg_run *run, const struct dg_report_opts *o)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		abort();
	dg_report_text(f, run, o);
	fclose(f);
	return buf;
}

static char *render_text(const struct dg_run *run)
{
	return render_text_opts(run, NULL);
}

static void add(struct dg_run *run, const char *rule, enum dg_severity sev, const char *path,
		int line, int col, int end_line, int end_col, const char *msg, const char *help)
{
	struct dg_finding f;
	memset(&f, 0, sizeof(f));
	f.rule = rule;
	f.severity = sev;
	f.path = path;
	f.line = line;
	f.column = col;
	f.end_line = end_line;
	f.end_column = end_col;
	f.message = msg;
	f.help = help;
	dg_run_add(run, &f);
}

static void test_github(void)
{
	struct dg_run run;
	dg_run_init(&run);
	run.files = 2;
	run.statements = 1;
	add(&run, "sql-syntax-error", DG_ERROR, "db/a,b:c%d.sql", 3, 5, 3, 9,
	    "100% sure: line1\r\nline2, more", "fix it: now");
	add(&run, "migration-modified", DG_WARNING, "db/x.sql", 0, 0, 0, 0, "deleted", NULL);
	add(&run, "protected-branch-push", DG_ERROR, NULL, 0, 0, 0, 0, "pushed onto master", NULL);
	add(&run, "prefer-bigint", DG_WARNING, "db/y.sql", 2, 1, 0, 0, "int key", NULL);
	add(&run, "lock-table", DG_ERROR, "<stdin>", 1, 1, 1, 9, "locks", NULL);
	add(&run, "set-not-null", DG_WARNING, "db/z.sql", 4, 3, 6, 2, "three lines", NULL);
	char *out = render(dg_report_github, &run);
	is_str(out,
	       "::error file=db/a%2Cb%3Ac%25d.sql,line=3,col=5,endLine=3,endColumn=9,"
	       "title=sql-syntax-error::100%25 sure: line1%0D%0Aline2, more%0Ahelp: fix it: now\n"
	       "::warning file=db/x.sql,title=migration-modified::deleted\n"
	       "::error title=protected-branch-push::pushed onto master\n"
	       "::warning file=db/y.sql,line=2,col=1,title=prefer-bigint::int key\n"
	       "::error title=lock-table::locks\n"
	       "::warning file=db/z.sql,line=4,endLine=6,title=set-not-null::three lines\n"
	       "ddlgate: 3 errors, 3 warnings in 2 files, 1 statement\n",
	       "github: escaping, optional properties, summary last");
	free(out);
	dg_run_release(&run);

	dg_run_init(&run);
	out = render(dg_report_github, &run);
	is_str(out, "ddlgate: 0 errors, 0 warnings\n",
	       "github: no findings still prints the summary, without counts of nothing");
	free(out);
	dg_run_release(&run);
}

/* The summary counts what was checked: refs of a push, files, statements. */
static void test_summary_counts(void)
{
	struct dg_run run;
	char buf[128];
	dg_run_init(&run);
	add(&run, "protected-branch-push", DG_ERROR, NULL, 0, 0, 0, 0, "pushed onto master", NULL);
	run.refs = 1;
	dg_report_checked(buf, sizeof(buf), &run);
	is_str(buf, " in 1 pushed ref", "a push blocked by a branch rule alone: the ref, no files");
	char *out = render_text(&run);
	is_str(out + strlen(out) - strlen("1 error, 0 warnings in 1 pushed ref\n"),
	       "1 error, 0 warnings in 1 pushed ref\n", "text summary names the ref, not 0 files");
	free(out);
	run.refs = 2;
	run.files = 3;
	run.statements = 1;
	dg_report_checked(buf, sizeof(buf), &run);
	is_str(buf, " in 2 pushed refs, 3 files, 1 statement", "refs and files");
	run.refs = 0;
	dg_report_checked(buf, sizeof(buf), &run);
	is_str(buf, " in 3 files, 1 statement", "files only (lint, check)");
	run.files = 0;
	run.statements = 0;
	dg_report_checked(buf, sizeof(buf), &run);
	is_str(buf, "", "nothing read: no counts");
	dg_run_release(&run);
}

/* help: lines wrap at the width given (a TTY's); never without one. */
static void test_help_wrap(void)
{
	struct dg_run run;
	dg_run_init(&run);
	add(&run, "require-concurrent-index", DG_ERROR, "db/a.sql", 1, 1, 0, 0, "blocks writes",
	    "CREATE INDEX CONCURRENTLY orders_created_idx ON orders (created_at); outside a transaction");
	struct dg_report_opts o = { 0, NULL, 40 };
	char *out = render_text_opts(&run, &o);
	is_str(strstr(out, "  help:"),
	       "  help: CREATE INDEX CONCURRENTLY\n"
	       "        orders_created_idx ON orders\n"
	       "        (created_at); outside a\n"
	       "        transaction\n"
	       "1 error, 0 warnings\n",
	       "help wrapped at 40 columns, continuation under the text");
	free(out);
	o.width = 20;
	out = render_text_opts(&run, &o);
	ok(strstr(out, "\n        orders_created_idx\n") != NULL,
	   "a word longer than the line stays whole on its own line");
	free(out);
	o.width = 0;
	out = render_text_opts(&run, &o);
	ok(strstr(out, "  help: CREATE INDEX CONCURRENTLY orders_created_idx ON orders (created_at); outside a transaction\n") != NULL,
	   "no width (a pipe): the help line is whole");
	free(out);
	dg_run_release(&run);
}

static void test_sarif(void)
{
	struct dg_run run;
	dg_run_init(&run);
	add(&run, "require-concurrent-index", DG_ERROR, "db/m ig/V1__a:b#c%\xc3\xa9.sql", 3, 1, 3,
	    55, "msg \"quoted\"\ttab", "help");
	add(&run, "prefer-bigint", DG_WARNING, "db/x.sql", 4, 7, 0, 0, "w", NULL);
	add(&run, "migration-modified", DG_ERROR, "db/gone.sql", 0, 0, 0, 0, "deleted", NULL);
	add(&run, "lock-table", DG_ERROR, "<stdin>", 2, 1, 2, 9, "locks", NULL);
	add(&run, "set-not-null", DG_ERROR, "db/z.sql", 5, 3, 7, 2, "range", NULL);
	add(&run, "set-not-null", DG_ERROR, "db/z.sql", 9, 4, 11, 0, "no end column", NULL);
	char *out = render(dg_report_sarif, &run);
	ok(strstr(out, "\"version\": \"2.1.0\"") != NULL, "sarif: version 2.1.0");
	ok(strstr(out, "\"uri\": \"db/m%20ig/V1__a%3Ab%23c%25%C3%A9.sql\"") != NULL,
	   "sarif: uri percent-encoded as a relative reference");
	ok(strstr(out,
		  "{\"startLine\": 3, \"startColumn\": 1, \"endLine\": 3, \"endColumn\": 56}") !=
	       NULL,
	   "sarif: endColumn is one past the last column");
	ok(strstr(out,
		  "{\"startLine\": 4, \"startColumn\": 7, \"endLine\": 4, \"endColumn\": 8}") !=
	       NULL,
	   "sarif: a point finding spans one column");
	ok(strstr(out, "\"uri\": \"db/gone.sql\", \"uriBaseId\": \"%SRCROOT%\"}}}]") != NULL,
	   "sarif: no region without a line");
	ok(strstr(out,
		  "{\"startLine\": 5, \"startColumn\": 3, \"endLine\": 7, \"endColumn\": 3}") !=
	       NULL,
	   "sarif: a range over lines");
	ok(strstr(out,
		  "{\"startLine\": 9, \"startColumn\": 4, \"endLine\": 9, \"endColumn\": 5}") !=
	       NULL,
	   "sarif: without an end column, the start character");
	ok(strstr(out, "\"level\": \"warning\"") != NULL, "sarif: warning level");
	ok(strstr(out, "{\"artifactLocation\": {\"description\": {\"text\": \"<stdin>\"}}, "
		       "\"region\": {\"startLine\": 2,") != NULL,
	   "sarif: stdin has a region but no uri");
	ok(strstr(out, "%3Cstdin") == NULL, "sarif: no uri made of <stdin>");
	ok(strstr(out, "msg \\\"quoted\\\"\\ttab") != NULL, "sarif: message JSON-escaped");
	const struct dg_rule *r = dg_rule_find("require-concurrent-index");
	if (r) {
		size_t n;
		const struct dg_rule *const *all = dg_rules_list(&n);
		long idx = -1;
		for (size_t i = 0; i < n; i++)
			if (all[i] == r)
				idx = (long)i;
		char want[96];
		snprintf(want, sizeof(want),
			 "\"ruleId\": \"require-concurrent-index\", \"ruleIndex\": %ld", idx);
		ok(strstr(out, want) != NULL, "sarif: ruleIndex points into tool.driver.rules");
	} else {
		ok(1, "sarif: require-concurrent-index not linked; ruleIndex not checked");
	}
	free(out);
	dg_run_release(&run);

	dg_run_init(&run);
	out = render(dg_report_sarif, &run);
	ok(strstr(out, "\"results\": []") != NULL, "sarif: empty results array when clean");
	free(out);
	dg_run_release(&run);
}

int main(void)
{
	test_github();
	test_sarif();
	test_summary_counts();
	test_help_wrap();
	return done();
}
