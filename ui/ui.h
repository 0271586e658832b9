/* ui.h: the ncurses wizard's entry point. This header never includes curses,
 * so the command layer can call it without the screen library leaking. */
#ifndef CK_UI_H
#define CK_UI_H

#include <stdbool.h>

struct ui_options {
	const char *plan_path;
	const char *dir;           /* session directory */
	bool rehearsal;            /* simulator, demo keys allowed, REHEARSAL watermark */
	const char *faults;        /* simulator faults (rehearsal) */
	long registration_delay;   /* simulator (rehearsal); <= 0: its default */
	bool offboarding;          /* the offboarding ceremony */
	const char *key_path[2];   /* --key-A / --key-B, or NULL */
	long idle_lock;            /* seconds without a key before the lock; 0: never */
	/* Test mode (hidden from --help): keys from a script, screens to a file. */
	const char *script;
	const char *dump;
	long fixed_clock;          /* test mode only: the session's clock (0: real) */
};

/* Run the wizard; returns an enum ck_exit. Errors before the screen opens
 * (the session cannot be opened, no terminal) are printed to stderr. */
int ui_run(const struct ui_options *o);

#endif
