/*
 * A time limit for commands that read git (timeout_seconds): when it
 * passes, the process prints what it was reading and exits 2, instead of
 * hanging in a library on a damaged repository.
 */
#ifndef DG_WATCHDOG_H
#define DG_WATCHDOG_H

/* (Re)start the limit: `seconds` from now, the process exits 2. */
void dg_watchdog_arm(unsigned seconds);
/* Restart with a new limit (the config's), only when already armed. */
void dg_watchdog_rearm(unsigned seconds);
void dg_watchdog_disarm(void);
/* What is being read now ("object 3c00fa9a..."), for the message. */
void dg_watchdog_doing(const char *what);

#endif
