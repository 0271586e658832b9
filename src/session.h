/* session.h: one Customer Key ceremony, rebuilt from its journal. The wizard
 * (ui/), `report` and `verify` call only this.
 *
 * A session is a directory (0700):
 *   plan.yaml       the plan's bytes as first opened (the verified version)
 *   journal.jsonl   the signed hash-chained journal (journal.h)
 *   sim.json        the simulator's tenant (rehearsals only)
 *   report.{md,html,json}  written when the session is closed
 *
 * Every state the screens show (which steps are done, by whom, what waits for
 * what) is computed by replaying the journal's events through ONE rule engine
 * (src/session/rules.c). A live action builds its event, runs it through that
 * engine first (refused there = never written), appends it, then applies it.
 * Replay on resume and `ckwizard verify` run the very same rules, so a journal
 * edited to bypass dual control is refused with the line that breaks it.
 *
 * Who acts: every action takes the side at the keyboard. That operator must be
 * present in the open sitting and unlocked (session_unlock); the event is
 * signed with their key. Actions that need both operators (skip, deviation,
 * amendment, setting a torn tail aside, closing) need both unlocked at that
 * moment and carry both signatures.
 *
 * Errors: every action returns 0, or -1 with *err set to a translated,
 * complete sentence for the screen (caller frees *err). Once the journal
 * could not be written (disk full, I/O error), session_failed() is true and
 * every further action is refused: the ceremony fails closed. */
#ifndef CK_SESSION_H
#define CK_SESSION_H

#include "buf.h"
#include "ck.h"
#include "inventory.h"
#include "plan.h"

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#define SESSION_PLAN_FILE "plan.yaml"
#define SESSION_SIM_FILE "sim.json"
#define SESSION_MAX_TEXT 4096  /* notes, reasons, pasted evidence: bytes */

enum session_mode {
	SESSION_RUN,        /* guide mode: operators run the commands; no backend */
	SESSION_REHEARSAL   /* against the simulator; demo keys allowed; watermarked */
};

/* Which operators this process holds: both at one keyboard, or one at
 * their own terminal while the other joins from theirs (two terminals). */
enum session_seat { SESSION_SEAT_BOTH = 0, SESSION_SEAT_A, SESSION_SEAT_B };

struct backend;
struct session_opts {
	const char *plan_path;   /* the plan the team holds (required) */
	const char *dir;         /* session directory: created if absent, else resumed */
	enum session_mode mode;  /* a resumed session keeps its recorded mode; a mismatch is refused */
	/* Simulator (rehearsal only): see backend_sim_open(). */
	const char *sim_faults;
	long registration_delay; /* seconds; <= 0: the simulator's default */
	/* Where each operator's private key is: an explicit path (--key-A/--key-B),
	 * else the keystore by the plan's UPN (run), else the bundled demo key
	 * (rehearsal, found under data_dir). */
	const char *key_path[CK_SIDES];
	const char *keystore_dir;/* NULL: $XDG_CONFIG_HOME/ckwizard/operators */
	const char *data_dir;    /* NULL: $CK_SRCDIR/plans if set, else PKGDATADIR */
	bool offboarding;        /* the offboarding ceremony (recorded; a resume must agree) */
	/* A new session only: called once the session's own checks have passed
	 * and before anything is created (the wizard checks its terminal);
	 * -1 with *err stops it, leaving nothing behind. NULL: none. */
	int (*before_create)(void *arg, char **err);
	void *before_create_arg;
	/* Live mode (run --live, SESSION_RUN only): opens the backend that
	 * checks against Azure (the command line's opens the REST backend,
	 * azure/backend_rest.h, with live_arg its configuration; a test may
	 * give its own). Called again after an amendment (the plan changed:
	 * everyone signs in again). NULL: guide mode. */
	struct backend *(*live_open)(const struct plan *p, const struct inventory *inv,
				     void *live_arg, char **err);
	void *live_arg;
	bool execute;            /* live: perform the Azure-side steps, each authorized */
	/* Two terminals: the operator this process holds (the other side's
	 * key is never unlocked here); SESSION_SEAT_BOTH: one keyboard. */
	enum session_seat seat;
	/* Join an existing session (ckwizard join): it must exist; its mode
	 * and ceremony are the recorded ones; plan_path may be NULL (the plan
	 * file is compared by the terminal that gives it). */
	bool join;
};

struct session;
struct catalogue;          /* steps.h: the session's own; screens never need it */
struct step;

/* What stands between the operators and the next step when the session was
 * opened: the wizard shows the matching screen. */
enum session_blocker {
	SESSION_OK,
	SESSION_TORN_TAIL,       /* a crash left a partial last line: session_set_aside_tail() */
	SESSION_PLAN_CHANGED,    /* plan file differs from the verified one: session_amend() */
	SESSION_FAILED,          /* the journal cannot be written: nothing more can be recorded */
	SESSION_CLOSED           /* the ceremony is over: read only */
};

/* Create or resume. On resume every event is replayed and every signature is
 * checked against the keys of the plan EMBEDDED in the journal; any problem
 * refuses the session (NULL, *err names the line and why). */
struct session *session_open(const struct session_opts *o, char **err);
/* Read-only replay of a journal file (report, verify). Never writes, takes no
 * lock. Returns NULL with *err only when the file cannot be read at all; a
 * journal that breaks a rule is returned with session_problem() set and the
 * state as of the last good event. */
struct session *session_load(const char *journal_path, char **err);
void session_free(struct session *s);   /* locks (wipes) both keys, closes the journal */

enum session_blocker session_blocker(const struct session *s);
/* A translated sentence for the blocker (torn tail: its offset; plan changed:
 * the two hashes), or NULL for SESSION_OK. */
const char *session_blocker_text(const struct session *s);
bool session_resumed(const struct session *s);  /* false: created by this open */
/* The first problem met by session_load: 1-based line (0 = none) and text. */
long session_problem(const struct session *s, const char **text);
bool session_failed(const struct session *s);  /* journal write failed: fail closed */

/* ---- Accessors ---------------------------------------------------------- */
const struct plan *session_plan(const struct session *s);        /* current version */
const struct inventory *session_inventory(const struct session *s);
const struct catalogue *session_catalogue(const struct session *s);
enum session_mode session_mode(const struct session *s);
const char *session_dir(const struct session *s);                /* NULL after session_load */
const char *session_head(const struct session *s);               /* journal head hash (hex) */
long session_n_events(const struct session *s);
const char *session_tool_version(const struct session *s);       /* as recorded at open */
const char *session_plan_path(const struct session *s);          /* the plan file given; NULL after session_load */
time_t session_opened_at(const struct session *s);
bool session_is_closed(const struct session *s);
/* Real time (clock seam) plus the rehearsal's recorded clock offset. */
time_t session_now(const struct session *s);
long session_clock_offset(const struct session *s);              /* seconds */
/* The plan carries a bundled demo operator's key (rehearsal-only keys). */
bool session_uses_demo_keys(const struct session *s);

struct session_plan_status {
	long version;            /* 1, then +1 per amendment */
	const char *sha256;      /* of the current version */
	int author;              /* plan's author side */
	bool approved;           /* author signed this version */
	bool verified;           /* the other operator signed this version */
	int verifier;            /* CK_SIDE_NONE until verified */
	bool file_differs;       /* the file at opts.plan_path is not this version */
	const char *diff;        /* pending amendment's line diff (file_differs), else NULL */
};
void session_plan_status(const struct session *s, struct session_plan_status *out);

struct session_sitting {
	long number;             /* 1.. ; 0 before the first sitting */
	bool open;
	time_t opened, closed;   /* closed: 0 while open */
	bool present[CK_SIDES];
};
void session_sitting(const struct session *s, struct session_sitting *out);
bool session_is_present(const struct session *s, int side);
bool session_is_unlocked(const struct session *s, int side);

/* ---- Plan review and verification --------------------------------------- */
/* The verifier's checklist: data, so screens, reports and verify agree. */
struct session_check_item {
	const char *id;          /* stable: "operators", "subscriptions", ... */
	const char *text;        /* N_() question */
};
extern const struct session_check_item session_checklist[];
extern const size_t session_n_checklist;
/* Rule warnings of the current plan version the verifier must acknowledge by
 * ID (e.g. "R012"): ids[i] / messages[i] (translated), n returned. Pointers
 * stay valid until the plan changes. */
size_t session_plan_warnings(const struct session *s, const char *const **ids,
			     const char *const **messages);

int session_plan_approve(struct session *s, int side, char **err);   /* side == author */
/* side != author; answers[i] for session_checklist[i], all must be true; every
 * warning id acknowledged (ack_ids, any order). */
int session_plan_verify(struct session *s, int side, const bool *answers,
			const char *const *ack_ids, size_t n_ack, char **err);
/* Record the plan file's new bytes as a new version (with the line diff),
 * signed by both (this counts as the author's approval); the other operator
 * must then verify it again (session_plan_verify) before steps go on. Steps
 * whose resources did not change stay done. Only while session_blocker() is
 * SESSION_PLAN_CHANGED (session_plan_status().diff is what to show). */
int session_amend(struct session *s, char **err);

/* ---- Operators and sittings --------------------------------------------- */
/* Load that side's key (see session_opts.key_path) and check it is the plan's
 * key for that side; refuses demo keys in RUN mode and the same key for both. */
int session_unlock(struct session *s, int side, const char *passphrase, char **err);
/* Tests and fixtures only: take an already unlocked key (ownership passes,
 * also on failure). The same checks as session_unlock apply. */
struct keys_private;
int session_unlock_key(struct session *s, int side, struct keys_private *k, char **err);
void session_lock(struct session *s, int side);           /* idle lock, sitting end, exit */
/* The signing PIN (single-keyboard mode): the gate in front of an unlocked
 * key. NONE: not unlocked, or a key given without a file (tests); MISSING:
 * the key file has no PIN yet (an older keystore): the operator chooses one
 * right after their passphrase; SET: each signature prompt asks for it. */
enum session_pin { SESSION_PIN_NONE, SESSION_PIN_MISSING, SESSION_PIN_SET };
enum session_pin session_pin_state(const struct session *s, int side);
/* NULL when pin is usable as a signing PIN, else why not (translated). */
const char *session_pin_invalid(const char *pin);
/* Only while MISSING: hash pin and create the file beside the key. */
int session_pin_set(struct session *s, int side, const char *pin, char **err);
/* 0 the PIN is right; -1 wrong (*err says how many tries are left); -2 the
 * third wrong one in a row: side's key is locked (session_lock) until the
 * passphrase is typed again. Never records anything. */
#define SESSION_PIN_TRIES 3
int session_pin_check(struct session *s, int side, const char *pin, char **err);
/* Open a sitting with the operators present; each must be unlocked (presence
 * is signed). A sitting left open (crash, quit) is closed first, in the
 * journal, by the first operator present. Closing is by any present operator. */
int session_sitting_open(struct session *s, const bool present[CK_SIDES], char **err);
int session_sitting_close(struct session *s, int side, char **err);

/* ---- Two terminals (session/shared.c) -------------------------------------
 * Each process holds its own operator's side (session_opts.seat) and appends
 * in turn with the other, under the journal's append lock, after replaying
 * every line the other appended through the same rules. A line they refuse
 * (a forged append: bad signature, broken chain, a rule broken) stops the
 * session: session_failed() is true, session_blocker_text() says why. */
/* Follow the other terminal: replay what it appended (cheap when the file
 * did not change; the screens call it every half second). *changed: new
 * events. -1 with *err when a line was refused. */
int session_follow(struct session *s, bool *changed, char **err);
bool session_holds(const struct session *s, int side);    /* this process may unlock side */
bool session_two_terminals(const struct session *s);      /* holds one side only */
/* Is the other operator's ckwizard running on this session now (their
 * claim held by a live process)? Always false for a side this one holds. */
bool session_other_here(const struct session *s, int side);
/* Co-signing across terminals (session/cosign.c). An action both operators
 * sign (a skip, a deviation, an amendment, the closing), asked at one terminal, fails
 * there with *err "Sent to ...'s terminal" and session_cosign_state()
 * WAITING: the line is prepared and signed by the one who asks. The other
 * terminal's session_cosign_offer() gives, once, what is to be signed (1,
 * *what for the screen; caller frees), and its operator accepts (signs and
 * appends it; the closing writes the reports there) or declines. Anything
 * recorded in between makes the request stale: refused, asked again. */
enum session_cosign {
	SESSION_COSIGN_NONE, SESSION_COSIGN_WAITING, SESSION_COSIGN_SIGNED,
	SESSION_COSIGN_DECLINED
};
enum session_cosign session_cosign_state(struct session *s);
void session_cosign_withdraw(struct session *s);     /* the asker gives up */
void session_cosign_reset(struct session *s);        /* SIGNED/DECLINED seen: back to NONE */
int session_cosign_offer(struct session *s, char **what, char **err);
int session_cosign_accept(struct session *s, int side, char **err);
void session_cosign_decline(struct session *s);

/* ---- Presence (session/presence.c) ----
 * The terminal this process runs in (its tty, e.g. "/dev/pts/3", and Unix
 * user), named in each sitting.open and operator.join it records, so the
 * journal and the report say where every signature came from. NULL: not
 * named (scripted screen tests). */
void session_set_terminal(struct session *s, const char *tty, const char *user);
/* Operator side (unlocked, held here) joins the open sitting, or opens one
 * when none is open. Recorded (operator.join). */
int session_join(struct session *s, int side, char **err);
/* side leaves the sitting (operator.leave, how: quit or, hangup true, the
 * terminal went away); the last one present closes it instead. */
int session_leave(struct session *s, int side, bool hangup, char **err);
/* Two terminals: the other operator is present in the journal but their
 * ckwizard is gone (killed, crashed): side records it (operator.lost).
 * 1 when recorded, 0 when there was nothing to record, -1 with *err. */
int session_notice_lost(struct session *s, int side, char **err);

/* ---- Steps -------------------------------------------------------------- */
enum session_step_state {
	STEP_PENDING,            /* the plan is not verified yet */
	STEP_READY,              /* can be worked on now (maybe started already) */
	STEP_BLOCKED,            /* a prerequisite is not done: info.blocked_by */
	STEP_WAIT_WITNESS,       /* confirmed by the owner; the other operator must witness */
	STEP_WAIT_TIME,          /* confirmed; waiting until info.wait_until */
	STEP_WAIT_EVENT,         /* confirmed; waiting for info.wait_event (owner records it) */
	STEP_DONE,
	STEP_SKIPPED,
	STEP_FAILED              /* started, and its last check failed */
};
const char *session_step_state_name(enum session_step_state st); /* translated */

/* What a check or a rehearsal perform found. The values are those of the
 * backends' enum check_status (checked at compile time in session/view.c). */
enum session_check_status {
	SESSION_CHECK_PASS,        /* what the step needs is there */
	SESSION_CHECK_FAIL,        /* it is not: detail says what was seen */
	SESSION_CHECK_PENDING,     /* not yet (a registration still running) */
	SESSION_CHECK_UNAVAILABLE  /* could not look (guide mode, no live check) */
};
const char *session_check_status_name(enum session_check_status st); /* "pass", ... */

struct session_check {
	enum session_check_status status;
	const char *summary, *detail;
	time_t at;
	bool performed;          /* result of a rehearsal perform, not a check */
	bool no_token;           /* live: the side got no token; Azure was not asked */
	bool signin_refused;     /* live: its sign-in was refused (no_token too) */
};

struct session_step_info {
	const struct step *step;
	enum session_step_state state;
	bool started;
	int confirmed_by;        /* side or CK_SIDE_NONE */
	time_t confirmed_at;
	int witnessed_by;        /* side or CK_SIDE_NONE */
	time_t wait_until;       /* STEP_WAIT_TIME (and after, when the wait is over) */
	const char *wait_event;  /* WAIT_EVENT steps: what is awaited (translated) */
	const char *blocked_by;  /* STEP_BLOCKED: first prerequisite id not done */
	const char *reason;      /* STEP_SKIPPED: why */
	const struct session_check *check; /* last check, or NULL */
	int who_next;            /* side who can move it on now, CK_SIDE_NONE if nobody */
};
size_t session_n_steps(const struct session *s);
/* Index in catalogue order; -1 if unknown. */
long session_step_index(const struct session *s, const char *step_id);
void session_step_info(const struct session *s, size_t i, struct session_step_info *out);
/* Recorded evidence (normalised) or NULL; matches evidence_get_fn with the
 * session as ctx, for steps_render_commands(). */
const char *session_evidence(void *session, const char *step_id, const char *evidence_id);
/* When that evidence was recorded (its journal line's real time), or 0;
 * matches evidence_time_fn (a live backend's backup check). */
time_t session_evidence_time(void *session, const char *step_id, const char *evidence_id);

/* ---- What the screens show of a step (session/view.c) --------------------- */
/* Strings are translated where they are ours; names from the plan (subject,
 * confirm_name) are raw: make them visible (text_visible) before drawing.
 * Pointers stay valid until the plan changes (an amendment). */
enum session_wait_kind { SESSION_WAIT_NONE, SESSION_WAIT_HOURS, SESSION_WAIT_EVENT };
struct session_step_view {
	const char *id;          /* stable instance id: "vault.create/EX-USA_mailboxes/A" */
	const char *title;       /* translated */
	const char *subject;     /* which vault, DEP, mailbox...; NULL for once-only steps */
	const char *why;         /* translated */
	const char *source;      /* which documented section it comes from, or NULL */
	int phase;               /* steps of one phase are adjacent; 0.. in ceremony order */
	const char *phase_name;  /* translated */
	int side;                /* the subscription's side, or CK_SIDE_NONE (tenant-wide) */
	int owner;               /* side who confirms */
	bool witness;            /* the other side witnesses */
	bool critical;           /* confirm by typing confirm_name */
	const char *confirm_name;
	bool management;         /* a management task, not part of this ceremony */
	enum session_wait_kind wait;
	int wait_hours;          /* SESSION_WAIT_HOURS */
	const char *wait_event;  /* SESSION_WAIT_EVENT, translated */
	int wait_max_business_days; /* > 0: what Microsoft promises */
	size_t n_evidence;
};
/* false (and *out zeroed) if i is out of range. */
bool session_step_view(const struct session *s, size_t i, struct session_step_view *out);

struct session_evidence_view {
	const char *id;          /* stable within the step: "key_uri" */
	const char *label;       /* translated */
	const char *hint;        /* translated, or NULL */
	const char *choices;     /* "create|import", or NULL */
	bool optional;
	bool confirm;            /* "I saw it": answered yes, nothing typed */
	bool multiline;          /* pasted output: keeps its line ends */
	const char *value;       /* recorded (normalised), or NULL */
};
/* Evidence k of step i; false if out of range. */
bool session_step_evidence_view(const struct session *s, size_t i, size_t k,
				struct session_evidence_view *out);
/* Validate a value for evidence k of step i as the operator types it, with
 * the same rules session_step_evidence() applies: NULL if fine, else a
 * translated message (caller frees). */
char *session_evidence_problem(const struct session *s, size_t i, size_t k, const char *value);

enum session_shell { SESSION_SHELL_POWERSHELL, SESSION_SHELL_BASH };
/* The commands of step i for a shell, every value filled in and quoted from
 * the plan and the recorded evidence, appended to out; returns how many
 * placeholders are left (0 = ready to paste). */
int session_step_commands(const struct session *s, size_t i, enum session_shell sh,
			  struct buf *out);
/* What the step asks of a browser or a mail client, rendered from the plan
 * and the evidence so far (the FastTrack form with the officers, the
 * onboarding e-mail: to, subject, body); empty for other steps. Returns the
 * placeholders left, as session_step_commands (session/view_text.c). */
int session_step_text(const struct session *s, size_t i, struct buf *out);
/* The next step the operators present can act on (catalogue order; a started
 * step or one waiting for its witness first), or -1. Steps waiting for time
 * or an outside event are not "next": session_waits() lists them. A sitting
 * with one operator gets only that operator's steps that need no witness. */
long session_next_step(const struct session *s);

/* What everything left waits for, when nothing can be done now. */
struct session_wait_item {
	size_t step;             /* index */
	enum session_step_state state;
	time_t until;            /* STEP_WAIT_TIME */
	const char *event;       /* STEP_WAIT_EVENT */
	int who;                 /* STEP_WAIT_WITNESS: side that must witness */
};
/* Fills *items (caller frees) with every waiting step; returns the count.
 * *all_waiting: true if the present operators can do nothing else now. */
size_t session_waits(const struct session *s, struct session_wait_item **items, bool *all_waiting);

/* step actions: side is the operator at the keyboard */
int session_step_start(struct session *s, int side, const char *step_id, char **err);
/* Validated by steps_validate_evidence; the normalised value is recorded. */
int session_step_evidence(struct session *s, int side, const char *step_id,
			  const char *evidence_id, const char *value, char **err);
/* Run the step's check on the backend and record the result (RUN mode without
 * a backend records "not checked: guide mode"). *out (optional) points to the
 * recorded result. */
int session_step_check(struct session *s, int side, const char *step_id,
		       const struct session_check **out, char **err);
/* Rehearsal: do what the commands would do on the simulator, then record.
 * run --live --execute: the authorized writes, sent to Azure, then recorded;
 * SESSION_NO_TOKEN with *err when the side's tokens could not be renewed
 * (nothing sent, nothing recorded, the authorization still stands; a refresh
 * Entra refused for good has signed the side out); SESSION_SIGNIN_REFUSED
 * the same when its sign-in turned out to be another identity than the
 * plan's (the side is signed out). */
#define SESSION_NO_TOKEN (-2)
#define SESSION_SIGNIN_REFUSED (-3)
int session_step_perform(struct session *s, int side, const char *step_id,
			 const struct session_check **out, char **err);
/* Owner only; prerequisites done, required evidence present, critical steps
 * need typed_name == confirm_name. */
int session_step_confirm(struct session *s, int side, const char *step_id,
			 const char *typed_name, char **err);
/* The other operator, after the owner confirmed. */
int session_step_witness(struct session *s, int side, const char *step_id, char **err);
/* WAIT_EVENT steps: the owner records that the outside event arrived. */
int session_step_event(struct session *s, int side, const char *step_id,
		       const char *what, char **err);
/* Would the rules accept this action by operator `side` now? A dry run
 * through the rule engine every event passes before it is written (a step
 * not started yet is started first, as the screen does; a critical step's
 * name is taken as typed right), without a key: the screen asks it before
 * any handoff, passphrase or signature prompt. 0, or -1 with *err ("Refused:
 * ...", translated) and *missing (optional) saying what is to be done first. */
enum session_step_act {
	SESSION_ACT_EVIDENCE, SESSION_ACT_CHECK, SESSION_ACT_PERFORM,
	SESSION_ACT_CONFIRM, SESSION_ACT_WITNESS, SESSION_ACT_EVENT,
	SESSION_ACT_SKIP         /* signed by both; side is the one asking */
};
enum session_missing {
	SESSION_MISSING_NOTHING,        /* nothing the screen can name */
	SESSION_MISSING_PRESENCE,       /* an operator is not present in the sitting */
	SESSION_MISSING_OWNER,          /* only the owner does this */
	SESSION_MISSING_OTHER_OPERATOR, /* only the other operator does this (witness) */
	SESSION_MISSING_PREREQ,         /* an earlier step first */
	SESSION_MISSING_EVIDENCE,       /* required evidence not entered */
	SESSION_MISSING_CHECK,          /* the last check failed */
	SESSION_MISSING_CONFIRM         /* the owner has not confirmed */
};
int session_step_allowed(const struct session *s, enum session_step_act act, int side,
			 const char *step_id, enum session_missing *missing, char **err);
/* The same dry run for the plan's signatures, deviations and the closing:
 * 0, or -1 with *err ("Refused: ..."), before any handoff, passphrase or
 * PIN is asked. Nothing is written. */
int session_plan_approve_allowed(const struct session *s, int side, char **err);
int session_plan_verify_allowed(const struct session *s, int side, const bool *answers,
				const char *const *ack_ids, size_t n_ack, char **err);
int session_deviation_allowed(const struct session *s, const char *step_id, char **err);
int session_close_allowed(const struct session *s, char **err);
/* Both operators (unlocked): skip a step, or record a deviation (step_id may be
 * NULL for one about the whole session). */
int session_step_skip(struct session *s, const char *step_id, const char *reason, char **err);
int session_deviation(struct session *s, const char *step_id, const char *reason, char **err);
/* Any present operator. */
int session_note(struct session *s, int side, const char *text, char **err);
/* Rehearsal only: move the simulated clock forward (recorded). */
int session_clock_advance(struct session *s, int side, long seconds, char **err);
/* Both: set a torn tail aside (kept in <journal>.torn-<offset>), as a deviation.
 * Two terminals: this terminal sets it aside at once (1 when that is all:
 * no reason given, or the other operator not present yet); with a reason
 * and both present, the deviation goes to the other terminal to co-sign
 * (-1, *err "Sent to ...", as every event both sign). Until it is in, only
 * presence and that deviation are recorded. */
int session_set_aside_tail(struct session *s, const char *reason, char **err);
/* The torn tail is in its side file, its deviation not recorded yet. */
bool session_torn_set_aside(const struct session *s);
/* Both: close the ceremony and write report.md/.html/.json in the directory
 * (never overwriting). Steps left open are listed as open items. */
int session_close(struct session *s, char **err);

/* The reports of a closed session, as they are on disk: written (the file
 * holds exactly what the journal renders), refused (something else is in
 * its place: a file that was there before, a symbolic link; never
 * overwritten) or missing (written when the session is resumed). */
#define SESSION_N_REPORTS 3   /* report.md, report.html, report.json */
enum session_report_state {
	SESSION_REPORT_WRITTEN,
	SESSION_REPORT_REFUSED,
	SESSION_REPORT_MISSING,
};
struct session_report {
	char *path;
	enum session_report_state state;
	char *why;               /* refused: why; missing after a failed write in this
				  * run: the error and what to do; translated; else NULL */
};
void session_reports(const struct session *s, struct session_report out[SESSION_N_REPORTS]);
void session_reports_free(struct session_report r[SESSION_N_REPORTS]);
/* Write the reports of a closed session that are missing (closing calls it;
 * so does opening a closed session again: a crash between the closing and
 * the files, a file removed since). What is refused stays as it is. 0, or
 * -1 with *err (may be NULL) naming each report not written; the session
 * keeps why, for session_reports. */
int session_write_reports(struct session *s, char **err);

/* The full `ckwizard verify` command for this session: journal, plan,
 * report.json and head, paths quoted for a POSIX shell (session/verify_cmd.c). */
void session_verify_command(const struct session *s, struct buf *out);

/* The rule table (session/rules.c), for doc/journal.md's event table and its
 * drift test: the i-th event type and who signs it ("none", "actor",
 * "present", "both"); false past the end. */
bool session_rule_at(size_t i, const char **type, const char **signers);

/* ---- Live mode (session/act_live.c) -------------------------------------- */
/* What Azure's sign-in asks of the screens: any member may be NULL.
 * show_code: the operator owning subscription sub signs in at url with code
 * (device code); progress: done of total requests of a batch answered. */
struct session_live_ui {
	void (*show_code)(void *cookie, int sub, const char *who, const char *url,
			  const char *code);
	void (*progress)(void *cookie, size_t done, size_t total);
	void *cookie;
};
void session_set_live_ui(struct session *s, const struct session_live_ui *ui);
bool session_is_live(const struct session *s);
/* Operator side (present, unlocked) signs in to Azure for each subscription
 * they own; the token must be theirs (the plan's UPN or object ID) and not
 * the other subscription's identity. Each sign-in is recorded
 * (azure.signin: upn, oid, tenant). Refused with *err naming why. Tokens
 * stay in memory and are wiped by session_lock (handoff, idle lock, exit). */
int session_sign_in(struct session *s, int side, char **err);
/* Subscription sub holds a token now. */
bool session_signed_in(const struct session *s, int sub);
/* The identity last recorded for subscription sub ("upn (object ..., tenant
 * ...)", caller frees), or NULL. */
char *session_signed_in_as(const struct session *s, int sub);
/* Why subscription sub's sign-in was ended by the backend since it last
 * signed in (another identity's token, a refresh refused for good), or
 * NULL. A check of one subscription looks at both, so this is how the
 * screens learn that the other's sign-in ended. */
const char *session_signed_out_why(const struct session *s, int sub);

/* ---- Live mode with --execute (session/act_execute.c) ------------------------ */
bool session_is_executing(const struct session *s);
/* The writes step i would send (one "METHOD path" line each, then its fields
 * indented), for the owner to read before authorizing; NULL when it writes
 * nothing (a guided step) with *err saying why. Caller frees. */
char *session_step_writes(struct session *s, const char *step_id, char **err);
/* The owner signs exactly those writes (step.authorize). */
int session_step_authorize(struct session *s, int side, const char *step_id, char **err);
/* The witness co-signs the standing authorization (step.cosign); needed
 * before the perform of an irreversible step (session_step_needs_cosign). */
int session_step_cosign(struct session *s, int side, const char *step_id, char **err);
bool session_step_needs_cosign(const struct session *s, const char *step_id);
/* The step has an authorization not yet performed; *cosigned whether the
 * witness co-signed it. */
bool session_step_authorized(const struct session *s, const char *step_id, bool *cosigned);

/* ---- Test seams --------------------------------------------------------- */
/* A fixed clock for reproducible journals (also sets the journal's clock). */
void session_test_set_clock(time_t (*clock)(void));
/* Tests: how many events the rules have judged or applied in this process
 * (a replay, a dry run, a recording), a measure of cost that is not a time. */
long session_test_rules_applied(void);
/* The catalogue version a new session records (0: STEPS_CATALOGUE_VERSION),
 * to reproduce journals made by an older ckwizard. */
void session_test_set_catalogue_version(unsigned version);
/* The moments of creating a new session directory (session_create.c); the
 * hook is called at each, so a test can kill the process there. */
enum session_create_point {
	SESS_AT_TMP_MADE,      /* the temporary directory beside the target */
	SESS_AT_PLAN_WRITTEN,  /* plan.yaml in it */
	SESS_AT_JOURNAL_MADE,  /* journal.jsonl created, still empty */
	SESS_AT_OPENED,        /* session.open recorded */
	SESS_AT_SIM_SAVED,     /* rehearsal: sim.json with its faults */
	SESS_AT_SYNCED,        /* the temporary directory fsync'd */
	SESS_AT_RENAMED,       /* renamed into place, parent not yet fsync'd */
	SESS_AT_COUNT
};
void session_test_create_hook(void (*hook)(enum session_create_point));

#endif
