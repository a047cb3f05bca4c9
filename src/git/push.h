/*
 * What a hook knows about git's side: the ref lines git hands the pre-push
 * hook on stdin (parsed strictly), and the facts the branch rules read.
 */
#ifndef DG_PUSH_H
#define DG_PUSH_H

#include <stddef.h>

#include "git/git.h"

/*
 * One line of pre-push stdin: "<local ref> <local sha> <remote ref> <remote sha>".
 * The parser fills the first block; cmd_pre_push resolves the rest before
 * the rules run.
 */
struct dg_push_ref {
	/* as git wrote it */
	char *local_ref;	  /* "refs/heads/topic", "HEAD", "(delete)", a sha, "HEAD~1" ... */
	struct dg_oid local_oid;  /* zero for a deletion */
	char *remote_ref;	  /* "refs/heads/master", "refs/tags/v1" ... */
	struct dg_oid remote_oid; /* zero when the remote ref is new */
	int line;		  /* 1-based line of stdin */

	/* resolved by the hook */
	const char *remote;	    /* remote name (or URL) from argv */
	int is_delete;		    /* local sha is zero */
	int is_new;		    /* remote sha is zero */
	const char *remote_branch;  /* "master" when remote_ref is refs/heads/master, else NULL */
	const char *local_branch;   /* the local branch pushed ("HEAD" resolved); NULL for a
				       sha, tag, detached HEAD or deletion */
	int is_protected;	    /* remote_branch matches protected_branches */
	int remote_known;	    /* remote sha is in the local object database */
	int fast_forward;	    /* 1 remote sha is an ancestor of local sha, 0 not,
				       -1 unknown (not is_new and !remote_known, or missing history) */
	struct dg_oid local_commit; /* local sha peeled to a commit (tags); zero if not a commit */
	int local_is_commit;
};

struct dg_push_list {
	struct dg_push_ref *v;
	size_t n, cap;
};

/*
 * Parse pre-push stdin. Every line must be exactly four fields separated by
 * single spaces, 40-hex shas, non-empty refs without control characters, a
 * "(delete)" local ref exactly when the local sha is zero; a final newline
 * is optional, nothing else is. Empty input is no refs.
 * -1 with "pre-push input line N: ..." on the first fault.
 */
int dg_push_parse(struct dg_push_list *out, const char *data, size_t len);
void dg_push_list_release(struct dg_push_list *l);

/* The pre-commit facts protected-branch-commit reads. */
struct dg_commit_ctx {
	const char *branch; /* current branch short name; NULL when detached */
	int is_protected;   /* branch matches protected_branches */
	int unborn;	    /* no commit yet on the branch */
};

#endif
