/* report/json.c and dg_buf_add_json_str: exact shape, escaping, `ref` only when set, summary. */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/finding.h"
#include "report/report.h"
#include "tap.h"

static char *render(const struct dg_run *run)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	dg_report_json(f, run);
	fclose(f);
	return out;
}

static char *esc(const char *s)
{
	struct dg_buf b = DG_BUF_INIT;
	dg_buf_add_json_str(&b, s);
	return dg_buf_detach(&b);
}

static void is_esc(const char *in, const char *want, const char *what)
{
	char *got = esc(in);
	is_str(got, want, what);
	free(got);
}

static void test_escaping(void)
{
	is_esc("plain", "\"plain\"", "plain text");
	is_esc("", "\"\"", "empty string");
	is_esc(NULL, "\"\"", "NULL is an empty string");
	is_esc("say \"hi\"", "\"say \\\"hi\\\"\"", "quotes");
	is_esc("a\\b", "\"a\\\\b\"", "backslash");
	is_esc("l1\nl2\r\tx", "\"l1\\nl2\\r\\tx\"", "newline, CR, tab");
	is_esc("\x01\x1f\x7f", "\"\\u0001\\u001f\\u007f\"", "other control characters");
	is_esc("/", "\"/\"", "slash left alone");
	is_esc("é€😀", "\"é€😀\"", "valid UTF-8 passes through");
	is_esc("a\xff" "b", "\"a\\ufffdb\"", "invalid byte becomes U+FFFD");
	is_esc("\xc3", "\"\\ufffd\"", "truncated sequence at the end");
	is_esc("\xe2\x82", "\"\\ufffd\\ufffd\"", "truncated 3-byte sequence: one per byte");
	is_esc("\xc0\x80", "\"\\ufffd\\ufffd\"", "overlong encoding rejected");
	is_esc("\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\"", "UTF-16 surrogate rejected");
	is_esc("\xf4\x90\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\"", "above U+10FFFF rejected");
	is_esc("\xc3\xa9\x80", "\"é\\ufffd\"", "stray continuation byte");
}

static void test_shape(void)
{
	struct dg_run run;
	dg_run_init(&run);
	char *out = render(&run);
	is_str(out,
	       "{\"tool\": \"ddlgate\", \"version\": \"" DG_VERSION "\",\n"
	       " \"findings\": [],\n"
	       " \"summary\": {\"files\": 0, \"statements\": 0, \"errors\": 0, \"warnings\": 0}}\n",
	       "empty run: exact JSON");
	free(out);

	struct dg_finding f = { 0 };
	f.rule = "require-concurrent-index";
	f.severity = DG_ERROR;
	f.path = "db/V7.sql";
	f.line = 3;
	f.column = 1;
	f.end_line = 3;
	f.end_column = 55;
	f.message = "CREATE INDEX on \"orders\"";
	f.help = "CREATE INDEX CONCURRENTLY ...";
	f.source_line = "not in JSON";
	dg_run_add(&run, &f);
	run.files = 1;
	run.statements = 4;
	out = render(&run);
	is_str(out,
	       "{\"tool\": \"ddlgate\", \"version\": \"" DG_VERSION "\",\n"
	       " \"findings\": [\n"
	       "  {\"rule\": \"require-concurrent-index\", \"severity\": \"error\", \"path\": \"db/V7.sql\", "
	       "\"line\": 3, \"column\": 1, \"end_line\": 3, \"end_column\": 55, "
	       "\"message\": \"CREATE INDEX on \\\"orders\\\"\", \"help\": \"CREATE INDEX CONCURRENTLY ...\"}\n"
	       " ],\n"
	       " \"summary\": {\"files\": 1, \"statements\": 4, \"errors\": 1, \"warnings\": 0}}\n",
	       "one finding: exact JSON, no ref key");
	ok(out && !strstr(out, "\"ref\""), "no \"ref\" when the finding has none");
	free(out);

	/* a ref, no help, no path or place, a warning, and an off one (not counted) */
	struct dg_finding g = { 0 };
	g.rule = "protected-branch-push";
	g.severity = DG_WARNING;
	g.message = "pushed \"topic\"\n onto master\x01";
	g.ref = "refs/heads/master";
	dg_run_add(&run, &g);
	struct dg_finding h = g;
	h.severity = DG_OFF;
	h.ref = NULL;
	dg_run_add(&run, &h);
	struct dg_finding e = f;
	e.path = "caf\xc3\xa9\xff.sql";
	dg_run_add(&run, &e);
	out = render(&run);
	ok(out && strstr(out, "{\"rule\": \"protected-branch-push\", \"severity\": \"warning\", \"path\": null, "
			      "\"line\": 0, \"column\": 0, \"end_line\": 0, \"end_column\": 0, "
			      "\"message\": \"pushed \\\"topic\\\"\\n onto master\\u0001\", \"help\": null, "
			      "\"ref\": \"refs/heads/master\"}"),
	   "ref present when set, after help; null path and help; escaped message");
	ok(out && strstr(out, "\"path\": \"café\\ufffd.sql\""), "invalid UTF-8 in a path is replaced");
	ok(out && strstr(out, "\"summary\": {\"files\": 1, \"statements\": 4, \"errors\": 2, \"warnings\": 1}}\n"),
	   "summary counts errors and warnings, not off");
	ok(out && strstr(out, "\"severity\": \"off\""), "severity off is spelled off");
	/* findings are separated by ",\n  " and the array closes on its own line */
	size_t commas = 0;
	for (const char *p = out; p && (p = strstr(p, "},\n  {")); p++)
		commas++;
	is_int(commas, 3, "four findings, three separators");
	free(out);

	/* run->ref is stamped on findings added while it is set */
	run.ref = "refs/heads/main";
	dg_run_add(&run, &f);
	run.ref = NULL;
	is_str(run.findings[run.n_findings - 1].ref, "refs/heads/main", "run->ref stamps findings");
	is_int(dg_run_count(&run, DG_ERROR), 3, "dg_run_count errors");
	dg_run_release(&run);
}

static void test_sort(void)
{
	struct dg_run run;
	dg_run_init(&run);
	struct dg_finding f = { 0 };
	f.severity = DG_ERROR;
	f.message = "m";
	const struct {
		const char *path, *rule;
		int line, col;
	} in[] = {
		{ "b.sql", "x", 1, 1 }, { "a.sql", "y", 2, 1 }, { "a.sql", "x", 2, 1 },
		{ "a.sql", "z", 1, 5 }, { "a.sql", "z", 1, 2 },
	};
	for (size_t i = 0; i < DG_ARRAY_SIZE(in); i++) {
		f.path = in[i].path;
		f.rule = in[i].rule;
		f.line = in[i].line;
		f.column = in[i].col;
		dg_run_add(&run, &f);
	}
	dg_run_sort(&run);
	struct dg_buf b = DG_BUF_INIT;
	for (size_t i = 0; i < run.n_findings; i++)
		dg_buf_addf(&b, "%s:%d:%d:%s ", run.findings[i].path, run.findings[i].line,
			    run.findings[i].column, run.findings[i].rule);
	is_str(b.ptr, "a.sql:1:2:z a.sql:1:5:z a.sql:2:1:x a.sql:2:1:y b.sql:1:1:x ",
	       "sorted by path, line, column, rule");
	dg_buf_release(&b);
	dg_run_release(&run);
}

/* The integers the report writes by hand, and the arena the findings live in. */
static void test_core_pieces(void)
{
	struct dg_buf b = DG_BUF_INIT;
	const long v[] = { 0, 7, -1, 42, 1000000, -2147483648L, LONG_MAX, LONG_MIN };
	char want[512] = "";
	for (size_t i = 0; i < sizeof(v) / sizeof(*v); i++) {
		dg_buf_add_int(&b, v[i]);
		dg_buf_addch(&b, ' ');
		snprintf(want + strlen(want), sizeof(want) - strlen(want), "%ld ", v[i]);
	}
	is_str(b.ptr, want, "dg_buf_add_int writes what printf writes for a long");
	dg_buf_release(&b);

	struct dg_arena a;
	dg_arena_init(&a);
	int aligned = 1, packed = 1;
	for (int i = 0; i < 5000; i++) {
		char *s = dg_strndup(&a, "abc", (size_t)(i % 4));
		long *n = dg_alloc(&a, sizeof(*n) * (size_t)(1 + i % 3));
		char *t = dg_strdup(&a, "x");
		aligned &= (uintptr_t)n % sizeof(void *) == 0 && n[0] == 0;
		packed &= strlen(s) == (size_t)(i % 4) && !strcmp(t, "x");
		n[i % 3] = i; /* in bounds: the string after it is untouched */
		packed &= !strcmp(t, "x");
	}
	void *big = dg_alloc(&a, 200000); /* a one-off block, zeroed */
	ok(aligned && packed && ((char *)big)[199999] == 0,
	   "arena: items aligned for pointers and zeroed, strings packed and intact");
	dg_arena_release(&a);
}

int main(void)
{
	test_core_pieces();
	test_escaping();
	test_shape();
	test_sort();
	return done();
}
