/* curses_linked.c: for the test programs, which link ncurses: the pointers
 * of ui/curses_dl.h at ncurses' own variables. The ckwizard binary uses
 * ui/curses_dl.c instead. */
#include <curses.h>
#include <ncursesw/term.h> /* not ui/term.h, which test programs may find first */

WINDOW **ck_curses_stdscr = &stdscr;
WINDOW **ck_curses_curscr = &curscr;
int *ck_curses_COLS = &COLS;
int *ck_curses_LINES = &LINES;
int *ck_curses_COLOR_PAIRS = &COLOR_PAIRS;
struct term **ck_curses_cur_term = &cur_term;

/* Last: its declarations check the definitions' types above (and its macros
 * would otherwise turn the names above into the pointers themselves). */
#include "curses_dl.h"

int curses_dl_open(char **err)
{
	(void)err;
	return 0;
}
