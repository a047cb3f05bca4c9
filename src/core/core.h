/*
 * Core helpers shared by every stage: memory that aborts on exhaustion, a
 * per-run arena, a growable string buffer, and the one error message slot.
 */
#ifndef DG_CORE_H
#define DG_CORE_H

#include <stdarg.h>
#include <stddef.h>

#if defined(__GNUC__)
#define DG_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define DG_UNUSED __attribute__((unused))
#else
#define DG_PRINTF(f, a)
#define DG_UNUSED
#endif

#define DG_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Allocation that never returns NULL: out of memory aborts with a message. */
void *dg_xmalloc(size_t n);
void *dg_xcalloc(size_t n, size_t size);
void *dg_xrealloc(void *p, size_t n);
char *dg_xstrdup(const char *s);
char *dg_xstrndup(const char *s, size_t n);

/* Grow a heap array `p` holding `n` items to room for at least `want`. */
#define DG_GROW(p, n, cap, want)                                          \
	do {                                                              \
		if ((want) > (cap)) {                                     \
			size_t dg_nc_ = (cap) ? (cap) * 2 : 8;            \
			while (dg_nc_ < (want))                           \
				dg_nc_ *= 2;                              \
			(p) = dg_xrealloc((p), dg_nc_ * sizeof(*(p)));    \
			(cap) = dg_nc_;                                   \
		}                                                         \
		(void)(n);                                                \
	} while (0)

/* Append one item to a heap array (p, n, cap). */
#define DG_PUSH(p, n, cap, item)                                          \
	do {                                                              \
		DG_GROW(p, n, cap, (n) + 1);                              \
		(p)[(n)++] = (item);                                      \
	} while (0)

/*
 * Arena: everything a run allocates for facts, findings and names lives
 * here and is released at once with dg_arena_release().
 */
struct dg_arena_block;
struct dg_arena {
	struct dg_arena_block *head;
};

void dg_arena_init(struct dg_arena *a);
void dg_arena_release(struct dg_arena *a);
void *dg_alloc(struct dg_arena *a, size_t n);          /* zeroed */
char *dg_strdup(struct dg_arena *a, const char *s);    /* NULL -> NULL */
/*
 * An array that grows while it is filled and is kept with the arena: a
 * heap block of its own, resized in place by realloc (a doubled array in
 * the arena leaves every smaller copy dead in it). p is NULL or what an
 * earlier call on this arena returned; bytes past the old size are not
 * zeroed. Released with the arena.
 */
void *dg_arena_resize(struct dg_arena *a, void *p, size_t n);
/*
 * Give back p, n bytes that dg_alloc returned, when the arena gave it a
 * block of its own (n > 32 KB that did not fit in the current block: a
 * hash table's old slots after it grew); other items stay until the arena
 * is released. p must not be used after.
 */
void dg_arena_forget(struct dg_arena *a, void *p, size_t n);
char *dg_strndup(struct dg_arena *a, const char *s, size_t n);
char *dg_sprintf(struct dg_arena *a, const char *fmt, ...) DG_PRINTF(2, 3);
char *dg_vsprintf(struct dg_arena *a, const char *fmt, va_list ap);
/* items[0..n) joined with sep, in the arena ("" when n is 0). */
char *dg_join(struct dg_arena *a, const char *const *items, size_t n, const char *sep);
/* Copy an array of n items of size sz into the arena. */
void *dg_memdup(struct dg_arena *a, const void *p, size_t n, size_t sz);

/* Growable string buffer. */
struct dg_buf {
	char *ptr;
	size_t len, cap;
};
#define DG_BUF_INIT { NULL, 0, 0 }

void dg_buf_grow(struct dg_buf *b, size_t extra);
void dg_buf_add(struct dg_buf *b, const void *data, size_t len);
void dg_buf_adds(struct dg_buf *b, const char *s);
void dg_buf_addch(struct dg_buf *b, char c);
void dg_buf_add_int(struct dg_buf *b, long v); /* decimal, without printf */
void dg_buf_addf(struct dg_buf *b, const char *fmt, ...) DG_PRINTF(2, 3);
void dg_buf_vaddf(struct dg_buf *b, const char *fmt, va_list ap);
/* JSON string literal, quotes included; invalid UTF-8 becomes U+FFFD. */
void dg_buf_add_json_str(struct dg_buf *b, const char *s);
/* `, "key": ` then value as a JSON string, or null when value is NULL. */
void dg_buf_add_json_member(struct dg_buf *b, const char *key, const char *value);
void dg_buf_reset(struct dg_buf *b);
/* Hand the NUL-terminated contents to the caller; the buffer is reset. */
char *dg_buf_detach(struct dg_buf *b);
void dg_buf_release(struct dg_buf *b);
static inline const char *dg_buf_cstr(struct dg_buf *b)
{
	if (!b->ptr)
		dg_buf_grow(b, 1);
	return b->ptr;
}

/* FNV-1a: a fast 64-bit hash of bytes (content ids, cache keys). */
unsigned long long dg_fnv1a(const void *data, size_t len);

/*
 * Errors: a failing function sets the message once with dg_error() and
 * returns its -1; only the command line reads it back and prints it.
 */
int dg_error(const char *fmt, ...) DG_PRINTF(1, 2);
const char *dg_last_error(void);
void dg_error_clear(void);

/* Read a whole file; data is NUL-terminated and owned by the caller. */
int dg_read_file(const char *path, char **out, size_t *out_len);
/* Read a whole stream (stdin). */
int dg_read_stream(int fd, const char *name, char **out, size_t *out_len);

/* True when the first bytes look binary (a NUL byte). */
int dg_looks_binary(const char *data, size_t len);
/* Byte offset of the first invalid UTF-8 sequence, or -1 when valid. */
long dg_utf8_invalid_at(const char *data, size_t len);

/* Glob match with `*`, `?`, `**` (any number of path parts). */
int dg_glob_match(const char *pattern, const char *path);
/* Value of a hex digit, -1 when c is not one. */
int dg_hexval(int c);
int dg_str_endswith(const char *s, const char *suffix);
int dg_str_startswith(const char *s, const char *prefix);
/*
 * The candidate closest to `word`, for a "did you mean" hint: within a
 * small edit distance (a transposition counts one), or the only one that
 * `word` is a whole '-'-separated part of. NULL when none is close.
 */
const char *dg_closest_word(const char *word, const char *const *cands, size_t n);
/*
 * Index of the first of the n elements of v (each `size` bytes, starting
 * with a `const char *` path, sorted by strcmp of it) whose path is >= key.
 */
size_t dg_lower_bound_path(const void *v, size_t n, size_t size, const char *key);

#endif
