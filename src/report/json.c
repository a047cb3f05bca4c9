/* JSON output exactly as DESIGN.md specifies. */
#include "report/report.h"

void dg_report_json(FILE *out, const struct dg_run *run)
{
	struct dg_buf b = DG_BUF_INIT;
	dg_buf_addf(&b, "{\"tool\": \"ddlgate\", \"version\": \"%s\",\n \"findings\": [", DG_VERSION);
	for (size_t i = 0; i < run->n_findings; i++) {
		const struct dg_finding *f = &run->findings[i];
		dg_buf_adds(&b, i ? ",\n  " : "\n  ");
		dg_buf_adds(&b, "{\"rule\": ");
		dg_buf_add_json_str(&b, f->rule);
		dg_buf_adds(&b, ", \"severity\": ");
		dg_buf_add_json_str(&b, dg_severity_name(f->severity));
		dg_buf_adds(&b, ", \"path\": ");
		if (f->path)
			dg_buf_add_json_str(&b, f->path);
		else
			dg_buf_adds(&b, "null");
		/* integers by hand: printf was a tenth of a lint with many findings */
		dg_buf_adds(&b, ", \"line\": ");
		dg_buf_add_int(&b, f->line);
		dg_buf_adds(&b, ", \"column\": ");
		dg_buf_add_int(&b, f->column);
		dg_buf_adds(&b, ", \"end_line\": ");
		dg_buf_add_int(&b, f->end_line);
		dg_buf_adds(&b, ", \"end_column\": ");
		dg_buf_add_int(&b, f->end_column);
		dg_buf_adds(&b, ", \"message\": ");
		dg_buf_add_json_str(&b, f->message);
		dg_buf_adds(&b, ", \"help\": ");
		if (f->help)
			dg_buf_add_json_str(&b, f->help);
		else
			dg_buf_adds(&b, "null");
		if (f->ref) {
			dg_buf_adds(&b, ", \"ref\": ");
			dg_buf_add_json_str(&b, f->ref);
		}
		dg_buf_addch(&b, '}');
		if (b.len >= 65536) { /* written as it goes: a big run needs no second copy */
			fwrite(b.ptr, 1, b.len, out);
			dg_buf_reset(&b);
		}
	}
	dg_buf_addf(&b, "%s],\n \"summary\": {\"files\": %u, \"statements\": %u, \"errors\": %zu, \"warnings\": %zu}}\n",
		    run->n_findings ? "\n " : "", run->files, run->statements,
		    dg_run_count(run, DG_ERROR), dg_run_count(run, DG_WARNING));
	fwrite(b.ptr, 1, b.len, out);
	dg_buf_release(&b);
}
