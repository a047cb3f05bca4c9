/*
 * git layer on a real repository built with the git CLI in a temp dir:
 * revisions, tree and index sources (walk order, dir ids, reads), diffs,
 * the commits of a push, merge-base and ancestry, hooks dir, branch; and
 * the in-memory merge source: its files against git's own merge (`git
 * merge-tree --write-tree`, run on a copy), the quick tree-id merge
 * against libgit2's, conflicts, which side and commit brought a file,
 * remote-tracking refs, and no object written to the repository.
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

/* "cd <dir> && ( <command> ) <redirect>" into b. */
static void shell_command(struct dg_buf *b, const char *redirect, const char *fmt, va_list ap)
{
	dg_buf_addf(b, "cd '%s' && ( ", dir);
	dg_buf_vaddf(b, fmt, ap);
	dg_buf_addf(b, " ) %s", redirect);
}

/* Run a shell command in the test repository; returns its exit status. */
static int sh(const char *fmt, ...) DG_PRINTF(1, 2);
static int sh(const char *fmt, ...)
{
	struct dg_buf b = DG_BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	shell_command(&b, ">/dev/null 2>&1", fmt, ap);
	va_end(ap);
	int r = system(b.ptr);
	dg_buf_release(&b);
	return r;
}

/* All of a command's output (malloc'd). */
static char *capture_all(const char *fmt, ...) DG_PRINTF(1, 2);
static char *capture_all(const char *fmt, ...)
{
	struct dg_buf cmd = DG_BUF_INIT, out = DG_BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	shell_command(&cmd, "2>/dev/null", fmt, ap);
	va_end(ap);
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

/* First line of a command's output (static buffer). */
static const char *capture(const char *cmd)
{
	static char line[256];
	char *all = capture_all("%s", cmd);
	snprintf(line, sizeof(line), "%.*s", (int)strcspn(all, "\n"), all);
	free(all);
	return line;
}

struct collected {
	struct dg_buf paths;
};

static int collect_cb(const struct dg_entry *e, void *payload)
{
	struct collected *c = payload;
	dg_buf_addf(&c->paths, "%s%s", c->paths.len ? "," : "", e->path);
	return 0;
}

static const char *walk(struct dg_source *src, const char *d, struct collected *c)
{
	dg_buf_reset(&c->paths);
	src->walk(src, d, collect_cb, c);
	return dg_buf_cstr(&c->paths);
}

static const char *change_list(const struct dg_changes *ch)
{
	static struct dg_buf b;
	dg_buf_reset(&b);
	for (size_t i = 0; i < ch->n; i++)
		dg_buf_addf(&b, "%s%c %s", i ? "," : "", (char)ch->v[i].kind, ch->v[i].path);
	return dg_buf_cstr(&b);
}

static void oid_of(struct dg_repo *repo, const char *rev, struct dg_oid *o)
{
	if (dg_repo_resolve(repo, rev, o) < 0)
		memset(o, 0, sizeof(*o));
}

/* "path" for a file, "path=real" through a link, "path[submodule]", "path[broken: why]". */
static int kinds_cb(const struct dg_entry *e, void *payload)
{
	struct dg_buf *b = payload;
	if (b->len)
		dg_buf_addch(b, ',');
	dg_buf_adds(b, e->path);
	if (e->kind == DG_ENTRY_SUBMODULE)
		dg_buf_adds(b, "[submodule]");
	else if (e->kind == DG_ENTRY_BROKEN)
		dg_buf_addf(b, "[%s]", strstr(e->problem, "outside")   ? "outside"
				       : strstr(e->problem, "loop")      ? "loop"
				       : strstr(e->problem, "not in") || strstr(e->problem, "not exist")
					   ? "dangling"
					   : e->problem);
	else if (e->real)
		dg_buf_addf(b, "=%s", e->real);
	return 0;
}

static const char *kinds(struct dg_source *src, const char *d)
{
	static struct dg_buf b;
	dg_buf_reset(&b);
	src->walk(src, d, kinds_cb, &b);
	return dg_buf_cstr(&b);
}

/*
 * Symbolic links and submodules in a commit, the index and the work tree:
 * a link inside the repository is followed (to a file, to a directory,
 * through a chain), one that leaves it, dangles or loops is listed as
 * broken and not readable, a gitlink is a submodule; in path order, a
 * directory link where git sorts a directory.
 */
static void test_links(void)
{
	char ldir[300];
	struct dg_repo *repo = NULL;
	struct dg_source *src = NULL;
	char *s = NULL;
	size_t len;
	snprintf(ldir, sizeof(ldir), "%s/links", dir);
	ok(sh("mkdir -p '%s' && cd '%s' && git init -q -b main . && mkdir -p m sql other &&"
	      "echo 'SELECT 1;' > m/V1__a.sql && echo 'LOCK TABLE t;' > sql/x.sql &&"
	      "echo 'SELECT 8;' > other/V8__o.sql && echo 'SELECT 0;' > m/sub-x.sql &&"
	      "ln -s ../sql/x.sql m/V2__in.sql && ln -s /etc/passwd m/V3__abs.sql &&"
	      "ln -s ../../x.sql m/V4__esc.sql && ln -s V6__loop.sql m/V5__loop.sql &&"
	      "ln -s V5__loop.sql m/V6__loop.sql && ln -s nope.sql m/V7__dangling.sql &&"
	      "ln -s V2__in.sql m/V9__chain.sql && ln -s ../other m/sub && ln -s . m/self &&"
	      "git add -A && git update-index --add --cacheinfo 160000,%s,m/vendor &&"
	      "git commit -q -m links",
	      ldir, ldir, "1234567890123456789012345678901234567890") == 0,
	   "links: build repository");
	is_int(dg_repo_open_at(&repo, ldir), 0, "links: open");
	struct dg_oid head;
	oid_of(repo, "HEAD", &head);
	const char *want =
	    "m/V1__a.sql,m/V2__in.sql=sql/x.sql,m/V3__abs.sql[outside],m/V4__esc.sql[outside],"
	    "m/V5__loop.sql[loop],m/V6__loop.sql[loop],m/V7__dangling.sql[dangling],"
	    "m/V9__chain.sql=sql/x.sql,m/self[loop],m/sub-x.sql,m/sub/V8__o.sql=other/V8__o.sql,"
	    "m/vendor[submodule]";
	is_int(dg_source_git_commit(&src, repo, &head, "HEAD"), 0, "links: commit source");
	is_str(kinds(src, "m"), want, "links: commit walk");
	is_str(kinds(src, "m/sub"), "m/sub/V8__o.sql=other/V8__o.sql",
	       "links: a directory named through a link, listed under that name");
	is_int(src->read(src, "m/V2__in.sql", &s, &len), 0, "links: read through a link");
	is_str(s, "LOCK TABLE t;\n", "links: the target's bytes");
	free(s);
	is_int(src->read(src, "m/sub/V8__o.sql", &s, &len), 0, "links: read through a directory link");
	free(s);
	ok(src->read(src, "m/V3__abs.sql", &s, &len) < 0 && strstr(dg_last_error(), "outside"),
	   "links: an absolute link is not read (%s)", dg_last_error());
	ok(src->read(src, "m/V5__loop.sql", &s, &len) < 0 && strstr(dg_last_error(), "loop"),
	   "links: a loop is not read (%s)", dg_last_error());
	ok(src->read(src, "m/none.sql", &s, &len) < 0 && strstr(dg_last_error(), "not found"),
	   "links: a missing file is just missing (%s)", dg_last_error());
	ok(!dg_source_exists(src, "m/vendor") && dg_source_exists(src, "m/V2__in.sql"),
	   "links: a submodule is not a file, a followed link is");
	dg_source_free(src);

	is_int(dg_source_git_index(&src, repo), 0, "links: index source");
	is_str(kinds(src, "m"), want, "links: index walk");
	is_int(src->read(src, "m/V9__chain.sql", &s, &len), 0, "links: read a chain in the index");
	is_str(s, "LOCK TABLE t;\n", "links: the chain's end");
	free(s);
	dg_source_free(src);
	dg_repo_free(repo);

	/* the work tree: a nested clone is a submodule, links as on the commit */
	ok(sh("cd '%s' && mkdir -p m/vendor2 && echo gitdir: x > m/vendor2/.git", ldir) == 0,
	   "links: a nested repository on disk");
	is_int(dg_source_fs_open(&src, ldir), 0, "links: work tree source");
	is_str(kinds(src, "m"),
	       "m/V1__a.sql,m/V2__in.sql=sql/x.sql,m/V3__abs.sql[outside],m/V4__esc.sql[dangling],"
	       "m/V5__loop.sql[loop],m/V6__loop.sql[loop],m/V7__dangling.sql[dangling],"
	       "m/V9__chain.sql=sql/x.sql,m/self[loop],m/sub/V8__o.sql=other/V8__o.sql,m/sub-x.sql,"
	       "m/vendor2[submodule]",
	       "links: work tree walk (names in order; a nested clone is not entered)");
	dg_source_free(src);
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
	char *objects = capture_all("git count-objects -v | grep -v size");
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
		char *git = capture_all("rm -rf ../gitcopy && cp -R . ../gitcopy && cd ../gitcopy && "
				    "git ls-tree -r --format='%%(objectname) %%(path)' "
				    "\"$(git merge-tree --write-tree %s %s)\" && cd .. && "
				    "rm -rf gitcopy",
				    ours, theirs);
		is_str(q, git, what);
		free(git);
	}
	char *after = capture_all("git count-objects -v | grep -v size");
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
	char *c = capture_all("git log -1 --format='commit %%h \"%%s\"' %s", rev);
	c[strcspn(c, "\n")] = '\0';
	struct dg_buf b = DG_BUF_INIT;
	dg_buf_addf(&b, "%s%s", prefix, c);
	free(c);
	return dg_buf_detach(&b);
}

/* The merge source: a repository of its own, under <dir>/merge. */
static void test_merge(void)
{
	struct dg_repo *repo = NULL;
	size_t top = strlen(dir);
	ok(sh("rm -rf merge && git init -q -b main merge") == 0, "init the merge repository");
	strcat(dir, "/merge");

	ok(sh("mkdir -p db/m app && printf 'a\\n\\n\\n\\nb\\n' > db/m/V1__a.sql &&"
	      "echo two > db/m/V2__b.sql && echo gone > db/m/V3__gone.sql &&"
	      "echo app > app/x.py && echo r > README && git add . && git commit -q -m base &&"
	      "git checkout -q -b topic && echo mine > db/m/V4__mine.sql && echo t > app/t.py &&"
	      "git add . && git commit -q -m 'add mine' &&"
	      "git checkout -q main && echo fine > db/m/V4__fine.sql && echo m > app/m.py &&"
	      "git rm -q db/m/V3__gone.sql && git add . && git commit -q -m 'add fine' &&"
	      "git checkout -q topic") == 0,
	   "two branches");
	is_int(dg_repo_open_at(&repo, dir), 0, "open the merge repository");

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

	/*
	 * a file added long ago: past the walk's budget of close looks, found by
	 * bisecting the first parents, through the merge that brought it
	 */
	ok(sh("git checkout -q -b old main && echo side > db/m/V6__side.sql && git add . &&"
	      "git commit -q -m 'add side' && git checkout -q main && echo o > db/m/V6__other.sql &&"
	      "git add . && git commit -q -m other && git merge -q --no-edit old &&"
	      "for i in $(seq 10 90); do echo $i > db/m/V$i.sql && git add . &&"
	      " git commit -q -m \"add $i\" || exit 1; done") == 0,
	   "80 changes to the directory after the file");
	struct dg_oid tip;
	oid_of(repo, "main", &tip);
	is_int(dg_source_git_commit(&src, repo, &tip, "main"), 0, "tip");
	const char *old_paths[3] = {"db/m/V6__side.sql", "db/m/V6__other.sql", "db/m/V90.sql"};
	char *old_origin[3] = {NULL, NULL, NULL};
	src->origin(src, old_paths, 3, old_origin);
	char *w_side = quoted("added in ", "old"), *w_other = quoted("added in ", "main~82"),
	     *w_90 = quoted("added in ", "main");
	is_str(old_origin[0], w_side, "a file from a merged branch, long ago");
	is_str(old_origin[1], w_other, "a file of the first-parent line, long ago");
	is_str(old_origin[2], w_90, "a file of the tip");
	for (int i = 0; i < 3; i++)
		free(old_origin[i]);
	free(w_side);
	free(w_other);
	free(w_90);
	dg_source_free(src);

	/* a commit that is not there */
	struct dg_oid missing;
	dg_oid_parse(&missing, "1234567890123456789012345678901234567890");
	is_int(dg_source_git_merge(&src, repo, NULL, &missing, &t, "x", "y"), -1,
	       "a missing commit is an error");
	ok(strstr(dg_last_error(), "merge of y into x") && strstr(dg_last_error(), "123456789012"),
	   "naming the merge and the commit (%s)", dg_last_error());

	dg_repo_free(repo);
	dir[top] = '\0';
}

int main(void)
{
	struct dg_repo *repo = NULL;
	struct collected c = {DG_BUF_INIT};
	char id[41], hex[41];
	char *s;
	size_t len;

	snprintf(dir, sizeof(dir), "%s/ddlgate-test-git.XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(dir))
		return 1;
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

	ok(sh("git init -q -b master . && mkdir -p db/migrations db/seed app a-b &&"
	      "echo 'CREATE TABLE t (id bigint);' > db/migrations/V1__t.sql &&"
	      "echo seed > db/seed/s.sql && echo x > app/x.py && echo y > a-b/y && echo r > README "
	      "&&"
	      "ln -s README link && git add . && git commit -q -m one && git tag -a -m v v1") == 0,
	   "build repository");
	is_int(dg_repo_open_at(&repo, dir), 0, "open");
	ok(repo && dg_repo_workdir(repo) && dg_str_endswith(dg_repo_workdir(repo), dir + 5),
	   "work tree root");

	/* revisions */
	struct dg_oid one, two, three, base, merge, tag;
	oid_of(repo, "HEAD", &one);
	dg_oid_fmt(hex, &one);
	is_str(hex, capture("git rev-parse HEAD"), "resolve HEAD");
	oid_of(repo, "v1", &tag);
	ok(dg_oid_equal(&tag, &one), "annotated tag peeled to its commit");
	ok(dg_repo_resolve(repo, "nope", &base) < 0 && strstr(dg_last_error(), "'nope'"),
	   "unknown revision named");
	ok(dg_repo_has_object(repo, &one), "has the commit");
	struct dg_oid missing;
	dg_oid_parse(&missing, "1234567890123456789012345678901234567890");
	ok(!dg_repo_has_object(repo, &missing), "lacks a made-up sha");

	/* the commit's tree */
	struct dg_source *src = NULL;
	is_int(dg_source_git_commit(&src, repo, &one, "HEAD"), 0, "commit source");
	is_str(walk(src, "", &c),
	       "README,a-b/y,app/x.py,db/migrations/V1__t.sql,db/seed/s.sql,link",
	       "walk in path order, a symbolic link followed to the file it names");
	is_str(walk(src, "db", &c), "db/migrations/V1__t.sql,db/seed/s.sql", "walk a directory");
	is_str(walk(src, "db/", &c), "db/migrations/V1__t.sql,db/seed/s.sql", "trailing slash");
	is_str(walk(src, "nope", &c), "", "missing dir lists nothing");
	is_int(src->dir_id(src, "db", id), 0, "dir id");
	is_str(id, capture("git rev-parse HEAD:db"), "dir id is the tree oid");
	is_int(src->dir_id(src, "nope", id), 1, "missing dir has no id");
	is_int(src->read(src, "db/migrations/V1__t.sql", &s, &len), 0, "read a blob");
	is_str(s, "CREATE TABLE t (id bigint);\n", "blob bytes");
	free(s);
	ok(src->read(src, "db/none.sql", &s, &len) < 0 && strstr(dg_last_error(), "db/none.sql"),
	   "reading a missing file names it");
	dg_source_free(src);

	/* the index: stage a change in db/migrations only */
	sh("echo 'CREATE INDEX i ON t (id);' > db/migrations/V2__i.sql && git add db/migrations &&"
	   "echo unstaged > db/seed/s.sql");
	is_int(dg_source_git_index(&src, repo), 0, "index source");
	is_str(walk(src, "db", &c), "db/migrations/V1__t.sql,db/migrations/V2__i.sql,db/seed/s.sql",
	       "index walk sees the staged file");
	is_int(src->read(src, "db/seed/s.sql", &s, &len), 0, "read from the index");
	is_str(s, "seed\n", "staged content, not the work tree");
	free(s);
	src->dir_id(src, "db/seed", id);
	is_str(id, capture("git rev-parse HEAD:db/seed"), "unchanged dir: same id as HEAD");
	src->dir_id(src, "db/migrations", id);
	ok(strcmp(id, capture("git rev-parse HEAD:db/migrations")), "changed dir: new id");
	is_str(id, capture("git write-tree --prefix=db/migrations/"), "index dir id = write-tree");
	src->dir_id(src, "", id);
	is_str(id, capture("git write-tree"), "index root id = write-tree (symlink, a-b order)");
	is_int(src->dir_id(src, "nope", id), 1, "missing dir in the index");
	dg_source_free(src);

	struct dg_changes ch;
	is_int(dg_repo_diff_index(repo, &one, &ch), 0, "diff HEAD..index");
	is_str(change_list(&ch), "A db/migrations/V2__i.sql", "staged change only");
	dg_changes_release(&ch);
	is_int(dg_repo_diff_index(repo, NULL, &ch), 0, "diff empty..index");
	is_int(ch.n, 7, "everything added against the empty tree");
	dg_changes_release(&ch);

	/* history: two, then a topic branch merged back */
	sh("git commit -q -m two && git rm -q README && echo z >> app/x.py && git commit -q -a -m "
	   "three");
	dg_repo_free(repo);
	dg_repo_open_at(&repo, dir);
	oid_of(repo, "HEAD~1", &two);
	oid_of(repo, "HEAD", &three);
	is_int(dg_repo_diff_commits(repo, &one, &three, &ch), 0, "diff one..three");
	is_str(change_list(&ch), "D README,M app/x.py,A db/migrations/V2__i.sql,M db/seed/s.sql",
	       "kinds, sorted by path");
	ok(dg_changes_find(&ch, "app/x.py") && !dg_changes_find(&ch, "app/y.py"), "find");
	dg_changes_release(&ch);

	sh("git checkout -q -b topic HEAD~1 && echo t > db/migrations/V3__t.sql && git add . &&"
	   "git commit -q -m t && git checkout -q master && echo m > db/migrations/V4__m.sql &&"
	   "git add . && git commit -q -m m && git merge -q --no-edit topic");
	dg_repo_free(repo);
	dg_repo_open_at(&repo, dir);
	oid_of(repo, "HEAD", &merge);
	struct dg_oid topic, m;
	oid_of(repo, "topic", &topic);
	oid_of(repo, "HEAD^1", &m);
	is_int(dg_repo_merge_base(repo, &topic, &m, &base), 0, "merge base");
	ok(dg_oid_equal(&base, &two), "merge base is two");
	is_int(dg_repo_descendant_of(repo, &merge, &topic), 1, "merge descends from topic");
	is_int(dg_repo_descendant_of(repo, &topic, &merge), 0, "topic does not descend from merge");
	is_int(dg_repo_descendant_of(repo, &topic, &topic), 1, "a commit descends from itself");

	/* the commits of a push: merge..  with master^1 hidden */
	is_int(dg_repo_changed_since(repo, &merge, &m, 1, NULL, &ch), 0, "changed since master^1");
	is_str(change_list(&ch), "A db/migrations/V3__t.sql", "the merged-in topic commit only");
	dg_changes_release(&ch);
	is_int(dg_repo_changed_since(repo, &merge, &two, 1, NULL, &ch), 0, "changed since two");
	is_str(change_list(&ch),
	       "D README,M app/x.py,A db/migrations/V3__t.sql,A db/migrations/V4__m.sql,"
	       "M db/seed/s.sql",
	       "both sides, merge adds nothing of its own");
	dg_changes_release(&ch);
	sh("git update-ref refs/remotes/origin/master HEAD^1");
	is_int(dg_repo_changed_since(repo, &merge, NULL, 0, "refs/remotes/origin/*", &ch), 0,
	       "hidden by a glob");
	is_str(change_list(&ch), "A db/migrations/V3__t.sql", "origin/master's commits hidden");
	dg_changes_release(&ch);

	/* branch and hooks dir */
	char *b = NULL;
	dg_repo_current_branch(repo, &b);
	is_str(b, "master", "current branch");
	free(b);
	sh("git checkout -q --detach");
	dg_repo_current_branch(repo, &b);
	ok(b == NULL, "detached HEAD has no branch");
	sh("git checkout -q master");
	char *hooks = NULL;
	dg_repo_hooks_dir(repo, &hooks);
	ok(hooks && dg_str_endswith(hooks, "/.git/hooks"), "default hooks dir (%s)", hooks);
	free(hooks);
	sh("git config core.hooksPath tools/hooks/");
	dg_repo_free(repo);
	dg_repo_open_at(&repo, dir);
	dg_repo_hooks_dir(repo, &hooks);
	ok(hooks && dg_str_endswith(hooks, "/tools/hooks") && hooks[0] == '/',
	   "core.hooksPath relative to the work tree (%s)", hooks);
	free(hooks);
	dg_repo_free(repo);

	/* a shallow clone: answers where the history suffices, a message where not */
	sh("git clone -q --depth 2 --no-single-branch file://'%s' shallow", dir);
	char sdir[300];
	snprintf(sdir, sizeof(sdir), "%s/shallow", dir);
	is_int(dg_repo_open_at(&repo, sdir), 0, "open a shallow clone");
	ok(dg_repo_is_shallow(repo), "it is shallow");
	struct dg_oid sm, sp, st;
	oid_of(repo, "origin/master", &sm);
	oid_of(repo, "origin/master^1", &sp);
	oid_of(repo, "origin/topic", &st);
	ok(dg_oid_equal(&sm, &merge), "shallow: tip is the merge");
	is_int(dg_repo_descendant_of(repo, &sm, &sp), 1, "shallow: parent is an ancestor");
	is_int(dg_repo_merge_base(repo, &sm, &sp, &base), 0, "shallow: merge base with a parent");
	ok(dg_oid_equal(&base, &sp), "shallow: it is the parent");
	is_int(dg_repo_merge_base(repo, &sp, &st, &base), -1, "shallow: joining history missing");
	ok(strstr(dg_last_error(), "shallow") != NULL, "shallow: says so (%s)", dg_last_error());
	is_int(dg_repo_descendant_of(repo, &st, &sp), -1, "shallow: ancestry unknown");
	is_int(dg_repo_changed_since(repo, &sm, &sp, 1, NULL, &ch), -1,
	       "shallow: commits past the graft");
	ok(strstr(dg_last_error(), "unshallow") != NULL, "shallow: says what to do");
	is_int(dg_repo_diff_commits(repo, &sp, &sm, &ch), 0, "shallow: tree diff works");
	is_str(change_list(&ch), "A db/migrations/V3__t.sql", "shallow: the merged file");
	dg_changes_release(&ch);
	dg_repo_free(repo);

	test_merge();
	test_links();

	dg_buf_release(&c.paths);
	sh("cd / && rm -rf '%s'", dir);
	return done();
}
