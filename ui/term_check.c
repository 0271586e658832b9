/* term_check.c: whether the wizard could start, asked before anything is
 * created. Apart from term.c because ncurses' <term.h> defines macros
 * (lines, columns, ...) that would leak into the screen code. */
#include "ck.h"
#include "term.h"
#include "keyscript.h"
#include "util.h"

#include <ncursesw/term.h>
#include <stdlib.h>
#include <unistd.h>

int term_check(const struct term_opts *o, char **err)
{
	if (curses_dl_open(err) != 0)
		return -1;
	if (o->script) {
		struct keyscript *ks = keyscript_load(o->script, err);
		keyscript_free(ks);
		return ks ? 0 : -1;
	}
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		*err = xstrdup(_("the wizard needs a terminal (stdin and stdout must be a tty)"));
		return -1;
	}
	/* What newterm will look up; setupterm only reads the description. */
	const char *tn = getenv("TERM");
	int found = 0;
	TERMINAL *saved = cur_term;
	if (setupterm(tn && *tn ? tn : "xterm", STDOUT_FILENO, &found) != OK || found != 1) {
		*err = xasprintf(_("cannot start the screen for TERM=%s; try TERM=xterm"),
				 tn ? tn : "");
		return -1;
	}
	del_curterm(set_curterm(saved));
	return 0;
}
