/* session.c: opening, resuming and reading a session, and the accessors the
 * screens read. The state is never stored: it is rebuilt by replaying the
 * journal through the rule engine (rules.c). */
#include "ck.h"
#include "fileread.h"
#include "session/session_int.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

static int sess_resume(struct session *s, const struct session_opts *o, char **err)
{
	struct journal_read r;
	memset(&r, 0, sizeof r);
	s->j = journal_open_shared(s->journal_path, &r, err);
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
	/* a version recorded without its copy (killed, a full disk): kept now;
	 * if it still cannot be, the amendment said so and this open retries */
	char *kerr = NULL;
	if (sess_keep_plan_versions(s, &kerr) < 0)
		free(kerr);
	sess_torn_scan(s); /* set aside at the other terminal, not recorded yet */
	if (o->join) { /* the joiner takes the session as recorded */
		if (s->plan_path && sess_check_plan_file(s, err) < 0)
			return -1;
		return sess_open_backend(s, o, err);
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
	/* A session sees Azure as it was opened to: a guide session is not
	 * turned live halfway, nor a checking one made to write. Resuming with
	 * less (a live session continued guided) takes nothing away. */
	if (o->live_open && (s->live == SESS_LIVE_GUIDE || (o->execute && s->live != SESS_LIVE_EXECUTE))) {
		*err = xasprintf(_("%s: this session was opened %s; it cannot continue %s: start a new "
				   "session for that"), s->dir,
				 s->live == SESS_LIVE_GUIDE ? _("in guide mode") : _("with run --live"),
				 o->execute ? _("with run --live --execute") : _("with run --live"));
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
	if (!o || (!o->plan_path && !o->join) || !o->dir) {
		*err = xstrdup(_("a session needs a plan file and a session directory"));
		return NULL;
	}
	s = sess_new();
	s->opts = *o;
	s->dir = xstrdup(o->dir);
	s->plan_path = opt_dup(o->plan_path);
	s->journal_path = xasprintf("%s/%s", o->dir, JOURNAL_FILE);
	s->mode = o->mode;
	s->torn_offset = -1;
	for (int side = 0; side < CK_SIDES; side++)
		s->key_path[side] = opt_dup(o->key_path[side]);
	s->keystore_dir = opt_dup(o->keystore_dir);
	s->data_dir = opt_dup(o->data_dir);
	bool hold[CK_SIDES] = { o->seat != SESSION_SEAT_B, o->seat != SESSION_SEAT_A };
	bool exists = lstat(s->journal_path, &st) == 0;
	if (!exists && o->join) {
		*err = xasprintf(_("%s holds no session to join: the first operator starts it with "
				   "ckwizard run or rehearse"), o->dir);
		session_free(s);
		return NULL;
	}
	if ((exists ? sess_dir_check_mode(s->dir, err) < 0 || sess_resume(s, o, err) < 0
		    : sess_create(s, o, err) < 0) ||
	    sess_claim_sides(s, hold, err) < 0) {
		session_free(s);
		return NULL;
	}
	sess_sim_seen(s);
	s->opts.sim_faults = NULL; /* borrowed strings: not kept past this call */
	s->opts.plan_path = s->opts.dir = s->opts.keystore_dir = s->opts.data_dir = NULL;
	s->opts.key_path[0] = s->opts.key_path[1] = NULL;
	sess_refresh_blocker(s);
	return s;
}

bool session_resumed(const struct session *s) { return s->resumed; }

long session_problem(const struct session *s, const char **text)
{
	if (text)
		*text = s->problem;
	return s->problem ? (s->problem_line ? s->problem_line : 1) : 0;
}

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
