/*
 * A guard in front of the object database. libgit2 1.5 loops forever
 * inflating a truncated loose object. So a backend placed before the real
 * ones checks each loose object first: its header with the real backends
 * (a garbage file fails there), and its whole zlib stream (a truncated
 * file ends before the stream does). A packed object is only looked up:
 * a damaged pack entry fails the real read, which does not hang. A damaged object is an
 * error naming its id; an intact one is passed on (GIT_PASSTHROUGH) to the
 * backend that really reads it. The guard also tells the watchdog which
 * object is being read, so a hang anywhere else is reported by name.
 */
#include "git/git_int.h"

#include <git2/sys/odb_backend.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "core/core.h"
#include "core/watchdog.h"

struct guard {
	git_odb_backend parent;
	git_odb_backend **inner; /* the odb's own backends (the odb owns them) */
	size_t n_inner;
	char *objects;           /* <common dir>/objects */
};

static int damaged(const git_oid *id, const char *why)
{
	char hex[GIT_OID_HEXSZ + 1];
	git_oid_tostr(hex, sizeof(hex), id);
	git_error_set(GIT_ERROR_ODB, "object %s is damaged (%s); run `git fsck`", hex, why);
	return -1;
}

/*
 * Inflate a loose object's file to its end, discarding the output: 0 when
 * the stream is complete (or there is no such loose file), -1 when it is
 * cut short or corrupt.
 */
static int check_loose(struct guard *g, const git_oid *id)
{
	char hex[GIT_OID_HEXSZ + 1];
	git_oid_tostr(hex, sizeof(hex), id);
	size_t pl = strlen(g->objects) + GIT_OID_HEXSZ + 3;
	char *path = dg_xmalloc(pl);
	snprintf(path, pl, "%s/%.2s/%s", g->objects, hex, hex + 2);
	FILE *f = fopen(path, "rb");
	free(path);
	if (!f)
		return 0; /* packed, or not here: the real backends decide */
	z_stream z;
	memset(&z, 0, sizeof(z));
	if (inflateInit(&z) != Z_OK) {
		fclose(f);
		return damaged(id, "cannot start zlib");
	}
	unsigned char in[16384], out[65536];
	int zr = Z_OK;
	while (zr != Z_STREAM_END) {
		z.avail_in = (uInt)fread(in, 1, sizeof(in), f);
		z.next_in = in;
		if (z.avail_in == 0)
			break; /* the file ended before the stream did */
		while (z.avail_in && zr != Z_STREAM_END) {
			z.next_out = out;
			z.avail_out = sizeof(out);
			zr = inflate(&z, Z_NO_FLUSH);
			if (zr != Z_OK && zr != Z_STREAM_END)
				break;
		}
		if (zr != Z_OK && zr != Z_STREAM_END)
			break;
	}
	int err = ferror(f);
	fclose(f);
	inflateEnd(&z);
	if (err)
		return damaged(id, "cannot read the loose object file");
	if (zr == Z_STREAM_END)
		return 0;
	if (zr == Z_OK || zr == Z_BUF_ERROR)
		return damaged(id, "the loose object file is truncated");
	return damaged(id, z.msg ? z.msg : "zlib error");
}

/*
 * 0 intact or absent here (let the odb go on), -1 damaged (git error set).
 * *loose: the backend that has it writes objects one file each (the loose
 * backend; packs are only written as packs), so its zlib stream is checked.
 */
static int check_header(struct guard *g, const git_oid *id, int *loose)
{
	*loose = 0;
	for (size_t i = 0; i < g->n_inner; i++) {
		git_odb_backend *b = g->inner[i];
		size_t len;
		git_object_t type;
		if (!b->write && b->exists) {
			/*
			 * A pack: a damaged entry fails the real read itself, so
			 * only whether this backend has it matters (reading the
			 * header here inflated it once more for every object).
			 */
			if (b->exists(b, id))
				return 0;
			continue;
		}
		if (!b->read_header)
			continue;
		int e = b->read_header(&len, &type, b, id);
		if (e == 0) {
			*loose = b->write != NULL;
			return 0;
		}
		if (e == GIT_ENOTFOUND || e == GIT_PASSTHROUGH)
			continue;
		const git_error *err = git_error_last();
		char why[256];
		snprintf(why, sizeof(why), "%s", err && err->message ? err->message : "unreadable");
		return damaged(id, why);
	}
	return 0;
}

static int guard_read(void **data, size_t *len, git_object_t *type, git_odb_backend *b,
		      const git_oid *id)
{
	char what[GIT_OID_HEXSZ + 8] = "object ";
	(void)data;
	(void)len;
	(void)type;
	dg_git_oid_hex(what + 7, id);
	dg_watchdog_doing(what);
	int loose;
	if (check_header((struct guard *)b, id, &loose) < 0 ||
	    (loose && check_loose((struct guard *)b, id) < 0))
		return -1;
	return GIT_PASSTHROUGH;
}

static void guard_free(git_odb_backend *b)
{
	struct guard *g = (struct guard *)b;
	free(g->inner);
	free(g->objects);
	free(g);
}

int dg_git_guard_odb(git_repository *repo)
{
	git_odb *odb;
	if (git_repository_odb(&odb, repo) < 0)
		return dg_git_fail("cannot open the object database");
	struct guard *g = dg_xcalloc(1, sizeof(*g));
	const char *common = git_repository_commondir(repo);
	size_t cl = strlen(common) + 9;
	g->objects = dg_xmalloc(cl);
	snprintf(g->objects, cl, "%s%sobjects", common,
		 *common && common[strlen(common) - 1] == '/' ? "" : "/");
	size_t n = git_odb_num_backends(odb);
	g->inner = dg_xcalloc(n ? n : 1, sizeof(*g->inner));
	for (size_t i = 0; i < n; i++)
		if (git_odb_get_backend(&g->inner[g->n_inner], odb, i) == 0)
			g->n_inner++;
	git_odb_init_backend(&g->parent, GIT_ODB_BACKEND_VERSION);
	g->parent.read = guard_read;
	g->parent.free = guard_free;
	/* above every default backend (loose 1, packed 2, alternates lower) */
	int r = git_odb_add_backend(odb, &g->parent, 1000);
	git_odb_free(odb);
	if (r < 0) {
		guard_free(&g->parent);
		return dg_git_fail("cannot guard the object database");
	}
	return 0;
}
