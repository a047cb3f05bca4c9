/*
 * SARIF 2.1.0: one run, tool.driver with every rule of the registry,
 * results with ruleId, ruleIndex, level, message and physical location.
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

static void add_text(struct dg_buf *b, const char *key, const char *text)
{
	dg_buf_addf(b, "\"%s\": {\"text\": ", key);
	dg_buf_add_json_str(b, text ? text : "");
	dg_buf_addch(b, '}');
}

static void add_rules(struct dg_buf *b)
{
	size_t n;
	const struct dg_rule *const *rules = dg_rules_list(&n);
	dg_buf_adds(b, "\"rules\": [");
	for (size_t i = 0; i < n; i++) {
		const struct dg_rule *r = rules[i];
		dg_buf_adds(b, i ? ",\n        {" : "\n        {");
		dg_buf_adds(b, "\"id\": ");
		dg_buf_add_json_str(b, r->id);
		dg_buf_adds(b, ", \"name\": ");
		dg_buf_add_json_str(b, r->id);
		dg_buf_adds(b, ", ");
		add_text(b, "shortDescription", r->summary);
		dg_buf_adds(b, ", ");
		add_text(b, "fullDescription", r->description ? r->description : r->summary);
		dg_buf_adds(b, ", ");
		struct dg_buf h = DG_BUF_INIT;
		dg_buf_addf(&h, "%s See rules/%s.md.", r->description ? r->description : r->summary, r->id);
		add_text(b, "help", h.ptr);
		dg_buf_release(&h);
		dg_buf_addf(b, ", \"helpUri\": \"%s/blob/main/rules/%s.md\"", INFO_URI, r->id);
		dg_buf_addf(b, ", \"defaultConfiguration\": {\"level\": \"%s\"}}", level_of(r->severity));
	}
	dg_buf_adds(b, "]");
}

static long rule_index(const char *id)
{
	size_t n;
	const struct dg_rule *const *rules = dg_rules_list(&n);
	for (size_t i = 0; i < n; i++)
		if (!strcmp(rules[i]->id, id))
			return (long)i;
	return -1;
}

void dg_report_sarif(FILE *out, const struct dg_run *run)
{
	struct dg_buf b = DG_BUF_INIT;
	dg_buf_adds(&b, "{\"$schema\": \"" SARIF_SCHEMA "\", \"version\": \"2.1.0\",\n \"runs\": [{\n");
	dg_buf_addf(&b, "  \"tool\": {\"driver\": {\"name\": \"ddlgate\", \"version\": \"%s\", "
			"\"semanticVersion\": \"%s\", \"informationUri\": \"" INFO_URI "\",\n      ",
		    DG_VERSION, DG_VERSION);
	add_rules(&b);
	dg_buf_adds(&b, "}},\n  \"columnKind\": \"unicodeCodePoints\",\n  \"results\": [");
	for (size_t i = 0; i < run->n_findings; i++) {
		const struct dg_finding *f = &run->findings[i];
		struct dg_buf msg = DG_BUF_INIT;
		dg_buf_adds(&msg, f->message);
		if (f->ref)
			dg_buf_addf(&msg, " (%s)", f->ref);
		if (f->help)
			dg_buf_addf(&msg, "\nhelp: %s", f->help);
		dg_buf_adds(&b, i ? ",\n    {" : "\n    {");
		dg_buf_adds(&b, "\"ruleId\": ");
		dg_buf_add_json_str(&b, f->rule);
		long idx = rule_index(f->rule);
		if (idx >= 0)
			dg_buf_addf(&b, ", \"ruleIndex\": %ld", idx);
		dg_buf_addf(&b, ", \"level\": \"%s\", ", level_of(f->severity));
		add_text(&b, "message", msg.ptr);
		dg_buf_release(&msg);
		if (f->path) {
			dg_buf_adds(&b, ", \"locations\": [{\"physicalLocation\": {\"artifactLocation\": {\"uri\": ");
			dg_buf_add_json_str(&b, f->path);
			dg_buf_adds(&b, ", \"uriBaseId\": \"%SRCROOT%\"}");
			if (f->line > 0)
				dg_buf_addf(&b, ", \"region\": {\"startLine\": %d, \"startColumn\": %d, "
						"\"endLine\": %d, \"endColumn\": %d}",
					    f->line, f->column > 0 ? f->column : 1,
					    f->end_line > 0 ? f->end_line : f->line,
					    /* SARIF endColumn is exclusive */
					    (f->end_column > 0 ? f->end_column : f->column) + 1);
			dg_buf_adds(&b, "}}]");
		}
		if (f->ref) {
			dg_buf_adds(&b, ", \"properties\": {\"ref\": ");
			dg_buf_add_json_str(&b, f->ref);
			dg_buf_addch(&b, '}');
		}
		dg_buf_addch(&b, '}');
	}
	dg_buf_addf(&b, "%s]}]}\n", run->n_findings ? "\n  " : "");
	fwrite(b.ptr, 1, b.len, out);
	dg_buf_release(&b);
}
