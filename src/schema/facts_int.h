/*
 * Private to src/schema/ (and its fuzz target): a facts or words cache
 * read from an image in memory instead of the repository's cache file,
 * and the decoder of one words entry. The real reader goes through the
 * same code, so what tests/fuzz/fuzz_cache.c feeds here is what a
 * truncated, damaged or foreign cache file feeds dg_facts_cache_open.
 */
#ifndef DG_SCHEMA_FACTS_INT_H
#define DG_SCHEMA_FACTS_INT_H

#include <stddef.h>

#include "schema/facts.h"

/* A cache (of words when words is set, else of facts) loaded from a copy of
 * data[0..len), never written back; closed with dg_facts_cache_close. */
struct dg_facts_cache *dg_facts_cache_from_image(int words, const char *data, size_t len);

/* Each entry the image framed, checksum unchecked: id, its bytes and their length. */
void dg_facts_cache_each(const struct dg_facts_cache *c,
			 void (*fn)(void *payload, const char *id, const char *body, size_t len),
			 void *payload);

/* One words entry's bytes decoded into w (hashes in a): 0, or -1 when damaged. */
int dg_words_read(struct dg_arena *a, const char *body, size_t len, struct dg_prune_words *w);

#endif
