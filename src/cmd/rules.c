/* ddlgate rules: every rule with its default level and summary. */
#include <stdio.h>
#include <string.h>

#include "cmd/cmd.h"
#include "rules/rule.h"

int cmd_rules(int argc, char **argv)
{
	struct dg_cli cli;
	dg_cli_init(&cli);
	for (int i = 1; i < argc; i++) {
		/* Only --format means something here: a --config or --rule that
		 * is accepted and ignored would look like it changed the list. */
		if (strncmp(argv[i], "--format", 8) || (argv[i][8] && argv[i][8] != '='))
			return dg_cli_fail("rules: unexpected argument '%s' (rules takes only --format)",
					   argv[i]);
		int r = dg_cli_option(&cli, argc, argv, &i);
		if (r < 0)
			return dg_cli_fail("%s", dg_last_error());
		if (!r)
			return dg_cli_fail("rules: unexpected argument '%s'", argv[i]);
	}
	size_t n;
	const struct dg_rule *const *rules = dg_rules_list(&n);
	if (cli.format == DG_OUT_JSON) {
		struct dg_buf b = DG_BUF_INIT;
		dg_buf_adds(&b, "{\"rules\": [");
		for (size_t i = 0; i < n; i++) {
			dg_buf_adds(&b, i ? ",\n  {\"id\": " : "\n  {\"id\": ");
			dg_buf_add_json_str(&b, rules[i]->id);
			dg_buf_adds(&b, ", \"severity\": ");
			dg_buf_add_json_str(&b, dg_severity_name(rules[i]->severity));
			dg_buf_adds(&b, ", \"summary\": ");
			dg_buf_add_json_str(&b, rules[i]->summary);
			dg_buf_adds(&b, ", \"description\": ");
			dg_buf_add_json_str(&b, rules[i]->description ? rules[i]->description : rules[i]->summary);
			dg_buf_addch(&b, '}');
		}
		dg_buf_adds(&b, "\n]}\n");
		fwrite(b.ptr, 1, b.len, stdout);
		dg_buf_release(&b);
	} else if (cli.format == DG_OUT_TEXT) {
		for (size_t i = 0; i < n; i++)
			printf("%-36s %-8s %s\n", rules[i]->id, dg_severity_name(rules[i]->severity),
			       rules[i]->summary);
	} else {
		dg_cli_release(&cli);
		return dg_cli_fail("rules: --format must be text or json");
	}
	dg_cli_release(&cli);
	return DG_EXIT_OK;
}
