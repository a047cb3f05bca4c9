/*
 * Fuzz target: the facts and words caches (schema/facts.c), files in the
 * user's cache dir that a crash, a full disk or another version can leave
 * cut or damaged. The input is read as a facts-cache file and as a
 * words-cache file, from memory by the same code dg_facts_cache_open uses
 * on the repository's file; every entry it frames is looked up (its
 * checksum decides) and decoded directly, and so is the whole input (the
 * seeds include bare entries: a length-framed entry rarely survives a
 * mutation, its decoder must be fuzzed all the same).
 *
 * A decoded facts file must be one the rest of the pipeline takes:
 * replayed into a schema without its text and with it, its runs found,
 * missing-fk-index run on it, a lint of statements on its tables run
 * against the schema it made, that schema printed; written back, it must
 * read back to the same bytes. Decoded runs go through dg_prune_needed.
 * Broken invariants abort.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "core/finding.h"
#include "rules/engine.h"
#include "rules/missing_fk_index.h"
#include "schema/facts.h"
#include "schema/facts_int.h"
#include "schema/prune.h"
#include "schema/schema.h"
#include "sql/sql.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A file of this size or less gets a text to attach (the stored size is any number). */
#define TEXT_MAX (1u << 20)

static void check_positions(const struct dg_sql_file *f)
{
	for (size_t i = 0; i < f->n_stmts; i++) {
		const struct dg_stmt *s = &f->stmts[i];
		if (s->offset > f->len || s->len > f->len - s->offset)
			abort();
		if (s->line < 1 || s->column < 1 || s->end_line < s->line || s->end_column < 1)
			abort();
		int line, column;
		dg_sql_pos(f, s->offset, &line, &column);
		if (line < 1 || column < 1)
			abort();
	}
	for (size_t i = 0; i < f->n_opaque; i++)
		if (f->opaque[i].stmt.offset > f->len || f->opaque[i].stmt.line < 1)
			abort();
	for (size_t i = 0; i < f->n_known_pos; i++) {
		const struct dg_sql_known_pos *k = &f->known_pos[i];
		if (k->offset > f->len || k->line < 1 || k->column < 1 ||
		    (i && k->offset < f->known_pos[i - 1].offset))
			abort();
	}
}

/* The keys of the names of f's relations (what a linted file would look up). */
static void keys_of(struct dg_keyset *k, const struct dg_sql_file *f)
{
	for (size_t i = 0; i < f->n_stmts; i++) {
		const struct dg_stmt *s = &f->stmts[i];
		if (s->rel)
			dg_keyset_add_name(k, s->rel->name);
		dg_keyset_add_name(k, s->name);
	}
	dg_keyset_add_name(k, "accounts");
}

/* Statements on up to three of f's tables, as a migration checked after it would run them. */
static void probe_sql(struct dg_buf *b, const struct dg_sql_file *f)
{
	static const char *const forms[] = {
		"ALTER TABLE %s ADD COLUMN zz int NOT NULL DEFAULT 0;\n",
		"ALTER TABLE %s ALTER COLUMN id TYPE text;\n",
		"ALTER TABLE %s ALTER COLUMN id SET NOT NULL;\n",
		"CREATE INDEX ON %s (id);\n",
		"ALTER TABLE %s ADD FOREIGN KEY (id) REFERENCES %s;\n",
		"ALTER TABLE %s ADD CONSTRAINT zz_c CHECK (id > 0);\n",
		"DROP TABLE %s;\n",
	};
	size_t n = 0;
	for (size_t i = 0; i < f->n_stmts && n < 3; i++) {
		const struct dg_rel *r = f->stmts[i].rel;
		if (!r || !r->name)
			continue;
		struct dg_buf q = DG_BUF_INIT;
		if (r->schema) {
			dg_schema_add_ident(&q, r->schema);
			dg_buf_addch(&q, '.');
		}
		dg_schema_add_ident(&q, r->name);
		for (size_t k = 0; k < sizeof(forms) / sizeof(*forms); k++)
			dg_buf_addf(b, forms[k], dg_buf_cstr(&q), dg_buf_cstr(&q));
		dg_buf_release(&q);
		n++;
	}
}

static void check_findings(const struct dg_run *run)
{
	for (size_t i = 0; i < run->n_findings; i++) {
		const struct dg_finding *x = &run->findings[i];
		if (!x->rule || !x->message || x->line < 0)
			abort();
	}
}

/* What a schema replayed from f is used for: a lint against it, its printed forms. */
static void use_schema(const struct dg_sql_file *f, struct dg_schema *s)
{
	struct dg_config cfg;
	struct dg_run run;
	struct dg_lint_opts lo = { 0 };
	struct dg_buf b = DG_BUF_INIT;
	dg_config_init(&cfg);
	lo.cfg = &cfg;
	lo.pg_version = DG_PG_VERSION_MAX;
	lo.schema = s;
	probe_sql(&b, f);
	dg_run_init(&run);
	if (b.len && dg_lint_sql(&run, "probe.sql", b.ptr, b.len, &lo) == 0)
		check_findings(&run);
	dg_error_clear();
	dg_run_release(&run);
	b.len = 0;
	dg_schema_write_text(&b, s);
	dg_schema_write_json(&b, s);
	dg_buf_release(&b);
	dg_config_release(&cfg);
}

/* A text of f's size for f (the bytes repeated, a line every 61): NULL when too big. */
static char *text_for(struct dg_arena *a, const struct dg_sql_file *f, const char *body, size_t len)
{
	if (f->len > TEXT_MAX)
		return NULL;
	char *t = dg_alloc(a, f->len + 1);
	for (size_t i = 0; i < f->len; i++)
		t[i] = i % 61 == 60 ? '\n' : body[i % len];
	t[f->len] = '\0';
	return t;
}

/* Written back, the facts read back to the same bytes. */
static void check_roundtrip(struct dg_arena *a, const struct dg_sql_file *f)
{
	struct dg_buf w1 = DG_BUF_INIT, w2 = DG_BUF_INIT;
	struct dg_sql_file g;
	dg_facts_write(&w1, f);
	if (dg_facts_read(a, &g, "again.sql", NULL, 0, w1.ptr, w1.len) < 0)
		abort(); /* the writer wrote what the reader refuses */
	dg_facts_write(&w2, &g);
	if (w1.len != w2.len || memcmp(w1.ptr, w2.ptr, w1.len))
		abort();
	dg_buf_release(&w1);
	dg_buf_release(&w2);
}

static void check_facts(const char *body, size_t len)
{
	struct dg_arena a;
	struct dg_sql_file f;
	dg_arena_init(&a);
	if (dg_facts_read(&a, &f, "cached.sql", NULL, 0, body, len) < 0) {
		dg_arena_release(&a);
		return; /* refused: the caller parses the file instead */
	}
	check_positions(&f);
	check_roundtrip(&a, &f);

	/* as a pruned history takes it: runs, keys, replay (schema/history.c) */
	struct dg_keyset keys = { 0 };
	struct dg_prune_words w;
	keys_of(&keys, &f);
	dg_prune_facts_words(&a, &f, &w);
	(void)dg_prune_needed(&w, &keys);
	struct dg_schema *s = dg_schema_new(&a);
	s->final = s;
	dg_schema_set_probe(s, &keys);
	struct dg_schema *before = dg_schema_clone(&a, s);
	dg_schema_replay_file(s, &f, NULL);
	struct dg_replay_opts ro = { NULL, 1 };
	struct dg_schema *again = dg_schema_clone(&a, before);
	dg_schema_replay_file(again, &f, &ro); /* dg_schema_history_before's re-replay */
	use_schema(&f, s);

	/* the text attached (dg_schema_history_text), and the facts read with it */
	char *text = text_for(&a, &f, body, len);
	if (text) {
		struct dg_sql_file g;
		if (dg_facts_read(&a, &g, "cached.sql", text, f.len, body, len) < 0)
			abort(); /* the same facts, with the text they are of */
		if (dg_facts_attach_text(&a, &f, text, f.len) < 0)
			abort();
		check_positions(&f);
		struct dg_config cfg;
		struct dg_run run;
		dg_config_init(&cfg);
		dg_run_init(&run);
		before->final = s; /* as dg_schema_history_before gives it */
		dg_missing_fk_index_run(&run, &cfg, &f, 0, before);
		check_findings(&run);
		dg_run_release(&run);
		dg_config_release(&cfg);
		struct dg_schema *t = dg_schema_new(&a);
		t->final = t;
		dg_schema_replay_file(t, &g, NULL);
	}
	dg_keyset_release(&keys);
	dg_arena_release(&a);
}

static void check_words(const char *body, size_t len)
{
	struct dg_arena a;
	struct dg_prune_words w;
	dg_arena_init(&a);
	if (dg_words_read(&a, body, len, &w) == 0) {
		if (w.n != (len - 1) / 8 || (w.always != 0 && w.always != 1))
			abort();
		for (size_t i = 0; i < w.n; i++)
			if (!w.v[i])
				abort();
		struct dg_keyset keys = { 0 };
		dg_keyset_add_name(&keys, "accounts");
		dg_keyset_add_name(&keys, "orders");
		if (dg_prune_needed(&w, &keys) < w.always)
			abort();
		dg_keyset_release(&keys);
	}
	dg_arena_release(&a);
}

struct image {
	struct dg_facts_cache *c;
	int words;
};

/* One framed entry: looked up as the history does, and decoded past its checksum. */
static void check_entry(void *payload, const char *id, const char *body, size_t len)
{
	struct image *im = payload;
	struct dg_arena a;
	dg_arena_init(&a);
	if (im->words) {
		struct dg_prune_words w;
		if (dg_words_cache_get(im->c, &a, id, &w) && dg_words_read(&a, body, len, &w) < 0)
			abort(); /* a hit is an entry the decoder takes */
		check_words(body, len);
	} else {
		struct dg_sql_file f;
		if (dg_facts_cache_get(im->c, &a, &f, id, "cached.sql") &&
		    dg_facts_read(&a, &f, "cached.sql", NULL, 0, body, len) < 0)
			abort();
		check_facts(body, len);
	}
	dg_arena_release(&a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *bytes = (const char *)data;
	for (int words = 0; words < 2; words++) {
		struct image im = { dg_facts_cache_from_image(words, bytes, size), words };
		dg_facts_cache_each(im.c, check_entry, &im);
		dg_facts_cache_close(im.c);
	}
	check_facts(bytes, size);
	check_words(bytes, size);
	return 0;
}
