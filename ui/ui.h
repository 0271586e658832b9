/* ui.h: the ncurses wizard's entry point. This header never includes curses,
 * so the command layer can call it without the screen library leaking. */
#ifndef CK_UI_H
#define CK_UI_H

#include <stdbool.h>

struct session;

/* How the wizard looks and behaves; what the ceremony is (plan, directory,
 * mode, keys, simulator) belongs to the session the caller opened. */
struct ui_options {
	long idle_lock;            /* seconds without a key before the lock; 0: never */
	/* Test mode (hidden from --help): keys from a script, screens to a file. */
	const char *script;
	const char *dump;
};

/* Would the screens start (a terminal and a TERM it knows, or a readable key
 * script)? Nothing is changed: the command layer asks before a session is
 * created (session_opts.before_create). 0, or -1 with a translated *err. */
int ui_check_terminal(const struct ui_options *o, char **err);
/* Run the wizard on an open session (the caller frees it afterwards, which
 * wipes both keys); returns an enum ck_exit. Errors before the screen opens
 * (no terminal) are printed to stderr. */
int ui_run(struct session *s, const struct ui_options *o);
/* The KEYS section of ckwizard(1) (roff, from the action table in
 * ui/action.h), as `ckwizard help --man-keys` prints it. Caller frees. */
char *ui_keys_man(void);

#endif
