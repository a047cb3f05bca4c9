/*
 * `ddlgate install`: write the hook shims (the text of hooks/pre-push and
 * hooks/pre-commit in the source tree) into the hooks directory git uses.
 * Never overwrites a hook that is not ours unless told: --chain keeps it
 * and runs it first, --force replaces it. Installing twice is a no-op.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "core/core.h"
#include "git/git.h"

/* The marker line that tells install a hook is ours. */
#define DG_HOOK_MARKER "# ddlgate hook: "

/* hooks/pre-push and hooks/pre-commit are this text with @INSTALLED@ = ''. */
static const char hook_template[] =
    "#!/bin/sh\n"
    "# ddlgate hook: @HOOK@\n"
    "# Written by `ddlgate install`; `ddlgate install --force` rewrites it and\n"
    "# deleting this file removes it. Runs `ddlgate @HOOK@` from PATH, else from\n"
    "# where install found it. A hook that was here before `install --chain`\n"
    "# is kept as @HOOK@.pre-ddlgate and runs first; it can veto.\n"
    "hook=@HOOK@\n"
    "ddlgate_installed=@INSTALLED@\n"
    "\n"
    "if command -v ddlgate >/dev/null 2>&1; then\n"
    "\tddlgate=ddlgate\n"
    "elif [ -n \"$ddlgate_installed\" ] && [ -x \"$ddlgate_installed\" ]; then\n"
    "\tddlgate=$ddlgate_installed\n"
    "else\n"
    "\techo \"ddlgate $hook hook: ddlgate is not on PATH${ddlgate_installed:+ nor at "
    "$ddlgate_installed};\" \\\n"
    "\t\t\"install it, or delete $0 to remove the hook\" >&2\n"
    "\texit 1\n"
    "fi\n"
    "\n"
    "chained=\"$0.pre-ddlgate\"\n"
    "if [ -x \"$chained\" ]; then\n"
    "\tif [ \"$hook\" = pre-push ]; then\n"
    "\t\t# both hooks read git's ref lines: keep them to hand them on\n"
    "\t\tinput=$(cat)\n"
    "\t\tif [ -n \"$input\" ]; then printf '%s\\n' \"$input\"; fi | \"$chained\" \"$@\" || exit "
    "$?\n"
    "\t\tif [ -n \"$input\" ]; then printf '%s\\n' \"$input\"; fi | \"$ddlgate\" \"$hook\" \"$@\"\n"
    "\t\texit $?\n"
    "\tfi\n"
    "\t\"$chained\" \"$@\" || exit $?\n"
    "fi\n"
    "exec \"$ddlgate\" \"$hook\" \"$@\"\n";

struct hook_plan {
	const char *name;
	char *path; /* <hooks dir>/<name> */
	char *text; /* what we write */
	enum { PLAN_WRITE, PLAN_SAME, PLAN_UPDATE, PLAN_CHAIN, PLAN_REPLACE } action;
};

/* 'it''s' quoting for sh. */
static void add_sh_quoted(struct dg_buf *b, const char *s)
{
	dg_buf_addch(b, '\'');
	for (; *s; s++) {
		if (*s == '\'')
			dg_buf_adds(b, "'\\''");
		else
			dg_buf_addch(b, *s);
	}
	dg_buf_addch(b, '\'');
}

static char *render(const char *hook, const char *installed)
{
	struct dg_buf b = DG_BUF_INIT;
	for (const char *p = hook_template; *p;) {
		if (!strncmp(p, "@HOOK@", 6)) {
			dg_buf_adds(&b, hook);
			p += 6;
		} else if (!strncmp(p, "@INSTALLED@", 11)) {
			add_sh_quoted(&b, installed);
			p += 11;
		} else {
			dg_buf_addch(&b, *p++);
		}
	}
	return dg_buf_detach(&b);
}

/* Absolute path of this binary, "" when it cannot be told. */
static char *self_path(void)
{
	char buf[4096];
	ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
	if (n <= 0)
		return dg_xstrdup("");
	buf[n] = '\0';
	return dg_xstrdup(buf);
}

static int mkdir_p(const char *dir)
{
	char *p = dg_xstrdup(dir);
	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0777) < 0 && errno != EEXIST) {
			int r = dg_error("%s: cannot create directory: %s", p, strerror(errno));
			free(p);
			return r;
		}
		*s = '/';
	}
	int r = 0;
	if (mkdir(p, 0777) < 0 && errno != EEXIST)
		r = dg_error("%s: cannot create directory: %s", p, strerror(errno));
	free(p);
	return r;
}

static int write_hook(const char *path, const char *text)
{
	struct dg_buf tmp = DG_BUF_INIT;
	dg_buf_addf(&tmp, "%s.ddlgate-tmp", path);
	FILE *f = fopen(tmp.ptr, "w");
	int r = 0;
	if (!f) {
		r = dg_error("%s: cannot write: %s", tmp.ptr, strerror(errno));
	} else {
		if (fputs(text, f) == EOF)
			r = dg_error("%s: cannot write: %s", tmp.ptr, strerror(errno));
		if (fclose(f) != 0 && !r)
			r = dg_error("%s: cannot write: %s", tmp.ptr, strerror(errno));
		if (!r && chmod(tmp.ptr, 0755) < 0)
			r = dg_error("%s: cannot make executable: %s", tmp.ptr, strerror(errno));
		if (!r && rename(tmp.ptr, path) < 0)
			r = dg_error("%s: cannot install: %s", path, strerror(errno));
		if (r)
			unlink(tmp.ptr);
	}
	dg_buf_release(&tmp);
	return r;
}

/* Decide what to do with one hook; -1 (message set) when we must refuse. */
static int plan_hook(struct hook_plan *h, int force, int chain)
{
	struct stat st;
	char *old;
	size_t len;
	h->action = PLAN_WRITE;
	if (lstat(h->path, &st) < 0)
		return 0;
	if (S_ISDIR(st.st_mode))
		return dg_error("%s is a directory", h->path);
	if (dg_read_file(h->path, &old, &len) < 0) {
		/* a dangling symlink or unreadable file is still somebody's hook */
		old = dg_xstrdup("");
		len = 0;
	}
	int ours = strstr(old, DG_HOOK_MARKER) != NULL;
	int same = ours && !strcmp(old, h->text);
	free(old);
	if (same)
		h->action = PLAN_SAME;
	else if (ours)
		h->action = PLAN_UPDATE;
	else if (force)
		h->action = PLAN_REPLACE;
	else if (chain) {
		struct dg_buf kept = DG_BUF_INIT;
		dg_buf_addf(&kept, "%s.pre-ddlgate", h->path);
		int exists = lstat(kept.ptr, &st) == 0;
		if (exists)
			dg_error("%s is not a ddlgate hook and %s already exists; move one of them "
				 "away, or use --force to replace the hook",
				 h->path, kept.ptr);
		dg_buf_release(&kept);
		if (exists)
			return -1;
		h->action = PLAN_CHAIN;
	} else {
		return dg_error("%s already exists and is not a ddlgate hook; rerun with --chain "
				"to keep it (it runs first) or --force to replace it",
				h->path);
	}
	return 0;
}

static int apply_hook(struct hook_plan *h)
{
	if (h->action == PLAN_SAME) {
		printf("%s hook already installed: %s\n", h->name, h->path);
		return 0;
	}
	if (h->action == PLAN_CHAIN) {
		struct dg_buf kept = DG_BUF_INIT;
		dg_buf_addf(&kept, "%s.pre-ddlgate", h->path);
		int r = rename(h->path, kept.ptr);
		if (r < 0)
			dg_error("%s: cannot rename to %s: %s", h->path, kept.ptr, strerror(errno));
		else
			printf("kept the existing %s hook as %s; it runs first\n", h->name,
			       kept.ptr);
		dg_buf_release(&kept);
		if (r < 0)
			return -1;
	}
	if (write_hook(h->path, h->text) < 0)
		return -1;
	printf("%s %s hook: %s\n",
	       h->action == PLAN_UPDATE	   ? "updated"
	       : h->action == PLAN_REPLACE ? "replaced"
					   : "installed",
	       h->name, h->path);
	return 0;
}

int cmd_install(int argc, char **argv)
{
	int want_push = 0, want_commit = 0, force = 0, chain = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--pre-push"))
			want_push = 1;
		else if (!strcmp(argv[i], "--pre-commit"))
			want_commit = 1;
		else if (!strcmp(argv[i], "--force"))
			force = 1;
		else if (!strcmp(argv[i], "--chain"))
			chain = 1;
		else
			return dg_cli_fail(
			    "install: unknown argument '%s' (see `ddlgate help install`)", argv[i]);
	}
	if (force && chain)
		return dg_cli_fail("install: --force and --chain exclude each other");
	if (!want_push && !want_commit)
		want_push = want_commit = 1;

	struct dg_repo *repo = NULL;
	char *dir = NULL, *self = NULL;
	struct hook_plan plan[2];
	size_t n = 0;
	int status = DG_EXIT_ERROR;
	memset(plan, 0, sizeof(plan));
	if (dg_repo_open(&repo) < 0 || dg_repo_hooks_dir(repo, &dir) < 0)
		goto fail;
	if (!dg_repo_workdir(repo)) {
		/* nobody commits or pushes from a bare repository: its hooks run
		 * only for what it receives, which pre-push and pre-commit never see */
		if (!force) {
			dg_error("%s is a bare repository: its hooks run only for pushes it receives, "
				 "never pre-push or pre-commit; run `ddlgate install` in a clone "
				 "(or `ddlgate ci` on the server side), or pass --force to write them anyway",
				 dg_repo_gitdir(repo));
			goto fail;
		}
		fprintf(stderr, "ddlgate: install: %s is a bare repository: these hooks will only "
				"run if someone commits or pushes from it\n",
			dg_repo_gitdir(repo));
	}
	self = self_path();
	if (want_push)
		plan[n++].name = "pre-push";
	if (want_commit)
		plan[n++].name = "pre-commit";
	for (size_t i = 0; i < n; i++) {
		struct dg_buf p = DG_BUF_INIT;
		dg_buf_addf(&p, "%s/%s", dir, plan[i].name);
		plan[i].path = dg_buf_detach(&p);
		plan[i].text = render(plan[i].name, self);
	}
	/* refuse before writing anything */
	for (size_t i = 0; i < n; i++)
		if (plan_hook(&plan[i], force, chain) < 0)
			goto fail;
	if (mkdir_p(dir) < 0)
		goto fail;
	for (size_t i = 0; i < n; i++)
		if (apply_hook(&plan[i]) < 0)
			goto fail;
	status = DG_EXIT_OK;
	goto out;
fail:
	dg_cli_fail("install: %s", dg_last_error());
out:
	for (size_t i = 0; i < n; i++) {
		free(plan[i].path);
		free(plan[i].text);
	}
	free(self);
	free(dir);
	dg_repo_free(repo);
	return status;
}
