/* term.h: the one place that owns the terminal (htop's CRT.c habit).
 *
 * Start-up and shut-down, colours by named slot (NO_COLOR respected), the
 * glyphs (Unicode or an ASCII fallback when the locale is not UTF-8), the
 * signal flags, the idle clock, and the only functions that put characters
 * on the screen. Everything drawn goes through term_put(), which passes the
 * text through text_visible_line() first: nothing untrusted reaches the
 * terminal raw. Screens draw into stdscr only; a resize rebuilds from scratch.
 *
 * In script mode (tests, the tig way) keys come from a script file and the
 * screen renders to /dev/null; <Dump> writes the visible screen as text. */
#ifndef CK_UI_TERM_H
#define CK_UI_TERM_H

#include "curses_dl.h" /* <curses.h>, its variables through pointers */
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum term_slot {
	SLOT_NORMAL,
	SLOT_TITLE,      /* header bar */
	SLOT_WATERMARK,  /* REHEARSAL */
	SLOT_FKEY,       /* the key in the function-key bar */
	SLOT_FLABEL,     /* its label */
	SLOT_SELECT,     /* the selected line of the focused list */
	SLOT_SELECT_DIM, /* the selected line of a list without focus */
	SLOT_HEADING,
	SLOT_DONE,
	SLOT_CURRENT,
	SLOT_WAITING,
	SLOT_FAILED,
	SLOT_WARN,
	SLOT_ERROR,
	SLOT_DIM,
	SLOT_INPUT,
	SLOT_COUNT
};

enum term_glyph {
	G_HLINE, G_VLINE, G_DONE, G_CURRENT, G_TODO, G_WAIT_OTHER, G_WAIT_TIME,
	G_SKIPPED, G_FAILED, G_BLOCKED, G_ARROW, G_BULLET, G_ELLIPSIS, G_TREE_MID,
	G_TREE_END, G_CHECKED, G_UNCHECKED, G_TL, G_TR, G_BL, G_BR, G_NEWLINE,
	G_FOCUS_LEFT, G_FOCUS_RIGHT, G_COUNT
};

/* Keys: characters are their code points; function keys (KEY_UP, KEY_F(1),
 * ...) are moved above Unicode so the two never collide. */
#define TERM_FN(k) (0x1000000 + (k))
/* Bracketed paste (xterm, tmux, most terminals): a pasted block arrives
 * between these two keys, so its line ends are text, not Enter. */
#define TERM_PASTE_BEGIN TERM_FN(KEY_MAX + 1)
#define TERM_PASTE_END TERM_FN(KEY_MAX + 2)
/* What term_next returns for a whole paste (term_paste.c): one key, its text
 * from term_paste(). BEGIN and END never reach the screens. */
#define TERM_PASTE TERM_FN(KEY_MAX + 3)
#define TERM_PASTE_MAX 16384 /* characters */

/* What the event source returns besides a key. */
enum term_event {
	TEV_KEY,        /* *key holds a key (KEY_* or a character) */
	TEV_RESIZE,     /* the burst of resizes is drained: rebuild */
	TEV_IDLE,       /* no key for the idle-lock time */
	TEV_TICK,       /* a second passed (clocks on screen, signals) */
	TEV_SIGNAL,     /* SIGINT, SIGTERM, SIGQUIT, ... (term.c): leave cleanly */
	TEV_END         /* script ended: leave without asking */
};

struct term_opts {
	const char *script;  /* key script (test mode) or NULL */
	const char *dump;    /* screen dump file (test mode) or NULL */
	long idle_seconds;   /* 0: no idle lock */
};

/* Would term_open succeed (a terminal and a TERM it knows, or a readable
 * key script)? Nothing is changed: the caller checks before it creates
 * anything. 0, or -1 with a translated *err. */
int term_check(const struct term_opts *o, char **err);
/* 0 on success, -1 with a translated *err (no terminal, bad script). */
int term_open(const struct term_opts *o, char **err);
/* Restore the terminal; safe to call twice and from the fatal path. */
void term_close(void);
bool term_is_open(void);
bool term_utf8(void);
bool term_colour(void);
bool term_scripted(void);

/* The next event; draws nothing (call term_flush() first). */
enum term_event term_next(int *key);
/* Reset the idle clock (a key counts as activity). */
void term_touch(void);
/* Idle seconds before TEV_IDLE (0: never). */
void term_set_idle(long seconds);
/* TEV_TICK every ms milliseconds (0: every second): two terminals follow
 * each other's appends on it. */
void term_set_tick(int ms);
/* The signal that ended the loop (SIGHUP: the terminal went away), or 0. */
int term_signal(void);

/* The text of the last TERM_PASTE: code points, line ends as '\n', controls
 * and escape sequences gone; 0 when it was refused (then term_paste_problem
 * says why, translated). Wipe it once taken. */
size_t term_paste(const int **text);
const char *term_paste_problem(void);
void term_paste_wipe(void);
/* Inside term.c: collect a paste after its BEGIN from next (TEV_KEY with
 * TERM_PASTE, or the signal or end that interrupted it), and free it. */
enum term_event term_paste_collect(enum term_event (*next)(int *key), int *key,
				   bool *resized);
void term_paste_release(void);

void term_flush(void);
/* Clear the whole screen to the normal slot. */
void term_clear(void);
/* Put text at (y, x), at most w columns, in a slot; untrusted text is made
 * visible first. Returns the columns used. */
int term_put(int y, int x, int w, const char *s, enum term_slot slot);
/* The same with explicit extra attributes (A_BOLD, A_UNDERLINE). */
int term_put_attr(int y, int x, int w, const char *s, enum term_slot slot, attr_t extra);
/* Fill w columns with spaces (or a glyph) in a slot. */
void term_fill(int y, int x, int w, enum term_slot slot);
void term_hline(int y, int x, int w, enum term_slot slot);
void term_vline(int y, int x, int h, enum term_slot slot);
const char *term_glyph(enum term_glyph g);
void term_cursor(int y, int x, bool visible);

/* Write the visible screen as plain text (trailing spaces stripped) to the
 * dump file (test mode); every <Dump> appends one screen and a separator. */
int term_dump(void);
/* Send an OSC 52 clipboard sequence (already built, base64 inside) to the
 * terminal, bypassing curses' screen model. */
void term_osc(const char *seq);

#endif
