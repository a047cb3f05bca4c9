/* Branch names the repository knows: local branches and remote-tracking ones. */
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "git/git_int.h"

static void push_name(char ***out, size_t *n, size_t *cap, const char *name)
{
	for (size_t i = 0; i < *n; i++)
		if (!strcmp((*out)[i], name))
			return;
	DG_PUSH(*out, *n, *cap, dg_xstrdup(name));
}

int dg_repo_branch_names(struct dg_repo *repo, char ***out, size_t *n)
{
	git_reference_iterator *it = NULL;
	git_reference *ref;
	size_t cap = 0;
	char *current = NULL;
	*out = NULL;
	*n = 0;
	if (git_reference_iterator_glob_new(&it, repo->repo, "refs/*") < 0)
		return dg_git_fail("cannot list refs");
	while (git_reference_next(&ref, it) == 0) {
		const char *name = git_reference_name(ref);
		if (dg_str_startswith(name, "refs/heads/")) {
			push_name(out, n, &cap, name + strlen("refs/heads/"));
		} else if (dg_str_startswith(name, "refs/remotes/")) {
			/* refs/remotes/<remote>/<branch>; <remote>/HEAD is no branch */
			const char *slash = strchr(name + strlen("refs/remotes/"), '/');
			if (slash && strcmp(slash + 1, "HEAD"))
				push_name(out, n, &cap, slash + 1);
		}
		git_reference_free(ref);
	}
	git_reference_iterator_free(it);
	/* an unborn branch (no commit yet) exists as far as the user can tell */
	if (dg_repo_current_branch(repo, &current) == 0 && current)
		push_name(out, n, &cap, current);
	free(current);
	dg_error_clear();
	return 0;
}
