/* app.h: the wizard's state and the screen contract (inside ui/ only).
 *
 * Each screen is a table of operations (tig's views): enter, draw, act,
 * leave. Handlers return flags (htop's habit) and one loop (app.c) acts on
 * them. Screens draw into the body rows only; the frame (header with the
 * REHEARSAL watermark, message line, function-key bar) is drawn around them
 * by frame.c. A resize simply redraws everything from the state. */
#ifndef CK_UI_APP_H
#define CK_UI_APP_H

#include "action.h"
#include "lines.h"
#include "term.h"
#include "ui.h"

#include <stdbool.h>
#include <time.h>

struct session;
struct ui;

enum ui_flag {
	UF_NONE = 0,
	UF_HANDLED = 1 << 0,   /* the key meant something here */
	UF_QUIT = 1 << 1,      /* leave the wizard (after the loop asks) */
	UF_QUIT_NOW = 1 << 2   /* leave without asking (end, signal) */
};

struct ui_screen {
	const char *name;              /* for tests and the help title */
	unsigned scopes;               /* which actions apply (action.h) */
	void (*enter)(struct ui *u);
	void (*draw)(struct ui *u, int y, int h);
	int (*act)(struct ui *u, enum ui_action a, int key);
	void (*leave)(struct ui *u);
	/* Does Esc go back somewhere now? The key bar shows "Esc Back" only
	 * then (NULL: never). */
	bool (*can_back)(const struct ui *u);
};

struct ui {
	struct session *s;
	const struct ui_options *opt;
	bool rehearsal;                /* the session's mode: watermark, simulator actions */
	const struct ui_screen *screen;
	const struct ui_screen *next;  /* switch requested by a handler */
	bool route;                    /* ui_route() requested: app.c picks the screen */
	char *header;                  /* organisation, sitting, who holds the keyboard */
	char *msg;                     /* the message line */
	enum term_slot msg_slot;
	int active;                    /* the operator at the keyboard, or CK_SIDE_NONE */
	bool leaving;                  /* signal or end of script: unwind */
	bool lock_pending;             /* the idle timer fired inside a modal */
	int in_dialog;                 /* dialogs open: they say their own keys, no bar */
	int in_input;                  /* a text field is open: it takes pasted text */
	unsigned pager_scopes;         /* inside a pager: its actions make the bar */
	bool follow_stopped;           /* two terminals: a refused line stopped following */
	bool stopped;                  /* nothing can be recorded (a refused line, a failed
					* write): the key bar offers only what still works */
	char *witness_asked;           /* two terminals: the id of the step confirmed here whose
					* witness the other terminal gives, or NULL (an id, not
					* an index: an amendment rebuilds the step list) */
	bool (*tick)(struct ui *u);    /* on each tick (ui_follow_tick); true: redraw */
	void (*sync)(struct ui *u);    /* before a key is acted on (ui_follow_sync) */
	bool cosign_wait;              /* two terminals: waiting for the other's signature */
	bool other_was_present;        /* two terminals: as the screen last showed it */
	long torn_asked;               /* two terminals: the journal's length when setting a
					* torn line aside, or its deviation, was last declined */
	bool follow_route;             /* the other terminal changed the state: the loop
					* goes to the screen it calls for, if another */
	char *cosign_msg;              /* sent to the other terminal: the loop waits for it */
	int pin_fresh;                 /* who typed a PIN or passphrase for this action */
	int exit_code;
};

/* Minimum size the screens are designed for. */
#define UI_MIN_COLS 80
#define UI_MIN_LINES 24
bool ui_too_small(void);

/* Frame (frame.c). */
void ui_draw(struct ui *u);                 /* the whole screen */
void ui_body(int *y, int *h);               /* rows the screen may use */
void ui_message(struct ui *u, enum term_slot slot, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void ui_goto(struct ui *u, const struct ui_screen *s);
/* Go to whichever screen the session's state calls for (review, steps,
 * waits, end), chosen by the loop once the handler returns. */
void ui_route(struct ui *u);

/* The event source every loop uses: handles resize (redraw), idle and
 * signals; returns an action (ACT_NONE with *key for other keys), or -1
 * when the wizard must unwind (signal, end of script). */
int ui_event(struct ui *u, int *key, unsigned scopes);

/* Modal widgets (dialog.c). They draw over the current screen and loop
 * until they have an answer (dialog's habit). */
enum ui_answer { UA_OK = 0, UA_CANCEL = 1, UA_UNWIND = 2 };
enum ui_answer ui_confirm(struct ui *u, const char *title, const char *text);
/* The same with the answer line spelled out ("Enter: I have the keyboard"). */
enum ui_answer ui_confirm_labels(struct ui *u, const char *title, const char *text,
				 const char *labels);
void ui_alert(struct ui *u, const char *title, const char *text);
/* The same box, drawn and shown at once, waiting for nothing: something
 * slow (Azure's sign-in) is under way. */
void ui_notice(struct ui *u, const char *title, const char *text);
/* scr_signin.c: live mode: operator side signs in to Azure for their
 * subscriptions (the device code shown in a box); true when signed in or
 * not live. A refusal is shown and false returned. */
bool ui_signin(struct ui *u, int side);
/* Live mode and a subscription of side holds no token now. ui_unlock signs
 * in an operator present in the sitting; opening a sitting signs in the one
 * at the keyboard; a check or perform signs in again after a refusal. */
bool ui_needs_signin(const struct ui *u, int side);
/* scr_execute.c: run --live --execute: the owner (at the keyboard) reads
 * and authorizes the step's writes, the witness co-signs an irreversible
 * one, then the owner performs it. */
void ui_execute(struct ui *u, const char *step_id, int owner);
/* Choose one of n lines (already made visible by the caller's strings being
 * ours or passed through text_visible); the index, or -1 when cancelled. */
int ui_menu(struct ui *u, const char *title, const char *text, char *const *items, size_t n,
	    size_t initial);
/* Validation as typed: returns NULL if fine, else a translated message. */
typedef char *(*ui_validate_fn)(void *ctx, const char *value);
/* A one-line input. secret: nothing is echoed. *out is secret memory
 * (locked, wiped): release it with ui_input_free as soon as it is used. */
enum ui_answer ui_input(struct ui *u, const char *title, const char *text, const char *initial,
			bool secret, ui_validate_fn validate, void *ctx, char **out);
/* The same with flags: UI_IN_SECRET, UI_IN_MULTILINE (a pasted block keeps
 * its line ends: for pasted command output; typed Enter still accepts). */
enum { UI_IN_SECRET = 1, UI_IN_MULTILINE = 2 };
enum ui_answer ui_input_ex(struct ui *u, const char *title, const char *text, const char *initial,
			   unsigned flags, ui_validate_fn validate, void *ctx, char **out);
void ui_input_free(char *v);
/* Leave curses and print text plainly (commands to copy: the terminal wraps
 * long lines itself, so a copy gets them whole); back on Enter. In script
 * mode the same text is shown in a full-width pager instead. */
void ui_plain_view(struct ui *u, const char *title, const char *text);
/* A scrolling text view; with a borderless full width. */
void ui_pager(struct ui *u, const char *title, struct lines *l, unsigned scopes,
	      int (*act)(struct ui *u, enum ui_action a, void *ctx), void *ctx);
void ui_help(struct ui *u);

/* Naming (naming.c). "Bob Berg (operator B)": made visible when drawn;
 * caller frees. */
char *ui_op_name(const struct ui *u, int side);
/* live: a check (or, perform, an --execute write) of subscription sub got
 * no token (its refresh failed, why): said whole in a box, with what to do
 * (scr_signin.c) */
void ui_no_token(struct ui *u, int sub, const char *why, bool perform, bool refused);
/* After a check or perform of subscription own: another subscription's
 * sign-in that the backend ended meanwhile is said at once, with why.
 * was[sub]: it was signed in before. */
void ui_signins_ended(struct ui *u, const bool was[CK_SIDES], int own);
/* Which subscriptions are signed in now, for ui_signins_ended. */
void ui_signins_now(const struct ui *u, bool was[CK_SIDES]);
/* "2026-11-23 12:00 UTC" into buf. */
const char *ui_time(time_t t, char *buf, size_t cap);

/* Operators (people.c). */
/* Ask side's passphrase until the session unlocks the key (or Esc). The
 * passphrase lives in secret memory and is wiped as soon as it is passed. */
bool ui_unlock(struct ui *u, int side, const char *why);
/* Make side the operator at the keyboard: the "Hand the keyboard to" screen,
 * then their passphrase; the previous operator's key is locked. */
bool ui_handoff(struct ui *u, int side, const char *why);
/* Actions that need both operators: unlock the one not at the keyboard too;
 * *extra is the side to lock again afterwards (or CK_SIDE_NONE). */
bool ui_both(struct ui *u, const char *why, int *extra);
void ui_both_done(struct ui *u, int extra);
/* Signing PINs (pin.c). ui_pin: the signature prompt for side: title and
 * text say what is signed; asks side's PIN (or only the question when a PIN
 * or passphrase was typed for this action already; the passphrase when the
 * key is locked). ui_pin_setup: a key without a PIN chooses one now. */
bool ui_pin(struct ui *u, int side, const char *title, const char *text);
bool ui_pin_setup(struct ui *u, int side);
/* The same without a question when one was typed for this action already
 * (the caller asks its own: a reason, a typed resource name). */
bool ui_pin_gate(struct ui *u, int side, const char *title, const char *text);
/* alone.c: with one operator present, can nothing be done any more?
 * (*side: the one present.) ui_alone_notice says so on the message line;
 * ui_close_sitting is z (after asking; the keys are locked). */
bool ui_alone_stuck(const struct ui *u, int *side);
void ui_alone_notice(struct ui *u);
int ui_close_sitting(struct ui *u);
/* stepnames.c: text with each "step ID" written "step N \"Title\""
 * (caller frees). Refusals (ui_error, ui_pre_ok, the steps' precheck) go
 * through it. */
char *ui_name_steps(const struct ui *u, const char *text);
/* precheck.c: rc and *errp from a session_*_allowed dry run: true when
 * allowed; else the refusal is said with what comes first (both: the
 * action needs both operators present). *errp is freed and cleared either
 * way; it is taken by address because the dry run that sets it is often
 * an argument of the same call, and C does not order their evaluation. */
bool ui_pre_ok(struct ui *u, int rc, char **errp, bool both);
/* The idle lock: lock the key at the keyboard and ask for it again. */
void ui_idle_lock(struct ui *u);
/* Show a session error (caller's string, freed here) on the message line. */
void ui_error(struct ui *u, char *err);
/* Header text from the session (organisation, sitting, keyboard). */
void ui_update_header(struct ui *u);

/* Two terminals (scr_request.c). ui_two_elsewhere: side is not at this
 * terminal: say so (with why) and return true; false in one-keyboard mode
 * or for this terminal's operator. ui_two_start: the operator at this
 * terminal unlocks and joins the sitting. ui_follow_tick: on each tick,
 * follow the other terminal's appends; true when the screen must be redrawn.
 * ui_two_leave: leaving the wizard leaves the sitting (the last one closes it). */
int ui_two_side(const struct ui *u);                     /* terminals.c */
bool ui_two_elsewhere(struct ui *u, int side, const char *why);
struct buf;
void ui_two_header(struct ui *u, struct buf *b); /* "  B: present" in the header */
int ui_two_start(struct ui *u);
void ui_two_start_lines(struct ui *u, struct lines *l, int w); /* the start screen's choice */
bool ui_follow_tick(struct ui *u);
void ui_follow_sync(struct ui *u);
void ui_two_leave(struct ui *u);
/* The deviation key while a torn line stops a two-terminal journal: its
 * question (set it aside, or the deviation's reason), declined before, is
 * asked again now. false: no torn line here, the key means what it always does. */
bool ui_two_torn_again(struct ui *u);
/* An action both sign was sent to the other terminal (msg, the session's
 * "Sent to ..." sentence, freed here): wait for their signature, Esc
 * withdraws. false (msg untouched) when nothing waits. */
bool ui_cosign_wait(struct ui *u, char *msg);

/* Act on one step as the step screen would (the wait screen witnesses and
 * records awaited events through it). */
int ui_step_action(struct ui *u, size_t step, enum ui_action a);
/* Add a note to the journal (step and wait screens). */
int ui_note(struct ui *u);

/* The screens. */
extern const struct ui_screen screen_start, screen_review, screen_steps, screen_wait,
	screen_end;

#endif
