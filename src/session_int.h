/* session_int.h: the session's state, shared by the session modules
 * (session.c, session_rules.c, session_act.c, session_plan.c) and by the
 * reports and verify, which read the same replayed state. Not for ui/. */
#ifndef CK_SESSION_INT_H
#define CK_SESSION_INT_H

#include "azure/backend.h"
#include "journal.h"
#include "keys.h"
#include "session.h"

#define SESSION_FORMAT 1

struct sess_evidence {
	char *id;
	char *value;                 /* normalised, as recorded */
	long seq;
};

/* What the journal says about one step (by catalogue index). */
struct sess_step {
	bool started;
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
	bool has_check;
	struct session_check check;  /* summary/detail point to the two below */
	char *check_summary, *check_detail;
};

struct session {
	/* where, how */
	char *dir, *journal_path, *plan_path;
	enum session_mode mode;
	bool resumed;
	struct session_opts opts;    /* strings borrowed from the caller: used only in session_open */
	char *key_path[CK_SIDES], *keystore_dir, *data_dir;
	struct journal *j;           /* NULL: read only (session_load) */
	struct backend *backend;     /* rehearsal only */

	/* the recorded events, in order (reports walk them) */
	struct journal_event *ev;
	size_t n_ev;
	char head[65];

	/* the plan, as of the last amendment */
	struct plan *plan;
	struct inventory *inv;
	struct catalogue *cat;
	unsigned cat_version;        /* recorded by session.open (absent: 1) */
	bool offboarding;            /* session.open "ceremony": "offboarding" */
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
	struct sess_step *steps;     /* cat->n_steps */

	/* operators at the keyboard */
	struct keys_private *key[CK_SIDES];

	/* problems */
	long problem_line;
	char *problem;
	enum session_blocker blocker;
	char *blocker_text;
	long torn_offset;
};

/* session_rules.c: apply one event to the state. Every rule of dual control
 * is here; check_sigs verifies each signature against the plan's keys (a
 * live pre-check passes false: the event is not signed yet, only its signer
 * sides are known). 0, or -1 with *why (translated; caller frees). */
int sess_apply(struct session *s, const struct journal_event *ev, bool check_sigs, char **why);
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
/* session_record.c: a new session's directory, plan copy and session.open;
 * recording an event (checked by the rules first, payload consumed) signed
 * by the given sides, by the actor alone, or by both operators. */
int sess_create(struct session *s, const struct session_opts *o, char **err);
int sess_record(struct session *s, const char *type, int actor, cJSON *payload,
		const int *sides, size_t n_sides, char **err);
int sess_record1(struct session *s, const char *type, int side, cJSON *p, char **err);
int sess_record_both(struct session *s, const char *type, int actor, cJSON *p, char **err);
cJSON *sess_step_payload(const char *step_id);
int sess_write_new_file(const char *path, const char *data, size_t len, char **err);
int sess_fail(char **err, char *msg); /* *err = msg; returns -1 */
/* session_create.c: a new session directory, built beside its place and
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
/* session.c: recompute the blocker after an action; reopen the simulator
 * after the catalogue changed (amendment). */
void sess_refresh_blocker(struct session *s);
int sess_reopen_backend(struct session *s, char **err);
time_t sess_parse_time(const char *t);
void sess_format_time(time_t t, char out[21]);
const char *sess_mode_name(enum session_mode m);
const char *sess_side_name(int side);    /* "A" / "B" */
int sess_side_parse(const char *s);      /* "A"/"B" -> side, else CK_SIDE_NONE */

#endif
