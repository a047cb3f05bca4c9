/*
 * Statement facts for replay, stored by git blob id: a cache outside the
 * repository ($DDLGATE_CACHE_DIR, $XDG_CACHE_HOME/ddlgate or
 * ~/.cache/ddlgate; one file per repository) so hooks do not re-parse the
 * unchanged migrations of a long history on every run. Content-addressed,
 * so an entry never goes stale; the header names the format and parser
 * version. DDLGATE_NO_CACHE=1 in the environment turns it off.
 */
#ifndef DG_SCHEMA_FACTS_H
#define DG_SCHEMA_FACTS_H

#include <stddef.h>

#include "core/core.h"
#include "schema/schema.h"
#include "sql/sql.h"

/* The replay-relevant facts of f, as text (statement kinds replay ignores are left out). */
void dg_facts_write(struct dg_buf *out, const struct dg_sql_file *f);
/*
 * Rebuild a file of facts (with data as its text); -1 when the facts are
 * damaged or of a file of another size. data may be NULL: the file is
 * then rebuilt without its text (f->data NULL, see dg_sql_file.known_pos).
 */
int dg_facts_read(struct dg_arena *a, struct dg_sql_file *f, const char *path, const char *data,
		  size_t len, const char *facts, size_t flen);

/* Give a file rebuilt without its text (data NULL) its text after all; -1 if of another size. */
int dg_facts_attach_text(struct dg_arena *a, struct dg_sql_file *f, const char *data, size_t len);

struct dg_facts_cache;
/* The cache of the repository around cwd ($GIT_DIR first); NULL when none. */
struct dg_facts_cache *dg_facts_cache_open(void);
/*
 * Facts of a file: from the cache when blob_id is there (returns 1), else
 * parsed (returns 0) and queued for the cache. c may be NULL, blob_id too.
 */
int dg_facts_cache_parse(struct dg_facts_cache *c, struct dg_arena *a, struct dg_sql_file *f,
			 const char *blob_id, const char *path, const char *data, size_t len);
/*
 * Facts of a file from the cache alone, without its text (f->data NULL):
 * 1 when blob_id is there, else 0 (the caller reads the file and parses it
 * with dg_facts_cache_parse). c may be NULL.
 */
int dg_facts_cache_get(struct dg_facts_cache *c, struct dg_arena *a, struct dg_sql_file *f,
		       const char *blob_id, const char *path);
/*
 * The runs of files (schema/prune.h) by blob id, in a cache file of their
 * own beside the facts: a pruned history needs a file's text only for its
 * runs, so a warm push need not read the blobs it leaves out. Closed with
 * dg_facts_cache_close.
 */
struct dg_prune_words;
struct dg_facts_cache *dg_words_cache_open(void);
/* The runs of blob_id (1, in w; the hashes in a), else 0. */
int dg_words_cache_get(struct dg_facts_cache *c, struct dg_arena *a, const char *blob_id,
		       struct dg_prune_words *w);
/* Queue the runs of blob_id for the cache. c may be NULL, blob_id too. */
void dg_words_cache_put(struct dg_facts_cache *c, const char *blob_id,
			const struct dg_prune_words *w);
/* Write the queued entries (one append) and free the cache. */
void dg_facts_cache_close(struct dg_facts_cache *c);
void dg_facts_cache_stats(const struct dg_facts_cache *c, size_t *hits, size_t *misses);

#endif
