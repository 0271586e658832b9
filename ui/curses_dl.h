/* curses_dl.h: ncurses' public variables, read through pointers.
 *
 * The ckwizard binary does not link ncurses: only the wizard draws, and
 * loading ncursesw and libtinfo at every start cost `check` about a tenth of
 * its CPU (doc/bench.md, "Fifth round"). ui/curses_dl.c defines every ncurses
 * function ui/ calls and loads the library on the first call; a variable
 * cannot be forwarded that way, so ui/ reads the six it uses through these
 * pointers, as ncurses' own reentrant build reads them through functions
 * (curses.h, NCURSES_REENTRANT). Until the library is loaded they point at
 * zeros, the values ncurses gives them before it starts a screen. The test
 * programs, which link ncurses, point them at the library's variables
 * (ui/curses_linked.c).
 *
 * Included by term.h after <curses.h>; a file that also needs <term.h>
 * includes it after this one (its declaration of cur_term then reads as a
 * declaration of the pointer, with the same type). */
#ifndef CK_UI_CURSES_DL_H
#define CK_UI_CURSES_DL_H

#include <curses.h>

/* Load ncursesw unless it is loaded (ui/curses_dl.c; the test programs have
 * it linked: always 0). 0, or -1 with a translated *err. term_check calls it
 * first, so a missing library stops the wizard before it creates anything. */
int curses_dl_open(char **err);

struct term;
extern WINDOW **ck_curses_stdscr;
extern WINDOW **ck_curses_curscr;
extern int *ck_curses_COLS;
extern int *ck_curses_LINES;
extern int *ck_curses_COLOR_PAIRS;
extern struct term **ck_curses_cur_term;

#define stdscr (*ck_curses_stdscr)
#define curscr (*ck_curses_curscr)
#define COLS (*ck_curses_COLS)
#define LINES (*ck_curses_LINES)
#define COLOR_PAIRS (*ck_curses_COLOR_PAIRS)
#define cur_term (*ck_curses_cur_term)

#endif
