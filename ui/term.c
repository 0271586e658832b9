/* term.c: the terminal owner. See term.h for the rules every screen follows. */
#include "ck.h"
#include "term.h"
#include "keyscript.h"
#include "text.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>

static struct {
	bool open, utf8, colour, scripted;
	SCREEN *scr;
	FILE *in, *out;          /* what newterm was given (script mode: /dev/null) */
	struct keyscript *ks;
	FILE *dump;
	long idle;               /* seconds; 0 = never */
	int tick_ms;             /* TEV_TICK period; 0: a second */
	time_t last_activity;
	int dumps;
	attr_t attr[SLOT_COUNT];
} T;

static volatile sig_atomic_t term_signalled;

static void term_on_signal(int sig)
{
	term_signalled = sig;
}

/* The fatal path (htop's habit): a crash or abort() (xmalloc on out of
 * memory) must not leave the operator's terminal raw and invisible. endwin()
 * is not async-signal-safe, but the process is dying anyway and the
 * alternative is a terminal that needs `reset`. Then the default action. */
#define TERM_PASTE_ON "\033[?2004h"
#define TERM_PASTE_OFF "\033[?2004l"

static void term_on_fatal(int sig)
{
	if (T.open && !T.scripted) {
		ssize_t w = write(STDOUT_FILENO, TERM_PASTE_OFF, sizeof TERM_PASTE_OFF - 1);
		(void)w;
		endwin();
	}
	raise(sig); /* SA_RESETHAND restored the default action */
}

/* Signals whose default action ends the process and that come from outside
 * (kill, the terminal, timers, limits): each sets the flag, the loop unwinds,
 * the journal is left as it was after its last fsync and the terminal is
 * restored on the way out (signal(7) lists the default actions). SIGQUIT
 * (Ctrl-\) and SIGPIPE among them: the default would leave the terminal
 * raw and silent. SIGTSTP is ncurses' own (it leaves curses, stops, and
 * repaints on SIGCONT: newterm installs that handler because we leave
 * SIGTSTP at its default); SIGKILL and SIGSTOP cannot be caught. */
static const int term_leave_signals[] = {
	SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM, SIGPIPE, SIGVTALRM,
	SIGPROF, SIGXCPU, SIGXFSZ, SIGIO, SIGPWR,
#ifdef SIGSTKFLT
	SIGSTKFLT,
#endif
};
/* Faults raised by the process itself: no unwinding is safe, so restore the
 * terminal and die with the same signal. */
static const int term_fatal_signals[] = { SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL, SIGTRAP,
					  SIGSYS };

/* Install h for sig unless someone (a sanitizer) handles it already. */
static void term_catch(int sig, const struct sigaction *h)
{
	struct sigaction old;
	if (sigaction(sig, NULL, &old) == 0 && old.sa_handler == SIG_DFL &&
	    !(old.sa_flags & SA_SIGINFO))
		sigaction(sig, h, NULL);
}

/* Our handlers go in before newterm so ncurses keeps its hands off them, and
 * without SA_RESTART so a blocked read returns and the loop sees the flag. */
static void term_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = term_on_signal;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < CK_ARRAY_LEN(term_leave_signals); i++)
		term_catch(term_leave_signals[i], &sa);
	/* The real-time signals end the process too; glibc keeps the first
	 * few for itself and SIGRTMIN starts above them. */
	for (int sig = SIGRTMIN; sig <= SIGRTMAX; sig++)
		term_catch(sig, &sa);
	struct sigaction fa;
	memset(&fa, 0, sizeof fa);
	fa.sa_handler = term_on_fatal;
	fa.sa_flags = SA_RESETHAND;
	sigemptyset(&fa.sa_mask);
	/* AddressSanitizer's own SIGSEGV report must survive in sanitizer
	 * builds: term_catch leaves its handler alone. */
	for (size_t i = 0; i < CK_ARRAY_LEN(term_fatal_signals); i++)
		term_catch(term_fatal_signals[i], &fa);
}

static const char *const glyphs[G_COUNT][2] = {
	/* UTF-8, ASCII */
	[G_HLINE] = { "\u2500", "-" },
	[G_VLINE] = { "\u2502", "|" },
	[G_DONE] = { "\u2713", "+" },
	[G_CURRENT] = { "\u25b6", ">" },
	[G_TODO] = { "\u00b7", "." },
	[G_WAIT_OTHER] = { "\u21c4", "=" },
	[G_WAIT_TIME] = { "\u231b", "~" },
	[G_SKIPPED] = { "\u21b7", "-" },
	[G_FAILED] = { "\u2717", "x" },
	[G_BLOCKED] = { "\u2298", "#" },
	[G_ARROW] = { "\u2192", ">" },
	[G_BULLET] = { "\u2022", "*" },
	[G_ELLIPSIS] = { "\u2026", "..." },
	[G_TREE_MID] = { "\u251c\u2500 ", "|- " },
	[G_TREE_END] = { "\u2514\u2500 ", "`- " },
	[G_CHECKED] = { "[x]", "[x]" },
	[G_UNCHECKED] = { "[ ]", "[ ]" },
	[G_TL] = { "\u250c", "+" },
	[G_TR] = { "\u2510", "+" },
	[G_BL] = { "\u2514", "+" },
	[G_BR] = { "\u2518", "+" },
	[G_NEWLINE] = { "\u23ce", "|" },
	/* the divider between two panes points at the one with the focus */
	[G_FOCUS_LEFT] = { "\u25c0", "<" },
	[G_FOCUS_RIGHT] = { "\u25b6", ">" },
};

const char *term_glyph(enum term_glyph g)
{
	return glyphs[g][T.utf8 ? 0 : 1];
}

struct slot_style {
	short fg, bg;
	attr_t colour_attr;   /* with colours */
	attr_t mono_attr;     /* NO_COLOR or a monochrome terminal */
};

static const struct slot_style styles[SLOT_COUNT] = {
	[SLOT_NORMAL] = { -1, -1, A_NORMAL, A_NORMAL },
	[SLOT_TITLE] = { COLOR_WHITE, COLOR_BLUE, A_BOLD, A_REVERSE },
	[SLOT_WATERMARK] = { COLOR_BLACK, COLOR_YELLOW, A_BOLD, A_REVERSE | A_BOLD },
	[SLOT_FKEY] = { -1, -1, A_BOLD, A_BOLD },
	[SLOT_FLABEL] = { COLOR_BLACK, COLOR_CYAN, A_NORMAL, A_REVERSE },
	[SLOT_SELECT] = { COLOR_BLACK, COLOR_CYAN, A_NORMAL, A_REVERSE },
	[SLOT_SELECT_DIM] = { COLOR_BLACK, COLOR_WHITE, A_NORMAL, A_UNDERLINE },
	[SLOT_HEADING] = { COLOR_CYAN, -1, A_BOLD, A_BOLD },
	[SLOT_DONE] = { COLOR_GREEN, -1, A_NORMAL, A_NORMAL },
	[SLOT_CURRENT] = { COLOR_YELLOW, -1, A_BOLD, A_BOLD },
	[SLOT_WAITING] = { COLOR_MAGENTA, -1, A_NORMAL, A_NORMAL },
	[SLOT_FAILED] = { COLOR_RED, -1, A_BOLD, A_BOLD },
	[SLOT_WARN] = { COLOR_YELLOW, -1, A_NORMAL, A_BOLD },
	[SLOT_ERROR] = { COLOR_WHITE, COLOR_RED, A_BOLD, A_REVERSE | A_BOLD },
	[SLOT_DIM] = { -1, -1, A_DIM, A_DIM },
	[SLOT_INPUT] = { COLOR_BLACK, COLOR_WHITE, A_NORMAL, A_UNDERLINE },
};

static void term_colours(void)
{
	const char *nc = getenv("NO_COLOR");
	/* https://no-color.org: set and not empty means no colour. */
	T.colour = !(nc && *nc) && has_colors();
	if (T.colour) {
		start_color();
		use_default_colors();
	}
	for (int i = 0; i < SLOT_COUNT; i++) {
		if (T.colour && COLOR_PAIRS > SLOT_COUNT) {
			init_pair((short)(i + 1), styles[i].fg, styles[i].bg);
			T.attr[i] = COLOR_PAIR(i + 1) | styles[i].colour_attr;
		} else {
			T.attr[i] = styles[i].mono_attr;
		}
	}
	if (!(T.colour && COLOR_PAIRS > SLOT_COUNT))
		T.colour = false;
}

/* TERM=dumb (or a printing terminal) has a terminfo entry, so newterm
 * succeeds, but without cursor addressing every screen would be drawn as a
 * stream of lines nobody can use. */
static bool term_can_address(void)
{
	char *cup = tigetstr("cup");
	return cup && cup != (char *)-1 && tigetflag("hc") <= 0;
}

int term_open(const struct term_opts *o, char **err)
{
	const char *cs = nl_langinfo(CODESET);
	T.utf8 = cs && (!strcmp(cs, "UTF-8") || !strcmp(cs, "utf8"));
	T.idle = o->idle_seconds;
	T.dumps = 0;
	T.scripted = o->script != NULL;
	if (T.scripted) {
		T.ks = keyscript_load(o->script, err);
		if (!T.ks)
			return -1;
		if (o->dump) {
			/* 0600 as every file ckwizard writes, whatever the umask */
			int fd = open(o->dump, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
			if (fd >= 0)
				(void)fchmod(fd, 0600); /* a file there before kept its mode */
			T.dump = fd >= 0 ? fdopen(fd, "w") : NULL;
			if (!T.dump) {
				if (fd >= 0)
					close(fd);
				*err = xasprintf(_("cannot write the screen dump %s: %s"), o->dump,
						 strerror(errno));
				keyscript_free(T.ks);
				return -1;
			}
		}
		T.in = fopen("/dev/null", "r");
		T.out = fopen("/dev/null", "w");
	} else {
		if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
			*err = xstrdup(_("the wizard needs a terminal (stdin and stdout must be a tty)"));
			return -1;
		}
		T.in = stdin;
		T.out = stdout;
	}
	term_signals();
	/* A real terminal's size comes from the terminal, never from LINES and
	 * COLUMNS left in the environment (tests and some shells export them);
	 * a script renders to /dev/null, which has no size, so there they rule. */
	if (!T.scripted) {
		/* ncurses would take them over the terminal's own size, at start
		 * and after every resize (use_tioctl fixes only the start). */
		unsetenv("LINES");
		unsetenv("COLUMNS");
	}
	const char *tn = getenv("TERM");
	T.scr = newterm(tn && *tn ? tn : "xterm", T.out, T.in);
	if (!T.scr) {
		*err = xasprintf(_("cannot start the screen for TERM=%s; try TERM=xterm"),
				 tn ? tn : "");
		term_close();
		return -1;
	}
	set_term(T.scr);
	T.open = true;
	if (!term_can_address()) {
		*err = xasprintf(_("TERM=%s cannot move the cursor, and the wizard draws whole "
				   "screens; use a full-screen terminal, e.g. TERM=xterm"),
				 tn && *tn ? tn : "xterm");
		term_close();
		return -1;
	}
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	set_escdelay(25);   /* Esc is "back": it must not feel slow */
	curs_set(0);
	term_colours();
	wtimeout(stdscr, T.tick_ms > 0 ? T.tick_ms : 1000);
	if (!T.scripted) {
		define_key("\033[200~", KEY_MAX + 1);
		define_key("\033[201~", KEY_MAX + 2);
		term_osc(TERM_PASTE_ON);
	}
	T.last_activity = time(NULL);
	atexit(term_close);
	util_on_fatal(term_close); /* a fatal message is printed after it */
	return 0;
}

void term_close(void)
{
	if (T.open) {
		if (!T.scripted)
			term_osc(TERM_PASTE_OFF);
		/* A terminal without an alternate screen (vt100, the Linux
		 * console) would keep the last view under the shell prompt:
		 * leave it blank, the cursor at the top. */
		if (!T.scripted) {
			erase();
			move(0, 0);
			refresh();
		}
		curs_set(1);
		endwin();
		delscreen(T.scr);
		T.scr = NULL;
		T.open = false;
	}
	if (T.scripted) {
		if (T.in) fclose(T.in);
		if (T.out) fclose(T.out);
		T.in = T.out = NULL;
	}
	if (T.dump) {
		fclose(T.dump);
		T.dump = NULL;
	}
	keyscript_free(T.ks);
	T.ks = NULL;
	term_paste_release();
}

bool term_is_open(void) { return T.open; }
bool term_utf8(void) { return T.utf8; }
bool term_colour(void) { return T.colour; }
bool term_scripted(void) { return T.scripted; }
void term_touch(void) { T.last_activity = time(NULL); }
void term_set_idle(long seconds) { T.idle = seconds; }

void term_set_tick(int ms)
{
	T.tick_ms = ms;
	if (T.in && !T.scripted)
		wtimeout(stdscr, ms > 0 ? ms : 1000);
}

int term_signal(void) { return (int)term_signalled; }

static enum term_event term_script_next(int *key)
{
	struct keyscript_tok t;
	for (;;) {
		if (keyscript_next(T.ks, &t) != 0)
			return TEV_END;
		switch (t.kind) {
		case KS_KEY:
			*key = t.key;
			return TEV_KEY;
		case KS_DUMP:
			term_dump();
			continue;
		case KS_IDLE:
			return TEV_IDLE;
		case KS_SIGNAL:
			return TEV_SIGNAL;
		case KS_TICK:
			return TEV_TICK;
		case KS_AWAIT:
			if (keyscript_await(t.file) != 0)
				return TEV_END;
			continue;
		case KS_TOUCH:
			keyscript_touch(t.file);
			continue;
		case KS_RESIZE:
			resizeterm(t.rows, t.cols);
			return TEV_RESIZE;
		}
	}
}

/* Make the screen's size the terminal's own, read now: a signal that
 * arrived while ncurses was not looking must not leave a stale size. true
 * when it changed (everything is repainted then). */
static bool term_sync_size(void)
{
	struct winsize ws;
	if (T.scripted || ioctl(fileno(T.out), TIOCGWINSZ, &ws) != 0 || ws.ws_row == 0 ||
	    ws.ws_col == 0 || (ws.ws_row == LINES && ws.ws_col == COLS))
		return false;
	resizeterm(ws.ws_row, ws.ws_col);
	clearok(curscr, TRUE);
	return true;
}

static enum term_event term_next_raw(int *key);

enum term_event term_next(int *key)
{
	static bool resized;
	for (;;) {
		if (resized) { /* one that came during a paste */
			resized = false;
			*key = 0;
			return TEV_RESIZE;
		}
		enum term_event ev = term_next_raw(key);
		if (ev != TEV_KEY || *key == TERM_PASTE_END) {
			if (ev != TEV_KEY)
				return ev;
			continue; /* an end without a beginning: nothing to end */
		}
		if (*key != TERM_PASTE_BEGIN)
			return ev;
		return term_paste_collect(term_next_raw, key, &resized);
	}
}

/* A terminal that went away (the SSH connection dropped, the terminal
 * emulator or tmux server was killed) makes every read fail at once: without
 * this the loop would spin at full speed on TEV_TICK, and a process that was
 * stopped in the background when it happened never sees the SIGHUP the
 * kernel sends to the foreground group. Treat it as the hang-up it is: the
 * loop unwinds and the journal stays as it was after its last fsync. */
static bool term_hung_up(void)
{
	if (!T.in)
		return false;
	struct pollfd p = { .fd = fileno(T.in), .events = POLLIN };
	if (poll(&p, 1, 0) < 0)
		return errno != EINTR;
	return (p.revents & (POLLHUP | POLLERR | POLLNVAL)) != 0;
}

static enum term_event term_next_raw(int *key)
{
	*key = 0;
	if (term_signalled)
		return TEV_SIGNAL;
	if (T.scripted)
		return term_script_next(key);
	wint_t wc;
	int r = wget_wch(stdscr, &wc);
	if (term_signalled)
		return TEV_SIGNAL;
	if (r == ERR) {
		if (term_hung_up()) {
			term_signalled = SIGHUP;
			return TEV_SIGNAL;
		}
		if (term_sync_size())
			return TEV_RESIZE;
		if (T.idle > 0 && time(NULL) - T.last_activity >= T.idle) {
			T.last_activity = time(NULL);
			return TEV_IDLE;
		}
		return TEV_TICK;
	}
	if (r == KEY_CODE_YES && wc == KEY_RESIZE) {
		/* Drain the burst a window manager sends while dragging: rebuild once. */
		nodelay(stdscr, TRUE);
		while ((r = wget_wch(stdscr, &wc)) == KEY_CODE_YES && wc == KEY_RESIZE)
			;
		if (r == KEY_CODE_YES)
			ungetch((int)wc);   /* a function key: keep it one */
		else if (r != ERR)
			unget_wch(wc);
		wtimeout(stdscr, T.tick_ms > 0 ? T.tick_ms : 1000);
		term_sync_size();
		/* Whatever the size now, the terminal may have cropped or wrapped
		 * what was on it in between (tmux does, when it shrinks and grows
		 * back before we look), so the next refresh repaints everything:
		 * ncurses alone repaints only when the size it reads changed. */
		clearok(curscr, TRUE);
		return TEV_RESIZE;
	}
	term_touch();
	*key = r == KEY_CODE_YES ? TERM_FN((int)wc) : (int)wc;
	return TEV_KEY;
}

void term_flush(void)
{
	wnoutrefresh(stdscr);
	doupdate();
}

void term_clear(void)
{
	wbkgdset(stdscr, ' ' | T.attr[SLOT_NORMAL]);
	werase(stdscr);
}

void term_cursor(int y, int x, bool visible)
{
	if (visible)
		wmove(stdscr, y, x);
	curs_set(visible ? 1 : 0);
}

/* Decode a visible-made string into wide characters that fit w columns. */
static size_t term_widen(const char *vis, int w, wchar_t *out, size_t cap, int *used)
{
	size_t i = 0, n = 0, len = strlen(vis);
	int cols = 0;
	while (i < len && n + 1 < cap) {
		uint32_t cp;
		if (text_utf8_next(vis, len, &i, &cp) < 0)
			cp = '?';
		if (cp == '\t' || cp == '\n')
			cp = ' ';
		int cw = 1;
		if (!T.utf8 && cp > 0x7e) {
			cp = '?';
		} else if (cp > 0x7e) {
			cw = wcwidth((wchar_t)cp);
			if (cw < 0) {
				cp = '?';
				cw = 1;
			}
		}
		if (cols + cw > w)
			break;
		out[n++] = (wchar_t)cp;
		cols += cw;
	}
	out[n] = 0;
	*used = cols;
	return n;
}

int term_put_attr(int y, int x, int w, const char *s, enum term_slot slot, attr_t extra)
{
	if (!T.open || y < 0 || y >= LINES || x < 0 || x >= COLS || w <= 0 || !s)
		return 0;
	if (x + w > COLS)
		w = COLS - x;
	char *vis = text_visible_line(s);
	size_t cap = strlen(vis) + 1;
	wchar_t *wbuf = xmalloc(cap * sizeof *wbuf);
	int used = 0;
	size_t n = term_widen(vis, w, wbuf, cap, &used);
	wattrset(stdscr, T.attr[slot] | extra);
	mvwaddnwstr(stdscr, y, x, wbuf, (int)n);
	wattrset(stdscr, T.attr[SLOT_NORMAL]);
	free(wbuf);
	free(vis);
	return used;
}

int term_put(int y, int x, int w, const char *s, enum term_slot slot)
{
	return term_put_attr(y, x, w, s, slot, A_NORMAL);
}

void term_fill(int y, int x, int w, enum term_slot slot)
{
	if (!T.open || y < 0 || y >= LINES || x < 0 || x >= COLS)
		return;
	if (x + w > COLS)
		w = COLS - x;
	wattrset(stdscr, T.attr[slot]);
	for (int i = 0; i < w; i++)
		mvwaddch(stdscr, y, x + i, ' ');
	wattrset(stdscr, T.attr[SLOT_NORMAL]);
}

void term_hline(int y, int x, int w, enum term_slot slot)
{
	for (int i = 0; i < w; i++)
		term_put(y, x + i, 1, term_glyph(G_HLINE), slot);
}

void term_vline(int y, int x, int h, enum term_slot slot)
{
	for (int i = 0; i < h; i++)
		term_put(y + i, x, 1, term_glyph(G_VLINE), slot);
}

static void term_put_utf8(FILE *f, wchar_t wc)
{
	uint32_t c = (uint32_t)wc;
	if (c < 0x80) {
		fputc((int)c, f);
	} else if (c < 0x800) {
		fputc(0xc0 | (int)(c >> 6), f);
		fputc(0x80 | (int)(c & 0x3f), f);
	} else if (c < 0x10000) {
		fputc(0xe0 | (int)(c >> 12), f);
		fputc(0x80 | (int)((c >> 6) & 0x3f), f);
		fputc(0x80 | (int)(c & 0x3f), f);
	} else {
		fputc(0xf0 | (int)(c >> 18), f);
		fputc(0x80 | (int)((c >> 12) & 0x3f), f);
		fputc(0x80 | (int)((c >> 6) & 0x3f), f);
		fputc(0x80 | (int)(c & 0x3f), f);
	}
}

int term_dump(void)
{
	if (!T.dump || !T.open)
		return -1;
	T.dumps++;
	/* The header makes the mode part of what a test compares. */
	fprintf(T.dump, "-- screen %d: %dx%d %s %s --\n", T.dumps, COLS, LINES,
		T.utf8 ? "utf8" : "ascii", T.colour ? "colour" : "no-colour");
	/* A cell holds a character and up to CCHARW_MAX - 1 combining marks:
	 * room for COLS code points would cut a line with marks short, and a
	 * right-aligned label would fall out of the dump though it is on the
	 * screen. mvwinnwstr stops at the end of the line itself. */
	size_t cap = (size_t)COLS * CCHARW_MAX;
	wchar_t *line = xmalloc((cap + 1) * sizeof *line);
	for (int y = 0; y < LINES; y++) {
		int n = mvwinnwstr(stdscr, y, 0, line, (int)cap);
		if (n < 0)
			n = 0;
		line[n] = 0;
		while (n > 0 && line[n - 1] == L' ')
			line[--n] = 0;
		for (int i = 0; i < n; i++)
			term_put_utf8(T.dump, line[i]);
		fputc('\n', T.dump);
	}
	free(line);
	fflush(T.dump);
	return 0;
}

void term_osc(const char *seq)
{
	if (!T.open || T.scripted || !T.out)
		return;
	fputs(seq, T.out);
	fflush(T.out);
}
