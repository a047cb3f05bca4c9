/*
 * bench/lint_stages: where lint's time goes, stage by stage, over the
 * files bench/lint-throughput generates, inside one process (no start-up,
 * no file reading): libpg_query's parse alone, ddlgate's statement facts
 * (parse + protobuf unpack + fact extraction), the lock model, and the
 * whole engine (facts + model + every SQL rule). Best of RUNS, seconds.
 *
 * usage: lint_stages RUNS FILE...
 */
#include <pg_query.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config/config.h"
#include "core/finding.h"
#include "rules/engine.h"
#include "sql/sql.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: lint_stages RUNS FILE...\n");
		return 2;
	}
	int runs = atoi(argv[1]), n = argc - 2;
	char **data = calloc((size_t)n, sizeof(*data));
	size_t *len = calloc((size_t)n, sizeof(*len));
	for (int i = 0; i < n; i++)
		if (dg_read_file(argv[i + 2], &data[i], &len[i]) < 0) {
			fprintf(stderr, "%s\n", dg_last_error());
			return 2;
		}
	struct dg_config cfg;
	dg_config_init(&cfg);
	dg_config_set_level(&cfg, "require-lock-timeout", DG_WARNING);
	double best[4] = { 1e9, 1e9, 1e9, 1e9 };
	for (int r = 0; r < runs; r++) {
		double t[4] = { 0 };
		for (int i = 0; i < n; i++) {
			struct dg_arena a;
			struct dg_sql_file f;
			struct dg_sql_opts so = { 15, DG_TXD_AUTO, NULL };
			struct dg_lint_opts lo = { &cfg, 15, DG_TX_AUTO, NULL };
			struct dg_run run;
			double t0 = now();
			PgQueryProtobufParseResult pr = pg_query_parse_protobuf(data[i]);
			pg_query_free_protobuf_parse_result(pr);
			double t1 = now();
			dg_arena_init(&a);
			dg_sql_parse(&a, &f, argv[i + 2], data[i], len[i]);
			double t2 = now();
			dg_sql_analyze(&a, &f, &so);
			double t3 = now();
			dg_arena_release(&a);
			dg_run_init(&run);
			double t4 = now();
			dg_lint_sql(&run, argv[i + 2], data[i], len[i], &lo);
			double t5 = now();
			dg_run_release(&run);
			t[0] += t1 - t0;
			t[1] += t2 - t1;
			t[2] += t3 - t2;
			t[3] += t5 - t4;
		}
		for (int k = 0; k < 4; k++)
			if (t[k] < best[k])
				best[k] = t[k];
	}
	printf("%.6f %.6f %.6f %.6f\n", best[0], best[1], best[2], best[3]);
	dg_config_release(&cfg);
	for (int i = 0; i < n; i++)
		free(data[i]);
	free(data);
	free(len);
	return 0;
}
