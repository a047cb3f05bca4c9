/*
 * The in-memory merge source on real repositories built with the git CLI:
 * its files against git's own merge (`git merge-tree --write-tree`, run on
 * a copy), the quick tree-id merge against libgit2's, conflicts, which
 * side and commit brought a file, remote-tracking refs, and no object
 * written to the repository.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/core.h"
#include "git/git.h"
#include "tap.h"

static char dir[256];

static int sh(const char *fmt, ...) DG_PRINTF(1, 2);
static int sh(const char *fmt, ...)
{
	struct dg_buf b = DG_BUF_INIT;
	va_list ap;
	dg_buf_addf(&b, "cd '%s' && ( ", dir);
	va_start(ap, fmt);
	dg_buf_vaddf(&b, fmt, ap);
	va_end(ap);
	dg_buf_adds(&b, " ) >/dev/null 2>&1");
	int r = system(b.ptr);
	dg_buf_release(&b);
	return r;
}

/* All of a command's output (malloc'd). */
static char *capture(const char *fmt, ...) DG_PRINTF(1, 2);
static char *capture(const char *fmt, ...)
{
	struct dg_buf cmd = DG_BUF_INIT, out = DG_BUF_INIT;
	va_list ap;
	dg_buf_addf(&cmd, "cd '%s' && ( ", dir);
	va_start(ap, fmt);
	dg_buf_vaddf(&cmd, fmt, ap);
	va_end(ap);
	dg_buf_adds(&cmd, " ) 2>/dev/null");
	FILE *p = popen(cmd.ptr, "r");
	char line[512];
	while (p && fgets(line, sizeof(line), p))
		dg_buf_adds(&out, line);
	if (p)
		pclose(p);
	dg_buf_release(&cmd);
	dg_buf_grow(&out, 1);
	return dg_buf_detach(&out);
}

/* "<blob id> <path>\n" of every file a source lists. */
static int list_cb(const struct dg_entry *e, void *payload)
{
	dg_buf_addf(payload, "%s %s\n", e->id, e->path);
	return 0;
}

static char *listing(struct dg_source *src)
{
	struct dg_buf b = DG_BUF_INIT;
	src->walk(src, "", list_cb, &b);
	dg_buf_grow(&b, 1);
	return dg_buf_detach(&b);
}

static int conflict_cb(const char *path, const char *what, void *payload)
{
	dg_buf_addf(payload, "%s: %s\n", path, what);
	return 0;
}

static char *conflicts(struct dg_source *src)
{
	struct dg_buf b = DG_BUF_INIT;
	src->conflicts(src, conflict_cb, &b);
	dg_buf_grow(&b, 1);
	return dg_buf_detach(&b);
}

static void oid_of(struct dg_repo *repo, const char *rev, struct dg_oid *o)
{
	if (dg_repo_resolve(repo, rev, o) < 0)
		memset(o, 0, sizeof(*o));
}

/*
 * Merge theirs into ours both ways (the quick way with the merge base,
 * libgit2's with base NULL) and compare with git's merge of the same
 * commits, done in a throwaway copy so the repository keeps its objects.
 * want_conflicts: the conflicts expected (both ways), "" = clean.
 */
static void merge_case(struct dg_repo *repo, const char *what, const char *ours,
		       const char *theirs, const char *want_conflicts)
{
	struct dg_oid o, t, mb;
	oid_of(repo, ours, &o);
	oid_of(repo, theirs, &t);
	is_int(dg_repo_merge_base(repo, &o, &t, &mb), 0, what);
	char *objects = capture("git count-objects -v | grep -v size");
	struct dg_source *quick = NULL, *full = NULL;
	is_int(dg_source_git_merge(&quick, repo, &mb, &o, &t, ours, "this branch"), 0, what);
	is_int(dg_source_git_merge(&full, repo, NULL, &o, &t, ours, "this branch"), 0, what);
	if (!quick || !full) {
		dg_source_free(quick);
		dg_source_free(full);
		free(objects);
		return;
	}
	char *q = listing(quick), *f = listing(full);
	char *qc = conflicts(quick), *fc = conflicts(full);
	is_str(q, f, what);
	is_str(qc, want_conflicts, what);
	is_str(fc, want_conflicts, what);
	if (!*want_conflicts) {
		/* git's own merge of the same commits, in a copy */
		char *git = capture("rm -rf ../gitcopy && cp -R . ../gitcopy && cd ../gitcopy && "
				    "git ls-tree -r --format='%%(objectname) %%(path)' "
				    "\"$(git merge-tree --write-tree %s %s)\" && cd .. && "
				    "rm -rf gitcopy",
				    ours, theirs);
		is_str(q, git, what);
		free(git);
	}
	char *after = capture("git count-objects -v | grep -v size");
	is_str(after, objects, "no object written");
	free(after);
	free(objects);
	free(q);
	free(f);
	free(qc);
	free(fc);
	dg_source_free(quick);
	dg_source_free(full);
}

/* `git log --format` of rev, as the messages quote commits. */
static char *quoted(const char *prefix, const char *rev)
{
	char *c = capture("git log -1 --format='commit %%h \"%%s\"' %s", rev);
	c[strcspn(c, "\n")] = '\0';
	struct dg_buf b = DG_BUF_INIT;
	dg_buf_addf(&b, "%s%s", prefix, c);
	free(c);
	return dg_buf_detach(&b);
}

int main(void)
{
	struct dg_repo *repo = NULL;
	snprintf(dir, sizeof(dir), "%s/ddlgate-test-merge.XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(dir))
		return 1;
	char sub[300];
	snprintf(sub, sizeof(sub), "%s/w", dir);
	setenv("HOME", dir, 1);
	setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
	unsetenv("GIT_DIR");
	unsetenv("GIT_INDEX_FILE");
	unsetenv("GIT_WORK_TREE");
	setenv("GIT_AUTHOR_DATE", "2026-01-02T03:04:05Z", 1);
	setenv("GIT_COMMITTER_DATE", "2026-01-02T03:04:05Z", 1);
	setenv("GIT_AUTHOR_NAME", "T", 1);
	setenv("GIT_AUTHOR_EMAIL", "t@example.com", 1);
	setenv("GIT_COMMITTER_NAME", "T", 1);
	setenv("GIT_COMMITTER_EMAIL", "t@example.com", 1);
	ok(sh("git init -q -b main w") == 0, "init");
	strcat(dir, "/w");

	ok(sh("mkdir -p db/m app && printf 'a\\n\\n\\n\\nb\\n' > db/m/V1__a.sql &&"
	      "echo two > db/m/V2__b.sql && echo gone > db/m/V3__gone.sql &&"
	      "echo app > app/x.py && echo r > README && git add . && git commit -q -m base &&"
	      "git checkout -q -b topic && echo mine > db/m/V4__mine.sql && echo t > app/t.py &&"
	      "git add . && git commit -q -m 'add mine' &&"
	      "git checkout -q main && echo fine > db/m/V4__fine.sql && echo m > app/m.py &&"
	      "git rm -q db/m/V3__gone.sql && git add . && git commit -q -m 'add fine' &&"
	      "git checkout -q topic") == 0,
	   "two branches");
	is_int(dg_repo_open_at(&repo, dir), 0, "open");

	merge_case(repo, "each side adds and deletes its own files", "main", "topic", "");

	/* the walk, reads and which side brought a file */
	struct dg_oid o, t, mb;
	oid_of(repo, "main", &o);
	oid_of(repo, "topic", &t);
	dg_repo_merge_base(repo, &o, &t, &mb);
	struct dg_source *src = NULL;
	is_int(dg_source_git_merge(&src, repo, &mb, &o, &t, "origin/main", "this branch"), 0,
	       "merge source");
	char *l = listing(src);
	ok(strstr(l, " db/m/V4__fine.sql\n") && strstr(l, " db/m/V4__mine.sql\n") &&
	       !strstr(l, "V3__gone"),
	   "both sides' files, the deletion applied");
	free(l);
	char *data = NULL;
	size_t len = 0;
	is_int(src->read(src, "db/m/V4__mine.sql", &data, &len), 0, "read the branch's file");
	is_str(data, "mine\n", "its bytes");
	free(data);
	is_int(src->read(src, "db/m/V3__gone.sql", &data, &len), -1, "a deleted file is not there");
	const char *paths[3] = {"db/m/V4__fine.sql", "db/m/V4__mine.sql", "db/m/V1__a.sql"};
	char *origin[3] = {NULL, NULL, NULL};
	is_int(src->origin(src, paths, 3, origin), 0, "origin");
	char *want = quoted("from origin/main in ", "main");
	is_str(origin[0], want, "the base's file: its side and commit");
	free(want);
	want = quoted("from this branch in ", "topic");
	is_str(origin[1], want, "the branch's file: its side and commit");
	free(want);
	want = quoted("from origin/main in ", "main~1");
	is_str(origin[2], want, "an old file: on the base since the first commit");
	free(want);
	for (int i = 0; i < 3; i++)
		free(origin[i]);
	char idbuf[41];
	is_int(src->dir_id(src, "db", idbuf), 1, "a merge has no tree ids");
	dg_source_free(src);

	/* both sides change one file: merged line by line (git writes that blob; we do not) */
	ok(sh("git checkout -q -b edit-a main && printf 'A\\n\\n\\n\\nb\\n' > db/m/V1__a.sql &&"
	      "git commit -q -a -m 'edit top' && git checkout -q -b edit-b main &&"
	      "printf 'a\\n\\n\\n\\nB\\n' > db/m/V1__a.sql && git commit -q -a -m 'edit bottom'") == 0,
	   "one file edited in two places");
	merge_case(repo, "a file merged line by line", "edit-a", "edit-b", "");

	/* conflicts of every kind */
	ok(sh("git checkout -q -b c-ours main && echo ours > db/m/V2__b.sql &&"
	      "echo ours-add > db/m/V5__both.sql && echo x >> db/m/V4__fine.sql &&"
	      "git add . && git commit -q -m 'ours' &&"
	      "git checkout -q -b c-theirs main && echo theirs > db/m/V2__b.sql &&"
	      "echo theirs-add > db/m/V5__both.sql && git rm -q db/m/V4__fine.sql &&"
	      "git add . && git commit -q -m 'theirs'") == 0,
	   "conflicting branches");
	merge_case(repo, "conflicts", "c-ours", "c-theirs",
		   "db/m/V2__b.sql: both sides changed it since they split\n"
		   "db/m/V4__fine.sql: c-ours changed it and this branch deleted or renamed it\n"
		   "db/m/V5__both.sql: both sides added it, with different content\n");
	oid_of(repo, "c-ours", &o);
	oid_of(repo, "c-theirs", &t);
	dg_repo_merge_base(repo, &o, &t, &mb);
	is_int(dg_source_git_merge(&src, repo, &mb, &o, &t, "c-ours", "this branch"), 0,
	       "conflicted merge");
	is_int(src->read(src, "db/m/V2__b.sql", &data, &len), 0, "a conflicted file reads");
	is_str(data, "theirs\n", "as the branch has it");
	free(data);
	is_int(src->read(src, "db/m/V4__fine.sql", &data, &len), 0,
	       "a file the branch deleted reads");
	is_str(data, "fine\nx\n", "as the base has it");
	free(data);
	const char *cp[1] = {"db/m/V2__b.sql"};
	char *co[1] = {NULL};
	src->origin(src, cp, 1, co);
	char *w1 = quoted("", "c-ours"), *w2 = quoted("", "c-theirs");
	struct dg_buf wb = DG_BUF_INIT;
	dg_buf_addf(&wb, "changed on c-ours in %s and on this branch in %s", w1, w2);
	is_str(co[0], dg_buf_cstr(&wb), "a conflict names each side's commit");
	dg_buf_release(&wb);
	free(w1);
	free(w2);
	free(co[0]);
	dg_source_free(src);

	/* both sides delete (or rename) one file, and a file against a directory */
	ok(sh("git checkout -q -b r-ours main && git mv db/m/V2__b.sql db/m/V2__b1.sql &&"
	      "git commit -q -m 'rename ours' && git checkout -q -b r-theirs main &&"
	      "git mv db/m/V2__b.sql db/m/V2__b2.sql && git commit -q -m 'rename theirs'") == 0,
	   "renamed on both sides");
	merge_case(repo, "renamed differently", "r-ours", "r-theirs",
		   "db/m/V2__b.sql: the two sides renamed it differently\n"
		   "db/m/V2__b1.sql: the two sides renamed it differently\n"
		   "db/m/V2__b2.sql: the two sides renamed it differently\n");
	ok(sh("git checkout -q -b d-ours main && git rm -q README && mkdir README &&"
	      "echo in > README/x && git add . && git commit -q -m 'dir' &&"
	      "git checkout -q -b d-theirs main && echo more >> app/x.py &&"
	      "git commit -q -a -m 'app'") == 0,
	   "a file made a directory");
	merge_case(repo, "a file made a directory on one side", "d-ours", "d-theirs", "");

	/* remote-tracking refs: listed, HEAD left out */
	ok(sh("git update-ref refs/remotes/origin/main main && "
	      "git update-ref refs/remotes/origin/release/1 topic && "
	      "git symbolic-ref refs/remotes/origin/HEAD refs/remotes/origin/main && "
	      "git update-ref refs/remotes/other/main main") == 0,
	   "tracking refs");
	struct dg_tracking_ref *tr = NULL;
	size_t ntr = 0;
	is_int(dg_repo_tracking_refs(repo, "origin", &tr, &ntr), 0, "list origin's");
	is_int(ntr, 2, "two, HEAD left out");
	if (ntr == 2) {
		is_str(tr[0].name, "origin/main", "name");
		is_str(tr[0].branch, "main", "branch");
		is_str(tr[1].branch, "release/1", "a branch with a slash");
		oid_of(repo, "topic", &t);
		ok(dg_oid_equal(&tr[1].commit, &t), "its commit");
	}
	dg_tracking_refs_free(tr, ntr);
	is_int(dg_repo_tracking_refs(repo, "nosuch", &tr, &ntr), 0, "a remote with none");
	is_int(ntr, 0, "nothing");
	dg_tracking_refs_free(tr, ntr);

	/* a commit that is not there */
	struct dg_oid missing;
	dg_oid_parse(&missing, "1234567890123456789012345678901234567890");
	is_int(dg_source_git_merge(&src, repo, NULL, &missing, &t, "x", "y"), -1,
	       "a missing commit is an error");
	ok(strstr(dg_last_error(), "merge of y into x") && strstr(dg_last_error(), "123456789012"),
	   "naming the merge and the commit (%s)", dg_last_error());

	dg_repo_free(repo);
	dir[strlen(dir) - 2] = '\0';
	sh("cd / && rm -rf '%s'", dir);
	return done();
}
