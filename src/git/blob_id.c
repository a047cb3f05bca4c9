/*
 * The id git gives a file's content (its blob id), computed without a
 * repository: lint and explain read migrations from the work tree, and
 * the blob id is the key of the schema facts cache, so the unchanged
 * migrations of a long history are not parsed again.
 */
#include <git2.h>
#include <stdlib.h>

#include "git/git.h"

static void shutdown_libgit2(void)
{
	git_libgit2_shutdown();
}

int dg_git_blob_id(const char *data, size_t len, char out[DG_OID_HEXSZ + 1])
{
	static int ready;
	git_oid oid;
	if (!ready) {
		if (git_libgit2_init() < 0)
			return -1;
		atexit(shutdown_libgit2);
		ready = 1;
	}
	if (git_odb_hash(&oid, data, len, GIT_OBJECT_BLOB) < 0)
		return -1;
	git_oid_tostr(out, DG_OID_HEXSZ + 1, &oid);
	return 0;
}
