/* action.h: every user action in one table (tig's habit).
 *
 * UI_ACTIONS yields the action enum, the keys bound to each action, the
 * function-key bar labels and the help text, so the help screen, the bar and
 * doc/wizard.md cannot drift from the key map. Key names are generated from
 * the key codes (action_key_name), never written by hand.
 *
 * Columns: id, scopes where it applies, bar label (NULL: help only), help
 * text, then up to three keys (0 = none). */
#ifndef CK_UI_ACTION_H
#define CK_UI_ACTION_H

#include "buf.h"
#include "term.h"

/* Where an action applies; a screen declares its scopes. */
enum ui_scope {
	SC_ALL = 1 << 0,     /* every screen */
	SC_MOVE = 1 << 1,    /* lists and scrolling text */
	SC_PANES = 1 << 2,   /* screens with two panes */
	SC_REVIEW = 1 << 3,  /* plan review and verification */
	SC_STEP = 1 << 4,    /* the step screen */
	SC_WAIT = 1 << 5,    /* waits and sittings */
	SC_COMMANDS = 1 << 6, /* the borderless command view */
	/* Not a screen: the action records nothing, so it still works while the
	 * journal is stopped (a refused line, a failed write); the bar then
	 * offers only these. */
	SC_STOPPED = 1 << 7
};

#define UI_ACTIONS(X) \
	X(HELP, SC_ALL | SC_STOPPED, N_("Help"), N_("show this help (generated from the key table)"), \
	  TERM_FN(KEY_F(1)), '?', 0) \
	X(QUIT, SC_ALL | SC_STOPPED, N_("Quit"), N_("quit, after asking (the journal is always consistent: nothing is lost)"), \
	  TERM_FN(KEY_F(10)), 'q', 0) \
	X(BACK, SC_ALL | SC_STOPPED, N_("Back"), N_("back, or cancel a question"), 27, 0, 0) \
	X(ENTER, SC_ALL, N_("Select"), N_("choose the selected item or continue"), \
	  '\r', '\n', TERM_FN(KEY_ENTER)) \
	X(REDRAW, SC_ALL | SC_STOPPED, NULL, N_("redraw the whole screen"), 12, 0, 0) \
	X(UP, SC_MOVE | SC_STOPPED, NULL, N_("move up"), TERM_FN(KEY_UP), 'k', 0) \
	X(DOWN, SC_MOVE | SC_STOPPED, NULL, N_("move down"), TERM_FN(KEY_DOWN), 'j', 0) \
	X(PGUP, SC_MOVE | SC_STOPPED, NULL, N_("page up"), TERM_FN(KEY_PPAGE), 0, 0) \
	X(PGDN, SC_MOVE | SC_STOPPED, NULL, N_("page down"), TERM_FN(KEY_NPAGE), 0, 0) \
	X(HOME, SC_MOVE | SC_STOPPED, NULL, N_("first line"), TERM_FN(KEY_HOME), 'g', 0) \
	X(END, SC_MOVE | SC_STOPPED, NULL, N_("last line"), TERM_FN(KEY_END), 'G', 0) \
	X(TAB, SC_PANES | SC_STOPPED, N_("Pane"), N_("switch between the two panes"), '\t', 0, 0) \
	X(TICK, SC_REVIEW, N_("Tick"), N_("tick the checklist item, or acknowledge the warning"), \
	  ' ', 'x', 0) \
	X(APPROVE, SC_REVIEW, N_("Sign"), N_("sign: the author approves, the verifier verifies"), \
	  TERM_FN(KEY_F(2)), 's', 0) \
	X(CONFIRM, SC_STEP, N_("Confirm"), N_("confirm the current step (its owner signs); on a step waiting for an outside event, record that it arrived"), \
	  TERM_FN(KEY_F(2)), 'c', 0) \
	X(WITNESS, SC_STEP, N_("Witness"), N_("witness the current step (the other operator signs)"), \
	  TERM_FN(KEY_F(3)), 'w', 0) \
	X(EVIDENCE, SC_STEP, N_("Evidence"), N_("enter the step's evidence (the next field not entered yet)"), \
	  TERM_FN(KEY_F(4)), 'e', 0) \
	X(CHECK, SC_STEP, N_("Check"), N_("run the step's check and record its result"), \
	  TERM_FN(KEY_F(5)), 'v', 0) \
	X(PERFORM, SC_STEP, N_("Perform"), N_("perform the step in the simulator (rehearsal only)"), \
	  TERM_FN(KEY_F(6)), 'p', 0) \
	X(SHELL, SC_STEP | SC_COMMANDS | SC_STOPPED, N_("Shell"), N_("switch the commands between PowerShell and bash"), \
	  TERM_FN(KEY_F(7)), 'b', 0) \
	X(COMMANDS, SC_STEP | SC_STOPPED, N_("Copy"), N_("show the commands full width, without borders, to copy"), \
	  TERM_FN(KEY_F(8)), 'l', 0) \
	X(EXPORT, SC_STEP | SC_COMMANDS, NULL, N_("export the step's script to the session directory (SHA-256 shown)"), \
	  'X', 0, 0) \
	X(CLIPBOARD, SC_STEP | SC_COMMANDS | SC_STOPPED, NULL, N_("copy the commands to the terminal's clipboard (OSC 52)"), \
	  'y', 0, 0) \
	X(NEXT, SC_STEP, NULL, N_("jump to the next step to do"), 'N', 0, 0) \
	X(SKIP, SC_STEP, NULL, N_("skip the step with a reason (needs both operators)"), 'S', 0, 0) \
	X(DEVIATE, SC_STEP | SC_WAIT, NULL, N_("record a deviation with a reason (needs both operators); on the wait screen, one about the whole session"), 'D', 0, 0) \
	X(NOTE, SC_STEP | SC_WAIT, NULL, N_("add a note to the journal"), 'n', 0, 0) \
	X(HANDOFF, SC_STEP | SC_WAIT | SC_REVIEW, NULL, N_("hand the keyboard to the other operator"), 'h', 0, 0) \
	X(FASTFWD, SC_WAIT, N_("Forward"), N_("fast-forward the simulated clock to the end of the wait (rehearsal only)"), \
	  TERM_FN(KEY_F(6)), 'f', 0) \
	X(CLOSE_SITTING, SC_STEP | SC_WAIT, N_("Close"), N_("close this sitting; the ceremony continues next time (on the step screen too: a sitting never dead-ends)"), \
	  'z', 0, 0)

enum ui_action {
	ACT_NONE = 0,
#define X(id, scope, bar, help, k1, k2, k3) ACT_##id,
	UI_ACTIONS(X)
#undef X
	ACT_COUNT
};

struct ui_action_info {
	enum ui_action id;
	const char *name;    /* "CONFIRM": for tests and docs */
	unsigned scope;
	const char *bar;     /* N_() or NULL */
	const char *help;    /* N_() */
	int keys[3];
};

const struct ui_action_info *action_info(enum ui_action a);
/* The action a key means on a screen with these scopes, or ACT_NONE. */
enum ui_action action_for_key(int key, unsigned scopes);
/* "F1", "Enter", "Up", "q", "Space": names made from the key codes. */
const char *action_key_name(int key, char *buf, size_t cap);
/* "F1 ?" : all keys of an action. */
void action_keys_text(enum ui_action a, struct buf *out);
/* The help screen's and doc/wizard.md's table, as Markdown (untranslated). */
void action_markdown(struct buf *out);
/* Scope names for the help screen's headings. */
const char *action_scope_name(unsigned scope);

#endif
