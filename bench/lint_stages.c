/*
 * bench/lint_stages: where lint's time goes, stage by stage, inside one
 * process (no start-up, files read before the clock starts), next to the
 * baseline of the same run: PostgreSQL's parser alone (pg_query_raw_parse
 * of each whole file). Stages: ddlgate's statement facts (scanner split,
 * per-statement parse, facts), the lock model, the rules (the whole engine
 * minus the first two), and the JSON report. Best of RUNS, in seconds.
 *
 * usage: lint_stages RUNS FILE...
 * prints: raw_parse facts model rules report
 */
#include <pg_query.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "pg_query_internal.h"

#include "config/config.h"
#include "core/finding.h"
#include "report/report.h"
#include "rules/engine.h"
#include "sql/sql.h"

enum { RAW, FACTS, MODEL, ENGINE, REPORT, N_STAGES };

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double raw_parse(const char *path, const char *text)
{
	double t0 = now();
	MemoryContext ctx = pg_query_enter_memory_context();
	PgQueryInternalParsetreeAndError pr = pg_query_raw_parse(text, 0);
	free(pr.stderr_buffer);
	if (pr.error) {
		fprintf(stderr, "lint_stages: %s: %s\n", path, pr.error->message);
		exit(2);
	}
	pg_query_exit_memory_context(ctx);
	return now() - t0;
}

/* One file through every stage; adds each stage's seconds to t. */
static void one_file(const struct dg_config *cfg, FILE *sink, const char *path, const char *data,
		     size_t len, double *t)
{
	struct dg_arena a;
	struct dg_sql_file f;
	struct dg_sql_opts so = { cfg->pg_version, DG_TXD_AUTO, NULL };
	struct dg_lint_opts lo = { cfg, cfg->pg_version, DG_TX_AUTO, NULL };
	struct dg_run run;

	t[RAW] += raw_parse(path, data);
	double t0 = now();
	dg_arena_init(&a);
	dg_sql_parse(&a, &f, path, data, len);
	double t1 = now();
	dg_sql_analyze(&a, &f, &so);
	double t2 = now();
	dg_arena_release(&a);
	dg_run_init(&run);
	double t3 = now();
	if (dg_lint_sql(&run, path, data, len, &lo) < 0) {
		fprintf(stderr, "lint_stages: %s\n", dg_last_error());
		exit(2);
	}
	double t4 = now();
	struct dg_report_opts ro = { 0, NULL };
	dg_report_write(sink, &run, DG_OUT_JSON, &ro);
	fflush(sink);
	double t5 = now();
	dg_run_release(&run);
	t[FACTS] += t1 - t0;
	t[MODEL] += t2 - t1;
	t[ENGINE] += t4 - t3;
	t[REPORT] += t5 - t4;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: lint_stages RUNS FILE...\n");
		return 2;
	}
	int runs = atoi(argv[1]), n = argc - 2;
	char **data = dg_xcalloc((size_t)n, sizeof(*data));
	size_t *len = dg_xcalloc((size_t)n, sizeof(*len));
	for (int i = 0; i < n; i++)
		if (dg_read_file(argv[i + 2], &data[i], &len[i]) < 0) {
			fprintf(stderr, "lint_stages: %s\n", dg_last_error());
			return 2;
		}
	FILE *sink = fopen("/dev/null", "w");
	if (!sink) {
		perror("lint_stages: /dev/null");
		return 2;
	}
	struct dg_config cfg;
	dg_config_init(&cfg);
	dg_config_set_level(&cfg, "require-lock-timeout", DG_WARNING);
	double best[N_STAGES] = { 1e9, 1e9, 1e9, 1e9, 1e9 };
	for (int r = 0; r < runs; r++) {
		double t[N_STAGES] = { 0 };
		for (int i = 0; i < n; i++)
			one_file(&cfg, sink, argv[i + 2], data[i], len[i], t);
		t[ENGINE] -= t[FACTS] + t[MODEL]; /* the rules alone */
		for (int k = 0; k < N_STAGES; k++)
			if (t[k] < best[k])
				best[k] = t[k];
	}
	printf("%.6f %.6f %.6f %.6f %.6f\n", best[RAW], best[FACTS], best[MODEL], best[ENGINE],
	       best[REPORT]);
	fclose(sink);
	dg_config_release(&cfg);
	for (int i = 0; i < n; i++)
		free(data[i]);
	free(data);
	free(len);
	return 0;
}
