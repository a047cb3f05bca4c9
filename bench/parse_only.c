/*
 * bench/parse_only: libpg_query's parse alone over the same files that
 * bench/lint-throughput lints, as the baseline for the analysis/parse
 * ratio. Prints the seconds spent parsing (best of the runs asked for).
 *
 * usage: parse_only RUNS FILE...
 */
#include "core/core.h"
#include <pg_query.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The whole file, NUL-terminated; exit 2 when it cannot be read. */
static char *slurp(const char *path)
{
	char *s;
	size_t n;
	if (dg_read_file(path, &s, &n) < 0) {
		fprintf(stderr, "%s\n", dg_last_error());
		exit(2);
	}
	return s;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: parse_only RUNS FILE...\n");
		return 2;
	}
	int runs = atoi(argv[1]);
	int n = argc - 2;
	char **texts = malloc((size_t)n * sizeof(*texts));
	for (int i = 0; i < n; i++)
		texts[i] = slurp(argv[i + 2]);
	double best = 1e9;
	for (int r = 0; r < runs; r++) {
		double t0 = now();
		for (int i = 0; i < n; i++) {
			/* the same entry point ddlgate's SQL stage uses */
			PgQueryProtobufParseResult pr = pg_query_parse_protobuf(texts[i]);
			if (pr.error) {
				fprintf(stderr, "%s: %s\n", argv[i + 2], pr.error->message);
				return 2;
			}
			pg_query_free_protobuf_parse_result(pr);
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
