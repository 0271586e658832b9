/* curses_dl.c: ncursesw, loaded when the wizard first touches the terminal.
 *
 * Only the wizard draws, yet a binary linked with ncursesw and libtinfo maps
 * and relocates both at every start: about 0.25 ms of the 3.7 ms `check`
 * costs on the large example plan (doc/bench.md, "Fifth round"). So the
 * ckwizard binary does not link them: every ncurses function ui/ calls is
 * defined here under its own name, and the first call loads libncursesw
 * (which brings libtinfo in as its dependency) and forwards to it, as
 * src/crypto_dl.c does for libcrypto. The variables ui/ reads are reached
 * through the pointers of ui/curses_dl.h, filled at the same time.
 *
 * The test programs link ncurses and use ui/curses_linked.c instead. */
#include "ck.h"
#include "util.h"

#include <curses.h>
#include <ncursesw/term.h> /* ncurses' own, not ui/term.h */
#include "curses_dl.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

/* ncurses 6's ABI (configure asks for ncursesw >= 6); dlopen finds it as the
 * dynamic loader would have at start. */
#define CURSES_DL_SONAME "libncursesw.so.6"

/* Until the library is loaded the variables read as ncurses' own do before
 * a screen starts: no window, no terminal, no size, no colours. */
static WINDOW *curses_dl_no_window;
static TERMINAL *curses_dl_no_term;
static int curses_dl_zero[3];

WINDOW **ck_curses_stdscr = &curses_dl_no_window;
WINDOW **ck_curses_curscr = &curses_dl_no_window;
int *ck_curses_COLS = &curses_dl_zero[0];
int *ck_curses_LINES = &curses_dl_zero[1];
int *ck_curses_COLOR_PAIRS = &curses_dl_zero[2];
struct term **ck_curses_cur_term = &curses_dl_no_term;

/* Every ncurses function ui/ calls, as R(return type, name, (parameters),
 * (arguments)) or, returning nothing, V(name, (parameters), (arguments)).
 * Each expands below to a definition of that function, which the compiler
 * checks against the prototype in <curses.h> or <term.h>; a new ncurses call
 * in ui/ is a link error until it has its line here. */
#define CURSES_DL_FUNCS(R, V)                                                              \
	R(int, cbreak, (void), ())                                                             \
	R(int, clearok, (WINDOW * w, bool b), (w, b))                                          \
	R(int, curs_set, (int v), (v))                                                         \
	R(int, def_prog_mode, (void), ())                                                      \
	R(int, define_key, (const char *s, int k), (s, k))                                     \
	R(int, del_curterm, (TERMINAL * t), (t))                                               \
	V(delscreen, (SCREEN * s), (s))                                                        \
	R(int, doupdate, (void), ())                                                           \
	R(int, endwin, (void), ())                                                             \
	R(int, flushinp, (void), ())                                                           \
	R(bool, has_colors, (void), ())                                                        \
	R(int, init_pair, (short p, short f, short b), (p, f, b))                              \
	R(int, keypad, (WINDOW * w, bool b), (w, b))                                           \
	R(SCREEN *, newterm, (const char *t, FILE *o, FILE *i), (t, o, i))                     \
	R(int, nodelay, (WINDOW * w, bool b), (w, b))                                          \
	R(int, noecho, (void), ())                                                             \
	R(int, nonl, (void), ())                                                               \
	R(int, putp, (const char *s), (s))                                                     \
	R(int, reset_prog_mode, (void), ())                                                    \
	R(int, resizeterm, (int l, int c), (l, c))                                             \
	R(TERMINAL *, set_curterm, (TERMINAL * t), (t))                                        \
	R(int, set_escdelay, (int ms), (ms))                                                   \
	R(SCREEN *, set_term, (SCREEN * s), (s))                                               \
	R(int, setupterm, (const char *t, int fd, int *e), (t, fd, e))                         \
	R(int, start_color, (void), ())                                                        \
	R(int, tigetflag, (const char *c), (c))                                                \
	R(char *, tigetstr, (const char *c), (c))                                              \
	R(int, unget_wch, (const wchar_t c), (c))                                              \
	R(int, ungetch, (int c), (c))                                                          \
	R(int, use_default_colors, (void), ())                                                 \
	R(int, waddch, (WINDOW * w, const chtype c), (w, c))                                   \
	R(int, waddnwstr, (WINDOW * w, const wchar_t *s, int n), (w, s, n))                    \
	R(int, wattrset, (WINDOW * w, int a), (w, a))                                          \
	V(wbkgdset, (WINDOW * w, chtype c), (w, c))                                            \
	R(int, werase, (WINDOW * w), (w))                                                      \
	R(int, wget_wch, (WINDOW * w, wint_t *c), (w, c))                                      \
	R(int, winnwstr, (WINDOW * w, wchar_t *s, int n), (w, s, n))                           \
	R(int, wmove, (WINDOW * w, int y, int x), (w, y, x))                                   \
	R(int, wnoutrefresh, (WINDOW * w), (w))                                                \
	R(int, wrefresh, (WINDOW * w), (w))                                                    \
	V(wtimeout, (WINDOW * w, int ms), (w, ms))

/* The functions' and variables' addresses in the library. */
#define CURSES_DL_FIELD_R(ret, name, params, args) ret (*name) params;
#define CURSES_DL_FIELD_V(name, params, args) void (*name) params;
static struct curses_dl_fns {
	CURSES_DL_FUNCS(CURSES_DL_FIELD_R, CURSES_DL_FIELD_V)
	WINDOW **v_stdscr;
	WINDOW **v_curscr;
	int *v_COLS;
	int *v_LINES;
	int *v_COLOR_PAIRS;
	TERMINAL **v_cur_term;
} fn;

#define CURSES_DL_NAME_R(ret, name, params, args) { #name, offsetof(struct curses_dl_fns, name) },
#define CURSES_DL_NAME_V(name, params, args) CURSES_DL_NAME_R(void, name, params, args)
/* The variables: their names are curses_dl.h's macros here, so spelt out. */
#define CURSES_DL_VAR(name, field) { name, offsetof(struct curses_dl_fns, field) },
static const struct util_dl_sym curses_dl_syms[] = {
	CURSES_DL_FUNCS(CURSES_DL_NAME_R, CURSES_DL_NAME_V)
	CURSES_DL_VAR("stdscr", v_stdscr)
	CURSES_DL_VAR("curscr", v_curscr)
	CURSES_DL_VAR("COLS", v_COLS)
	CURSES_DL_VAR("LINES", v_LINES)
	CURSES_DL_VAR("COLOR_PAIRS", v_COLOR_PAIRS)
	CURSES_DL_VAR("cur_term", v_cur_term)
};

int curses_dl_open(char **err)
{
	static bool loaded;
	const char *what;
	if (loaded)
		return 0;
	switch (util_dl_load(CURSES_DL_SONAME, curses_dl_syms, CK_ARRAY_LEN(curses_dl_syms), &fn,
			     &what)) {
	case 0:
		ck_curses_stdscr = fn.v_stdscr;
		ck_curses_curscr = fn.v_curscr;
		ck_curses_COLS = fn.v_COLS;
		ck_curses_LINES = fn.v_LINES;
		ck_curses_COLOR_PAIRS = fn.v_COLOR_PAIRS;
		ck_curses_cur_term = fn.v_cur_term;
		loaded = true;
		return 0;
	case -1:
		*err = xasprintf(_("cannot load %s (%s): the wizard's screens need ncursesw 6 "
				   "(Debian: apt-get install libncursesw6)"),
				 CURSES_DL_SONAME, what);
		break;
	default:
		*err = xasprintf(_("%s has no %s: this is not ncursesw 6"), CURSES_DL_SONAME, what);
	}
	return -1;
}

/* What every function below calls first. term_check has loaded the library
 * before the wizard created anything, so this only loads it for a caller
 * that skipped the check; a failure then still stops rather than draws
 * nothing (fail closed). */
static void curses_dl_load(void)
{
	char *err = NULL;
	if (curses_dl_open(&err) == 0)
		return;
	fprintf(stderr, "ckwizard: %s\n", err);
	exit(CK_EXIT_INPUT);
}

#define CURSES_DL_DEF_R(ret, name, params, args) \
	ret name params                          \
	{                                        \
		curses_dl_load();                \
		return fn.name args;             \
	}
#define CURSES_DL_DEF_V(name, params, args) \
	void name params                    \
	{                                   \
		curses_dl_load();           \
		fn.name args;               \
	}
CURSES_DL_FUNCS(CURSES_DL_DEF_R, CURSES_DL_DEF_V)
