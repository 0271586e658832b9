/* session.c: opening, resuming and reading a session, and what the screens
 * ask of it. The state is never stored: it is rebuilt by replaying the
 * journal through the rule engine (session_rules.c). */
#define _GNU_SOURCE 1 /* timegm */
#include "ck.h"
#include "session_int.h"
#include "fileread.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

time_t sess_parse_time(const char *t)
{
	struct tm tm;
	char back[21];
	time_t v;
	memset(&tm, 0, sizeof tm);
	if (!t || sscanf(t, "%4d-%2d-%2dT%2d:%2d:%2dZ", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
			 &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6)
		return (time_t)-1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	v = timegm(&tm);
	sess_format_time(v, back);
	return strcmp(back, t) == 0 ? v : (time_t)-1; /* one spelling per instant */
}

void sess_format_time(time_t t, char out[21])
{
	struct tm tm;
	if (!gmtime_r(&t, &tm) || strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm) != 20)
		strcpy(out, "0000-00-00T00:00:00Z");
}

const char *sess_mode_name(enum session_mode m)
{
	return m == SESSION_REHEARSAL ? "rehearsal" : "run";
}

const char *sess_side_name(int side)
{
	return side == CK_SIDE_A ? "A" : side == CK_SIDE_B ? "B" : "-";
}

int sess_side_parse(const char *s)
{
	if (util_streq(s, "A"))
		return CK_SIDE_A;
	if (util_streq(s, "B"))
		return CK_SIDE_B;
	return CK_SIDE_NONE;
}

/* Read a whole (plan) file, bounded. */
static char *read_file(const char *path, size_t max, size_t *len, char **err)
{
	char *bytes, *why = NULL;
	if (fileread(path, max, 0, &bytes, len, &why) != FILEREAD_OK) {
		*err = xasprintf(_("cannot read %s: %s"), path, why);
		free(why);
		return NULL;
	}
	return bytes;
}

static struct session *sess_new(void)
{
	struct session *s = xcalloc(1, sizeof *s);
	s->verifier = CK_SIDE_NONE;
	strcpy(s->head, "0000000000000000000000000000000000000000000000000000000000000000");
	return s;
}

void session_free(struct session *s)
{
	if (!s)
		return;
	for (int side = 0; side < CK_SIDES; side++)
		keys_lock(s->key[side]);
	if (s->backend)
		backend_free(s->backend);
	if (s->j)
		journal_close(s->j);
	sess_plan_free(s);
	for (size_t i = 0; i < s->n_ev; i++)
		journal_event_free(&s->ev[i]);
	free(s->ev);
	for (int side = 0; side < CK_SIDES; side++)
		free(s->key_path[side]);
	free(s->keystore_dir);
	free(s->data_dir);
	free(s->dir);
	free(s->journal_path);
	free(s->plan_path);
	free(s->pending_bytes);
	free(s->pending_diff);
	free(s->tool_version);
	free(s->problem);
	free(s->blocker_text);
	free(s);
}

/* Replay events (ownership moves into s->ev). Stops at the first refused one:
 * its 1-based line and the reason go to s->problem. */
static int sess_replay(struct session *s, struct journal_event *ev, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++) {
		char *why = NULL;
		if (sess_apply(s, &ev[i], true, &why) < 0) {
			s->problem_line = (long)i + 1;
			s->problem = xasprintf(_("line %ld (%s): %s"), (long)i + 1, ev[i].type, why);
			free(why);
			break;
		}
		s->ev = xrealloc(s->ev, (s->n_ev + 1) * sizeof *s->ev);
		s->ev[s->n_ev++] = ev[i];
		memcpy(s->head, ev[i].hash, sizeof s->head);
	}
	for (size_t k = i; k < n; k++)
		journal_event_free(&ev[k]);
	return i == n ? 0 : -1;
}

struct session *session_load(const char *journal_path, char **err)
{
	struct journal_read r;
	struct session *s;
	char *e = NULL;
	memset(&r, 0, sizeof r);
	if (journal_read_file(journal_path, &r, &e) < 0) {
		journal_read_free(&r);
		if (err)
			*err = e;
		else
			free(e);
		return NULL;
	}
	s = sess_new();
	s->journal_path = xstrdup(journal_path);
	sess_replay(s, r.ev, r.n);
	free(r.ev);
	r.ev = NULL;
	r.n = 0;
	if (!s->problem && r.problem != JPROB_NONE) {
		s->problem_line = r.problem_line;
		s->problem = r.problem_text ? xstrdup(r.problem_text) /* names line and byte */
					    : xasprintf(_("line %ld (byte %ld): unreadable"),
							r.problem_line, r.problem_offset);
	}
	if (!s->problem && s->n_ev == 0) {
		s->problem_line = 1;
		s->problem = xstrdup(_("the journal is empty"));
	}
	journal_read_free(&r);
	s->blocker = s->closed ? SESSION_CLOSED : SESSION_OK;
	return s;
}

static char *opt_dup(const char *v)
{
	return v ? xstrdup(v) : NULL;
}

/* Compare the plan file the operators hold with the current version. */
static int sess_check_plan_file(struct session *s, char **err)
{
	size_t len;
	char *bytes = read_file(s->plan_path, PLAN_MAX_BYTES, &len, err);
	if (!bytes)
		return -1;
	free(s->pending_bytes);
	free(s->pending_diff);
	s->pending_bytes = NULL;
	s->pending_diff = NULL;
	if (len == s->plan->len && memcmp(bytes, s->plan->bytes, len) == 0) {
		free(bytes);
		return 0;
	}
	s->pending_bytes = bytes;
	s->pending_len = len;
	s->pending_diff = sess_line_diff(s->plan->bytes, s->plan->len, bytes, len);
	return 0;
}

static void sess_set_blocker(struct session *s)
{
	char hex[HASH_SHA256_HEX_LEN + 1];
	free(s->blocker_text);
	s->blocker_text = NULL;
	if (s->j && journal_failed(s->j)) {
		s->blocker = SESSION_FAILED;
		s->blocker_text = xstrdup(_("The journal could not be written. Nothing more can be "
					    "recorded: free space or fix the disk, then resume."));
	} else if (s->closed) {
		s->blocker = SESSION_CLOSED;
		s->blocker_text = xstrdup(_("This ceremony is closed; its journal is read only."));
	} else if (s->torn_offset >= 0 && s->blocker == SESSION_TORN_TAIL) {
		s->blocker_text = xasprintf(_("The journal ends in a partial line at byte %ld (a "
					      "crash while writing). Both operators must set it aside "
					      "(it is kept in a file) before going on."), s->torn_offset);
	} else if (s->pending_bytes) {
		hash_sha256_hex(s->pending_bytes, s->pending_len, hex);
		s->blocker = SESSION_PLAN_CHANGED;
		s->blocker_text = xasprintf(_("The plan file %s (SHA-256 %s) is not the verified "
					      "version %ld (%s). Amend the plan (both operators) and "
					      "have it verified again, or restore the file."),
					    s->plan_path, hex, s->plan_version, s->plan->sha256);
	} else {
		s->blocker = SESSION_OK;
	}
}

void sess_refresh_blocker(struct session *s)
{
	sess_set_blocker(s);
}

static int sess_open_backend(struct session *s, const struct session_opts *o, char **err)
{
	char *path;
	if (s->mode != SESSION_REHEARSAL)
		return 0;
	if (s->backend) { /* an amendment: the simulator keeps its tenant */
		backend_set_catalogue(s->backend, s->cat);
		return 0;
	}
	path = xasprintf("%s/%s", s->dir, SESSION_SIM_FILE);
	s->backend = backend_sim_open(path, s->cat, o ? o->sim_faults : NULL,
				      o ? o->registration_delay : 0, err);
	free(path);
	return s->backend ? 0 : -1;
}

int sess_reopen_backend(struct session *s, char **err)
{
	return sess_open_backend(s, &s->opts, err);
}

static int sess_resume(struct session *s, const struct session_opts *o, char **err)
{
	struct journal_read r;
	memset(&r, 0, sizeof r);
	s->j = journal_open(s->journal_path, &r, err);
	if (!s->j) {
		journal_read_free(&r);
		return -1;
	}
	s->resumed = true;
	s->torn_offset = -1;
	if (r.problem == JPROB_TORN_TAIL) {
		s->blocker = SESSION_TORN_TAIL;
		s->torn_offset = r.problem_offset;
	}
	sess_replay(s, r.ev, r.n);
	free(r.ev);
	r.ev = NULL;
	r.n = 0;
	journal_read_free(&r);
	if (s->problem) {
		*err = xasprintf(_("%s: refused: %s"), s->journal_path, s->problem);
		return -1;
	}
	if (!s->plan) {
		char *half = sess_half_made(s->dir);
		*err = half ? half : xasprintf(_("%s: the journal holds no session"), s->journal_path);
		return -1;
	}
	if (s->offboarding != o->offboarding) {
		*err = xasprintf(_("%s: this session is %s; it cannot continue as %s"), s->dir,
				 s->offboarding ? _("an offboarding ceremony") : _("the onboarding ceremony"),
				 o->offboarding ? _("an offboarding ceremony") : _("the onboarding ceremony"));
		return -1;
	}
	if (s->mode != o->mode) {
		*err = xasprintf(_("%s: this session was opened as a %s; it cannot continue as a %s"),
				 s->dir, sess_mode_name(s->mode), sess_mode_name(o->mode));
		return -1;
	}
	if (sess_check_plan_file(s, err) < 0)
		return -1;
	return sess_open_backend(s, o, err);
}

struct session *session_open(const struct session_opts *o, char **err)
{
	struct session *s;
	struct stat st;
	if (!o || !o->plan_path || !o->dir) {
		*err = xstrdup(_("a session needs a plan file and a session directory"));
		return NULL;
	}
	s = sess_new();
	s->opts = *o;
	s->dir = xstrdup(o->dir);
	s->plan_path = xstrdup(o->plan_path);
	s->journal_path = xasprintf("%s/%s", o->dir, JOURNAL_FILE);
	s->mode = o->mode;
	s->torn_offset = -1;
	for (int side = 0; side < CK_SIDES; side++)
		s->key_path[side] = opt_dup(o->key_path[side]);
	s->keystore_dir = opt_dup(o->keystore_dir);
	s->data_dir = opt_dup(o->data_dir);
	if (lstat(s->journal_path, &st) == 0
		    ? sess_dir_check_mode(s->dir, err) < 0 || sess_resume(s, o, err) < 0
		    : sess_create(s, o, err) < 0) {
		session_free(s);
		return NULL;
	}
	s->opts.sim_faults = NULL; /* borrowed strings: not kept past this call */
	s->opts.plan_path = s->opts.dir = s->opts.keystore_dir = s->opts.data_dir = NULL;
	s->opts.key_path[0] = s->opts.key_path[1] = NULL;
	sess_set_blocker(s);
	return s;
}

/* ---- accessors ---------------------------------------------------------- */

enum session_blocker session_blocker(const struct session *s) { return s->blocker; }
const char *session_blocker_text(const struct session *s) { return s->blocker_text; }
bool session_resumed(const struct session *s) { return s->resumed; }
long session_problem(const struct session *s, const char **text)
{
	if (text)
		*text = s->problem;
	return s->problem ? (s->problem_line ? s->problem_line : 1) : 0;
}
bool session_failed(const struct session *s) { return s->j && journal_failed(s->j); }
const struct plan *session_plan(const struct session *s) { return s->plan; }
const struct inventory *session_inventory(const struct session *s) { return s->inv; }
const struct catalogue *session_catalogue(const struct session *s) { return s->cat; }
enum session_mode session_mode(const struct session *s) { return s->mode; }
const char *session_dir(const struct session *s) { return s->j ? s->dir : NULL; }
const char *session_head(const struct session *s) { return s->head; }
long session_n_events(const struct session *s) { return (long)s->n_ev; }
const char *session_tool_version(const struct session *s) { return s->tool_version; }
time_t session_opened_at(const struct session *s) { return s->opened_at; }
bool session_is_closed(const struct session *s) { return s->closed; }
long session_clock_offset(const struct session *s) { return s->clock_offset; }

bool session_uses_demo_keys(const struct session *s)
{
	return s->plan && (pubkey_demo_find(s->plan->op[0].pub) || pubkey_demo_find(s->plan->op[1].pub));
}

void session_plan_status(const struct session *s, struct session_plan_status *out)
{
	memset(out, 0, sizeof *out);
	out->version = s->plan_version;
	out->sha256 = s->plan ? s->plan->sha256 : NULL;
	out->author = s->plan ? s->plan->author : CK_SIDE_NONE;
	out->approved = s->approved;
	out->verified = s->verified;
	out->verifier = s->verifier;
	out->file_differs = s->pending_bytes != NULL;
	out->diff = s->pending_diff;
}

void session_sitting(const struct session *s, struct session_sitting *out)
{
	out->number = s->sitting_no;
	out->open = s->sitting_open;
	out->opened = s->sitting_opened;
	out->closed = s->sitting_closed;
	out->present[0] = s->sitting_open && s->present[0];
	out->present[1] = s->sitting_open && s->present[1];
}

bool session_is_present(const struct session *s, int side)
{
	return (side == CK_SIDE_A || side == CK_SIDE_B) && s->sitting_open && s->present[side];
}

bool session_is_unlocked(const struct session *s, int side)
{
	return (side == CK_SIDE_A || side == CK_SIDE_B) && s->key[side] != NULL;
}

const char *session_step_state_name(enum session_step_state st)
{
	static const char *const names[] = {
		N_("pending"), N_("ready"), N_("blocked"), N_("waiting for witness"),
		N_("waiting until"), N_("waiting for event"), N_("done"), N_("skipped"),
		N_("check failed"),
	};
	return (unsigned)st < CK_ARRAY_LEN(names) ? _(names[st]) : "?";
}

size_t session_n_steps(const struct session *s)
{
	return s->cat ? s->cat->n_steps : 0;
}

long session_step_index(const struct session *s, const char *step_id)
{
	const struct step *st = s->cat && step_id ? catalogue_find(s->cat, step_id) : NULL;
	return st ? (long)(st - s->cat->steps) : -1;
}

/* Who can move a step on now: the owner to work and confirm, the other
 * operator to witness; nobody while it waits for time or Microsoft. */
static int step_who_next(const struct session *s, size_t i, enum session_step_state st)
{
	const struct step *step = &s->cat->steps[i];
	switch (st) {
	case STEP_READY:
	case STEP_FAILED:
	case STEP_WAIT_EVENT:
		return step->owner;
	case STEP_WAIT_WITNESS:
		return ck_other_side(step->owner);
	default:
		return CK_SIDE_NONE;
	}
}

void session_step_info(const struct session *s, size_t i, struct session_step_info *out)
{
	const struct sess_step *ss = &s->steps[i];
	const struct step *st = &s->cat->steps[i];
	memset(out, 0, sizeof *out);
	out->step = st;
	out->state = sess_step_state(s, i, session_now(s), &out->blocked_by);
	out->started = ss->started;
	out->confirmed_by = ss->confirmed_by;
	out->confirmed_at = ss->confirmed_at;
	out->witnessed_by = ss->witnessed_by;
	if (ss->confirmed_by != CK_SIDE_NONE && st->wait.kind == WAIT_HOURS)
		out->wait_until = ss->confirmed_at + (time_t)st->wait.hours * 3600;
	out->wait_event = st->wait.kind == WAIT_EVENT && st->wait.event ? _(st->wait.event) : NULL;
	out->reason = ss->reason;
	out->check = ss->has_check ? &ss->check : NULL;
	out->who_next = step_who_next(s, i, out->state);
}

const char *session_evidence(void *session, const char *step_id, const char *evidence_id)
{
	const struct session *s = session;
	long i = session_step_index(s, step_id);
	if (i < 0 || !evidence_id)
		return NULL;
	for (size_t k = 0; k < s->steps[i].n_ev; k++)
		if (strcmp(s->steps[i].ev[k].id, evidence_id) == 0)
			return s->steps[i].ev[k].value;
	return NULL;
}

static bool can_act(const struct session *s, int who)
{
	return who != CK_SIDE_NONE && s->sitting_open && s->present[who];
}

long session_next_step(const struct session *s)
{
	time_t now = session_now(s);
	long first = -1;
	if (!s->cat || !s->verified || s->closed)
		return -1;
	for (size_t i = 0; i < s->cat->n_steps; i++) {
		enum session_step_state st = sess_step_state(s, i, now, NULL);
		if (st == STEP_WAIT_EVENT || !can_act(s, step_who_next(s, i, st)))
			continue; /* an outside event is waited for, not worked on */
		if (st == STEP_WAIT_WITNESS && !s->present[s->cat->steps[i].owner])
			continue;
		if (st == STEP_READY && s->cat->steps[i].witness &&
		    !s->present[ck_other_side(s->cat->steps[i].owner)])
			continue; /* a one-operator sitting cannot do witnessed steps */
		if (s->steps[i].started || st == STEP_WAIT_WITNESS)
			return (long)i;
		if (first < 0)
			first = (long)i;
	}
	return first;
}

size_t session_waits(const struct session *s, struct session_wait_item **items, bool *all_waiting)
{
	time_t now = session_now(s);
	size_t n = 0;
	*items = NULL;
	for (size_t i = 0; s->cat && i < s->cat->n_steps; i++) {
		struct session_step_info info;
		session_step_info(s, i, &info);
		if (info.state != STEP_WAIT_TIME && info.state != STEP_WAIT_EVENT &&
		    info.state != STEP_WAIT_WITNESS)
			continue;
		*items = xrealloc(*items, (n + 1) * sizeof **items);
		(*items)[n++] = (struct session_wait_item){
			(size_t)i, info.state, info.wait_until, info.wait_event,
			info.state == STEP_WAIT_WITNESS ? ck_other_side(info.step->owner) : CK_SIDE_NONE
		};
	}
	(void)now;
	if (all_waiting)
		*all_waiting = n > 0 && session_next_step(s) < 0;
	return n;
}
