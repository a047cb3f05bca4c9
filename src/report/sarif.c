/*
 * SARIF 2.1.0: one run whose tool.driver lists every rule of the registry
 * (id, descriptions, help, default level), and one result per finding with
 * ruleId, ruleIndex, level, message and a physical location whose uri is
 * relative to the repository root (%SRCROOT%).
 */
#include <stdlib.h>
#include <string.h>

#include "report/report.h"
#include "rules/rule.h"

#define SARIF_SCHEMA "https://json.schemastore.org/sarif-2.1.0.json"
#define INFO_URI "https://github.com/ddlgate/ddlgate"

static const char *level_of(enum dg_severity s)
{
	return s == DG_ERROR ? "error" : s == DG_WARNING ? "warning" : "none";
}

/* "key": {"text": "..."} */
static void add_text(struct dg_buf *b, const char *key, const char *text)
{
	dg_buf_addf(b, "\"%s\": {\"text\": ", key);
	dg_buf_add_json_str(b, text ? text : "");
	dg_buf_addch(b, '}');
}

/*
 * A repository path as a relative URI reference (RFC 3986): every byte
 * outside the unreserved set and '/' is percent-encoded, so a ':' in the
 * first segment cannot read as a scheme and spaces, '%', '#' and '?' keep
 * their meaning as file name characters. Non-ASCII bytes are the UTF-8
 * encoding, percent-encoded byte by byte.
 */
static void add_uri(struct dg_buf *b, const char *path)
{
	static const char hex[] = "0123456789ABCDEF";
	struct dg_buf u = DG_BUF_INIT;
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		unsigned char c = *p;
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
			dg_buf_addch(&u, (char)c);
		} else {
			dg_buf_addch(&u, '%');
			dg_buf_addch(&u, hex[c >> 4]);
			dg_buf_addch(&u, hex[c & 15]);
		}
	}
	dg_buf_add_json_str(b, dg_buf_cstr(&u));
	dg_buf_release(&u);
}

/* "<stdin>" and the like name no file of the repository. */
static int is_pseudo_path(const char *path)
{
	size_t l = strlen(path);
	return l > 2 && path[0] == '<' && path[l - 1] == '>';
}

static void add_rule(struct dg_buf *b, const struct dg_rule *r)
{
	const char *full = r->description ? r->description : r->summary;
	struct dg_buf h = DG_BUF_INIT;

	dg_buf_adds(b, "{\"id\": ");
	dg_buf_add_json_str(b, r->id);
	dg_buf_adds(b, ", \"name\": ");
	dg_buf_add_json_str(b, r->id);
	dg_buf_adds(b, ",\n         ");
	add_text(b, "shortDescription", r->summary);
	dg_buf_adds(b, ",\n         ");
	add_text(b, "fullDescription", full);
	dg_buf_adds(b, ",\n         \"help\": {\"text\": ");
	/* only statement and file rules can be silenced by a comment in the SQL */
	int sql = r->check_stmt || r->check_file;
	dg_buf_addf(&h, "%s\n\nSee rules/%s.md for a failing and a passing example.", full, r->id);
	if (sql)
		dg_buf_addf(&h,
			    " Silence one statement with `-- ddlgate:ignore %s reason` on the "
			    "line before it.",
			    r->id);
	dg_buf_add_json_str(b, h.ptr);
	dg_buf_reset(&h);
	dg_buf_addf(&h,
		    "**%s**\n\n%s\n\nExamples: [rules/%s.md](" INFO_URI "/blob/main/rules/%s.md).",
		    r->summary, full, r->id, r->id);
	if (sql)
		dg_buf_addf(&h,
			    " Silence one statement with `-- ddlgate:ignore %s reason` on the "
			    "line before it.",
			    r->id);
	dg_buf_adds(b, ", \"markdown\": ");
	dg_buf_add_json_str(b, h.ptr);
	dg_buf_release(&h);
	dg_buf_addf(b, "},\n         \"helpUri\": \"" INFO_URI "/blob/main/rules/%s.md\"", r->id);
	if (r->severity == DG_OFF)
		dg_buf_adds(b, ",\n         \"defaultConfiguration\": {\"enabled\": false, "
			       "\"level\": \"none\"}}");
	else
		dg_buf_addf(b, ",\n         \"defaultConfiguration\": {\"level\": \"%s\"}}",
			    level_of(r->severity));
}

static long rule_index(const struct dg_rule *const *rules, size_t n, const char *id)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(rules[i]->id, id))
			return (long)i;
	return -1;
}

/*
 * region: SARIF columns are 1-based and endColumn is the column just past
 * the region, while a finding's end_column is the last column inside it.
 */
static void add_region(struct dg_buf *b, const struct dg_finding *f)
{
	int start_col = f->column > 0 ? f->column : 1;
	int end_line = f->end_line >= f->line ? f->end_line : f->line;
	int end_col = f->end_column + 1;
	if (f->end_column <= 0 || (end_line == f->line && f->end_column < start_col)) {
		/* no usable end: the one character at the start */
		end_line = f->line;
		end_col = start_col + 1;
	}
	dg_buf_addf(b,
		    ", \"region\": {\"startLine\": %d, \"startColumn\": %d, \"endLine\": %d, "
		    "\"endColumn\": %d}",
		    f->line, start_col, end_line, end_col);
}

static void add_result(struct dg_buf *b, const struct dg_finding *f,
		       const struct dg_rule *const *rules, size_t n_rules)
{
	struct dg_buf msg = DG_BUF_INIT;
	dg_buf_adds(&msg, f->message ? f->message : f->rule);
	if (f->ref)
		dg_buf_addf(&msg, " (%s)", f->ref);
	if (f->help)
		dg_buf_addf(&msg, "\nhelp: %s", f->help);

	dg_buf_adds(b, "{\"ruleId\": ");
	dg_buf_add_json_str(b, f->rule);
	long idx = rule_index(rules, n_rules, f->rule);
	if (idx >= 0)
		dg_buf_addf(b, ", \"ruleIndex\": %ld", idx);
	dg_buf_addf(b, ", \"level\": \"%s\",\n     ", level_of(f->severity));
	add_text(b, "message", msg.ptr);
	dg_buf_release(&msg);
	if (f->path && *f->path) {
		dg_buf_adds(
		    b, ",\n     \"locations\": [{\"physicalLocation\": {\"artifactLocation\": ");
		if (is_pseudo_path(f->path)) {
			/* "<stdin>": no file to point at, but the region still says where */
			dg_buf_adds(b, "{\"description\": {\"text\": ");
			dg_buf_add_json_str(b, f->path);
			dg_buf_adds(b, "}}");
		} else {
			dg_buf_adds(b, "{\"uri\": ");
			add_uri(b, f->path);
			dg_buf_adds(b, ", \"uriBaseId\": \"%SRCROOT%\"}");
		}
		if (f->line > 0)
			add_region(b, f);
		dg_buf_adds(b, "}}]");
	}
	if (f->ref) {
		dg_buf_adds(b, ",\n     \"properties\": {\"ref\": ");
		dg_buf_add_json_str(b, f->ref);
		dg_buf_addch(b, '}');
	}
	dg_buf_addch(b, '}');
}

/*
 * The document's head up to the results: the tool and every rule of the
 * registry. It depends on nothing but the (constant) registry, so it is
 * built once per process and kept: a caller writing many reports (the
 * fuzz target writes one per input) does not rebuild the rules' help
 * texts each time (they were nine tenths of a small input's cost).
 */
static const struct dg_buf *sarif_head(void)
{
	static struct dg_buf head = DG_BUF_INIT;
	size_t n_rules;
	const struct dg_rule *const *rules;

	if (head.len)
		return &head;
	rules = dg_rules_list(&n_rules);
	dg_buf_adds(&head, "{\"$schema\": \"" SARIF_SCHEMA
			   "\",\n \"version\": \"2.1.0\",\n \"runs\": [{\n");
	dg_buf_addf(&head,
		    "  \"tool\": {\"driver\": {\"name\": \"ddlgate\", \"version\": \"%s\", "
		    "\"semanticVersion\": \"%s\",\n     \"informationUri\": \"" INFO_URI "\",\n"
		    "     \"rules\": [",
		    DG_VERSION, DG_VERSION);
	for (size_t i = 0; i < n_rules; i++) {
		dg_buf_adds(&head, i ? ",\n      " : "\n      ");
		add_rule(&head, rules[i]);
	}
	dg_buf_adds(&head, "]}},\n  \"invocations\": [{\"executionSuccessful\": true}],\n"
			   "  \"columnKind\": \"unicodeCodePoints\",\n  \"results\": [");
	return &head;
}

void dg_report_sarif(FILE *out, const struct dg_run *run)
{
	struct dg_buf b = DG_BUF_INIT;
	size_t n_rules;
	const struct dg_rule *const *rules = dg_rules_list(&n_rules);
	const struct dg_buf *head = sarif_head();

	fwrite(head->ptr, 1, head->len, out);
	for (size_t i = 0; i < run->n_findings; i++) {
		dg_buf_adds(&b, i ? ",\n    " : "\n    ");
		add_result(&b, &run->findings[i], rules, n_rules);
	}
	dg_buf_addf(&b, "%s]}]}\n", run->n_findings ? "\n  " : "");
	fwrite(b.ptr, 1, b.len, out);
	dg_buf_release(&b);
}
