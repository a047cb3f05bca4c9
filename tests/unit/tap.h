/* A tiny test harness: ok()/is_int()/is_str() print TAP lines, done() sets the exit status. */
#ifndef DG_TAP_H
#define DG_TAP_H

int tap_ok(int cond, const char *file, int line, const char *fmt, ...);
int tap_is_int(long got, long want, const char *file, int line, const char *what);
int tap_is_str(const char *got, const char *want, const char *file, int line, const char *what);
int tap_done(void);

#define ok(cond, ...) tap_ok(!!(cond), __FILE__, __LINE__, __VA_ARGS__)
#define is_int(got, want, what) tap_is_int((long)(got), (long)(want), __FILE__, __LINE__, what)
#define is_str(got, want, what) tap_is_str(got, want, __FILE__, __LINE__, what)
#define done() tap_done()

#endif
