/* git/push: the pre-push stdin parser, and the object id helpers. */
#include <string.h>

#include "core/core.h"
#include "git/git.h"
#include "git/push.h"
#include "tap.h"

#define Z "0000000000000000000000000000000000000000"
#define A "1111111111111111111111111111111111111111"
#define B "abcdefabcdefabcdefabcdefabcdefabcdefabcd"

static int parse(struct dg_push_list *l, const char *s)
{
	dg_error_clear();
	return dg_push_parse(l, s, strlen(s));
}

/* The input must fail, and the message must contain `want`. */
static void rejects(const char *input, const char *want, const char *what)
{
	struct dg_push_list l;
	int r = parse(&l, input);
	ok(r < 0, "rejects %s", what);
	ok(r < 0 && strstr(dg_last_error(), want), "%s: message '%s' has '%s'", what,
	   dg_last_error(), want);
	if (r == 0)
		dg_push_list_release(&l);
}

int main(void)
{
	struct dg_push_list l;
	char hex[41];

	/* object ids */
	struct dg_oid o;
	is_int(dg_oid_parse(&o, B), 0, "parse a sha");
	dg_oid_fmt(hex, &o);
	is_str(hex, B, "format round-trips");
	ok(!dg_oid_is_zero(&o), "non-zero");
	is_int(dg_oid_parse(&o, Z), 0, "parse zeros");
	ok(dg_oid_is_zero(&o), "zero");
	ok(dg_oid_parse(&o, "abc") < 0, "short sha rejected");
	ok(dg_oid_parse(&o, "ABCDEFABCDEFABCDEFABCDEFABCDEFABCDEFABCD") == 0,
	   "upper case accepted");

	/* empty input: nothing to push */
	is_int(parse(&l, ""), 0, "empty input");
	is_int(l.n, 0, "no refs");
	dg_push_list_release(&l);

	/* an update */
	is_int(parse(&l, "refs/heads/topic " A " refs/heads/master " B "\n"), 0, "update");
	is_int(l.n, 1, "one ref");
	is_str(l.v[0].local_ref, "refs/heads/topic", "local ref");
	is_str(l.v[0].remote_ref, "refs/heads/master", "remote ref");
	dg_oid_fmt(hex, &l.v[0].local_oid);
	is_str(hex, A, "local sha");
	dg_oid_fmt(hex, &l.v[0].remote_oid);
	is_str(hex, B, "remote sha");
	ok(!l.v[0].is_delete && !l.v[0].is_new, "neither delete nor new");
	is_int(l.v[0].line, 1, "line number");
	is_int(l.v[0].fast_forward, -1, "fast_forward unknown until resolved");
	dg_push_list_release(&l);

	/* a new branch, a deletion, HEAD, HEAD~1, a tag, several refs, no final newline */
	is_int(parse(&l, "refs/heads/t " A " refs/heads/t " Z "\n"
			 "(delete) " Z " refs/heads/master " B "\n"
			 "HEAD " A " refs/heads/master " B "\n"
			 "HEAD~1 " A " refs/heads/x " Z "\n"
			 "refs/tags/v1 " B " refs/tags/v1 " Z),
	       0, "five refs");
	is_int(l.n, 5, "five refs parsed");
	ok(l.v[0].is_new && !l.v[0].is_delete, "new branch");
	ok(l.v[1].is_delete && !l.v[1].is_new, "deletion");
	is_str(l.v[2].local_ref, "HEAD", "HEAD kept literally");
	is_str(l.v[3].local_ref, "HEAD~1", "HEAD~1 kept literally");
	is_str(l.v[4].remote_ref, "refs/tags/v1", "tag");
	is_int(l.v[4].line, 5, "last line number");
	dg_push_list_release(&l);

	/* strictness */
	rejects("refs/heads/a " A " refs/heads/a\n", "line 1", "three fields");
	rejects("refs/heads/a " A " refs/heads/a " Z " x\n", "more than four", "five fields");
	rejects("refs/heads/a  " A " refs/heads/a " Z "\n", "line 1: two spaces at column 13", "double space");
	rejects("  refs/heads/a " A " refs/heads/a " Z "\n", "line 1: leading whitespace", "leading spaces");
	rejects("refs/heads/a " A " refs/heads/a " Z " \n", "line 1: trailing whitespace", "trailing space");
	rejects("refs/heads/a\t" A " refs/heads/a " Z "\n", "a tab between fields", "a tab");
	rejects("refs/heads/a " A " refs/heads/a " Z "\r\n", "remote sha", "CRLF");
	rejects("refs/heads/a 111 refs/heads/a " Z "\n", "local sha", "short sha");
	rejects("refs/heads/a " A " refs/heads/a " Z "\n\n", "line 2", "blank line");
	rejects("\n", "line 1", "only a newline");
	rejects("refs/heads/a " Z " refs/heads/a " Z "\n", "zero local sha",
		"zero sha, not (delete)");
	rejects("(delete) " A " refs/heads/a " Z "\n", "(delete)", "(delete) with a sha");
	rejects(" " A " refs/heads/a " Z "\n", "leading whitespace", "empty local ref");
	rejects("refs/heads/\x01 " A " refs/heads/a " Z "\n", "control character", "control char");
	rejects("refs/heads/a " A " refs/heads/a " Z "\n"
		"refs/heads/b " A " refs/heads/b\n",
		"line 2", "second line bad");

	/* a NUL byte inside a line */
	static const char nul[] = "refs/heads/a\0b " A " refs/heads/a " Z "\n";
	ok(dg_push_parse(&l, nul, sizeof(nul) - 1) < 0, "NUL byte rejected");
	ok(strstr(dg_last_error(), "NUL") != NULL, "NUL named");

	return done();
}
