/* session_int.h: the session's state and typed record, shared by the
 * session's files (src/session/) and read by the reports and verify, which
 * read the same replayed state. Not for ui/. */
#ifndef CK_SESSION_INT_H
#define CK_SESSION_INT_H

#include "azure/backend.h"
#include "journal.h"
#include "keys.h"
#include "session.h"

#include <sys/stat.h>

/* The journal format a new session records in session.open. Format 1
 * recorded check and perform results as English sentences; format 2 records
 * them as a result code and its arguments (azure/results.h). Every format
 * listed here still replays, under the rules it was recorded with. */
#define SESSION_FORMAT 2
#define SESSION_FORMAT_MIN 1

/* The event types. Their names exist once, in the rule table
 * (session/rules.c): writers name an event by this enum, readers read the
 * typed state the rules fill, so no other code interprets a type string
 * (tests/event_literals.sh). */
enum sess_ev {
	SEV_SESSION_OPEN, SEV_SITTING_OPEN, SEV_SITTING_CLOSE,
	SEV_PLAN_APPROVE, SEV_PLAN_VERIFY, SEV_PLAN_AMEND,
	SEV_STEP_START, SEV_STEP_EVIDENCE, SEV_STEP_CHECK, SEV_STEP_PERFORM,
	SEV_STEP_CONFIRM, SEV_STEP_WAIT, SEV_STEP_WITNESS, SEV_STEP_EVENT, SEV_STEP_SKIP,
	SEV_DEVIATION, SEV_NOTE, SEV_CLOCK_ADVANCE, SEV_SESSION_CLOSE,
	SEV_AZURE_SIGN_IN, SEV_STEP_AUTHORIZE, SEV_STEP_COSIGN,
	SEV_OPERATOR_JOIN, SEV_OPERATOR_LEAVE, SEV_OPERATOR_LOST,
	SEV_N
};
const char *sess_ev_name(enum sess_ev t);      /* "step.confirm" */
/* Does an event of this type (as a raw line names it) embed a plan? */
bool sess_ev_embeds_plan(const char *type);

/* When something was recorded: its journal line, the real (wall) time the
 * journal carries, and the session's clock at that moment (real time plus
 * a rehearsal's simulated offset; the same in a real ceremony). */
struct sess_stamp {
	long line;
	time_t real;
	time_t at;
};

/* A check or perform result as recorded. Format 2: code and args (what was
 * observed); format 1: the sentence (prose) the tool wrote then. */
struct sess_result {
	bool set;
	int status;                  /* enum check_status */
	char *code;                  /* NULL in format 1 */
	char **args;
	size_t n_args;
	char *prose;                 /* format 1 only */
	char *detail;                /* observed "name: value" lines */
	struct sess_stamp when;
	int by;
	long observer;               /* live: the azure.signin line of who observed it; 0: none */
};

/* The plan's history: approvals, verifications, amendments. */
struct sess_plan_event {
	enum sess_ev type;           /* SEV_PLAN_APPROVE, _VERIFY or _AMEND */
	struct sess_stamp when;
	long version;
	char *sha256;
	int by;
	bool signed_by[CK_SIDES];
	char **check_ids;            /* verify: the checklist as answered */
	bool *check_yes;
	size_t n_check;
	char **acked;                /* verify: warnings acknowledged */
	size_t n_acked;
	char *diff;                  /* amend */
	char **reset_steps;          /* amend: steps whose resources changed (ids) */
	size_t n_reset;
};

/* Where signatures come from: the mode ("one-keyboard", "two-terminals"),
 * the tty and the Unix user a sitting.open or operator.join names (all
 * NULL when the event names none: journals before two-terminal mode). */
struct sess_terminal {
	char *mode, *tty, *user;
};

struct sess_sitting {
	long number;
	struct sess_stamp opened, closed;   /* closed.line == 0 while open */
	bool closed_stale;                  /* ended by the next sitting.open ("stale"):
					       closed is the last line seen in it */
	bool present[CK_SIDES];             /* anyone present at any time */
	int opened_by;
	struct sess_terminal term;
};

/* Two terminals: an operator joined, left (how: "quit", "hangup") or was
 * found gone by the other (by) while in a sitting. */
struct sess_presence {
	enum sess_ev kind;           /* SEV_OPERATOR_JOIN, _LEAVE, _LOST */
	struct sess_stamp when;
	long sitting;
	int who, by;
	char *how;
	struct sess_terminal term;   /* join */
};

/* A deviation (step may be NULL: about the whole session) or a skip. */
struct sess_deviation {
	bool skip;
	struct sess_stamp when;
	char *step;                  /* step id, or NULL */
	char *reason;
	long torn_offset;            /* -1, or the byte offset of a torn tail set aside */
	bool signed_by[CK_SIDES];
	int by;
};

struct sess_note {
	struct sess_stamp when;
	int by;
	char *text;
};

/* How a session sees Azure, as session.open records it: a guide session
 * (no "live", every journal before live mode) takes what operators type;
 * a live one signs in and checks; an executing one also writes. */
enum sess_live { SESS_LIVE_GUIDE, SESS_LIVE_CHECKS, SESS_LIVE_EXECUTE };

/* Live mode: who signed in to Azure for a subscription (azure.signin);
 * every later live check of that subscription names this identity. */
struct sess_signin {
	struct sess_stamp when;
	int by;                      /* the operator who signed in */
	int sub;                     /* the subscription's side */
	char *upn, *oid, *tenant;
};

struct sess_clock_move {
	struct sess_stamp when;
	int by;
	long seconds, offset;
};

struct sess_closing {
	bool closed;
	struct sess_stamp when;
	int by;
	bool signed_by[CK_SIDES];
	long open_items;
};

/* Everything the journal says that is not the current state of a step:
 * filled by the rules as they accept each event. */
struct sess_history {
	long format;                 /* journal format, from session.open */
	struct sess_stamp opened;
	char *opened_sha256;         /* plan version 1, as session.open embeds it */
	struct sess_plan_event *plan;
	size_t n_plan;
	struct sess_sitting *sittings;
	size_t n_sittings;
	struct sess_deviation *devs;
	size_t n_devs;
	struct sess_note *notes;
	size_t n_notes;
	struct sess_clock_move *clock;
	size_t n_clock;
	struct sess_signin *signins;
	size_t n_signins;
	struct sess_presence *presence;
	size_t n_presence;
	struct sess_closing closing;
	struct sess_stamp last;      /* the last event */
};
/* alloc.c: a new session, and freeing what it holds. */
struct session *sess_new(void);
void sess_history_free(struct sess_history *h);
void sess_terminal_free(struct sess_terminal *t);
/* The terminal operator side's signature on line `line` came from: the
 * last sitting.open or operator.join before it that names side. */
const struct sess_terminal *sess_terminal_of(const struct session *s, long line, int side);
void sess_result_free(struct sess_result *r);
void sess_warnings_free(struct session *s);
void sess_plan_event_free(struct sess_plan_event *e);
void sess_deviation_free(struct sess_deviation *d);
void sess_note_free(struct sess_note *n);
void sess_signin_free(struct sess_signin *si);

struct sess_evidence {
	char *id;
	char *value;                 /* normalised, as recorded */
	long seq;
};

/* What the journal says about one step (by catalogue index). */
struct sess_step {
	bool started;
	struct sess_stamp start_at, confirm_at, witness_at, arrive_at;
	char *typed;                 /* critical steps: the name the owner typed */
	struct sess_result last_check, last_perform;
	int confirmed_by;
	time_t confirmed_at;
	long confirm_seq;
	char *resources;             /* fingerprint of what the step touched when confirmed */
	int witnessed_by;
	time_t witnessed_at;
	bool arrived;                /* WAIT_EVENT: the owner recorded the event */
	time_t arrived_at;
	char *arrived_what;
	bool skipped;
	char *reason;
	struct sess_evidence *ev;
	size_t n_ev;
	/* live --execute: the authorization awaiting its perform (the
	 * requests as recorded, compact JSON), consumed by the perform */
	char *auth;
	long auth_line;
	bool auth_cosigned;
	struct sess_stamp auth_at, cosign_at;   /* ... signed, co-signed (line 0: not) */
	int auth_by, cosign_by;
	/* the authorization the last perform consumed, for the reports */
	struct sess_auth_done {
		char *requests;              /* NULL: no perform in Azure */
		struct sess_stamp at, cosigned; /* cosigned.line 0: not co-signed */
		int by, cosigned_by;
	} auth_done;
	bool has_check;
	struct session_check check;  /* summary/detail point to the two below */
	char *check_summary, *check_detail;
};
/* alloc.c: freeing a step's state, and the deep copy a dry run changes. */
void sess_step_state_free(struct sess_step *ss);
void sess_step_dup(struct sess_step *to, const struct sess_step *from);
/* A step's state to read (the blank state when none is allocated), and to
 * change (allocated on first use). */
const struct sess_step *sess_step_get(const struct session *s, size_t i);
struct sess_step *sess_step_mut(struct session *s, size_t i);

struct session {
	/* where, how */
	char *dir, *journal_path, *plan_path;
	enum session_mode mode;
	bool resumed;
	/* why each report (SESSION_N_REPORTS order) could not be written in
	 * this run, or NULL: the end screen and the goodbye lines say it */
	char *report_fail[SESSION_N_REPORTS];
	struct session_opts opts;    /* strings borrowed from the caller: used only in session_open */
	char *key_path[CK_SIDES], *keystore_dir, *data_dir;
	struct journal *j;           /* NULL: read only (session_load) */
	struct backend *backend;     /* rehearsal only */

	/* the recorded events, in order (the chain: verify's anchors) */
	struct journal_event *ev;
	size_t n_ev;
	char head[65];

	/* the plan, as of the last amendment */
	struct plan *plan;
	struct inventory *inv;
	struct catalogue *cat;
	unsigned cat_version;        /* recorded by session.open (absent: 1) */
	bool offboarding;            /* session.open "ceremony": "offboarding" */
	enum sess_live live;         /* session.open "live" (absent: guide) */
	long plan_version;
	bool approved, verified;
	int verifier;
	unsigned char pub[CK_SIDES][PUBKEY_LEN];
	char **warn_ids, **warn_msgs;
	size_t n_warn;
	char *pending_bytes;         /* the plan file when it differs from the current version */
	size_t pending_len;
	char *pending_diff;

	/* the ceremony */
	char *tool_version;
	time_t opened_at;
	long sitting_no;
	bool sitting_open;
	time_t sitting_opened, sitting_closed;
	bool present[CK_SIDES];
	bool closed;
	long clock_offset;
	/* cat->n_steps; NULL: a step no event has changed yet, read as
	 * sess_step_blank (on a large plan most steps are untouched for long,
	 * and a sitting pays only for those it works on) */
	struct sess_step **steps;
	struct sess_history h;
	char **rebuilt;              /* ids of steps the last catalogue change reset or added */
	size_t n_rebuilt;

	/* operators at the keyboard */
	struct keys_private *key[CK_SIDES];
	/* signing PINs (pin.c), loaded beside the key by session_unlock */
	char *pin_line[CK_SIDES];    /* the .pin file's line; NULL: none */
	char *pin_path[CK_SIDES];    /* where it is or would be created; NULL: no gate */
	int pin_fails[CK_SIDES];
	/* live mode (act_live.c): the screens' callbacks, and which
	 * subscriptions hold a token now (never recorded: a sign-in is) */
	struct session_live_ui live_ui;
	bool live_signed[CK_SIDES];
	/* why the backend ended a sub's sign-in (sess_live_still_signed),
	 * until it signs in again; NULL: none ended, or no reason given */
	char *live_out_why[CK_SIDES];

	/* two terminals (shared.c): the sides this process holds, the refusal
	 * of another process's line (nothing more is recorded), the simulator
	 * file as this process last read or wrote it */
	bool hold[CK_SIDES];
	char *refused;
	bool seen_foreign;
	size_t news_in_txn;          /* events of the other terminal the last lock brought */
	struct stat sim_seen;
	char *term_tty, *term_user;  /* this terminal, named in presence events */
	/* co-signing across terminals (cosign.c): the line this one asked the
	 * other to sign, what became of it, the last request shown here */
	char cosign_hash[65], cosign_seen[65];
	enum session_cosign cosign_state;

	/* problems */
	long problem_line;
	char *problem;
	enum session_blocker blocker;
	char *blocker_text;
	long torn_offset;
	bool torn_aside;             /* the torn tail is in its side file; the deviation
					that records it (signed by both) is not yet in */
	/* a dry run's copy (shadow.c): the only steps its rules may change */
	const long *dry_own;
	size_t n_dry_own;
};

/* torn.c: a torn tail set aside, the deviation that records it awaited. */
void sess_torn_scan(struct session *s);
void sess_torn_found(struct session *s);
bool sess_torn_allows(const struct session *s, enum sess_ev type, const cJSON *payload);

/* rules.c: apply one event to the state. Every rule of dual control
 * is here; check_sigs verifies each signature against the plan's keys (a
 * live pre-check passes false: the event is not signed yet, only its signer
 * sides are known). 0, or -1 with *why (translated; caller frees). */
int sess_apply(struct session *s, const struct journal_event *ev, bool check_sigs, char **why);

/* shadow.c: judge events on a copy of the state, the way sess_apply would
 * judge them after the journal's events: the state itself is unchanged. An
 * event that replaces the plan (session.open, plan.amend) is judged on a
 * scratch replay of the journal; any other on a copy of what its rule may
 * change (its step, the history arrays), so judging costs the event, not the
 * journal. 0, or -1 with *why (caller frees). */
int sess_dry_run(const struct session *s, const struct journal_event *ev, size_t n, char **why);
/* A dry run's rule asks to change step i: abort unless the copy owns it. */
void sess_dry_own(const struct session *x, size_t i);
/* A dry run changed state it shares with the session: abort. */
void sess_dry_broken(const char *what);
/* Step state at time now (session_now() of the moment). */
enum session_step_state sess_step_state(const struct session *s, size_t i, time_t now,
					const char **blocked_by);
/* A stable fingerprint of the resources a step touches (amendments). */
char *sess_step_resources(const struct step *st);
/* Reset the step table for a (new) catalogue, keeping what still applies. */
void sess_steps_rebuild(struct session *s, struct catalogue *newcat);
void sess_steps_free(struct session *s);
/* Load a plan version from bytes: plan, inventory, catalogue, warnings. The
 * previous one is replaced only on success. */
int sess_plan_set(struct session *s, const char *bytes, size_t len, char **why);
void sess_plan_free(struct session *s);
/* A simple line diff ("- old", "+ new") of two texts; caller frees. */
char *sess_line_diff(const char *a, size_t alen, const char *b, size_t blen);
/* create.c: a new session's directory, plan copy and session.open.
 * record.c: recording an event (checked by the rules first, payload consumed) signed
 * by the given sides, by the actor alone, or by both operators. */
int sess_create(struct session *s, const struct session_opts *o, char **err);
/* record.c: judge an event on a scratch replay of the journal (0, or -1
 * with *why): the real state changes only by events that are on disk. */
int sess_precheck(const struct session *s, const struct journal_event *ev, char **why);
int sess_record(struct session *s, enum sess_ev type, int actor, cJSON *payload,
		const int *sides, size_t n_sides, char **err);
int sess_record1(struct session *s, enum sess_ev type, int side, cJSON *p, char **err);
int sess_record_both(struct session *s, enum sess_ev type, int actor, cJSON *p, char **err);
/* May this event be recorded while the plan file differs from the verified
 * version (SESSION_PLAN_CHANGED)? From the rule table. */
bool sess_ev_allowed_while_plan_changed(enum sess_ev t);
cJSON *sess_step_payload(const char *step_id);
int sess_write_new_file(const char *path, const char *data, size_t len, char **err);
/* Each amended plan version the journal records and its directory lacks,
 * written as plan-vN.yaml; -1 with *err (what is recorded, what to do). */
int sess_keep_plan_versions(struct session *s, char **err);
int sess_fail(char **err, char *msg); /* *err = msg; returns -1 */
/* create.c: a new session directory, built beside its place and
 * renamed into it. prepare checks the target (absent or empty; a directory
 * an older version left half-made is named with how to remove it), then
 * makes and locks the temporary directory; commit fsyncs it, renames it and
 * fsyncs the parent; abandon removes it. */
struct sess_tmp {
	char *path, *parent;
	int fd; /* the temporary directory, flock'd while we build it */
};
int sess_dir_prepare(const char *dir, struct sess_tmp *t, char **err);
int sess_dir_commit(struct sess_tmp *t, const char *dir, char **err);
void sess_dir_abandon(struct sess_tmp *t);
/* An existing session directory is refused when every user may write into
 * it (other-write, sticky or not); group-write is left to the group. */
int sess_dir_check_mode(const char *dir, char **err);
/* The message for a directory an older ckwizard left half-made (start
 * files only, no journal event), with the command that removes it; or NULL. */
char *sess_half_made(const char *dir);
/* The test seam (session.h): the hook, if any, at each point. */
void sess_create_point(enum session_create_point p);
/* blocker.c: recompute the blocker after an action. simulator.c: reopen the
 * simulator after the catalogue changed (amendment). */
void sess_refresh_blocker(struct session *s);
int sess_reopen_backend(struct session *s, char **err);
/* Open the simulator of a rehearsal (no-op in a real ceremony) with the
 * options given at opening; an amendment hands the running one the new
 * catalogue. */
int sess_open_backend(struct session *s, const struct session_opts *o, char **err);
/* act_live.c: wipe the tokens of the subscriptions operator side owns
 * (handoff, idle lock, exit), and the identity last recorded as signed in
 * for subscription sub (NULL if none). */
void sess_live_sign_out(struct session *s, int side);
const struct sess_signin *sess_live_signin(const struct session *s, int sub);
/* The backend's callbacks, forwarding to the screens' (session_set_live_ui). */
void sess_live_backend_ui(struct session *s, struct backend_ui *bui);
/* Live mode: add "observer" (the identity signed in for st's subscription)
 * to a check's payload; -1 with *err when that subscription holds no token.
 * 0 and nothing added otherwise. */
int sess_live_observer(struct session *s, const struct step *st, cJSON *payload, char **err);
/* After a live check or perform: a sign-in the backend no longer holds
 * (Entra refused its refresh token) is signed out here too. */
void sess_live_still_signed(struct session *s);
/* A step whose write cannot be undone (a vault with purge protection, a
 * key, anything typed to confirm): the witness co-signs its authorization. */
bool sess_irreversible(const struct step *st);
/* act_execute.c: a live perform: the owner's authorization (and the
 * witness's co-signature) checked before the backend writes, then the write;
 * *payload gets "requests" and "observer" for the step.perform event. */
int sess_live_perform(struct session *s, int side, const struct step *st, cJSON **payload,
		      struct check_result *r, char **err);
/* plan.c: the step of the current catalogue, or NULL with *err set. */
const struct step *sess_find_step(const struct session *s, const char *id, char **err);
/* clock.c: stamp the instant an event is judged and appended (the journal's
 * clock is pinned to it while pinned), and let it go. */
time_t sess_clock_stamp(void);
void sess_clock_unstamp(void);
void sess_clock_pin_journal(void);
/* shared.c: the append lock taken, the other process's lines replayed
 * (a refused one stops the session: -1), sim.json read again if the other
 * changed it; and let go (nested calls count). Claiming the sides this
 * process holds for its life, and making the journal shared. */
int sess_txn_begin(struct session *s, char **err);
void sess_txn_end(struct session *s);
int sess_claim_sides(struct session *s, const bool hold[CK_SIDES], char **err);
void sess_sim_seen(struct session *s);
/* After an amendment another process appended (or this one co-signed): the
 * simulator takes the new catalogue; the plan file held here, now current,
 * is kept as plan-vN.yaml. */
void sess_after_amend(struct session *s, const struct journal_event *ev);
/* cosign_req.c: ask the other terminal to co-sign (the event judged by
 * the rules already; payload consumed): -1 with *err saying it was sent,
 * and session_cosign_state() WAITING. The request file's path (caller
 * frees), and removing it. reports.c: the reports of a closed session. */
int sess_cosign_request(struct session *s, enum sess_ev type, int actor, cJSON *payload,
			char **err);
char *sess_cosign_path(const struct session *s);
void sess_cosign_unlink(struct session *s);
/* presence.c: "terminal" (mode, tty, user) added to a presence event's
 * payload, when this terminal was named (session_set_terminal). */
void sess_add_terminal(const struct session *s, cJSON *payload);
/* names.c */
time_t sess_parse_time(const char *t);
void sess_format_time(time_t t, char out[21]);
const char *sess_mode_name(enum session_mode m);
const char *sess_side_name(int side);    /* "A" / "B" */
int sess_side_parse(const char *s);      /* "A"/"B" -> side, else CK_SIDE_NONE */

/* pin_gate.c: load side's PIN file beside key_path (after an unlock; -1 with
 * *err when it is there but unreadable), or forget it (lock). */
int sess_pin_load(struct session *s, int side, const char *key_path, char **err);
void sess_pin_clear(struct session *s, int side);

/* act_plan.c: the payload of plan.approve (verify false) or plan.verify,
 * for recording and for its dry run (precheck_act.c). */
cJSON *sess_plan_payload(const struct session *s, bool verify, const bool *answers,
			 const char *const *ack_ids, size_t n_ack);

#endif
