/*
 * Fuzz target: the pre-push stdin reader. Any bytes must parse or fail
 * with a message; a parsed list must hold only well-formed refs.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "git/push.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dg_push_list l;
	if (dg_push_parse(&l, (const char *)data, size) < 0) {
		if (!*dg_last_error())
			abort(); /* an error always says what is wrong */
		dg_error_clear();
		return 0;
	}
	for (size_t i = 0; i < l.n; i++) {
		const struct dg_push_ref *r = &l.v[i];
		if (!r->local_ref[0] || !r->remote_ref[0] || strchr(r->local_ref, ' ') ||
		    strchr(r->remote_ref, '\n'))
			abort();
		if (r->is_delete != !strcmp(r->local_ref, "(delete)"))
			abort();
		if (r->is_delete != dg_oid_is_zero(&r->local_oid))
			abort();
	}
	dg_push_list_release(&l);
	return 0;
}
