/*
 * bench/parse_only: the honest baseline for lint's speed. PostgreSQL's
 * parser alone (pg_query_raw_parse, the entry point ddlgate's SQL stage
 * uses, without ddlgate's split or facts) over the same bytes, each file
 * in one call inside a libpg_query memory context freed after it. Files
 * are read before the clock starts. Prints the best time of RUNS, in
 * seconds. A file the parser rejects stops the bench with its message.
 *
 * usage: parse_only RUNS FILE...
 */
#include "core/core.h"

#include <pg_query.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "pg_query_internal.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: parse_only RUNS FILE...\n");
		return 2;
	}
	int runs = atoi(argv[1]);
	int n = argc - 2;
	char **texts = dg_xcalloc((size_t)n, sizeof(*texts));
	for (int i = 0; i < n; i++) {
		size_t len;
		if (dg_read_file(argv[i + 2], &texts[i], &len) < 0) {
			fprintf(stderr, "parse_only: %s\n", dg_last_error());
			return 2;
		}
	}
	double best = 1e9;
	for (int r = 0; r < runs; r++) {
		double t0 = now();
		for (int i = 0; i < n; i++) {
			MemoryContext ctx = pg_query_enter_memory_context();
			PgQueryInternalParsetreeAndError pr = pg_query_raw_parse(texts[i], 0);
			free(pr.stderr_buffer);
			if (pr.error) {
				fprintf(stderr, "parse_only: %s: %s\n", argv[i + 2], pr.error->message);
				return 2;
			}
			pg_query_exit_memory_context(ctx);
		}
		double t = now() - t0;
		if (t < best)
			best = t;
	}
	printf("%.6f\n", best);
	for (int i = 0; i < n; i++)
		free(texts[i]);
	free(texts);
	return 0;
}
