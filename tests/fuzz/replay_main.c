/*
 * Replays a fuzz target over every file of a corpus directory, so the
 * corpus runs as an ordinary test (and under ASan) without libFuzzer.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s CORPUS_DIR\n", argv[0]);
		return 2;
	}
	DIR *d = opendir(argv[1]);
	if (!d) {
		fprintf(stderr, "%s: cannot open corpus\n", argv[1]);
		return 2;
	}
	struct dirent *de;
	int n = 0, unreadable = 0;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		char path[4096];
		snprintf(path, sizeof(path), "%s/%s", argv[1], de->d_name);
		char *data;
		size_t len;
		if (dg_read_file(path, &data, &len) < 0) {
			/* an input that cannot be read was not replayed: not a pass */
			fprintf(stderr, "%s: %s\n", path, dg_last_error());
			unreadable++;
			continue;
		}
		LLVMFuzzerTestOneInput((const uint8_t *)data, len);
		free(data);
		n++;
	}
	closedir(d);
	printf("replayed %d inputs\n", n);
	if (unreadable)
		printf("%d inputs could not be read\n", unreadable);
	return n > 0 && !unreadable ? 0 : 1;
}
