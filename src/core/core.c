/*
 * Core helpers: aborting allocation, the run arena, string buffers, the
 * error slot, whole-file reads and small string utilities.
 */
#include "core/core.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void oom(size_t n)
{
	fprintf(stderr, "ddlgate: out of memory allocating %zu bytes\n", n);
	abort();
}

void *dg_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		oom(n);
	return p;
}

void *dg_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		oom(n * size);
	return p;
}

void *dg_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		oom(n);
	return q;
}

char *dg_xstrdup(const char *s)
{
	return dg_xstrndup(s, strlen(s));
}

char *dg_xstrndup(const char *s, size_t n)
{
	char *p = dg_xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

/* ---- arena ---- */

struct dg_arena_block {
	struct dg_arena_block *next;
	size_t used, size;
	max_align_t data[];
};

#define ARENA_BLOCK (64 * 1024)

void dg_arena_init(struct dg_arena *a)
{
	a->head = NULL;
}

void dg_arena_release(struct dg_arena *a)
{
	struct dg_arena_block *b = a->head;
	while (b) {
		struct dg_arena_block *next = b->next;
		free(b);
		b = next;
	}
	a->head = NULL;
}

/*
 * Items are aligned for pointers, size_t and double, strings not at all:
 * nothing ddlgate keeps in an arena needs more, and max_align_t (32 bytes
 * here) rounded every 3-byte name up to 32 bytes (a third of a big file's
 * facts).
 */
#define ARENA_ALIGN (sizeof(void *) > sizeof(double) ? sizeof(void *) : sizeof(double))

static void *arena_take(struct dg_arena *a, size_t n, size_t align)
{
	struct dg_arena_block *b = a->head;
	size_t at = b ? (b->used + align - 1) / align * align : 0;
	if (!b || at > b->size || b->size - at < n) {
		size_t size = n > ARENA_BLOCK / 2 ? n : ARENA_BLOCK;
		struct dg_arena_block *nb = dg_xmalloc(sizeof(*nb) + (size ? size : 1));
		nb->used = n;
		nb->size = size;
		if (b && n > ARENA_BLOCK / 2) {
			/* big one-off: keep the current block for small items */
			nb->next = b->next;
			b->next = nb;
		} else {
			nb->next = b;
			a->head = nb;
		}
		return nb->data;
	}
	b->used = at + n;
	return (char *)b->data + at;
}

void *dg_alloc(struct dg_arena *a, size_t n)
{
	void *p = arena_take(a, n ? n : 1, ARENA_ALIGN);
	memset(p, 0, n ? n : 1);
	return p;
}

/* The link that points at the block whose data starts at p, or NULL when no block's does. */
static struct dg_arena_block **block_link(struct dg_arena *a, const void *p)
{
	for (struct dg_arena_block **l = &a->head; *l; l = &(*l)->next)
		if ((const void *)(*l)->data == p)
			return l;
	return NULL;
}

void *dg_arena_resize(struct dg_arena *a, void *p, size_t n)
{
	size_t size = n ? n : 1;
	if (p) {
		struct dg_arena_block **l = block_link(a, p);
		if (!l)
			abort(); /* not an array of this arena: a caller's bug */
		struct dg_arena_block *b = dg_xrealloc(*l, sizeof(*b) + size);
		b->used = b->size = size;
		*l = b;
		return b->data;
	}
	struct dg_arena_block *b = dg_xmalloc(sizeof(*b) + size);
	b->used = b->size = size; /* full: no other item goes in */
	if (a->head) {
		/* behind the current block, which keeps taking small items */
		b->next = a->head->next;
		a->head->next = b;
	} else {
		b->next = NULL;
		a->head = b;
	}
	return b->data;
}

void dg_arena_forget(struct dg_arena *a, void *p, size_t n)
{
	if (!p || n <= ARENA_BLOCK / 2)
		return; /* inside a shared block: stays until the arena goes */
	struct dg_arena_block **l = block_link(a, p);
	if (!l)
		return; /* it fitted in the current block after all */
	struct dg_arena_block *b = *l;
	*l = b->next;
	free(b);
}

char *dg_strdup(struct dg_arena *a, const char *s)
{
	return s ? dg_strndup(a, s, strlen(s)) : NULL;
}

char *dg_strndup(struct dg_arena *a, const char *s, size_t n)
{
	char *p = arena_take(a, n + 1, 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *dg_vsprintf(struct dg_arena *a, const char *fmt, va_list ap)
{
	va_list cp;
	char first[512]; /* most messages fit: formatted once */
	va_copy(cp, ap);
	int n = vsnprintf(first, sizeof(first), fmt, cp);
	va_end(cp);
	if (n < 0)
		n = 0;
	if ((size_t)n < sizeof(first))
		return dg_strndup(a, first, (size_t)n);
	char *p = arena_take(a, (size_t)n + 1, 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *dg_sprintf(struct dg_arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *p = dg_vsprintf(a, fmt, ap);
	va_end(ap);
	return p;
}

char *dg_join(struct dg_arena *a, const char *const *items, size_t n, const char *sep)
{
	size_t len = 0, sl = strlen(sep);
	for (size_t i = 0; i < n; i++)
		len += strlen(items[i]) + (i ? sl : 0);
	char *out = dg_alloc(a, len + 1), *p = out;
	for (size_t i = 0; i < n; i++) {
		if (i) {
			memcpy(p, sep, sl);
			p += sl;
		}
		size_t l = strlen(items[i]);
		memcpy(p, items[i], l);
		p += l;
	}
	*p = '\0';
	return out;
}

void *dg_memdup(struct dg_arena *a, const void *p, size_t n, size_t sz)
{
	if (!n)
		return NULL;
	void *q = arena_take(a, n * sz, ARENA_ALIGN); /* no zeroing: every byte is copied */
	memcpy(q, p, n * sz);
	return q;
}

/* ---- buffer ---- */

void dg_buf_grow(struct dg_buf *b, size_t extra)
{
	size_t want = b->len + extra + 1;
	if (want > b->cap) {
		size_t nc = b->cap ? b->cap * 2 : 64;
		while (nc < want)
			nc *= 2;
		b->ptr = dg_xrealloc(b->ptr, nc);
		b->cap = nc;
	}
	b->ptr[b->len] = '\0';
}

void dg_buf_add(struct dg_buf *b, const void *data, size_t len)
{
	dg_buf_grow(b, len);
	memcpy(b->ptr + b->len, data, len);
	b->len += len;
	b->ptr[b->len] = '\0';
}

void dg_buf_adds(struct dg_buf *b, const char *s)
{
	dg_buf_add(b, s, strlen(s));
}

void dg_buf_addch(struct dg_buf *b, char c)
{
	dg_buf_add(b, &c, 1);
}

void dg_buf_add_int(struct dg_buf *b, long v)
{
	char tmp[24], *p = tmp + sizeof(tmp);
	unsigned long u = v < 0 ? 0UL - (unsigned long)v : (unsigned long)v;
	do
		*--p = (char)('0' + u % 10);
	while (u /= 10);
	if (v < 0)
		*--p = '-';
	dg_buf_add(b, p, (size_t)(tmp + sizeof(tmp) - p));
}

void dg_buf_vaddf(struct dg_buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	char probe[1];
	va_copy(cp, ap);
	int n = vsnprintf(probe, sizeof(probe), fmt, cp);
	va_end(cp);
	if (n <= 0)
		return;
	dg_buf_grow(b, (size_t)n);
	vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void dg_buf_addf(struct dg_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	dg_buf_vaddf(b, fmt, ap);
	va_end(ap);
}

/* Length of the valid UTF-8 sequence at s (max n bytes), 0 if invalid. */
static size_t utf8_seq_len(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	size_t len;
	unsigned min;
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
		min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		min = 0x10000;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	unsigned cp = c & (0xff >> (len + 1));
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

long dg_utf8_invalid_at(const char *data, size_t len)
{
	const unsigned char *s = (const unsigned char *)data;
	size_t i = 0;
	while (i < len) {
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		size_t n = utf8_seq_len(s + i, len - i);
		if (!n)
			return (long)i;
		i += n;
	}
	return -1;
}

void dg_buf_add_json_member(struct dg_buf *b, const char *key, const char *value)
{
	dg_buf_addf(b, ", \"%s\": ", key);
	if (value)
		dg_buf_add_json_str(b, value);
	else
		dg_buf_adds(b, "null");
}

/* Bytes a JSON string holds as they are: printable ASCII but '"' and '\\' (one lookup each). */
static const unsigned char *json_plain(void)
{
	static unsigned char plain[256];
	static int done;
	if (!done) {
		for (int c = 0x20; c < 0x7f; c++)
			plain[c] = c != '"' && c != '\\';
		done = 1;
	}
	return plain;
}

void dg_buf_add_json_str(struct dg_buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	const unsigned char *plain = json_plain();
	size_t n = strlen((const char *)p);
	dg_buf_addch(b, '"');
	for (size_t i = 0; i < n;) {
		unsigned c = p[i];
		size_t run = i;
		while (run < n && plain[p[run]])
			run++;
		if (run > i) { /* plain ASCII: copied as is, at once */
			dg_buf_add(b, p + i, run - i);
			i = run;
			continue;
		}
		if (c == '"' || c == '\\') {
			dg_buf_addch(b, '\\');
			dg_buf_addch(b, (char)c);
		} else if (c == '\n') {
			dg_buf_adds(b, "\\n");
		} else if (c == '\r') {
			dg_buf_adds(b, "\\r");
		} else if (c == '\t') {
			dg_buf_adds(b, "\\t");
		} else if (c < 0x20 || c == 0x7f) {
			dg_buf_addf(b, "\\u%04x", c);
		} else if (c >= 0x80) {
			size_t l = utf8_seq_len(p + i, n - i);
			if (!l) {
				dg_buf_adds(b, "\\ufffd");
				i++;
				continue;
			}
			dg_buf_add(b, p + i, l);
			i += l;
			continue;
		} else {
			dg_buf_addch(b, (char)c);
		}
		i++;
	}
	dg_buf_addch(b, '"');
}

void dg_buf_reset(struct dg_buf *b)
{
	b->len = 0;
	if (b->ptr)
		b->ptr[0] = '\0';
}

char *dg_buf_detach(struct dg_buf *b)
{
	dg_buf_grow(b, 0);
	char *p = b->ptr;
	b->ptr = NULL;
	b->len = b->cap = 0;
	return p;
}

void dg_buf_release(struct dg_buf *b)
{
	free(b->ptr);
	b->ptr = NULL;
	b->len = b->cap = 0;
}

/* ---- errors ---- */

static char error_msg[1024];

int dg_error(const char *fmt, ...)
{
	/* format aside first: callers may wrap the last message in a new one */
	char msg[sizeof(error_msg)];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	memcpy(error_msg, msg, sizeof(error_msg));
	return -1;
}

const char *dg_last_error(void)
{
	return error_msg[0] ? error_msg : "unknown error";
}

void dg_error_clear(void)
{
	error_msg[0] = '\0';
}

/* ---- files ---- */

/* Read fd to its end into b (which may hold room already). */
static int read_all(int fd, const char *name, struct dg_buf *b)
{
	for (;;) {
		if (b->cap - b->len < 65536 + 1)
			dg_buf_grow(b, 65536);
		ssize_t n = read(fd, b->ptr + b->len, b->cap - b->len - 1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			dg_buf_release(b);
			return dg_error("%s: read error: %s", name, strerror(errno));
		}
		if (n == 0)
			break;
		b->len += (size_t)n;
		b->ptr[b->len] = '\0';
	}
	return 0;
}

int dg_read_stream(int fd, const char *name, char **out, size_t *out_len)
{
	struct dg_buf b = DG_BUF_INIT;
	char chunk[65536];
	for (;;) {
		ssize_t n = read(fd, chunk, sizeof(chunk));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			dg_buf_release(&b);
			return dg_error("%s: read error: %s", name, strerror(errno));
		}
		if (n == 0)
			break;
		dg_buf_add(&b, chunk, (size_t)n);
	}
	*out_len = b.len;
	*out = dg_buf_detach(&b);
	return 0;
}

int dg_read_file(const char *path, char **out, size_t *out_len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return dg_error("%s: cannot open: %s", path, strerror(errno));
	struct stat st;
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		close(fd);
		return dg_error("%s: is a directory", path);
	}
	if (!S_ISREG(st.st_mode)) {
		int r = dg_read_stream(fd, path, out, out_len);
		close(fd);
		return r;
	}
	/* a regular file: room for all of it at once (a growing buffer would need twice) */
	struct dg_buf b = DG_BUF_INIT;
	b.cap = (size_t)st.st_size + 65536 + 1;
	b.ptr = dg_xmalloc(b.cap);
	b.ptr[0] = '\0';
	int r = read_all(fd, path, &b);
	close(fd);
	if (r < 0)
		return r;
	*out_len = b.len;
	*out = dg_buf_detach(&b);
	return 0;
}

int dg_looks_binary(const char *data, size_t len)
{
	size_t n = len < 8000 ? len : 8000;
	return memchr(data, '\0', n) != NULL;
}

/* ---- strings ---- */

int dg_hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

size_t dg_lower_bound_path(const void *v, size_t n, size_t size, const char *key)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		const char *path;
		memcpy(&path, (const char *)v + mid * size, sizeof(path));
		if (strcmp(path, key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int dg_str_endswith(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && !memcmp(s + a - b, suffix, b);
}

int dg_str_startswith(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

/*
 * One pass over the pattern keeping, for every prefix of the path, whether
 * the pattern so far matches it: O(pattern x path), never exponential
 * however many stars ("*****a" against a long name used to take forever).
 * `*` and `?` stop at '/'; `**` crosses it; `**` followed by '/' matches
 * zero or more whole directories ("**" + "/migrations" is not "shop_migrations").
 * A pattern without wildcards is a string compare, and the pass stops as
 * soon as no prefix matches any more (most patterns fail on their first
 * literal characters): a list of patterns costs little more than reading it.
 */
int dg_glob_match(const char *p, const char *s)
{
	if (!strpbrk(p, "*?"))
		return !strcmp(p, s);
	size_t n = strlen(s);
	char small[2][256];
	char *cur = small[0], *next = small[1], *heap = NULL;
	if (n + 1 > sizeof(small[0])) {
		heap = dg_xmalloc(2 * (n + 1));
		cur = heap;
		next = heap + n + 1;
	}
	/*
	 * cur[i] only for lo <= i <= hi: no shorter and no longer prefix
	 * matches (what lies outside is stale), so a run of '?' or literals
	 * costs its window, not the name's length. closed: 1 when the set of
	 * matched prefixes is closed under adding a non-'/' character (after
	 * '*'), 2 under adding any (after a '**' not followed by '/'): a star
	 * that adds nothing is skipped, so a run of stars costs one pass.
	 */
	size_t lo = 0, hi = 0;
	int closed = 0, r;
	cur[0] = 1;
	while (*p) {
		size_t first = 0, last = 0; /* the next window (a literal's first 0: none) */
		if (p[0] == '*' && p[1] == '*') {
			int dirs = p[2] == '/';
			p += dirs ? 3 : 2;
			if (closed == 2)
				continue;
			if (!dirs) { /* every prefix from the shortest on */
				memset(next + lo, 1, n + 1 - lo);
				first = lo;
				last = n;
			} else { /* "" or anything ending in '/' */
				int any = 0; /* some cur[j], lo <= j < i, is set */
				for (size_t i = lo; i <= n; i++) {
					int c = i <= hi && cur[i];
					next[i] = c || (any && s[i - 1] == '/');
					any |= c;
					last = next[i] ? i : last;
				}
				first = lo;
			}
			closed = dirs ? 0 : 2;
		} else if (*p == '*') {
			p++;
			if (closed)
				continue;
			first = lo;
			for (size_t i = lo; i <= n; i++) {
				next[i] = (i <= hi && cur[i]) || (i > lo && next[i - 1] && s[i - 1] != '/');
				if (next[i])
					last = i;
				else if (i > hi)
					break; /* past the window a gap cannot close */
			}
			closed = 1;
		} else {
			size_t end = hi + 1 < n ? hi + 1 : n;
			for (size_t i = lo + 1; i <= end; i++) {
				next[i] = cur[i - 1] &&
					  (*p == '?' ? s[i - 1] != '/' : s[i - 1] == *p);
				if (next[i]) {
					first = first ? first : i;
					last = i;
				}
			}
			p++;
			closed = 0;
			if (!first) { /* no prefix matches: nothing later can */
				free(heap);
				return 0;
			}
		}
		lo = first;
		hi = last;
		char *t = cur;
		cur = next;
		next = t;
	}
	r = lo <= n && n <= hi && cur[n];
	free(heap);
	return r;
}

unsigned long long dg_fnv1a(const void *data, size_t len)
{
	const unsigned char *p = data;
	unsigned long long h = 1469598103934665603ULL;
	for (size_t i = 0; i < len; i++) {
		h ^= p[i];
		h *= 1099511628211ULL;
	}
	return h;
}

/* Edit distance with adjacent transpositions (optimal string alignment), capped at `cap`. */
static size_t edit_distance(const char *a, const char *b, size_t cap)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 128 || lb > 128)
		return cap;
	if ((la > lb ? la - lb : lb - la) >= cap)
		return cap;
	size_t rows[3][129];
	size_t *pp = rows[0], *prev = rows[1], *cur = rows[2];
	for (size_t j = 0; j <= lb; j++)
		prev[j] = j;
	for (size_t i = 1; i <= la; i++) {
		cur[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t c = prev[j - 1] + (a[i - 1] != b[j - 1]);
			if (prev[j] + 1 < c)
				c = prev[j] + 1;
			if (cur[j - 1] + 1 < c)
				c = cur[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && pp[j - 2] + 1 < c)
				c = pp[j - 2] + 1;
			cur[j] = c;
		}
		size_t *t = pp;
		pp = prev;
		prev = cur;
		cur = t;
	}
	return prev[lb] < cap ? prev[lb] : cap;
}

/* Is word one or more whole '-'-separated parts of c ("concurrent-index" of "require-concurrent-index")? */
static int part_of(const char *word, const char *c)
{
	size_t lw = strlen(word);
	for (const char *p = strstr(c, word); lw && p; p = strstr(p + 1, word))
		if ((p == c || p[-1] == '-') && (p[lw] == '\0' || p[lw] == '-'))
			return 1;
	return 0;
}

const char *dg_closest_word(const char *word, const char *const *cands, size_t n)
{
	size_t lw = strlen(word);
	size_t cap = lw / 4 > 2 ? lw / 4 + 1 : 3; /* distance allowed: 2, more for long words */
	const char *best = NULL, *part = NULL, *suffix = NULL;
	size_t best_d = cap, n_part = 0, n_suffix = 0;
	for (size_t i = 0; i < n; i++) {
		size_t d = edit_distance(word, cands[i], cap);
		if (d < best_d) {
			best_d = d;
			best = cands[i];
		}
		if (part_of(word, cands[i])) {
			part = cands[i];
			n_part++;
			size_t lc = strlen(cands[i]);
			if (lc > lw && cands[i][lc - lw - 1] == '-' && !strcmp(cands[i] + lc - lw, word)) {
				suffix = cands[i];
				n_suffix++;
			}
		}
	}
	if (best)
		return best;
	if (n_part == 1)
		return part;
	return n_suffix == 1 ? suffix : NULL;
}
