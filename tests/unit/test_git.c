/*
 * git layer on a real repository built with the git CLI in a temp dir:
 * revisions, tree and index sources (walk order, dir ids, reads), diffs,
 * the commits of a push, merge-base and ancestry, hooks dir, branch.
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

/* Run a shell command in the test repository; returns its exit status. */
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

/* First line of a command's output (static buffer). */
static const char *capture(const char *cmd)
{
	static char line[256];
	struct dg_buf b = DG_BUF_INIT;
	dg_buf_addf(&b, "cd '%s' && %s 2>/dev/null", dir, cmd);
	FILE *p = popen(b.ptr, "r");
	dg_buf_release(&b);
	line[0] = '\0';
	if (p) {
		if (!fgets(line, sizeof(line), p))
			line[0] = '\0';
		pclose(p);
	}
	line[strcspn(line, "\n")] = '\0';
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
	is_str(walk(src, "", &c), "README,a-b/y,app/x.py,db/migrations/V1__t.sql,db/seed/s.sql",
	       "walk in path order, regular files only (no symlink)");
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

	dg_buf_release(&c.paths);
	sh("cd / && rm -rf '%s'", dir);
	return done();
}
