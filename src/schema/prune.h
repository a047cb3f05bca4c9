/*
 * Which earlier migrations the check of a few new ones needs: a history
 * replayed only in the files that can touch what those migrations look at.
 *
 * A name's key is its first run of letters, digits, '$' and non-ASCII
 * bytes, ASCII lower-cased ("Orders_2024" -> "orders"). The schema model
 * notes the key of every name it looks up, creates or changes while a
 * probe is set (dg_schema_set_probe); a file is needed when one of the
 * runs of its text is such a key. Why that keeps every verdict: an object
 * of the model is found, made and changed only by its name (an index or a
 * constraint through its table's name too, a generated name begins with
 * its table's name), and a name written in SQL keeps its first run
 * whether it is quoted or not. The files this cannot judge from their
 * runs are always needed: a Unicode escape (U&"..."), an escape string
 * (E'...') or a constant EXECUTE can spell a name whose runs are not in
 * the text, and domains are kept whole (DOMAIN / TYPE statements).
 */
#ifndef DG_SCHEMA_PRUNE_H
#define DG_SCHEMA_PRUNE_H

#include <stddef.h>
#include <stdint.h>

#include "core/core.h"
#include "sql/sql.h"

struct dg_keyset {
	uint64_t *v;          /* open addressing; 0 = empty */
	size_t cap, n;
	/* a name without a usable key was seen (none, or one so long that a
	 * generated name might cut it): pruning cannot be trusted */
	int overflow;
};

/* Note the key of name (NULL: nothing). */
void dg_keyset_add_name(struct dg_keyset *k, const char *name);
void dg_keyset_release(struct dg_keyset *k);

/* The hashed runs of a file, and whether the file is needed whatever they are. */
struct dg_prune_words {
	uint64_t *v;          /* arena */
	size_t n;
	int always;
};

/* The runs of SQL text, each once. (Change how they are found: bump the words cache's version, facts.c.) */
void dg_prune_text_words(struct dg_arena *a, const char *data, size_t len,
			 struct dg_prune_words *w);
/* The runs of every name in a file's facts (a file read back from the cache). */
void dg_prune_facts_words(struct dg_arena *a, const struct dg_sql_file *f,
			  struct dg_prune_words *w);
/* Is the file needed: always, or one of its runs is a key of k? */
int dg_prune_needed(const struct dg_prune_words *w, const struct dg_keyset *k);

#endif
